/* flood.h - the frames of a flood step (docs/scenario.md): BYTES of patterned
 * output in frames of FRAME output bytes, produced one frame at a time as
 * libwebsockets takes them, so a step of gigabytes holds one frame in memory.
 *
 * Output byte i of the step (i from 0) is BC_FLOOD_PATTERN[i % 64]: any
 * client can check what it got without the server journaling the bytes. */
#ifndef FS_FLOOD_H
#define FS_FLOOD_H

#include <stddef.h>
#include <stdint.h>

#include "scenario.h"

typedef struct fs_flood {
    unsigned long long left;    /* output bytes still to send */
    unsigned long long off;     /* output bytes sent so far */
    size_t frame;               /* output bytes per frame */
    int channel;                /* 1 stdout, 2 stderr */
    uint8_t *buf;               /* LWS_PRE, channel byte, frame bytes */
    int phase;                  /* off % BC_FLOOD_PERIOD that buf holds, -1 none */
} fs_flood;

/* Starts st (a BC_STEP_FLOOD); 0 when it has nothing to send. */
int fs_flood_begin(fs_flood *f, const bc_step *st);
/* The next frame's payload (channel byte, then output), with LWS_PRE bytes
 * free before it for lws_write; *len its length. NULL when the step is done. */
uint8_t *fs_flood_next(fs_flood *f, size_t *len);
void fs_flood_sent(fs_flood *f, size_t len);    /* the payload of len left */
void fs_flood_end(fs_flood *f);                 /* frees the frame buffer */
/* Between a fs_flood_begin that returned 1 and fs_flood_end. */
static inline int fs_flood_active(const fs_flood *f) { return f->left > 0; }

#endif
