/* scenario_load.c - parse and validate a scenario file (docs/scenario.md).
 *
 * jansson parses the text; every part is then read through jfield so that
 * each rejected value is reported at its own line and column. Everything
 * read goes straight into the bc_scenario being built, so one
 * bc_scenario_free() cleans up whatever an error interrupted. */
#include "scenario.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jfield.h"

#define KEYS(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define ANY_INT (-2147483647LL - 1), 2147483647LL

static int fail_key(bc_jctx *c, const char *key, const char *fmt, const char *a,
                    const char *b) {
    bc_jctx_key(c, key);
    return bc_jctx_fail(c, BC_JPOS_KEY, fmt, a, b);
}

/* The first key of obj (file order) that is in keys, else NULL. */
static const char *first_of(const json_t *obj, const char *const *keys) {
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v) {
        for (const char *const *k = keys; *k; k++)
            if (strcmp(*k, key) == 0) return key;
    }
    return NULL;
}

/* Error at the second of keys present in obj; 0 if at most one is. */
static int at_most_one(bc_jctx *c, const json_t *obj, const char *const *keys) {
    const char *first = first_of(obj, keys), *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v) {
        if (!first || strcmp(key, first) == 0) continue;
        for (const char *const *k = keys; *k; k++)
            if (strcmp(*k, key) == 0)
                return fail_key(c, key, "expected only one of these keys, got \"%s\" "
                                "with \"%s\"", key, first);
    }
    return 0;
}

static int need_string_array(bc_jctx *c, const json_t *arr, char ***out, size_t *count) {
    if (bc_jctx_need_array(c, arr) < 0) return -1;
    *out = calloc(json_array_size(arr) + 1, sizeof **out);
    *count = json_array_size(arr);
    for (size_t i = 0; i < *count; i++) {
        bc_jctx_index(c, i);
        if (bc_jval_string(c, json_array_get(arr, i), &(*out)[i]) < 0) return -1;
        bc_jctx_up(c);
    }
    return 0;
}

/* Runs read(c, value, out) with the path at obj[key]; 0 when key is absent. */
#define WITH_MEMBER(c, obj, key, read, out)                 \
    ({                                                      \
        json_t *v_ = json_object_get((obj), (key));         \
        int rc_ = 0;                                        \
        if (v_) {                                           \
            bc_jctx_key((c), (key));                        \
            rc_ = read((c), v_, (out));                     \
            if (rc_ >= 0) bc_jctx_up(c);                    \
        }                                                   \
        rc_;                                                \
    })

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
    if (WITH_MEMBER(c, obj, "body_form", read_body_form, &r->form) < 0) return -1;
    if (r->body_kind != BC_BODY_FORM && has_message)
        return fail_key(c, "message", "expected \"%s\" only with %s, got it without",
                        "message", "\"body_form\"");
    if (r->body_kind == BC_BODY_FORM && r->form == BC_FORM_EMPTY && has_message)
        return fail_key(c, "message", "expected no \"%s\" with %s, got one", "message",
                        "body_form \"empty\"");
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
    return bc_jval_int(c, v, ANY_INT, &r->exit_code);
}

static int load_reply_state(bc_jctx *c, const json_t *obj, bc_reply *r) {
    if (bc_jget_string(c, obj, "state", &r->state) < 0) return -1;
    const char *orphan = json_object_get(obj, "exit_code") ? "exit_code"
                         : json_object_get(obj, "error_message") ? "error_message" : NULL;
    if (!r->state && orphan)
        return fail_key(c, orphan, "expected \"%s\" only with %s, got it without",
                        orphan, "\"state\"");
    if (WITH_MEMBER(c, obj, "exit_code", read_probe_exit, r) < 0) return -1;
    return bc_jget_string(c, obj, "error_message", &r->error_message);
}

static int load_reply_body(bc_jctx *c, const json_t *obj, bc_reply *r) {
    if (at_most_one(c, obj, body_keys) < 0) return -1;
    const char *kind = first_of(obj, body_keys);
    r->body_kind = !kind ? BC_BODY_NONE
                   : strcmp(kind, "body") == 0 ? BC_BODY_JSON
                   : strcmp(kind, "body_raw") == 0 ? BC_BODY_RAW
                   : strcmp(kind, "body_form") == 0 ? BC_BODY_FORM : BC_BODY_PROBE_STATE;
    if (WITH_MEMBER(c, obj, "body", read_json_body, &r->body) < 0) return -1;
    if (bc_jget_bytes(c, obj, "body_raw", NULL, &r->body) < 0) return -1;
    if (load_reply_form(c, obj, r) < 0) return -1;
    return load_reply_state(c, obj, r);
}

