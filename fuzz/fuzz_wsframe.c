/* fuzz_wsframe.c - the fake server's frame observer on hostile byte streams.
 *
 * Input: byte 0 picks the keep limit, byte 1 seeds the split points, the
 * rest is the stream. The stream is decoded whole and again in pieces cut
 * at pseudo-random points: both must report the same frames (opcode, bits,
 * announced length, kept bytes), kept never exceeds the limit, and the
 * midframe flag agrees. Then the encoder round trip: a frame built from the
 * stream's first bytes (masked or not) decodes to the same payload. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wsframe.h"

typedef struct digest {
    uint64_t h;                 /* FNV-1a over every reported frame */
    int frames;
    size_t limit;
} digest;

static void mix(digest *d, const void *p, size_t n) {
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++) d->h = (d->h ^ b[i]) * 1099511628211ULL;
}

static void on_frame(void *user, const fs_wsframe *f) {
    digest *d = user;
    if (f->kept > d->limit || f->kept > f->len) abort();
    if (f->opcode < 0 || f->opcode > 15 || f->rsv < 0 || f->rsv > 7) abort();
    int bits[4] = { f->fin, f->rsv, f->opcode, f->masked };
    mix(d, bits, sizeof bits);
    mix(d, &f->len, sizeof f->len);
    mix(d, &f->kept, sizeof f->kept);
    if (f->kept) mix(d, f->data, f->kept);
    (void)fs_wsframe_opname(f->opcode);
    d->frames++;
}

static uint32_t next(uint32_t *s) {
    *s = *s * 1103515245u + 12345u;
    return *s >> 16;
}

static void roundtrip(const uint8_t *p, size_t n, int masked) {
    static const uint8_t mask[4] = { 0x37, 0xfa, 0x21, 0x3d };
    size_t cap = n + 14;
    uint8_t *out = malloc(cap);
    size_t total = fs_wsframe_encode(out, cap, 1, FS_WS_BINARY, p, n, masked ? mask : NULL);
    if (total > cap) abort();
    fs_wsdec d;
    fs_wsdec_init(&d, n);
    digest whole = { .h = 1469598103934665603ULL, .limit = n };
    if (fs_wsdec_feed(&d, out, total, on_frame, &whole) != 1 || fs_wsdec_midframe(&d)) abort();
    /* the payload came back: compare through a second, direct decode */
    digest want = { .h = 1469598103934665603ULL, .limit = n };
    fs_wsframe f = { .fin = 1, .opcode = FS_WS_BINARY, .masked = masked, .len = n,
                     .data = p, .kept = n };
    on_frame(&want, &f);
    if (want.h != whole.h) abort();
    fs_wsdec_free(&d);
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2) return 0;
    size_t limit = data[0] < 0x80 ? data[0] : (size_t)(data[0] & 0x7f) << 8;
    uint32_t seed = data[1];
    const uint8_t *p = data + 2;
    size_t n = size - 2;

    fs_wsdec a, b;
    fs_wsdec_init(&a, limit);
    fs_wsdec_init(&b, limit);
    digest whole = { .h = 1469598103934665603ULL, .limit = limit };
    digest split = whole;
    int fa = fs_wsdec_feed(&a, p, n, on_frame, &whole);
    int fb = 0;
    for (size_t at = 0; at < n;) {
        size_t piece = seed ? 1 + next(&seed) % 9 : 1;
        if (piece > n - at) piece = n - at;
        fb += fs_wsdec_feed(&b, p + at, piece, on_frame, &split);
        at += piece;
    }
    fb += fs_wsdec_feed(&b, p, 0, on_frame, &split); /* an empty feed is harmless */
    if (fa != whole.frames || fb != split.frames || fa != fb || whole.h != split.h) abort();
    if (fs_wsdec_midframe(&a) != fs_wsdec_midframe(&b)) abort();
    fs_wsdec_free(&a);
    fs_wsdec_free(&b);

    roundtrip(p, n < 70000 ? n : 70000, seed & 1);
    return 0;
}
