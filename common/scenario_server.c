/* scenario_server.c - the server part of a scenario: REST replies, attach
 * attempts and the server-wide settings. Part of the scenario loader: see
 * scenario_parts.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jfield.h"
#include "scenario_parts.h"

/* ---- replies -------------------------------------------------------------- */

static const char *const body_keys[] = { "body", "body_raw", "body_form", "state", NULL };

static int read_body_form(bc_jctx *c, const json_t *v, bc_body_form *out) {
    static const char *const names[] = { "runner", "envelope", "flat", "empty" };
    for (size_t i = 0; json_is_string(v) && i < 4; i++)
        if (strcmp(json_string_value(v), names[i]) == 0) {
            *out = (bc_body_form)i;
            return 1;
        }
    return bc_jctx_expected(c, "\"runner\", \"envelope\", \"flat\" or \"empty\"", v);
}

static int read_json_body(bc_jctx *c, const json_t *v, bc_bytes *out) {
    (void)c;
    char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    *out = (bc_bytes){ .data = (unsigned char *)text, .len = text ? strlen(text) : 0 };
    return 1;
}

static int load_reply_form(bc_jctx *c, const json_t *obj, bc_reply *r) {
    bool has_message = json_object_get(obj, "message") != NULL;
    if (BC_JMEMBER(c, obj, "body_form", read_body_form, &r->form) < 0) return -1;
    if (r->body_kind != BC_BODY_FORM && has_message)
        return bc_jctx_fail_key(c, "message", "expected \"message\" only with "
                                "\"body_form\", got it without");
    if (r->body_kind == BC_BODY_FORM && r->form == BC_FORM_EMPTY && has_message)
        return bc_jctx_fail_key(c, "message", "expected no \"message\" with body_form "
                                "\"empty\", got one");
    if (r->body_kind == BC_BODY_FORM && r->form != BC_FORM_EMPTY && !has_message) {
        bc_jctx_key(c, "body_form");
        return bc_jctx_fail(c, BC_JPOS_VALUE, "expected a \"message\" with this "
                            "body_form, got none");
    }
    return bc_jget_string(c, obj, "message", &r->message);
}

static int read_probe_exit(bc_jctx *c, const json_t *v, bc_reply *r) {
    r->has_exit_code = true;
    if (json_is_null(v)) {
        r->exit_code_null = true;
        return 1;
    }
    return bc_jval_int(c, v, BC_JANY_INT, &r->exit_code);
}

static int load_reply_state(bc_jctx *c, const json_t *obj, bc_reply *r) {
    if (bc_jget_string(c, obj, "state", &r->state) < 0) return -1;
    const char *orphan = json_object_get(obj, "exit_code") ? "exit_code"
                         : json_object_get(obj, "error_message") ? "error_message" : NULL;
    if (!r->state && orphan)
        return bc_jctx_fail_key(c, orphan, "expected \"%s\" only with \"state\", got it "
                                "without", orphan);
    if (BC_JMEMBER(c, obj, "exit_code", read_probe_exit, r) < 0) return -1;
    return bc_jget_string(c, obj, "error_message", &r->error_message);
}

static int load_reply_body(bc_jctx *c, const json_t *obj, bc_reply *r) {
    if (bc_jctx_at_most_one(c, obj, body_keys) < 0) return -1;
    const char *kind = bc_jfirst_of(obj, body_keys);
    r->body_kind = !kind ? BC_BODY_NONE
                   : strcmp(kind, "body") == 0 ? BC_BODY_JSON
                   : strcmp(kind, "body_raw") == 0 ? BC_BODY_RAW
                   : strcmp(kind, "body_form") == 0 ? BC_BODY_FORM : BC_BODY_PROBE_STATE;
    if (BC_JMEMBER(c, obj, "body", read_json_body, &r->body) < 0) return -1;
    if (bc_jget_bytes(c, obj, "body_raw", NULL, &r->body) < 0) return -1;
    if (load_reply_form(c, obj, r) < 0) return -1;
    return load_reply_state(c, obj, r);
}

/* hang means "no answer at all", rst "no HTTP answer": nothing else fits. */
static int reply_exclusions(bc_jctx *c, const json_t *obj) {
    static const char *const answer[] = { "status", "body", "body_raw", "body_form",
                                          "message", "state", "exit_code",
                                          "error_message", NULL };
    bool rst = json_is_true(json_object_get(obj, "rst"));  /* "rst": false is no fault */
    const char *fault = json_object_get(obj, "hang") ? "hang" : rst ? "rst" : NULL;
    const char *other = fault ? bc_jfirst_of(obj, answer) : NULL;
    if (!other && fault && strcmp(fault, "hang") == 0 && rst)
        other = "rst";
    if (!other && fault && strcmp(fault, "hang") == 0 && json_object_get(obj, "delay"))
        other = "delay";
    if (other)
        return bc_jctx_fail_key(c, other, "expected no \"%s\" with \"%s\", got one", other,
                                fault);
    return 0;
}

