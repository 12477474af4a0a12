/* snapshots.h - a box's snapshots: create, list, get, remove, restore,
 * each behind the snapshots capability (config.h). Names go into the path
 * as one percent-encoded segment ('/' included).
 *
 * A snapshot value is {"id","box_id","name","created_at",
 * "container_disk_bytes","size_bytes"}, u64 sizes exact (common/jbig.h). */
#ifndef RC_SNAPSHOTS_H
#define RC_SNAPSHOTS_H

#include <jansson.h>

#include "boxes.h"
#include "config.h"
#include "errors.h"
#include "rest.h"

/* A SnapshotResponse into its value (pure); NULL with err when malformed. */
json_t *rc_snapshot_parse(const json_t *resp, struct rc_err *err);

/* POST /boxes/{id}/snapshots {"name"} -> the snapshot. */
int rc_snapshot_create(const struct rc_rest *r, struct rc_caps *caps, const struct rc_box *b,
                       const char *name, json_t **value, struct rc_err *err);
/* GET /boxes/{id}/snapshots -> an array of snapshots. */
int rc_snapshot_list(const struct rc_rest *r, struct rc_caps *caps, const struct rc_box *b,
                     json_t **value, struct rc_err *err);
/* GET /boxes/{id}/snapshots/{name} -> the snapshot, or null when not found. */
int rc_snapshot_get(const struct rc_rest *r, struct rc_caps *caps, const struct rc_box *b,
                    const char *name, json_t **value, struct rc_err *err);
/* DELETE /boxes/{id}/snapshots/{name}. */
int rc_snapshot_remove(const struct rc_rest *r, struct rc_caps *caps, const struct rc_box *b,
                       const char *name, struct rc_err *err);
/* POST /boxes/{id}/snapshots/{name}/restore, any 2xx. */
int rc_snapshot_restore(const struct rc_rest *r, struct rc_caps *caps, const struct rc_box *b,
                        const char *name, struct rc_err *err);

#endif
