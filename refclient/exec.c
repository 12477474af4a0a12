/* exec.c - executions and their control calls (see exec.h). */
#include "exec.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "jbig.h"
#include "mutant.h"
#include "strf.h"

static char *execution_path(const char *box_id, const char *eid, const char *tail)
{
    char *box = rc_path_escape(box_id), *e = rc_path_escape(eid);
    char *path = rc_strf("/boxes/%s/executions/%s%s", box, e, tail);
    free(box);
    free(e);
    return path;
}

static int control_call(const struct rc_rest *r, const char *method, char *path, json_t *body,
                        struct rc_err *err)
{
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    struct rc_request q = { .method = method, .path = path, .json = text };
    int rc = rc_rest_none(r, &q, err);
    free(text);
    json_decref(body);
    free(path);
    return rc;
}

int rc_exec_kill(const struct rc_rest *r, const char *box_id, const char *eid, struct rc_err *err)
{
    const char *method = rc_mutant_is(RC_MUT_KILL_AS_POST) ? "POST" : "DELETE";
    return control_call(r, method, execution_path(box_id, eid, ""), NULL, err);
}

int rc_exec_signal(const struct rc_rest *r, const char *box_id, const char *eid, int signal,
                   struct rc_err *err)
{
    return control_call(r, "POST", execution_path(box_id, eid, "/signal"),
                        json_pack("{s:i}", "signal", signal), err);
}

int rc_exec_resize(const struct rc_rest *r, const char *box_id, const char *eid, int cols,
                   int rows, struct rc_err *err)
{
    bool swap = rc_mutant_is(RC_MUT_RESIZE_SWAPPED);
    return control_call(r, "POST", execution_path(box_id, eid, "/resize"),
                        json_pack("{s:i, s:i}", "cols", swap ? rows : cols, "rows", swap ? cols : rows),
                        err);
}

/* ---- running one -------------------------------------------------------- */

struct running {                /* what a control op needs */
    const struct rc_rest *rest;
    const char *box_id, *execution_id;
};

static int on_control_op(const struct rc_stdin_op *op, void *user)
{
    struct running *x = user;
    struct rc_err err = { 0 };
    int rc;
    if (op->kind == RC_STDIN_KILL)
        rc = rc_exec_kill(x->rest, x->box_id, x->execution_id, &err);
    else if (op->kind == RC_STDIN_SIGNAL)
        rc = rc_exec_signal(x->rest, x->box_id, x->execution_id, op->signal, &err);
    else
        rc = rc_exec_resize(x->rest, x->box_id, x->execution_id, op->cols, op->rows, &err);
    if (rc == 0)
        rc_emit_value(json_object());
    else
        rc_emit_error(err.kind, err.message);
    rc_err_clear(&err);
    return rc;
}

static void pump(const struct rc_rest *r, const struct rc_timing *t, const char *api_key,
                 const char *box_id, const char *eid, const struct rc_action *a)
{
    struct running x = { r, box_id, eid };
    struct rc_pump_cfg cfg = {
        .timing = *t, .rest = r, .api_key = api_key, .box_id = box_id, .execution_id = eid,
        .attach = a->execution_id != NULL, .readonly = a->readonly,
        .on_control = on_control_op, .control_user = &x,
    };
    rc_pump_run(&cfg);
}

/* POST /boxes/{id}/exec -> the execution id; NULL after an error event. */
static char *start_execution(const struct rc_rest *r, const char *box_id, const char *body)
{
    char *box = rc_path_escape(box_id);
    char *path = rc_strf("/boxes/%s/exec", box);
    struct rc_request q = { .method = "POST", .path = path, .json = body };
    struct rc_err err = { 0 };
    json_t *reply;
    char *eid = NULL;
    if (rc_rest_json(r, &q, &reply, &err) == 0) {
        const char *id = json_string_value(json_object_get(reply, "execution_id"));
        if (id)
            eid = strdup(id);
        else
            rc_err_set(&err, "internal", "exec reply has no execution_id");
        json_decref(reply);
    }
    if (!eid)
        rc_emit_error(err.kind, err.message);
    rc_err_clear(&err);
    free(path);
    free(box);
    return eid;
}

void rc_exec_run(const struct rc_rest *r, const struct rc_timing *t, const char *api_key,
                 const char *box_id, const struct rc_action *a)
{
    char *eid = start_execution(r, box_id, a->exec_body);
    if (!eid)
        return;
    rc_emit_started(eid);
    pump(r, t, api_key, box_id, eid, a);
    free(eid);
}

void rc_attach_run(const struct rc_rest *r, const struct rc_timing *t, const char *api_key,
                   const struct rc_action *a)
{
    pump(r, t, api_key, a->box_id, a->execution_id, a);
}