static int load_reply(bc_jctx *c, const json_t *obj, bc_endpoint ep, bool reject,
                      bc_reply *r) {
    const char *const *keys =
        reject ? BC_JKEYS("status", "body", "body_raw", "body_form", "message", "delay")
        : ep == BC_EP_PROBE
            ? BC_JKEYS("status", "body", "body_raw", "body_form", "message", "state",
                   "exit_code", "error_message", "delay", "hang", "rst", "repeat")
            : BC_JKEYS("status", "body", "body_raw", "body_form", "message", "delay",
                   "hang", "rst", "repeat");
    char what[48];
    snprintf(what, sizeof what, reject ? "a reject" : "a reply to %s", bc_endpoint_name(ep));
    if (bc_jctx_need_object(c, obj) < 0 || bc_jctx_known_keys(c, obj, what, keys) < 0)
        return -1;
    if (reply_exclusions(c, obj) < 0) return -1;
    if (reject && bc_jget_required(c, obj, "status") < 0) return -1;
    if (bc_jget_int(c, obj, "status", reject ? 102 : 100, 599, &r->status) < 0) return -1;
    if (load_reply_body(c, obj, r) < 0) return -1;
    if (bc_jget_seconds(c, obj, "delay", false, &r->delay, NULL) < 0) return -1;
    int hang = bc_jget_seconds(c, obj, "hang", true, &r->hang_seconds, &r->hang_forever);
    if (hang < 0) return -1;
    r->hang = hang == 1;
    if (bc_jget_bool(c, obj, "rst", &r->rst) < 0) return -1;
    return bc_jget_bool(c, obj, "repeat", &r->repeat) < 0 ? -1 : 0;
}

static int load_reply_list(bc_jctx *c, const json_t *arr, bc_endpoint ep,
                           bc_reply_list *out) {
    if (bc_jctx_need_array(c, arr) < 0) return -1;
    out->count = json_array_size(arr);
    out->items = calloc(out->count + 1, sizeof *out->items);
    for (size_t i = 0; i < out->count; i++) {
        bc_jctx_index(c, i);
        if (load_reply(c, json_array_get(arr, i), ep, false, &out->items[i]) < 0) return -1;
        bc_jctx_up(c);
    }
    return 0;
}

/* ---- attach attempts ------------------------------------------------------ */

static int read_reject(bc_jctx *c, const json_t *v, bc_attempt *a) {
    a->reject = calloc(1, sizeof *a->reject);
    return load_reply(c, v, BC_EP_ATTACH, true, a->reject) < 0 ? -1 : 1;
}

static int read_replay(bc_jctx *c, const json_t *v, bc_attempt *a) {
    if (!json_is_boolean(v)) return bc_jctx_expected(c, "true or false", v);
    a->replay = json_is_true(v);
    return 1;
}

static int load_attempt(bc_jctx *c, const json_t *obj, bc_attempt *a) {
    a->replay = -1;
    if (bc_jctx_need_object(c, obj) < 0 ||
        bc_jctx_known_keys(c, obj, "an attach attempt",
                           BC_JKEYS("reject", "hang", "replay", "steps", "repeat")) < 0)
        return -1;
    if (bc_jctx_at_most_one(c, obj, BC_JKEYS("reject", "hang")) < 0) return -1;
    const char *fault = bc_jfirst_of(obj, BC_JKEYS("reject", "hang"));
    if (fault && json_object_get(obj, "steps"))
        return bc_jctx_fail_key(c, "steps", "expected no \"steps\" with \"%s\", got them",
                                fault);
    if (BC_JMEMBER(c, obj, "reject", read_reject, a) < 0) return -1;
    int hang = bc_jget_seconds(c, obj, "hang", true, &a->hang_seconds, &a->hang_forever);
    if (hang < 0) return -1;
    a->hang = hang == 1;
    if (BC_JMEMBER(c, obj, "replay", read_replay, a) < 0) return -1;
    int steps = BC_JMEMBER(c, obj, "steps", bc_scenario_read_script, &a->script);
    if (steps < 0) return -1;
    a->has_steps = steps == 1;
    return bc_jget_bool(c, obj, "repeat", &a->repeat) < 0 ? -1 : 0;
}

