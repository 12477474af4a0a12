/* adapter.c - adapter protocol I/O (see adapter.h). */
#include "adapter.h"

#include <jansson.h>
#include <libwebsockets.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "jbig.h"
#include "mutant.h"

static char *dup_string(json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? strdup(s) : NULL;
}

/* The exec request body: the action minus the adapter's own keys, nulls
 * dropped (the server treats absent and null alike, absent is safer). */
static char *exec_body_of(json_t *root)
{
    json_t *body = json_object();
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v) {
        if (strcmp(key, "action") == 0 || strcmp(key, "box_id") == 0 || json_is_null(v))
            continue;
        json_object_set(body, key, v);
    }
    if (!json_object_get(body, "tty"))
        json_object_set_new(body, "tty", json_false());
    char *text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    return text;
}

static int action_from(json_t *root, bool need_box, struct rc_action *a, const char **why)
{
    memset(a, 0, sizeof(*a));
    const char *name = json_string_value(json_object_get(root, "action"));
    *why = NULL;
    if (!name) {
        *why = "the action is not a JSON object with an \"action\"";
        return -1;
    }
    a->name = strdup(name);
    a->root = json_incref(root);
    a->box_id = dup_string(root, "box_id");
    if (strcmp(name, "attach") == 0) {
        a->execution_id = dup_string(root, "execution_id");
        a->readonly = json_is_true(json_object_get(root, "readonly"));
        if (!a->execution_id)
            *why = "attach needs an execution_id";
    } else if (strcmp(name, "exec") == 0) {
        a->exec_body = exec_body_of(root);
    }
    if (!*why && need_box && !a->box_id)
        *why = "the action needs a box_id";
    return *why ? -1 : 0;
}

int rc_action_parse(const char *json, struct rc_action *a, const char **why)
{
    json_t *root = json ? json_loads(json, 0, NULL) : NULL;
    int rc = action_from(root, true, a, why);
    if (!root)
        *why = "BOXCONFORM_ACTION is not a JSON object with an \"action\"";
    json_decref(root);
    return rc;
}

int rc_action_from(json_t *obj, struct rc_action *a, const char **why)
{
    return action_from(obj, false, a, why);
}

const char *rc_action_str(const struct rc_action *a, const char *key)
{
    return json_string_value(json_object_get(a->root, key));
}

void rc_action_free(struct rc_action *a)
{
    free(a->name);
    json_decref(a->root);
    free(a->box_id);
    free(a->execution_id);
    free(a->exec_body);
    memset(a, 0, sizeof(*a));
}

static int decode_b64(const char *b64, struct rc_stdin_op *op)
{
    size_t cap = strlen(b64) * 3 / 4 + 4;
    op->data = malloc(cap);
    int n = lws_b64_decode_string(b64, (char *)op->data, (int)cap);
    if (n < 0) {
        free(op->data);
        op->data = NULL;
        return -1;
    }
    op->len = (size_t)n;
    return 0;
}

/* The control ops of EXEC-CONTROL: kill, signal N, resize C x R. */
static void parse_control(json_t *root, const char *verb, struct rc_stdin_op *op)
{
    json_t *sig = json_object_get(root, "signal");
    json_t *cols = json_object_get(root, "cols"), *rows = json_object_get(root, "rows");
    if (strcmp(verb, "kill") == 0) {
        op->kind = RC_STDIN_KILL;
    } else if (strcmp(verb, "signal") == 0 && json_is_integer(sig)) {
        op->kind = RC_STDIN_SIGNAL;
        op->signal = (int)json_integer_value(sig);
    } else if (strcmp(verb, "resize") == 0 && json_is_integer(cols) && json_is_integer(rows)) {
        op->kind = RC_STDIN_RESIZE;
        op->cols = (int)json_integer_value(cols);
        op->rows = (int)json_integer_value(rows);
    }
}