/* hang means "no answer at all", rst "no HTTP answer": nothing else fits. */
static int reply_exclusions(bc_jctx *c, const json_t *obj) {
    static const char *const answer[] = { "status", "body", "body_raw", "body_form",
                                          "message", "state", "exit_code",
                                          "error_message", NULL };
    const char *fault = json_object_get(obj, "hang") ? "hang"
                        : json_object_get(obj, "rst") ? "rst" : NULL;
    const char *other = fault ? first_of(obj, answer) : NULL;
    if (!other && fault && strcmp(fault, "hang") == 0 && json_object_get(obj, "rst"))
        other = "rst";
    if (!other && fault && strcmp(fault, "hang") == 0 && json_object_get(obj, "delay"))
        other = "delay";
    if (other)
        return fail_key(c, other, "expected no \"%s\" with \"%s\", got one", other, fault);
    return 0;
}

static int load_reply(bc_jctx *c, const json_t *obj, bc_endpoint ep, bool reject,
                      bc_reply *r) {
    const char *const *keys =
        reject ? KEYS("status", "body", "body_raw", "body_form", "message", "delay")
        : ep == BC_EP_PROBE
            ? KEYS("status", "body", "body_raw", "body_form", "message", "state",
                   "exit_code", "error_message", "delay", "hang", "rst", "repeat")
            : KEYS("status", "body", "body_raw", "body_form", "message", "delay",
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

/* ---- frames and steps ---------------------------------------------------- */

static const char *const frame_keys[] = { "out", "out_b64", "err", "err_b64",
                                          "binary_b64", "text", "error", "exit",
                                          "ping", "pong", NULL };
static const char *const step_keys[] = { "out", "out_b64", "err", "err_b64",
                                         "binary_b64", "text", "error", "exit", "ping",
                                         "pong", "wait", "silence", "wait_for", "close",
                                         "fin", "rst", "half_open", "cut", "drip",
                                         "finish", NULL };

/* The options each action allows besides its own key. */
static const char *const *action_options(const char *action) {
    static const char *const none[] = { NULL };
    static const char *const exit_opts[] = { "close", NULL };
    static const char *const wait_for_opts[] = { "max", "bytes", NULL };
    static const char *const close_opts[] = { "reason", NULL };
    static const char *const cut_opts[] = { "keep", "then", NULL };
    static const char *const drip_opts[] = { "interval", NULL };
    if (strcmp(action, "exit") == 0) return exit_opts;
    if (strcmp(action, "wait_for") == 0) return wait_for_opts;
    if (strcmp(action, "close") == 0) return close_opts;
    if (strcmp(action, "cut") == 0) return cut_opts;
    if (strcmp(action, "drip") == 0) return drip_opts;
    return none;
}

static int is_action(const char *key, const char *const *actions, const json_t *obj) {
    /* With "exit", "close" is its option, not the close action. */
    if (strcmp(key, "close") == 0 && json_object_get(obj, "exit")) return 0;
    for (; *actions; actions++)
        if (strcmp(*actions, key) == 0) return 1;
    return 0;
}

/* The one action key of obj, checking that no other is there. */
static int find_action(bc_jctx *c, const json_t *obj, const char *const *actions,
                       const char *what, const char **found) {
    const char *key;
    json_t *v;
    *found = NULL;
    json_object_foreach((json_t *)obj, key, v) {
        if (!is_action(key, actions, obj)) continue;
        if (*found)
            return fail_key(c, key, "expected one action key per step, got \"%s\" "
                            "after \"%s\"", key, *found);
        *found = key;
    }
    if (*found) return 0;
    char keys[512] = "";
    for (const char *const *a = actions; *a; a++)
        snprintf(keys + strlen(keys), sizeof keys - strlen(keys), "%s%s",
                 a == actions ? "" : ", ", *a);
    void *first = json_object_iter((json_t *)obj);
    if (!first)
        return bc_jctx_fail(c, BC_JPOS_VALUE, "expected %s key (%s), got none", what, keys);
    key = json_object_iter_key(first);
    bc_jctx_key(c, key);
    return bc_jctx_fail(c, BC_JPOS_KEY, "expected %s key (%s), got \"%s\"", what, keys, key);
}

/* Every key of obj must be action or one of its options. */
static int action_keys_only(bc_jctx *c, const json_t *obj, const char *action) {
    const char *const *opts = action_options(action);
    const char *keys[8] = { action };
    size_t n = 1;
    for (; *opts && n < 7; opts++) keys[n++] = *opts;
    keys[n] = NULL;
    char what[48];
    snprintf(what, sizeof what, "a \"%s\" step", action);
    return bc_jctx_known_keys(c, obj, what, keys);
}

static int read_exit_code(bc_jctx *c, const json_t *v, bc_frame *f) {
    f->has_exit_code = !json_is_null(v);
    return f->has_exit_code ? bc_jval_int(c, v, ANY_INT, &f->exit_code) : 1;
}

static int control_payload(bc_jctx *c, const char *key, const bc_bytes *b) {
    if (b->len <= 125) return 0;
    bc_jctx_key(c, key);
    return bc_jctx_fail(c, BC_JPOS_VALUE, "expected a control frame payload of at "
                        "most 125 bytes, got %zu bytes", b->len);
}

/* obj holds the frame action key; fill f. */
static int load_frame(bc_jctx *c, const json_t *obj, const char *action, bc_frame *f) {
    static const struct { const char *key, *b64; bc_frame_kind kind; } kinds[] = {
        { "out", "out_b64", BC_FRAME_OUT },   { "out_b64", "out_b64", BC_FRAME_OUT },
        { "err", "err_b64", BC_FRAME_ERR },   { "err_b64", "err_b64", BC_FRAME_ERR },
        { "binary_b64", "binary_b64", BC_FRAME_BINARY },
        { "text", NULL, BC_FRAME_TEXT },      { "error", NULL, BC_FRAME_ERROR },
        { "ping", NULL, BC_FRAME_PING },      { "pong", NULL, BC_FRAME_PONG },
    };
    if (strcmp(action, "exit") == 0) {
        f->kind = BC_FRAME_EXIT;
        f->close = true;
        if (WITH_MEMBER(c, obj, "exit", read_exit_code, f) < 0) return -1;
        return bc_jget_bool(c, obj, "close", &f->close) < 0 ? -1 : 0;
    }
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        if (strcmp(action, kinds[i].key) != 0) continue;
        f->kind = kinds[i].kind;
        bool b64 = strcmp(action, kinds[i].b64 ? kinds[i].b64 : "") == 0;
        if (bc_jget_bytes(c, obj, b64 ? NULL : action, b64 ? action : NULL, &f->bytes) < 0)
            return -1;
        if (f->kind == BC_FRAME_PING || f->kind == BC_FRAME_PONG)
            return control_payload(c, action, &f->bytes);
        return 0;
    }
    return bc_jctx_fail(c, BC_JPOS_VALUE, "expected a frame, got \"%s\"", action);
}

/* The FRAME object of a cut or drip step. */
static int read_nested_frame(bc_jctx *c, const json_t *v, bc_frame *f) {
    const char *action;
    if (bc_jctx_need_object(c, v) < 0) return -1;
    if (find_action(c, v, frame_keys, "a frame", &action) < 0) return -1;
    if (action_keys_only(c, v, action) < 0) return -1;
    return load_frame(c, v, action, f) < 0 ? -1 : 1;
}

static int read_then(bc_jctx *c, const json_t *v, bc_cut_then *out) {
    static const char *const names[] = { "fin", "rst", "hold" };
    for (size_t i = 0; json_is_string(v) && i < 3; i++)
        if (strcmp(json_string_value(v), names[i]) == 0) {
            *out = (bc_cut_then)i;
            return 1;
        }
    return bc_jctx_expected(c, "\"fin\", \"rst\" or \"hold\"", v);
}

static int load_cut(bc_jctx *c, const json_t *obj, bc_step *s) {
    int keep = 0;
    if (WITH_MEMBER(c, obj, "cut", read_nested_frame, &s->frame) < 0) return -1;
    if (bc_jget_required(c, obj, "keep") < 0 || bc_jget_required(c, obj, "then") < 0)
        return -1;
    if (bc_jget_int(c, obj, "keep", 0, 2147483647LL, &keep) < 0) return -1;
    s->keep = (size_t)keep;
    return WITH_MEMBER(c, obj, "then", read_then, &s->then) < 0 ? -1 : 0;
}

static int load_drip(bc_jctx *c, const json_t *obj, bc_step *s) {
    if (WITH_MEMBER(c, obj, "drip", read_nested_frame, &s->frame) < 0) return -1;
    if (bc_jget_required(c, obj, "interval") < 0) return -1;
    return bc_jget_seconds(c, obj, "interval", false, &s->interval, NULL) < 0 ? -1 : 0;
}

static int read_wait_for(bc_jctx *c, const json_t *v, bc_step *s) {
    if (json_is_string(v) && strcmp(json_string_value(v), "stdin_eof") == 0)
        s->action = BC_STEP_WAIT_FOR_EOF;
    else if (json_is_string(v) && strcmp(json_string_value(v), "stdin") == 0)
        s->action = BC_STEP_WAIT_FOR_STDIN;
    else
        return bc_jctx_expected(c, "\"stdin_eof\" or \"stdin\"", v);
    return 1;
}

static int load_wait_for(bc_jctx *c, const json_t *obj, bc_step *s) {
    int bytes = 0;
    s->forever = true;
    if (WITH_MEMBER(c, obj, "wait_for", read_wait_for, s) < 0) return -1;
    if (bc_jget_seconds(c, obj, "max", true, &s->seconds, &s->forever) < 0) return -1;
    if (s->action == BC_STEP_WAIT_FOR_EOF && json_object_get(obj, "bytes"))
        return fail_key(c, "bytes", "expected no \"%s\" with %s, got one", "bytes",
                        "\"wait_for\": \"stdin_eof\"");
    if (s->action == BC_STEP_WAIT_FOR_STDIN && bc_jget_required(c, obj, "bytes") < 0)
        return -1;
    if (bc_jget_int(c, obj, "bytes", 1, 2147483647LL, &bytes) < 0) return -1;
    s->byte_count = (size_t)bytes;
    return 0;
}

static int read_close_code(bc_jctx *c, const json_t *v, bc_step *s) {
    s->has_close_code = !json_is_null(v);
    return s->has_close_code ? bc_jval_int(c, v, 0, 65535, &s->close_code) : 1;
}

static int load_close(bc_jctx *c, const json_t *obj, bc_step *s) {
    if (WITH_MEMBER(c, obj, "close", read_close_code, s) < 0) return -1;
    if (bc_jget_string(c, obj, "reason", &s->close_reason) < 0) return -1;
    if (s->close_reason && !s->has_close_code)
        return fail_key(c, "reason", "expected no \"%s\" with %s, got one", "reason",
                        "\"close\": null");
    if (s->close_reason && strlen(s->close_reason) > 123) {
        bc_jctx_key(c, "reason");
        return bc_jctx_fail(c, BC_JPOS_VALUE, "expected a close reason of at most 123 "
                            "bytes, got %zu", strlen(s->close_reason));
    }
    return 0;
}

/* Durations that may be null ("for ever"), and plain ones. */
static int load_duration_step(bc_jctx *c, const json_t *obj, const char *action,
                              bc_step *s) {
    bool null_ok = strcmp(action, "wait") != 0;
    s->action = strcmp(action, "wait") == 0      ? BC_STEP_WAIT
                : strcmp(action, "silence") == 0 ? BC_STEP_SILENCE : BC_STEP_HALF_OPEN;
    return bc_jget_seconds(c, obj, action, null_ok, &s->seconds, &s->forever) < 0 ? -1 : 0;
}

static int load_step_action(bc_jctx *c, const json_t *obj, const char *action,
                            bc_step *s) {
    if (is_action(action, frame_keys, obj)) {
        s->action = BC_STEP_FRAME;
        return load_frame(c, obj, action, &s->frame);
    }
    if (!strcmp(action, "wait") || !strcmp(action, "silence") || !strcmp(action, "half_open"))
        return load_duration_step(c, obj, action, s);
    if (strcmp(action, "wait_for") == 0) return load_wait_for(c, obj, s);
    if (strcmp(action, "close") == 0) {
        s->action = BC_STEP_CLOSE;
        return load_close(c, obj, s);
    }
    if (strcmp(action, "fin") == 0 || strcmp(action, "rst") == 0) {
        s->action = action[0] == 'f' ? BC_STEP_FIN : BC_STEP_RST;
        return bc_jget_true(c, obj, action) < 0 ? -1 : 0;
    }
    if (strcmp(action, "cut") == 0) {
        s->action = BC_STEP_CUT;
        return load_cut(c, obj, s);
    }
    if (strcmp(action, "drip") == 0) {
        s->action = BC_STEP_DRIP;
        return load_drip(c, obj, s);
    }
    s->action = BC_STEP_FINISH;
    return bc_jget_int(c, obj, "finish", ANY_INT, &s->exit_code) < 0 ? -1 : 0;
}

static int load_step(bc_jctx *c, const json_t *obj, bc_step *s) {
    const char *action;
    if (bc_jctx_need_object(c, obj) < 0) return -1;
    bc_jpos_find(c->text, c->len, c->at, c->depth, BC_JPOS_VALUE, &s->line, &s->column);
    if (find_action(c, obj, step_keys, "a step action", &action) < 0) return -1;
    if (action_keys_only(c, obj, action) < 0) return -1;
    return load_step_action(c, obj, action, s);
}

static int read_script(bc_jctx *c, const json_t *arr, bc_script *out) {
    if (bc_jctx_need_array(c, arr) < 0) return -1;
    out->count = json_array_size(arr);
    out->steps = calloc(out->count + 1, sizeof *out->steps);
    for (size_t i = 0; i < out->count; i++) {
        bc_jctx_index(c, i);
        if (load_step(c, json_array_get(arr, i), &out->steps[i]) < 0) return -1;
        bc_jctx_up(c);
    }
    return 1;
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
                           KEYS("reject", "hang", "replay", "steps", "repeat")) < 0)
        return -1;
    if (at_most_one(c, obj, KEYS("reject", "hang")) < 0) return -1;
    const char *fault = first_of(obj, KEYS("reject", "hang"));
    if (fault && json_object_get(obj, "steps"))
        return fail_key(c, "steps", "expected no \"%s\" with \"%s\", got them", "steps",
                        fault);
    if (WITH_MEMBER(c, obj, "reject", read_reject, a) < 0) return -1;
    int hang = bc_jget_seconds(c, obj, "hang", true, &a->hang_seconds, &a->hang_forever);
    if (hang < 0) return -1;
    a->hang = hang == 1;
    if (WITH_MEMBER(c, obj, "replay", read_replay, a) < 0) return -1;
    int steps = WITH_MEMBER(c, obj, "steps", read_script, &a->script);
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