static int read_attempts(bc_jctx *c, const json_t *arr, bc_server *srv) {
    if (bc_jctx_need_array(c, arr) < 0) return -1;
    srv->attach_count = json_array_size(arr);
    srv->attach = calloc(srv->attach_count + 1, sizeof *srv->attach);
    for (size_t i = 0; i < srv->attach_count; i++) {
        bc_jctx_index(c, i);
        if (load_attempt(c, json_array_get(arr, i), &srv->attach[i]) < 0) return -1;
        bc_jctx_up(c);
    }
    return 1;
}

/* ---- server ---------------------------------------------------------------- */

void bc_scenario_server_defaults(bc_server *srv) {
    srv->token = strdup("boxconform-key");
    srv->prefix = strdup("");
    srv->box_id = strdup("box-1");
    srv->box_status = strdup("running");
    srv->ping_interval = 15;
    srv->replay = true;
    srv->steps.count = 1;
    srv->steps.steps = calloc(1, sizeof *srv->steps.steps);
    srv->steps.steps[0].action = BC_STEP_FRAME;
    srv->steps.steps[0].frame = (bc_frame){ .kind = BC_FRAME_EXIT, .has_exit_code = true,
                                            .exit_code = 0, .close = true };
}

static int load_server_lists(bc_jctx *c, const json_t *obj, bc_server *srv) {
    for (int ep = 0; ep < BC_EP_COUNT; ep++) {
        const char *key = bc_endpoint_name((bc_endpoint)ep);
        json_t *v = json_object_get(obj, key);
        if (!v || ep == BC_EP_ATTACH) continue;
        bc_jctx_key(c, key);
        if (load_reply_list(c, v, (bc_endpoint)ep, &srv->replies[ep]) < 0) return -1;
        bc_jctx_up(c);
    }
    return BC_JMEMBER(c, obj, "attach", read_attempts, srv) < 0 ? -1 : 0;
}

static int load_server_steps(bc_jctx *c, const json_t *obj, bc_server *srv) {
    json_t *v = json_object_get(obj, "steps");
    if (!v) return 0;
    bc_script mine = { 0 };
    bc_jctx_key(c, "steps");
    int rc = bc_scenario_read_script(c, v, &mine);
    /* Swap before checking rc so the half-read script is freed with srv. */
    bc_script old = srv->steps;
    srv->steps = mine;
    free(old.steps);
    if (rc < 0) return -1;
    bc_jctx_up(c);
    return 0;
}

static int read_auth(bc_jctx *c, const json_t *v, bool *enforce) {
    if (json_is_string(v) && (!strcmp(json_string_value(v), "enforce") ||
                              !strcmp(json_string_value(v), "observe"))) {
        *enforce = !strcmp(json_string_value(v), "enforce");
        return 1;
    }
    return bc_jctx_expected(c, "\"enforce\" or \"observe\"", v);
}

int bc_scenario_load_server(bc_jctx *c, const json_t *obj, bc_server *srv) {
    static const char *const keys[] = {
        "token", "auth", "prefix", "box_id", "box_status", "execution_id", "ping_interval",
        "replay", "echo_stdin", "exit_on_stdin_eof", "steps", "attach", "probe", "exec",
        "box", "kill", "signal", "resize", "config", NULL };
    if (bc_jctx_need_object(c, obj) < 0 || bc_jctx_known_keys(c, obj, "server", keys) < 0)
        return -1;
    if (bc_jget_string(c, obj, "token", &srv->token) < 0 ||
        bc_jget_string(c, obj, "prefix", &srv->prefix) < 0 ||
        bc_jget_string(c, obj, "box_id", &srv->box_id) < 0 ||
        bc_jget_string(c, obj, "box_status", &srv->box_status) < 0 ||
        bc_jget_string(c, obj, "execution_id", &srv->execution_id) < 0 ||
        bc_jget_seconds(c, obj, "ping_interval", false, &srv->ping_interval, NULL) < 0 ||
        bc_jget_bool(c, obj, "replay", &srv->replay) < 0 ||
        bc_jget_bool(c, obj, "echo_stdin", &srv->echo_stdin) < 0)
        return -1;
    if (BC_JMEMBER(c, obj, "auth", read_auth, &srv->auth_enforce) < 0) return -1;
    size_t plen = strlen(srv->prefix);
    if (plen && (srv->prefix[0] == '/' || srv->prefix[plen - 1] == '/')) {
        bc_jctx_key(c, "prefix");
        return bc_jctx_expected(c, "a path prefix without a leading or trailing /",
                                json_object_get(obj, "prefix"));
    }
    int eof = bc_jget_int(c, obj, "exit_on_stdin_eof", BC_JANY_INT, &srv->exit_on_stdin_eof);
    if (eof < 0) return -1;
    srv->has_exit_on_stdin_eof = eof == 1;
    if (load_server_steps(c, obj, srv) < 0) return -1;
    return load_server_lists(c, obj, srv);
}
