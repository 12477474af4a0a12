/* snapshots.c - snapshot create, list, get, remove, restore. Errors take
 * the Go runner's form ({"error": "..."}), its statuses too. */
#include "snapshots.h"

#include <stdio.h>
#include <string.h>

#include "boxes.h"
#include "reply.h"
#include "request.h"

/* The index of the snapshot named name in b, or -1. */
static long find_snapshot(const fs_box *b, const char *name) {
    size_t i;
    json_t *snap;
    json_array_foreach(b->snapshots, i, snap) {
        const char *n = json_string_value(json_object_get(snap, "name"));
        if (n && !strcmp(n, name)) return (long)i;
    }
    return -1;
}

/* The {name} snapshot's index; -1 with a 404 set when there is none. */
static long named_or_404(fs_session *s, const fs_box *b) {
    const char *name = fs_request_param(s, "name");
    long at = find_snapshot(b, name);
    if (at < 0) {
        char msg[FS_PARAM_MAX + 32];
        snprintf(msg, sizeof msg, "snapshot \"%s\" not found", name);
        fs_reply_error(s, 404, msg);
    }
    return at;
}

void fs_snapshots_create(fs_session *s) {
    const fs_request *rq = &s->request;
    fs_box *b = fs_boxes_of_request(s);
    json_t *body = rq->body ? json_loadb(rq->body, rq->body_len, 0, NULL) : NULL;
    const char *name = json_string_value(json_object_get(body, "name"));
    char msg[FS_PARAM_MAX + 48];
    if (!name || !*name) {
        fs_reply_error(s, 400, "name is required");
    } else if (find_snapshot(b, name) >= 0) {
        snprintf(msg, sizeof msg, "snapshot \"%.*s\" already exists", FS_PARAM_MAX, name);
        fs_reply_error(s, 409, msg);
    } else {
        json_t *snap = fs_box_new_snapshot(b, name);
        json_array_append(b->snapshots, snap);
        fs_reply_json(s, 201, snap);
    }
    json_decref(body);
}

void fs_snapshots_list(fs_session *s) {
    fs_reply_json(s, 200, json_pack("{s:O}", "snapshots", fs_boxes_of_request(s)->snapshots));
}

void fs_snapshots_get(fs_session *s) {
    fs_box *b = fs_boxes_of_request(s);
    long at = named_or_404(s, b);
    if (at >= 0) fs_reply_json(s, 200, json_deep_copy(json_array_get(b->snapshots, (size_t)at)));
}

void fs_snapshots_remove(fs_session *s) {
    fs_box *b = fs_boxes_of_request(s);
    long at = named_or_404(s, b);
    if (at < 0) return;
    json_array_remove(b->snapshots, (size_t)at);
    fs_reply_empty(s, 204);
}

void fs_snapshots_restore(fs_session *s) {
    if (named_or_404(s, fs_boxes_of_request(s)) >= 0) fs_reply_empty(s, 204);
}