static void server_defaults(bc_server *srv) {
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
    return WITH_MEMBER(c, obj, "attach", read_attempts, srv) < 0 ? -1 : 0;
}

static int load_server_steps(bc_jctx *c, const json_t *obj, bc_server *srv) {
    json_t *v = json_object_get(obj, "steps");
    if (!v) return 0;
    bc_script mine = { 0 };
    bc_jctx_key(c, "steps");
    int rc = read_script(c, v, &mine);
    /* Swap before checking rc so the half-read script is freed with srv. */
    bc_script old = srv->steps;
    srv->steps = mine;
    free(old.steps);
    if (rc < 0) return -1;
    bc_jctx_up(c);
    return 0;
}

static int load_server(bc_jctx *c, const json_t *obj, bc_server *srv) {
    static const char *const keys[] = {
        "token", "prefix", "box_id", "box_status", "execution_id", "ping_interval",
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
    int eof = bc_jget_int(c, obj, "exit_on_stdin_eof", ANY_INT, &srv->exit_on_stdin_eof);
    if (eof < 0) return -1;
    srv->has_exit_on_stdin_eof = eof == 1;
    if (load_server_steps(c, obj, srv) < 0) return -1;
    return load_server_lists(c, obj, srv);
}

/* ---- client ---------------------------------------------------------------- */

static int read_action(bc_jctx *c, const json_t *v, bc_action *out) {
    if (json_is_string(v) && strcmp(json_string_value(v), "exec") == 0)
        *out = BC_ACTION_EXEC;
    else if (json_is_string(v) && strcmp(json_string_value(v), "attach") == 0)
        *out = BC_ACTION_ATTACH;
    else
        return bc_jctx_expected(c, "\"exec\" or \"attach\"", v);
    return 1;
}

static int read_env(bc_jctx *c, const json_t *obj, bc_client *cl) {
    const char *key;
    json_t *v;
    if (bc_jctx_need_object(c, obj) < 0) return -1;
    cl->env = calloc(json_object_size(obj) + 1, sizeof *cl->env);
    json_object_foreach((json_t *)obj, key, v) {
        bc_env_var *e = &cl->env[cl->env_count++];
        e->name = strdup(key);
        bc_jctx_key(c, key);
        if (bc_jval_string(c, v, &e->value) < 0) return -1;
        bc_jctx_up(c);
    }
    return 1;
}

static int read_args(bc_jctx *c, const json_t *arr, bc_client *cl) {
    return need_string_array(c, arr, &cl->args, &cl->arg_count) < 0 ? -1 : 1;
}

static int load_stdin_entry(bc_jctx *c, const json_t *obj, double prev_at,
                            bc_stdin_entry *e) {
    if (bc_jctx_need_object(c, obj) < 0 ||
        bc_jctx_known_keys(c, obj, "a stdin entry",
                           KEYS("at", "write", "write_b64", "close")) < 0 ||
        bc_jget_required(c, obj, "at") < 0 ||
        at_most_one(c, obj, KEYS("write", "write_b64", "close")) < 0)
        return -1;
    if (!first_of(obj, KEYS("write", "write_b64", "close")))
        return bc_jctx_fail(c, BC_JPOS_VALUE, "expected \"write\", \"write_b64\" or "
                            "\"close\", got none");
    if (bc_jget_seconds(c, obj, "at", false, &e->at, NULL) < 0) return -1;
    if (e->at < prev_at) {
        bc_jctx_key(c, "at");
        return bc_jctx_fail(c, BC_JPOS_VALUE, "expected \"at\" >= %g (the previous "
                            "entry's), got %g", prev_at, e->at);
    }
    int closes = bc_jget_true(c, obj, "close");
    if (closes < 0) return -1;
    e->close = closes == 1;
    return bc_jget_bytes(c, obj, "write", "write_b64", &e->bytes) < 0 ? -1 : 0;
}

static int read_stdin_plan(bc_jctx *c, const json_t *arr, bc_client *cl) {
    if (bc_jctx_need_array(c, arr) < 0) return -1;
    cl->stdin_count = json_array_size(arr);
    cl->stdin_plan = calloc(cl->stdin_count + 1, sizeof *cl->stdin_plan);
    for (size_t i = 0; i < cl->stdin_count; i++) {
        double prev = i ? cl->stdin_plan[i - 1].at : 0;
        bc_jctx_index(c, i);
        if (load_stdin_entry(c, json_array_get(arr, i), prev, &cl->stdin_plan[i]) < 0)
            return -1;
        bc_jctx_up(c);
    }
    return 1;
}

static int read_optional_string(bc_jctx *c, const json_t *v, char **out) {
    return json_is_null(v) ? 1 : bc_jval_string(c, v, out);
}

static int read_timeout(bc_jctx *c, const json_t *v, bc_client *cl) {
    if (json_is_null(v)) return 1;
    cl->has_timeout = true;
    return bc_jval_seconds(c, v, false, &cl->timeout_seconds, NULL);
}

static int read_deadline(bc_jctx *c, const json_t *v, double *out) {
    if (!json_is_number(v) || json_number_value(v) <= 0)
        return bc_jctx_expected(c, "seconds (a number > 0)", v);
    return bc_jval_seconds(c, v, false, out, NULL);
}

static int load_client_exec(bc_jctx *c, const json_t *obj, bc_client *cl) {
    if (bc_jget_string(c, obj, "command", &cl->command) < 0 ||
        WITH_MEMBER(c, obj, "args", read_args, cl) < 0 ||
        WITH_MEMBER(c, obj, "env", read_env, cl) < 0 ||
        bc_jget_bool(c, obj, "tty", &cl->tty) < 0 ||
        WITH_MEMBER(c, obj, "timeout_seconds", read_timeout, cl) < 0 ||
        WITH_MEMBER(c, obj, "working_dir", read_optional_string, &cl->working_dir) < 0)
        return -1;
    return 0;
}

static int load_client(bc_jctx *c, const json_t *obj, const bc_server *srv,
                       bc_client *cl) {
    static const char *const keys[] = { "action", "command", "args", "env", "tty",
                                        "timeout_seconds", "working_dir", "readonly",
                                        "stdin", "deadline", NULL };
    if (bc_jctx_need_object(c, obj) < 0 || bc_jctx_known_keys(c, obj, "client", keys) < 0)
        return -1;
    if (WITH_MEMBER(c, obj, "action", read_action, &cl->action) < 0) return -1;
    if (cl->action == BC_ACTION_ATTACH && !srv->execution_id) {
        bc_jctx_key(c, "action");
        return bc_jctx_fail(c, BC_JPOS_VALUE, "expected \"server.execution_id\" (the "
                            "execution to attach to) with action \"attach\", got none");
    }
    if (load_client_exec(c, obj, cl) < 0 ||
        bc_jget_bool(c, obj, "readonly", &cl->readonly) < 0 ||
        WITH_MEMBER(c, obj, "stdin", read_stdin_plan, cl) < 0 ||
        WITH_MEMBER(c, obj, "deadline", read_deadline, &cl->deadline) < 0)
        return -1;
    return 0;
}

/* ---- info ------------------------------------------------------------------ */

/* The file's base name without ".json": what info.id must be. */
static char *id_from_path(const char *path) {
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n > 5 && strcmp(base + n - 5, ".json") == 0) n -= 5;
    return strndup(base, n);
}

