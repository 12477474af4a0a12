/* wsframe.h - WebSocket frame observer and raw encoder.
 *
 * The decoder watches one direction of a byte stream that may be split
 * anywhere, malformed or hostile. It never allocates more than its keep
 * limit per frame: longer payloads are counted, not stored. libwebsockets
 * still does the real protocol work; this only reports what crossed the wire.
 * The encoder builds frames for faults that must bypass libwebsockets
 * (drip, cut) and for tests that play a client over a plain socket. */
#ifndef FS_WSFRAME_H
#define FS_WSFRAME_H

#include <stddef.h>
#include <stdint.h>

enum {
    FS_WS_CONT = 0x0, FS_WS_TEXT = 0x1, FS_WS_BINARY = 0x2,
    FS_WS_CLOSE = 0x8, FS_WS_PING = 0x9, FS_WS_PONG = 0xA,
};

typedef struct fs_wsframe {
    int fin;                /* FIN bit */
    int rsv;                /* RSV1-3 bits (nonzero: no extension negotiated) */
    int opcode;             /* 4-bit opcode as sent */
    int masked;             /* MASK bit */
    uint64_t len;           /* payload length the header announced */
    const uint8_t *data;    /* unmasked payload, first `kept` bytes */
    size_t kept;            /* bytes in data: min(len, keep limit) */
} fs_wsframe;

typedef void fs_wsframe_cb(void *user, const fs_wsframe *frame);
/* Optional: how many payload bytes of the frame whose header was just read
 * to keep (at most the keep limit); lets an observer skip bulk data. */
typedef size_t fs_wsframe_keep_fn(void *user, const fs_wsframe *head);

typedef struct fs_wsdec {
    uint8_t head[14];       /* header bytes gathered so far */
    size_t head_have;       /* bytes in head */
    size_t head_need;       /* header size once known (2..14), else 2 */
    fs_wsframe cur;         /* frame whose payload is streaming in */
    uint8_t mask[4];        /* masking key of cur */
    uint64_t got;           /* payload bytes of cur seen so far */
    uint8_t *keep_buf;      /* stored payload prefix of cur */
    size_t keep_limit;      /* most payload bytes stored per frame */
    size_t cur_keep;        /* ... for cur */
    fs_wsframe_keep_fn *keep_fn; /* NULL: keep_limit for every frame */
    int in_payload;         /* 1 while reading cur's payload */
} fs_wsdec;

void fs_wsdec_init(fs_wsdec *d, size_t keep_limit);
void fs_wsdec_free(fs_wsdec *d);
/* Feeds bytes; calls cb once per completed frame. Returns frames completed. */
int fs_wsdec_feed(fs_wsdec *d, const uint8_t *p, size_t n, fs_wsframe_cb *cb, void *user);
int fs_wsdec_midframe(const fs_wsdec *d); /* 1 if a frame is partly seen */
const char *fs_wsframe_opname(int opcode); /* "binary", ... or "reserved" */

/* Encodes one frame into out (cap bytes); mask NULL sends it unmasked.
 * Returns the frame's full size; nothing is written if it exceeds cap. */
size_t fs_wsframe_encode(uint8_t *out, size_t cap, int fin, int opcode,
                         const uint8_t *payload, size_t len, const uint8_t *mask);

#endif
