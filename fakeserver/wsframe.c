/* wsframe.c - streaming frame observer and raw frame encoder (RFC 6455 5.2). */
#include "wsframe.h"

#include <stdlib.h>
#include <string.h>

void fs_wsdec_init(fs_wsdec *d, size_t keep_limit) {
    memset(d, 0, sizeof *d);
    d->head_need = 2;
    d->keep_limit = keep_limit;
    d->keep_buf = NULL; /* on the first payload byte kept: idle observers stay small */
}

void fs_wsdec_free(fs_wsdec *d) {
    free(d->keep_buf);
    d->keep_buf = NULL;
}

int fs_wsdec_midframe(const fs_wsdec *d) {
    return d->in_payload || d->head_have > 0;
}

const char *fs_wsframe_opname(int opcode) {
    switch (opcode) {
    case FS_WS_CONT: return "continuation";
    case FS_WS_TEXT: return "text";
    case FS_WS_BINARY: return "binary";
    case FS_WS_CLOSE: return "close";
    case FS_WS_PING: return "ping";
    case FS_WS_PONG: return "pong";
    default: return "reserved";
    }
}

/* Header size follows from the first two bytes: length form and mask bit. */
static size_t header_size(const uint8_t *h) {
    size_t n = 2;
    uint8_t l7 = h[1] & 0x7f;
    if (l7 == 126) n += 2;
    else if (l7 == 127) n += 8;
    if (h[1] & 0x80) n += 4;
    return n;
}

static void parse_header(fs_wsdec *d, void *user) {
    const uint8_t *h = d->head;
    size_t at = 2;
    uint64_t len = h[1] & 0x7f;
    if (len == 126) {
        len = ((uint64_t)h[2] << 8) | h[3];
        at = 4;
    } else if (len == 127) {
        len = 0;
        for (int i = 0; i < 8; i++) len = (len << 8) | h[2 + i];
        at = 10;
    }
    memset(&d->cur, 0, sizeof d->cur);
    d->cur.fin = (h[0] >> 7) & 1;
    d->cur.rsv = (h[0] >> 4) & 7;
    d->cur.opcode = h[0] & 0x0f;
    d->cur.masked = (h[1] >> 7) & 1;
    d->cur.len = len;
    if (d->cur.masked) memcpy(d->mask, h + at, 4);
    d->got = 0;
    d->in_payload = 1;
    d->cur_keep = d->keep_limit;
    if (d->keep_fn) {
        size_t k = d->keep_fn(user, &d->cur);
        if (k < d->cur_keep) d->cur_keep = k;
    }
}

static void finish_frame(fs_wsdec *d, fs_wsframe_cb *cb, void *user) {
    d->cur.data = d->keep_buf ? d->keep_buf : (const uint8_t *)""; /* never NULL */
    d->cur.kept = d->cur.len < d->cur_keep ? (size_t)d->cur.len : d->cur_keep;
    if (cb) cb(user, &d->cur);
    d->in_payload = 0;
    d->head_have = 0;
    d->head_need = 2;
}

/* Consumes payload bytes of the current frame; returns bytes used. */
static size_t take_payload(fs_wsdec *d, const uint8_t *p, size_t n) {
    uint64_t left = d->cur.len - d->got;
    size_t use = n < left ? n : (size_t)left;
    if (d->got < d->cur_keep) {
        size_t keep = d->cur_keep - d->got < use ? (size_t)(d->cur_keep - d->got) : use;
        if (!d->keep_buf) d->keep_buf = malloc(d->keep_limit);
        uint8_t *out = d->keep_buf + d->got;
        if (!d->cur.masked) {
            memcpy(out, p, keep); /* server frames: a plain copy */
        } else {
            for (size_t i = 0; i < keep; i++) out[i] = p[i] ^ d->mask[(d->got + i) & 3];
        }
    }
    d->got += use;
    return use;
}

int fs_wsdec_feed(fs_wsdec *d, const uint8_t *p, size_t n, fs_wsframe_cb *cb, void *user) {
    int frames = 0;
    while (n > 0 || (d->in_payload && d->got == d->cur.len)) {
        if (d->in_payload) {
            size_t used = take_payload(d, p, n);
            p += used;
            n -= used;
            if (d->got == d->cur.len) {
                finish_frame(d, cb, user);
                frames++;
            }
            continue;
        }
        d->head[d->head_have++] = *p++;
        n--;
        if (d->head_have == 2) d->head_need = header_size(d->head);
        if (d->head_have == d->head_need) parse_header(d, user);
    }
    return frames;
}

size_t fs_wsframe_encode(uint8_t *out, size_t cap, int fin, int opcode,
                         const uint8_t *payload, size_t len, const uint8_t *mask) {
    size_t head = 2 + (len < 126 ? 0 : len <= 0xffff ? 2 : 8) + (mask ? 4 : 0);
    size_t total = head + len;
    if (total > cap) return total;
    size_t at = 2;
    out[0] = (uint8_t)((fin ? 0x80 : 0) | (opcode & 0x0f));
    if (len < 126) {
        out[1] = (uint8_t)len;
    } else if (len <= 0xffff) {
        out[1] = 126;
        out[2] = (uint8_t)(len >> 8);
        out[3] = (uint8_t)len;
        at = 4;
    } else {
        out[1] = 127;
        for (int i = 0; i < 8; i++) out[2 + i] = (uint8_t)((uint64_t)len >> (56 - 8 * i));
        at = 10;
    }
    if (mask) {
        out[1] |= 0x80;
        memcpy(out + at, mask, 4);
        at += 4;
    }
    for (size_t i = 0; i < len; i++)
        out[at + i] = mask ? payload[i] ^ mask[i & 3] : payload[i];
    return total;
}