static int read_contract_ids(bc_jctx *c, const json_t *arr, bc_info *info) {
    if (bc_jctx_need_array(c, arr) < 0) return -1;
    if (json_array_size(arr) == 0) return bc_jctx_expected(c, "at least one contract ID", arr);
    info->contracts = calloc(json_array_size(arr), sizeof *info->contracts);
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *v = json_array_get(arr, i);
        const bc_contract *k = json_is_string(v) ? bc_contract_find(json_string_value(v))
                                                 : NULL;
        bc_jctx_index(c, i);
        if (!k) return bc_jctx_expected(c, "a contract ID of CONTRACT.md", v);
        for (size_t j = 0; j < info->contract_count; j++)
            if (info->contracts[j] == k)
                return bc_jctx_expected(c, "each contract once", v);
        info->contracts[info->contract_count++] = k;
        bc_jctx_up(c);
    }
    return 1;
}

static int read_keywords(bc_jctx *c, const json_t *arr, bc_info *info) {
    return need_string_array(c, arr, &info->keywords, &info->keyword_count) < 0 ? -1 : 1;
}

static int load_info(bc_jctx *c, const json_t *obj, const char *want_id, bc_info *info) {
    if (bc_jctx_need_object(c, obj) < 0 ||
        bc_jctx_known_keys(c, obj, "info", KEYS("id", "title", "contracts", "keywords")) < 0 ||
        bc_jget_required(c, obj, "id") < 0 || bc_jget_required(c, obj, "title") < 0 ||
        bc_jget_required(c, obj, "contracts") < 0)
        return -1;
    if (bc_jget_string(c, obj, "id", &info->id) < 0) return -1;
    if (want_id && strcmp(info->id, want_id) != 0) {
        char expected[300];
        snprintf(expected, sizeof expected, "\"%s\" (the file's name without .json)",
                 want_id);
        bc_jctx_key(c, "id");
        return bc_jctx_expected(c, expected, json_object_get(obj, "id"));
    }
    if (bc_jget_string(c, obj, "title", &info->title) < 0 ||
        WITH_MEMBER(c, obj, "contracts", read_contract_ids, info) < 0 ||
        WITH_MEMBER(c, obj, "keywords", read_keywords, info) < 0)
        return -1;
    return 0;
}

