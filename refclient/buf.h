/* buf.h - a growable byte buffer (the pump's queues, response bodies). */
#ifndef RC_BUF_H
#define RC_BUF_H

#include <stddef.h>
#include <stdint.h>

struct rc_buf {
    uint8_t *data;
    size_t len, cap;
};

/* Appends n bytes, growing by doubling; aborts when memory is gone. */
void rc_buf_append(struct rc_buf *b, const void *data, size_t n);
/* Drops the first n bytes. */
void rc_buf_consume(struct rc_buf *b, size_t n);
/* Puts front's bytes before b's. */
void rc_buf_prepend(struct rc_buf *b, const struct rc_buf *front);
/* Hands over the bytes NUL-terminated (malloc'd; "" when empty) and empties b. */
char *rc_buf_take(struct rc_buf *b);
void rc_buf_free(struct rc_buf *b);

#endif
