/* bytequeue.h - a FIFO of bytes for the tap's two directions: appended at
 * the end, consumed from the front, its buffer freed whenever it empties
 * (idle connections, by the thousand, hold no buffers). */
#ifndef FS_BYTEQUEUE_H
#define FS_BYTEQUEUE_H

#include <stddef.h>
#include <stdint.h>

typedef struct fs_bytequeue {
    uint8_t *buf;
    size_t head;                /* first queued byte: buf + head */
    size_t len;                 /* bytes queued */
    size_t cap;                 /* bytes allocated */
} fs_bytequeue;

/* Room for n more bytes at the end; fs_bytequeue_commit takes what was put there. */
uint8_t *fs_bytequeue_reserve(fs_bytequeue *q, size_t n);
void fs_bytequeue_commit(fs_bytequeue *q, size_t n);
void fs_bytequeue_push(fs_bytequeue *q, const uint8_t *p, size_t n);
void fs_bytequeue_drop(fs_bytequeue *q, size_t n);  /* consumes n bytes from the front */
void fs_bytequeue_free(fs_bytequeue *q);         /* empties it, frees the buffer */

#endif