/* ---- verify ---------------------------------------------------------------- */

static int read_error_param(bc_jctx *c, const json_t *v, void *unused) {
    (void)unused;
    return json_is_boolean(v) || json_is_string(v)
               ? 1 : bc_jctx_expected(c, "true, false or a string", v);
}

static int read_tol(bc_jctx *c, const json_t *v, void *unused) {
    (void)unused;
    return json_is_number(v) && json_number_value(v) > 0
               ? 1 : bc_jctx_expected(c, "seconds (a number > 0)", v);
}

static int read_b64_param(bc_jctx *c, const json_t *v, void *unused) {
    bc_bytes b = { 0 };
    (void)unused;
    int rc = bc_jval_b64(c, v, &b);
    free(b.data);
    return rc;
}

static int read_text_param(bc_jctx *c, const json_t *v, void *unused) {
    (void)unused;
    return json_is_string(v) ? 1 : bc_jctx_expected(c, "a string", v);
}

static int load_verify_bytes(bc_jctx *c, const json_t *obj, const char *stream) {
    char b64[32];
    snprintf(b64, sizeof b64, "%s_b64", stream);
    if (json_object_get(obj, stream) && json_object_get(obj, b64))
        return fail_key(c, b64, "expected either \"%s\" or \"%s\", got both", stream, b64);
    if (WITH_MEMBER(c, obj, stream, read_text_param, NULL) < 0) return -1;
    return WITH_MEMBER(c, obj, b64, read_b64_param, NULL) < 0 ? -1 : 0;
}

