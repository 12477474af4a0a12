/* actions.c - the action table (see actions.h). */
#include "actions.h"

#include <stdlib.h>
#include <string.h>

#include "boxes.h"
#include "exec.h"
#include "files.h"
#include "snapshots.h"
#include "strf.h"

/* A handler reports its own value; -1 with err for the dispatcher to emit,
 * RC_EXIT_UNSUPPORTED when a nested action is not known. */
typedef int (*rc_handler)(struct rc_ctx *c, const struct rc_action *a, struct rc_box *box,
                          struct rc_err *err);

static int run_on(struct rc_ctx *c, const struct rc_action *a, struct rc_box *box);

static int emit_info(const struct rc_box *box)
{
    rc_emit_value(json_incref(box->info));
    return 0;
}

static int emit_done(int rc)
{
    if (rc == 0)
        rc_emit_value(json_object());
    return rc;
}

static int emit_json(int rc, json_t *value)
{
    if (rc == 0)
        rc_emit_value(value);
    return rc;
}

static int act_info(struct rc_ctx *c, const struct rc_action *a, struct rc_box *box, struct rc_err *err)
{
    (void)c, (void)a, (void)err;
    return emit_info(box);
}

static int act_start(struct rc_ctx *c, const struct rc_action *a, struct rc_box *box, struct rc_err *err)
{
    (void)a;
    return rc_box_start(&c->rest, box, err) < 0 ? -1 : emit_info(box);
}

static int act_stop(struct rc_ctx *c, const struct rc_action *a, struct rc_box *box, struct rc_err *err)
{
    (void)a;
    return rc_box_stop(&c->rest, box, err) < 0 ? -1 : emit_info(box);
}

static int act_metrics(struct rc_ctx *c, const struct rc_action *a, struct rc_box *box, struct rc_err *err)
{
    json_t *v;
    (void)a;
    int rc = rc_box_metrics(&c->rest, box, &v, err);
    return emit_json(rc, v);
}

static int act_copy_in(struct rc_ctx *c, const struct rc_action *a, struct rc_box *box, struct rc_err *err)
{
    const char *src = rc_action_str(a, "src"), *dst = rc_action_str(a, "dst");
    if (!src || !dst) {
        rc_err_set(err, "invalid_argument", "copy_in needs src and dst");
        return -1;
    }
    return emit_done(rc_copy_in(&c->rest, box, src, dst, err));
}

static int act_copy_out(struct rc_ctx *c, const struct rc_action *a, struct rc_box *box, struct rc_err *err)
{
    const char *src = rc_action_str(a, "src"), *dst = rc_action_str(a, "dst");
    if (!src || !dst) {
        rc_err_set(err, "invalid_argument", "copy_out needs src and dst");
        return -1;
    }
    return emit_done(rc_copy_out(&c->rest, box, src, dst, err));
}

static int act_snapshot_create(struct rc_ctx *c, const struct rc_action *a, struct rc_box *box,
                               struct rc_err *err)
{
    json_t *v;
    int rc = rc_snapshot_create(&c->rest, &c->caps, box, rc_action_str(a, "name"), &v, err);
    return emit_json(rc, v);
}

static int act_snapshot_list(struct rc_ctx *c, const struct rc_action *a, struct rc_box *box,
                             struct rc_err *err)
{
    json_t *v;
    (void)a;
    int rc = rc_snapshot_list(&c->rest, &c->caps, box, &v, err);
    return emit_json(rc, v);
}

static int act_snapshot_get(struct rc_ctx *c, const struct rc_action *a, struct rc_box *box,
                            struct rc_err *err)
{
    json_t *v;
    const char *name = rc_action_str(a, "name");
    int rc = rc_snapshot_get(&c->rest, &c->caps, box, name ? name : "", &v, err);
    return emit_json(rc, v);
}

static int act_snapshot_remove(struct rc_ctx *c, const struct rc_action *a, struct rc_box *box,
                               struct rc_err *err)
{
    const char *name = rc_action_str(a, "name");
    return emit_done(rc_snapshot_remove(&c->rest, &c->caps, box, name ? name : "", err));
}

