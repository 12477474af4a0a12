/* scenario_script.c - the steps of an attach script and the frames they send.
 * Part of the scenario loader: see scenario_parts.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jfield.h"
#include "scenario_parts.h"

/* ---- frames and steps ---------------------------------------------------- */

static const char *const frame_keys[] = { "out", "out_b64", "err", "err_b64",
                                          "binary_b64", "text", "error", "exit",
                                          "ping", "pong", NULL };
static const char *const step_keys[] = { "out", "out_b64", "err", "err_b64",
                                         "binary_b64", "text", "error", "exit", "ping",
                                         "pong", "wait", "silence", "wait_for", "close",
                                         "fin", "rst", "half_open", "cut", "drip",
                                         "finish", "flood", NULL };

/* The options each action allows besides its own key. */
static const char *const *action_options(const char *action) {
    static const char *const none[] = { NULL };
    static const char *const exit_opts[] = { "close", NULL };
    static const char *const wait_for_opts[] = { "max", "bytes", NULL };
    static const char *const close_opts[] = { "reason", NULL };
    static const char *const cut_opts[] = { "keep", "then", NULL };
    static const char *const drip_opts[] = { "interval", NULL };
    static const char *const flood_opts[] = { "frame", "stream", NULL };
    if (strcmp(action, "exit") == 0) return exit_opts;
    if (strcmp(action, "wait_for") == 0) return wait_for_opts;
    if (strcmp(action, "close") == 0) return close_opts;
    if (strcmp(action, "cut") == 0) return cut_opts;
    if (strcmp(action, "drip") == 0) return drip_opts;
    if (strcmp(action, "flood") == 0) return flood_opts;
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
            return bc_jctx_fail_key(c, key, "expected one action key per step, got "
                                    "\"%s\" after \"%s\"", key, *found);
        *found = key;
    }
    if (*found) return 0;
    char keys[512];
    bc_jjoin_keys(actions, keys, sizeof keys);
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
    return f->has_exit_code ? bc_jval_int(c, v, BC_JANY_INT, &f->exit_code) : 1;
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
        if (BC_JMEMBER(c, obj, "exit", read_exit_code, f) < 0) return -1;
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
    if (BC_JMEMBER(c, obj, "cut", read_nested_frame, &s->frame) < 0) return -1;
    if (bc_jget_required(c, obj, "keep") < 0 || bc_jget_required(c, obj, "then") < 0)
        return -1;
    if (bc_jget_int(c, obj, "keep", 0, 2147483647LL, &keep) < 0) return -1;
    s->keep = (size_t)keep;
    return BC_JMEMBER(c, obj, "then", read_then, &s->then) < 0 ? -1 : 0;
}

static int load_drip(bc_jctx *c, const json_t *obj, bc_step *s) {
    if (BC_JMEMBER(c, obj, "drip", read_nested_frame, &s->frame) < 0) return -1;
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
    if (BC_JMEMBER(c, obj, "wait_for", read_wait_for, s) < 0) return -1;
    if (bc_jget_seconds(c, obj, "max", true, &s->seconds, &s->forever) < 0) return -1;
    if (s->action == BC_STEP_WAIT_FOR_EOF && json_object_get(obj, "bytes"))
        return bc_jctx_fail_key(c, "bytes", "expected no \"bytes\" with \"wait_for\": "
                                "\"stdin_eof\", got one");
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
    if (BC_JMEMBER(c, obj, "close", read_close_code, s) < 0) return -1;
    if (bc_jget_string(c, obj, "reason", &s->close_reason) < 0) return -1;
    if (s->close_reason && !s->has_close_code)
        return bc_jctx_fail_key(c, "reason", "expected no \"reason\" with \"close\": null, "
                                "got one");
    if (s->close_reason && strlen(s->close_reason) > 123) {
        bc_jctx_key(c, "reason");
        return bc_jctx_fail(c, BC_JPOS_VALUE, "expected a close reason of at most 123 "
                            "bytes, got %zu", strlen(s->close_reason));
    }
    return 0;
}

static int load_frame_step(bc_jctx *c, const json_t *obj, const char *action,
                           bc_step *s) {
    s->action = BC_STEP_FRAME;
    return load_frame(c, obj, action, &s->frame);
}

/* wait takes a number; silence and half_open also null ("for ever"). */
static int load_duration_step(bc_jctx *c, const json_t *obj, const char *action,
                              bc_step *s) {
    bool null_ok = strcmp(action, "wait") != 0;
    s->action = strcmp(action, "wait") == 0      ? BC_STEP_WAIT
                : strcmp(action, "silence") == 0 ? BC_STEP_SILENCE : BC_STEP_HALF_OPEN;
    return bc_jget_seconds(c, obj, action, null_ok, &s->seconds, &s->forever) < 0 ? -1 : 0;
}

