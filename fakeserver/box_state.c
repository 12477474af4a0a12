/* box_state.c - the box table, its clock and its journal events. */
#include "box_state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "journal.h"
#include "loop.h"

#define BOX_EPOCH 1767225600    /* 2026-01-01T00:00:00Z: every box's created_at */

static fs_box *box_list;
static int box_table_made;
static long box_clock;          /* seconds after BOX_EPOCH of the latest change */
static int snapshot_serial;     /* ids of created snapshots: snap-N */

static json_t *timestamp(long seconds) {
    char text[32];
    struct tm tm;
    time_t t = BOX_EPOCH + seconds;
    gmtime_r(&t, &tm);
    strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return json_string(text);
}

static void journal_box(const fs_box *b, const char *cause) {
    json_t *e = fs_journal_event("box", 0);
    json_object_set_new(e, "box_id", json_string(b->id));
    json_object_set_new(e, "status", json_incref(json_object_get(b->info, "status")));
    json_object_set_new(e, "updated_at", json_incref(json_object_get(b->info, "updated_at")));
    json_object_set_new(e, "cause", json_string(cause));
    fs_journal_emit(e);
}

static fs_box *add_box(const char *id, json_t *info) {
    fs_box *b = calloc(1, sizeof *b);
    b->id = strdup(id);
    b->info = info;
    b->snapshots = json_array();
    b->next = box_list;
    box_list = b;
    return b;
}

/* The scenario's box: the default BoxResponse under server.box_info. */
static void make_table(void) {
    const bc_server *sv = &fs_scenario->server;
    box_table_made = 1;
    json_t *info = json_pack("{s:s,s:s,s:s,s:o,s:o,s:s,s:i,s:i}", "box_id", sv->box_id, "name",
                             sv->box_id, "status", sv->box_status, "created_at", timestamp(0),
                             "updated_at", timestamp(0), "image", "alpine:latest", "cpus", 1,
                             "memory_mib", 512);
    if (sv->box_info) json_object_update(info, sv->box_info);
    fs_box *b = add_box(sv->box_id, info);
    json_array_extend(b->snapshots, sv->snapshots);
    snapshot_serial = (int)json_array_size(sv->snapshots);
}

fs_box *fs_box_find(const char *id) {
    if (!box_table_made) make_table();
    for (fs_box *b = box_list; b; b = b->next)
        if (!strcmp(b->id, id)) return b;
    return NULL;
}

fs_box *fs_box_clone(const fs_box *src, const char *name) {
    char id[32];
    for (int n = 2;; n++) {
        snprintf(id, sizeof id, "box-%d", n);
        if (!fs_box_find(id)) break;
    }
    json_t *info = json_deep_copy(src->info);
    box_clock++;
    json_object_set_new(info, "box_id", json_string(id));
    json_object_set_new(info, "name", name ? json_string(name) : json_null());
    json_object_set_new(info, "status", json_string("configured"));
    json_object_set_new(info, "created_at", timestamp(box_clock));
    json_object_set_new(info, "updated_at", timestamp(box_clock));
    fs_box *b = add_box(id, info);
    journal_box(b, "clone");
    return b;
}

fs_box *fs_box_adopt(const char *id, const json_t *info) {
    fs_box *b = fs_box_find(id);
    if (b) return b;
    b = add_box(id, json_deep_copy(info));
    journal_box(b, "scripted");
    return b;
}

void fs_box_change(fs_box *b, const char *status, const char *cause) {
    box_clock++;
    json_object_set_new(b->info, "status", json_string(status));
    json_object_set_new(b->info, "updated_at", timestamp(box_clock));
    journal_box(b, cause);
}

json_t *fs_box_new_snapshot(const fs_box *b, const char *name) {
    char id[32];
    snprintf(id, sizeof id, "snap-%d", ++snapshot_serial);
    box_clock++;
    return json_pack("{s:s,s:s,s:s,s:I,s:I,s:I}", "id", id, "box_id", b->id, "name", name,
                     "created_at", (json_int_t)(BOX_EPOCH + box_clock), "container_disk_bytes",
                     (json_int_t)1048576, "size_bytes", (json_int_t)2097152);
}

void fs_box_free_all(void) {
    while (box_list) {
        fs_box *b = box_list;
        box_list = b->next;
        free(b->id);
        json_decref(b->info);
        json_decref(b->snapshots);
        free(b);
    }
    box_table_made = 0;
}
