/* snapshots.c - snapshot calls (see snapshots.h). */
#include "snapshots.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jbig.h"
#include "mutant.h"
#include "strf.h"

json_t *rc_snapshot_parse(const json_t *resp, struct rc_err *err)
{
    static const char *const strings[] = { "id", "box_id", "name" };
    static const char *const sizes[] = { "container_disk_bytes", "size_bytes" };
    json_t *created = json_object_get(resp, "created_at"), *v = json_object();
    uint64_t n;
    const char *bad = !json_is_integer(created) ? "created_at" : NULL;
    for (size_t i = 0; !bad && i < 3; i++) {
        json_t *s = json_object_get(resp, strings[i]);
        if (!json_is_string(s) || bc_jbig_u64(s, &n))
            bad = strings[i];
        else
            json_object_set(v, strings[i], s);
    }
    json_object_set(v, "created_at", created);
    for (size_t i = 0; !bad && i < 2; i++) {
        if (!bc_jbig_u64(json_object_get(resp, sizes[i]), &n))
            bad = sizes[i];
        else
            json_object_set_new(v, sizes[i], bc_jbig_u64_new(n));
    }
    if (bad) {
        rc_err_set(err, "internal", "the answer is not a SnapshotResponse: `%s` is missing or mistyped", bad);
        json_decref(v);
        return NULL;
    }
    return v;
}

/* /boxes/{id}/snapshots[/{name}][tail] */
static char *snapshot_path(const struct rc_box *b, const char *name, const char *tail)
{
    char *box = rc_path_escape(b->id);
    char *seg = name ? rc_path_escape(name) : NULL;
    char *path = rc_strf("/boxes/%s/snapshots%s%s%s", box, seg ? "/" : "", seg ? seg : "", tail);
    free(box);
    free(seg);
    return path;
}

int rc_snapshot_create(const struct rc_rest *r, struct rc_caps *caps, const struct rc_box *b,
                       const char *name, json_t **value, struct rc_err *err)
{
    *value = NULL;
    if (rc_caps_require(r, caps, RC_CAP_SNAPSHOTS, err) < 0)
        return -1;
    char *path = snapshot_path(b, NULL, "");
    json_t *req = json_pack("{s:s}", "name", name ? name : "");
    char *body = json_dumps(req, JSON_COMPACT);
    struct rc_request q = { .method = "POST", .path = path, .json = body };
    int rc = rc_rest_json_as(r, &q, rc_snapshot_parse, value, err);
    free(body);
    json_decref(req);
    free(path);
    return rc;
}

static json_t *parse_list(const json_t *body, struct rc_err *err)
{
    json_t *list = json_object_get(body, "snapshots"), *out = json_array(), *item;
    size_t i;
    if (!json_is_array(list)) {
        rc_err_set(err, "internal", "the answer is not a snapshot list: `snapshots` is not an array");
        json_decref(out);
        return NULL;
    }
    json_array_foreach(list, i, item) {
        json_t *v = rc_snapshot_parse(item, err);
        if (!v) {
            json_decref(out);
            return NULL;
        }
        json_array_append_new(out, v);
    }
    return out;
}

int rc_snapshot_list(const struct rc_rest *r, struct rc_caps *caps, const struct rc_box *b,
                     json_t **value, struct rc_err *err)
{
    *value = NULL;
    if (rc_caps_require(r, caps, RC_CAP_SNAPSHOTS, err) < 0)
        return -1;
    char *path = snapshot_path(b, NULL, "");
    struct rc_request q = { .method = "GET", .path = path };
    int rc = rc_rest_json_as(r, &q, parse_list, value, err);
    free(path);
    return rc;
}

int rc_snapshot_get(const struct rc_rest *r, struct rc_caps *caps, const struct rc_box *b,
                    const char *name, json_t **value, struct rc_err *err)
{
    *value = NULL;
    if (rc_caps_require(r, caps, RC_CAP_SNAPSHOTS, err) < 0)
        return -1;
    char *path = snapshot_path(b, name, "");
    struct rc_request q = { .method = "GET", .path = path };
    int rc = rc_rest_json_as(r, &q, rc_snapshot_parse, value, err);
    bool none = rc < 0 && err->kind && strcmp(err->kind, "not_found") == 0;
    if (none && !rc_mutant_is(RC_MUT_SNAPSHOT_404_ERROR)) {   /* BoxLite: Ok(None) */
        rc_err_clear(err);
        *value = json_null();
        rc = 0;
    }
    free(path);
    return rc;
}

int rc_snapshot_remove(const struct rc_rest *r, struct rc_caps *caps, const struct rc_box *b,
                       const char *name, struct rc_err *err)
{
    if (rc_caps_require(r, caps, RC_CAP_SNAPSHOTS, err) < 0)
        return -1;
    char *path = snapshot_path(b, name, "");
    struct rc_request q = { .method = "DELETE", .path = path };
    int rc = rc_rest_none(r, &q, err);
    free(path);
    return rc;
}

int rc_snapshot_restore(const struct rc_rest *r, struct rc_caps *caps, const struct rc_box *b,
                        const char *name, struct rc_err *err)
{
    if (rc_caps_require(r, caps, RC_CAP_SNAPSHOTS, err) < 0)
        return -1;
    char *path = snapshot_path(b, name, "/restore");
    struct rc_request q = { .method = "POST", .path = path };
    struct rc_reply rep;
    int rc = rc_rest_send(r, &q, &rep, err);
    bool strict = rc_mutant_is(RC_MUT_RESTORE_204_ONLY);
    if (rc == 0 && (rep.status < 200 || rep.status > 299 || (strict && rep.status != 204))) {
        rc_err_http(err, rep.status, rep.body, rep.len);
        rc = -1;
    }
    rc_reply_clear(&rep);
    free(path);
    return rc;
}
