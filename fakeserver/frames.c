/* frames.c - scenario frames as payloads and as raw frames. */
#include "frames.h"

#include <stdlib.h>
#include <string.h>

#include "wsframe.h"

/* Both BoxLite servers marshal control frames from maps whose keys come out
 * sorted ({"exit_code":0,"type":"exit"}): the fake writes them the same. */
#define FRAMES_CONTROL_JSON (JSON_COMPACT | JSON_SORT_KEYS)

static char *exit_json(const bc_frame *fr) {
    json_t *o = json_pack("{s:s}", "type", "exit");
    if (fr->has_exit_code) json_object_set_new(o, "exit_code", json_integer(fr->exit_code));
    char *text = json_dumps(o, FRAMES_CONTROL_JSON);
    json_decref(o);
    return text;
}

uint8_t *fs_frames_payload(const bc_frame *fr, int *op, size_t *len, int *channel) {
    const bc_bytes *b = &fr->bytes;
    uint8_t *out = NULL;
    *channel = 0;
    *op = FS_WS_BINARY;
    switch (fr->kind) {
    case BC_FRAME_OUT:
    case BC_FRAME_ERR:
        *channel = fr->kind == BC_FRAME_OUT ? 1 : 2;
        out = malloc(b->len + 1);
        out[0] = (uint8_t)*channel;
        if (b->len) memcpy(out + 1, b->data, b->len);
        *len = b->len + 1;
        return out;
    case BC_FRAME_BINARY:
        if (b->len > 0 && (b->data[0] == 1 || b->data[0] == 2)) *channel = b->data[0];
        break;
    case BC_FRAME_TEXT: *op = FS_WS_TEXT; break;
    case BC_FRAME_PING: *op = FS_WS_PING; break;
    case BC_FRAME_PONG: *op = FS_WS_PONG; break;
    case BC_FRAME_ERROR: {
        *op = FS_WS_TEXT;
        json_t *o = json_pack("{s:s,s:s%}", "type", "error", "message", b->data ? (char *)b->data : "", b->len);
        char *t = json_dumps(o, FRAMES_CONTROL_JSON);
        json_decref(o);
        *len = strlen(t);
        return (uint8_t *)t;
    }
    case BC_FRAME_EXIT: {
        *op = FS_WS_TEXT;
        char *t = exit_json(fr);
        *len = strlen(t);
        return (uint8_t *)t;
    }
    }
    out = malloc(b->len ? b->len : 1);
    if (b->len) memcpy(out, b->data, b->len);
    *len = b->len;
    return out;
}

uint8_t *fs_frames_encode(const bc_frame *fr, size_t *total) {
    int op, channel;
    size_t len;
    uint8_t *p = fs_frames_payload(fr, &op, &len, &channel);
    size_t need = fs_wsframe_encode(NULL, 0, 1, op, p, len, NULL);
    uint8_t *raw = malloc(need);
    *total = fs_wsframe_encode(raw, need, 1, op, p, len, NULL);
    free(p);
    return raw;
}