static int act_snapshot_restore(struct rc_ctx *c, const struct rc_action *a, struct rc_box *box,
                                struct rc_err *err)
{
    const char *name = rc_action_str(a, "name");
    return emit_done(rc_snapshot_restore(&c->rest, &c->caps, box, name ? name : "", err));
}

static int act_export(struct rc_ctx *c, const struct rc_action *a, struct rc_box *box, struct rc_err *err)
{
    const char *dest = rc_action_str(a, "dest");
    char *written;
    if (!dest) {
        rc_err_set(err, "invalid_argument", "export needs a dest");
        return -1;
    }
    if (rc_box_export(&c->rest, &c->caps, box, dest, &written, err) < 0)
        return -1;
    rc_emit_value(json_pack("{s:s}", "path", written));
    free(written);
    return 0;
}

/* The clone's value, then the `then` action run on the clone's handle. */
static int act_clone(struct rc_ctx *c, const struct rc_action *a, struct rc_box *box, struct rc_err *err)
{
    struct rc_box clone;
    if (rc_box_clone(&c->rest, &c->caps, box, rc_action_str(a, "name"), &clone, err) < 0)
        return -1;
    emit_info(&clone);
    json_t *then = json_object_get(a->root, "then");
    int rc = 0;
    if (then) {
        struct rc_action next;
        const char *why;
        if (rc_action_from(then, &next, &why) < 0)
            rc_err_set(err, "invalid_argument", "then: %s", why), rc = -1;
        else
            rc = run_on(c, &next, &clone);
        rc_action_free(&next);
    }
    rc_box_free(&clone);
    return rc;
}

static int act_exec(struct rc_ctx *c, const struct rc_action *a, struct rc_box *box, struct rc_err *err)
{
    (void)err;
    rc_exec_run(&c->rest, &c->timing, c->api_key, box->id, a);
    return 0;
}

static const struct {
    const char *name;
    rc_handler run;
} table[] = {
    { "exec", act_exec },
    { "info", act_info },
    { "start", act_start },
    { "stop", act_stop },
    { "metrics", act_metrics },
    { "copy_in", act_copy_in },
    { "copy_out", act_copy_out },
    { "snapshot_create", act_snapshot_create },
    { "snapshot_list", act_snapshot_list },
    { "snapshot_get", act_snapshot_get },
    { "snapshot_remove", act_snapshot_remove },
    { "snapshot_restore", act_snapshot_restore },
    { "clone", act_clone },
    { "export", act_export },
};

static rc_handler handler_of(const char *name)
{
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
        if (strcmp(table[i].name, name) == 0)
            return table[i].run;
    return NULL;
}

static int unsupported(const char *name)
{
    char *reason = rc_strf("refclient has no action \"%s\"", name);
    rc_emit_unsupported(reason);
    free(reason);
    return RC_EXIT_UNSUPPORTED;
}

/* One action on a handle; its error emitted here. */
static int run_on(struct rc_ctx *c, const struct rc_action *a, struct rc_box *box)
{
    rc_handler run = handler_of(a->name);
    struct rc_err err = { 0 };
    if (!run)
        return unsupported(a->name);
    int rc = run(c, a, box, &err);
    if (rc < 0)
        rc_emit_error(err.kind, err.message);
    rc_err_clear(&err);
    return rc == RC_EXIT_UNSUPPORTED ? rc : 0;
}

/* The first action name of the chain (a, its `then`, ...) with no row. */
static const char *unknown_in(const json_t *action)
{
    for (; action; action = json_object_get(action, "then")) {
        const char *name = json_string_value(json_object_get(action, "action"));
        if (name && !handler_of(name))
            return name;
    }
    return NULL;
}

int rc_actions_run(struct rc_ctx *c, const struct rc_action *a)
{
    if (strcmp(a->name, "attach") == 0) {
        rc_attach_run(&c->rest, &c->timing, c->api_key, a);
        return 0;
    }
    const char *unknown = unknown_in(a->root);
    if (unknown)
        return unsupported(unknown);  /* before any call is made */
    struct rc_box box;
    struct rc_err err = { 0 };
    int rc = 0;
    if (rc_box_get(&c->rest, a->box_id, &box, &err) < 0)
        rc_emit_error(err.kind, err.message);
    else
        rc = run_on(c, a, &box);
    rc_box_free(&box);
    rc_err_clear(&err);
    return rc;
}