static int load_verify_entry(bc_jctx *c, const json_t *obj, const bc_contract *k) {
    const char *keys[16];
    size_t n = 0;
    int ignored;
    double secs;
    for (const char *const *p = bc_contract_common_params; *p; p++) keys[n++] = *p;
    for (const char *const *p = k->params; p && *p && n < 15; p++) keys[n++] = *p;
    keys[n] = NULL;
    char what[48];
    snprintf(what, sizeof what, "verify \"%s\"", k->id);
    int min_attempt = strcmp(k->id, "TIME-STICKY") == 0 ? 2 : 1;
    if (bc_jctx_need_object(c, obj) < 0 || bc_jctx_known_keys(c, obj, what, keys) < 0 ||
        bc_jget_int(c, obj, "exit_code", ANY_INT, &ignored) < 0 ||
        WITH_MEMBER(c, obj, "error", read_error_param, NULL) < 0 ||
        WITH_MEMBER(c, obj, "tol", read_tol, NULL) < 0 ||
        bc_jget_int(c, obj, "attempt", min_attempt, 2147483647LL, &ignored) < 0 ||
        bc_jget_seconds(c, obj, "alive", false, &secs, NULL) < 0 ||
        bc_jget_int(c, obj, "reconnects", 0, 2147483647LL, &ignored) < 0)
        return -1;
    if (load_verify_bytes(c, obj, "stdout") < 0 || load_verify_bytes(c, obj, "stderr") < 0)
        return -1;
    return load_verify_bytes(c, obj, "stdin");
}

