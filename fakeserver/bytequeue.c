/* bytequeue.c - a byte FIFO that compacts before it grows. */
#include "bytequeue.h"

#include <stdlib.h>
#include <string.h>

uint8_t *fs_bytequeue_reserve(fs_bytequeue *q, size_t n) {
    if (q->head + q->len + n > q->cap) {
        if (q->len) memmove(q->buf, q->buf + q->head, q->len);
        q->head = 0;
        if (q->len + n > q->cap) {
            size_t cap = q->cap ? q->cap : 4096;
            while (cap < q->len + n) cap *= 2;
            q->buf = realloc(q->buf, cap);
            q->cap = cap;
        }
    }
    return q->buf + q->head + q->len;
}

void fs_bytequeue_commit(fs_bytequeue *q, size_t n) { q->len += n; }

void fs_bytequeue_push(fs_bytequeue *q, const uint8_t *p, size_t n) {
    if (n == 0) return;
    memcpy(fs_bytequeue_reserve(q, n), p, n);
    fs_bytequeue_commit(q, n);
}

void fs_bytequeue_drop(fs_bytequeue *q, size_t n) {
    q->head += n;
    q->len -= n;
    if (q->len == 0) fs_bytequeue_free(q);
}

void fs_bytequeue_free(fs_bytequeue *q) {
    free(q->buf);
    q->buf = NULL;
    q->head = q->len = q->cap = 0;
}
