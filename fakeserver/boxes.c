/* boxes.c - the box table and GET / HEAD /boxes/{box}. */
#include "boxes.h"

#include <string.h>

#include "loop.h"
#include "reply.h"

static const char *const box_created = "2026-01-01T00:00:00Z";

int fs_boxes_exists(const char *id) { return !strcmp(id, fs_scenario->server.box_id); }

void fs_boxes_get(fs_session *s) {
    const bc_server *sv = &fs_scenario->server;
    fs_reply_json(s, 200, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:i}", "box_id", sv->box_id,
                                    "name", sv->box_id, "status", sv->box_status, "created_at",
                                    box_created, "updated_at", box_created, "image",
                                    "alpine:latest", "cpus", 1, "memory_mib", 512));
}