int rc_stdin_parse(const char *line, size_t len, struct rc_stdin_op *op)
{
    memset(op, 0, sizeof(*op));
    op->kind = RC_STDIN_IGNORED;
    json_t *root = json_loadb(line, len, 0, NULL);
    const char *verb = json_string_value(json_object_get(root, "op"));
    const char *b64 = json_string_value(json_object_get(root, "data_b64"));
    int rc = 0;
    if (verb && strcmp(verb, "stdin") == 0 && b64) {
        op->kind = RC_STDIN_DATA;
        rc = decode_b64(b64, op);
    } else if (verb && strcmp(verb, "stdin_close") == 0) {
        op->kind = RC_STDIN_CLOSE;
    } else if (verb) {
        parse_control(root, verb, op);
    }
    json_decref(root);
    if (rc < 0)
        op->kind = RC_STDIN_IGNORED;
    return rc;
}

void rc_plan_feed(struct rc_buf *pending, const void *data, size_t n,
                  void (*apply)(const struct rc_stdin_op *op, void *user), void *user)
{
    uint8_t *nl;
    rc_buf_append(pending, data, n);
    while ((nl = memchr(pending->data, '\n', pending->len))) {
        size_t len = (size_t)(nl - pending->data);
        struct rc_stdin_op op;
        rc_stdin_parse((const char *)pending->data, len, &op);
        apply(&op, user);
        rc_stdin_op_free(&op);
        rc_buf_consume(pending, len + 1);
    }
}

void rc_stdin_op_free(struct rc_stdin_op *op)
{
    free(op->data);
    op->data = NULL;
}

static void emit(json_t *event)
{
    char *line = bc_jbig_dumps(event, JSON_COMPACT | JSON_ENCODE_ANY);
    if (line) {
        fputs(line, stdout);
        fputc('\n', stdout);
        fflush(stdout);
    }
    free(line);
    json_decref(event);
}

/* Any text as a JSON string: bytes that are not UTF-8 become U+FFFD. */
static json_t *text(const char *s)
{
    char *clean = rc_text_preview(s ? s : "", s ? strlen(s) : 0, SIZE_MAX);
    json_t *v = json_string(clean);
    free(clean);
    return v;
}

void rc_emit_started(const char *execution_id)
{
    emit(json_pack("{s:s, s:s}", "event", "started", "execution_id", execution_id));
}

/* RC_MUT_OUTPUT_AFTER_RESULT: the latest chunk, held until the result is out. */
static json_t *held_chunk;

void rc_emit_output(int channel, const uint8_t *data, size_t len)
{
    size_t cap = (len + 2) / 3 * 4 + 8;  /* lws wants slack past the exact size */
    char *b64 = malloc(cap);
    if (lws_b64_encode_string((const char *)data, (int)len, b64, (int)cap) < 0)
        b64[0] = '\0';
    json_t *event = json_pack("{s:s, s:s}", "event", channel == 2 ? "stderr" : "stdout",
                              "data_b64", b64);
    free(b64);
    if (!rc_mutant_is(RC_MUT_OUTPUT_AFTER_RESULT)) {
        emit(event);
        return;
    }
    if (held_chunk)
        emit(held_chunk);
    held_chunk = event;
}

void rc_emit_result(int exit_code, const char *error_message)
{
    emit(json_pack("{s:s, s:i, s:o?}", "event", "result", "exit_code", exit_code,
                   "error_message", error_message ? text(error_message) : NULL));
    if (held_chunk)
        emit(held_chunk);
    held_chunk = NULL;
}

void rc_emit_error(const char *kind, const char *message)
{
    emit(json_pack("{s:s, s:s, s:o}", "event", "error", "kind", kind, "message", text(message)));
}

void rc_emit_log(const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    emit(json_pack("{s:s, s:o}", "event", "log", "message", text(buf)));
}

void rc_emit_value(json_t *v)
{
    emit(json_pack("{s:s, s:o}", "event", "value", "value", v ? v : json_null()));
}

void rc_emit_unsupported(const char *reason)
{
    emit(json_pack("{s:s, s:o}", "event", "unsupported", "reason", text(reason)));
}
