/* flood.c - patterned output frames for the flood step. */
#include "flood.h"

#include <stdlib.h>
#include <string.h>

#include <libwebsockets.h>

int fs_flood_begin(fs_flood *f, const bc_step *st) {
    memset(f, 0, sizeof *f);
    f->left = st->flood_bytes;
    f->frame = st->flood_frame;
    if (f->frame > f->left) f->frame = (size_t)f->left; /* no bigger buffer than needed */
    f->channel = st->flood_channel;
    f->phase = -1;
    if (f->left == 0) return 0;
    f->buf = malloc(LWS_PRE + 1 + f->frame);
    if (!f->buf) f->left = 0; /* nothing to send it from */
    return f->buf != NULL;
}

/* Fills the frame's output bytes from pattern phase p by doubling copies. */
static void fill(fs_flood *f, int p) {
    uint8_t *out = f->buf + LWS_PRE + 1;
    size_t have = f->frame < BC_FLOOD_PERIOD ? f->frame : BC_FLOOD_PERIOD;
    for (size_t i = 0; i < have; i++) out[i] = (uint8_t)BC_FLOOD_PATTERN[(p + i) % BC_FLOOD_PERIOD];
    /* out[0..have) is whole periods (or all of it), so copies of it continue the pattern. */
    while (have < f->frame) {
        size_t n = have < f->frame - have ? have : f->frame - have;
        memcpy(out + have, out, n);
        have += n;
    }
    f->buf[LWS_PRE] = (uint8_t)f->channel;
    f->phase = p;
}

uint8_t *fs_flood_next(fs_flood *f, size_t *len) {
    if (f->left == 0 || !f->buf) return NULL;
    /* Frames of whole periods all start at phase 0: the buffer is filled once. */
    int p = (int)(f->off % BC_FLOOD_PERIOD);
    if (p != f->phase) fill(f, p);
    size_t n = f->left < f->frame ? (size_t)f->left : f->frame;
    *len = n + 1;
    return f->buf + LWS_PRE;
}

void fs_flood_sent(fs_flood *f, size_t len) {
    size_t n = len - 1;
    f->left -= n;
    f->off += n;
}

void fs_flood_end(fs_flood *f) {
    free(f->buf);
    f->buf = NULL;
    f->left = 0;
}
