/* frames.h - what a scenario frame (docs/scenario.md, frame steps) is on
 * the wire: its opcode and payload for libwebsockets to send, or the whole
 * encoded frame for the faults that bypass it (cut, drip). */
#ifndef FS_FRAMES_H
#define FS_FRAMES_H

#include <stddef.h>
#include <stdint.h>

#include "scenario.h"

/* The payload (malloc'd, *len bytes) and opcode (FS_WS_*) of fr; *channel
 * gets the output stream it carries (1 stdout, 2 stderr, 0 none). */
uint8_t *fs_frames_payload(const bc_frame *fr, int *op, size_t *len, int *channel);
/* The whole frame as the server sends it, unmasked (malloc'd, *total bytes). */
uint8_t *fs_frames_encode(const bc_frame *fr, size_t *total);

#endif