static int listed_in(const bc_info *info, const bc_contract *k) {
    for (size_t i = 0; i < info->contract_count; i++)
        if (info->contracts[i] == k) return 1;
    return 0;
}

static int load_verify(bc_jctx *c, const json_t *obj, const bc_info *info) {
    const char *key;
    json_t *v;
    if (bc_jctx_need_object(c, obj) < 0) return -1;
    json_object_foreach((json_t *)obj, key, v) {
        const bc_contract *k = bc_contract_find(key);
        if (!k)
            return fail_key(c, key, "expected a contract ID of CONTRACT.md, got \"%s\"%s",
                            key, "");
        if (!listed_in(info, k))
            return fail_key(c, key, "expected only contracts listed in info.contracts, "
                            "got \"%s\"%s", key, "");
        bc_jctx_key(c, key);
        if (load_verify_entry(c, v, k) < 0) return -1;
        bc_jctx_up(c);
    }
    for (size_t i = 0; i < info->contract_count; i++)
        if (!json_object_get(obj, info->contracts[i]->id))
            return bc_jctx_fail(c, BC_JPOS_VALUE, "expected a key \"%s\" (listed in "
                                "info.contracts), got none", info->contracts[i]->id);
    return 0;
}

/* ---- the whole file ------------------------------------------------------- */