static int load_tcp_step(bc_jctx *c, const json_t *obj, const char *action, bc_step *s) {
    s->action = strcmp(action, "fin") == 0 ? BC_STEP_FIN : BC_STEP_RST;
    return bc_jget_true(c, obj, action) < 0 ? -1 : 0;
}

static int load_finish(bc_jctx *c, const json_t *obj, const char *action, bc_step *s) {
    s->action = BC_STEP_FINISH;
    return bc_jget_int(c, obj, action, BC_JANY_INT, &s->exit_code) < 0 ? -1 : 0;
}

static int load_wait_for_step(bc_jctx *c, const json_t *obj, const char *action,
                              bc_step *s) {
    (void)action;
    return load_wait_for(c, obj, s);
}

static int load_close_step(bc_jctx *c, const json_t *obj, const char *action,
                           bc_step *s) {
    (void)action;
    s->action = BC_STEP_CLOSE;
    return load_close(c, obj, s);
}

static int load_cut_step(bc_jctx *c, const json_t *obj, const char *action, bc_step *s) {
    (void)action;
    s->action = BC_STEP_CUT;
    return load_cut(c, obj, s);
}

static int load_drip_step(bc_jctx *c, const json_t *obj, const char *action,
                          bc_step *s) {
    (void)action;
    s->action = BC_STEP_DRIP;
    return load_drip(c, obj, s);
}

static int read_flood_bytes(bc_jctx *c, const json_t *v, unsigned long long *out) {
    return bc_jval_count(c, v, 0, BC_FLOOD_MAX_BYTES, "a byte count", out);
}

static int read_stream(bc_jctx *c, const json_t *v, int *channel) {
    if (json_is_string(v) && strcmp(json_string_value(v), "out") == 0) *channel = 1;
    else if (json_is_string(v) && strcmp(json_string_value(v), "err") == 0) *channel = 2;
    else return bc_jctx_expected(c, "\"out\" or \"err\"", v);
    return 1;
}

static int load_flood(bc_jctx *c, const json_t *obj, const char *action, bc_step *s) {
    int frame = 0;
    (void)action;
    s->action = BC_STEP_FLOOD;
    s->flood_channel = 1;
    if (BC_JMEMBER(c, obj, "flood", read_flood_bytes, &s->flood_bytes) < 0) return -1;
    if (bc_jget_required(c, obj, "frame") < 0) return -1;
    if (bc_jget_int(c, obj, "frame", 1, BC_FLOOD_MAX_FRAME, &frame) < 0) return -1;
    s->flood_frame = (size_t)frame;
    return BC_JMEMBER(c, obj, "stream", read_stream, &s->flood_channel) < 0 ? -1 : 0;
}

static int load_step_action(bc_jctx *c, const json_t *obj, const char *action,
                            bc_step *s) {
    static const struct {
        const char *key;
        int (*load)(bc_jctx *, const json_t *, const char *, bc_step *);
    } loaders[] = {
        { "wait", load_duration_step },    { "silence", load_duration_step },
        { "half_open", load_duration_step }, { "wait_for", load_wait_for_step },
        { "close", load_close_step },      { "fin", load_tcp_step },
        { "rst", load_tcp_step },          { "cut", load_cut_step },
        { "drip", load_drip_step },        { "finish", load_finish },
        { "flood", load_flood },
    };
    for (size_t i = 0; i < sizeof loaders / sizeof loaders[0]; i++)
        if (strcmp(action, loaders[i].key) == 0) return loaders[i].load(c, obj, action, s);
    return load_frame_step(c, obj, action, s);
}

static int load_step(bc_jctx *c, const json_t *obj, bc_step *s) {
    const char *action;
    if (bc_jctx_need_object(c, obj) < 0) return -1;
    if (find_action(c, obj, step_keys, "a step action", &action) < 0) return -1;
    if (action_keys_only(c, obj, action) < 0) return -1;
    return load_step_action(c, obj, action, s);
}

/* Where each step's object starts, found in one walk of the array at c's
 * path (zeros if not found, as for a built-in script). */
static void place_steps(bc_jctx *c, bc_script *script) {
    bc_jpos_at *where = calloc(script->count + 1, sizeof *where);
    if (c->depth <= BC_JPOS_MAX_DEPTH &&
        bc_jpos_elements(c->text, c->len, c->at, c->depth, where, script->count) == 0)
        for (size_t i = 0; i < script->count; i++) {
            script->steps[i].line = where[i].line;
            script->steps[i].column = where[i].column;
        }
    free(where);
}

int bc_scenario_read_script(bc_jctx *c, const json_t *arr, bc_script *out) {
    if (bc_jctx_need_array(c, arr) < 0) return -1;
    out->count = json_array_size(arr);
    out->steps = calloc(out->count + 1, sizeof *out->steps);
    place_steps(c, out);
    for (size_t i = 0; i < out->count; i++) {
        bc_jctx_index(c, i);
        if (load_step(c, json_array_get(arr, i), &out->steps[i]) < 0) return -1;
        bc_jctx_up(c);
    }
    return 1;
}
