/* buf.c - growable byte buffer (see buf.h). */
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rc_buf_append(struct rc_buf *b, const void *data, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        uint8_t *grown = realloc(b->data, cap);
        if (!grown) {
            fputs("refclient: out of memory\n", stderr);
            abort();
        }
        b->data = grown;
        b->cap = cap;
    }
    if (n)
        memcpy(b->data + b->len, data, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void rc_buf_consume(struct rc_buf *b, size_t n)
{
    memmove(b->data, b->data + n, b->len - n);
    b->len -= n;
}

void rc_buf_prepend(struct rc_buf *b, const struct rc_buf *front)
{
    struct rc_buf joined = { 0 };
    rc_buf_append(&joined, front->data, front->len);
    rc_buf_append(&joined, b->data, b->len);
    free(b->data);
    *b = joined;
}

char *rc_buf_take(struct rc_buf *b)
{
    if (!b->data)
        rc_buf_append(b, "", 0);
    char *s = (char *)b->data;
    memset(b, 0, sizeof(*b));
    return s;
}

void rc_buf_free(struct rc_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof(*b));
}