static int load_parts(bc_jctx *c, const json_t *root, const char *want_id,
                      bc_scenario *s) {
    if (bc_jctx_need_object(c, root) < 0 ||
        bc_jctx_known_keys(c, root, "a scenario",
                           KEYS("info", "server", "client", "verify")) < 0 ||
        bc_jget_required(c, root, "info") < 0 || bc_jget_required(c, root, "verify") < 0)
        return -1;
    bc_jctx_key(c, "info");
    if (load_info(c, json_object_get(root, "info"), want_id, &s->info) < 0) return -1;
    bc_jctx_up(c);
    json_t *server = json_object_get(root, "server"), *client = json_object_get(root, "client");
    bc_jctx_key(c, "server");
    if (server && load_server(c, server, &s->server) < 0) return -1;
    bc_jctx_up(c);
    bc_jctx_key(c, "client");
    if (client && load_client(c, client, &s->server, &s->client) < 0) return -1;
    bc_jctx_up(c);
    bc_jctx_key(c, "verify");
    if (load_verify(c, json_object_get(root, "verify"), &s->info) < 0) return -1;
    bc_jctx_up(c);
    s->verify = json_incref(json_object_get(root, "verify"));
    return 0;
}

/* jansson says "X expected near Y": turn that into our "expected X, got Y". */
static void syntax_error(const char *path, const json_error_t *je, char *err,
                         size_t errlen) {
    const char *near = strstr(je->text, " expected near ");
    int column = je->column > 0 ? je->column : 1;
    if (near)
        snprintf(err, errlen, "%s:%d:%d: expected %.*s, got %s", path, je->line, column,
                 (int)(near - je->text), je->text, near + strlen(" expected near "));
    else
        snprintf(err, errlen, "%s:%d:%d: expected valid JSON, got %s", path, je->line,
                 column, je->text);
}

static int load_text(const char *path, const char *text, size_t len, const char *want_id,
                     bc_scenario **out, char *err, size_t errlen) {
    json_error_t je;
    *out = NULL;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je);
    if (!root) {
        syntax_error(path, &je, err, errlen);
        return -1;
    }
    bc_scenario *s = calloc(1, sizeof *s);
    bc_jctx c = { .file = path, .text = text, .len = len, .err = err, .errlen = errlen };
    s->path = strdup(path);
    s->client = (bc_client){ .command = strdup("true"), .deadline = 400 };
    server_defaults(&s->server);
    int rc = load_parts(&c, root, want_id, s);
    json_decref(root);
    if (rc < 0) {
        bc_scenario_free(s);
        return -1;
    }
    *out = s;
    return 0;
}

int bc_scenario_load_text(const char *path, const char *text, size_t len,
                          bc_scenario **out, char *err, size_t errlen) {
    char *want = id_from_path(path);
    int rc = load_text(path, text, len, want, out, err, errlen);
    free(want);
    return rc;
}

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = NULL;
    size_t cap = 0;
    *len = 0;
    for (;;) {
        if (*len + 4096 + 1 > cap) {
            cap = (cap + 4096) * 2;
            buf = realloc(buf, cap);
        }
        size_t n = fread(buf + *len, 1, cap - *len - 1, f);
        *len += n;
        if (n == 0) break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return NULL;
    }
    buf[*len] = '\0';
    return buf;
}

int bc_scenario_load(const char *path, bc_scenario **out, char *err, size_t errlen) {
    size_t len;
    *out = NULL;
    char *text = read_file(path, &len);
    if (!text) {
        snprintf(err, errlen, "%s:1:1: expected a readable scenario file, got %s", path,
                 strerror(errno));
        return -1;
    }
    int rc = bc_scenario_load_text(path, text, len, out, err, errlen);
    free(text);
    return rc;
}

bc_scenario *bc_scenario_default(void) {
    static const char text[] =
        "{\"info\": {\"id\": \"default\", \"title\": \"a well-behaved runner\","
        " \"contracts\": [\"RECOV-ONE-RESULT\"]},"
        " \"verify\": {\"RECOV-ONE-RESULT\": {}}}";
    bc_scenario *s = NULL;
    char err[256];
    if (load_text("", text, sizeof text - 1, NULL, &s, err, sizeof err) < 0) return NULL;
    return s;
}
