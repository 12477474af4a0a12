/* box_state.h - the boxes the fake server knows: made from the scenario on
 * first use (server.box_id, box_status, box_info, snapshots), grown by
 * clones, each with the BoxResponse it answers and its snapshots. A state
 * change moves updated_at on by one second of a clock of its own (from
 * 2026-01-01T00:00:00Z), so answers are the same run after run and a client
 * that keeps old info is seen; each creation and change is a `box` event. */
#ifndef FS_BOX_STATE_H
#define FS_BOX_STATE_H

#include <jansson.h>

typedef struct fs_box {
    char *id;                   /* the {box} of the paths that reach it */
    json_t *info;               /* the BoxResponse it answers (box_id, name, status, ...) */
    json_t *snapshots;          /* its SnapshotResponse objects, oldest first */
    struct fs_box *next;
} fs_box;

fs_box *fs_box_find(const char *id);        /* NULL if no such box */
/* A clone of src named name (NULL: none): the next free box-N, status
 * "configured", journaled. */
fs_box *fs_box_clone(const fs_box *src, const char *name);
/* A box a scripted answer names (a clone's body): info as given, journaled. */
fs_box *fs_box_adopt(const char *id, const json_t *info);
/* status and a later updated_at, journaled with cause ("start", "stop"). */
void fs_box_change(fs_box *b, const char *status, const char *cause);
/* A new SnapshotResponse of box b named name (its id, now, sizes). */
json_t *fs_box_new_snapshot(const fs_box *b, const char *name);
void fs_box_free_all(void);

#endif
