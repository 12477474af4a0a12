/* boxes.h - the box handle and the calls on a box itself: get, start,
 * stop, metrics, clone, export.
 *
 * A handle holds what BoxLite's RestBox caches: the id its calls use and
 * the info of the last BoxResponse (replaced by start and stop). */
#ifndef RC_BOXES_H
#define RC_BOXES_H

#include <jansson.h>

#include "config.h"
#include "errors.h"
#include "rest.h"

struct rc_box {
    char *id;          /* every call on this handle goes to /boxes/{id} */
    json_t *info;      /* the value event's box info, see boxes.c */
};

/* A BoxResponse into a handle (pure); -1 with an `internal` err when a
 * required field is missing or mistyped or box_id is unusable. */
int rc_box_parse(const json_t *resp, struct rc_box *out, struct rc_err *err);
void rc_box_free(struct rc_box *b);

/* GET /boxes/{id}. */
int rc_box_get(const struct rc_rest *r, const char *id, struct rc_box *out, struct rc_err *err);
/* POST /boxes/{id}/start or /stop; the answer replaces the handle's info. */
int rc_box_start(const struct rc_rest *r, struct rc_box *b, struct rc_err *err);
int rc_box_stop(const struct rc_rest *r, struct rc_box *b, struct rc_err *err);

/* A BoxMetricsResponse into the metrics value (pure); NULL with err. */
json_t *rc_metrics_parse(const json_t *resp, struct rc_err *err);
/* GET /boxes/{id}/metrics into *value. */
int rc_box_metrics(const struct rc_rest *r, const struct rc_box *b, json_t **value,
                   struct rc_err *err);

/* POST /boxes/{id}/clone {"name"?} behind the clone capability; *clone is
 * the new box's handle. */
int rc_box_clone(const struct rc_rest *r, struct rc_caps *caps, const struct rc_box *b,
                 const char *name, struct rc_box *clone, struct rc_err *err);

/* POST /boxes/{id}/export {} behind the export capability; the archive
 * goes to dest, or to dest/{name or "box"}.boxlite when dest is a
 * directory (a name with '/', ".." or a NUL is refused); *written is where. */
int rc_box_export(const struct rc_rest *r, struct rc_caps *caps, const struct rc_box *b,
                  const char *dest, char **written, struct rc_err *err);
/* The file an export into dest writes (pure but for stat); NULL with err. */
char *rc_export_target(const struct rc_box *b, const char *dest, struct rc_err *err);

#endif
