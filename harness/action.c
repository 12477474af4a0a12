#include "action.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libwebsockets.h>

/* ---- BOXCONFORM_ACTION -------------------------------------------------------- */

static json_t *exec_keys(const bc_client *c) {
    json_t *args = json_array(), *env = json_object();
    for (size_t i = 0; i < c->arg_count; i++) json_array_append_new(args, json_string(c->args[i]));
    for (size_t i = 0; i < c->env_count; i++)
        json_object_set_new(env, c->env[i].name, json_string(c->env[i].value));
    return json_pack("{s:s,s:o,s:o,s:b,s:o,s:s?}", "command", c->command, "args", args, "env",
                     env, "tty", c->tty, "timeout_seconds",
                     c->has_timeout ? json_real(c->timeout_seconds) : json_null(),
                     "working_dir", c->working_dir);
}

static void set_host_path(json_t *o, const char *key, const bc_sandbox *sb, const char *rel) {
    char *path = rel ? bc_sandbox_path(sb, rel) : NULL;
    if (path) json_object_set_new(o, key, json_string(path));
    free(path);
}

/* One call: "action" and its keys (a clone's then nested). */
static json_t *call_json(const bc_scenario *sc, const bc_client *c, const bc_sandbox *sb) {
    json_t *o = json_pack("{s:s}", "action", bc_action_name(c->action));
    if (c->action == BC_ACTION_EXEC) json_object_update_new(o, exec_keys(c));
    if (c->action == BC_ACTION_ATTACH)
        json_object_update_new(o, json_pack("{s:s?,s:b}", "execution_id",
                                            sc->server.execution_id, "readonly", c->readonly));
    bool in = c->action == BC_ACTION_COPY_IN;
    if (in) set_host_path(o, "src", sb, c->src);
    else if (c->src) json_object_set_new(o, "src", json_string(c->src));
    if (!in) set_host_path(o, "dst", sb, c->dst);
    else if (c->dst) json_object_set_new(o, "dst", json_string(c->dst));
    set_host_path(o, "dest", sb, c->dest);
    if (c->name) json_object_set_new(o, "name", json_string(c->name));
    if (c->then) json_object_set_new(o, "then", call_json(sc, c->then, sb));
    return o;
}

json_t *bc_action_json(const bc_scenario *sc, const bc_sandbox *sb) {
    json_t *o = call_json(sc, &sc->client, sb);
    json_t *head = json_pack("{s:s,s:s}", "action", bc_action_name(sc->client.action),
                             "box_id", sc->server.box_id);
    json_object_update_new(head, o);    /* action and box_id first, as the docs show */
    return head;
}

size_t bc_action_values_due(const bc_client *c) {
    size_t n = 0;
    for (; c; c = c->then) {
        if (c->action == BC_ACTION_EXEC || c->action == BC_ACTION_ATTACH) return 0;
        n++;
    }
    return n;
}

/* ---- the stdin plan ------------------------------------------------------------- */

static const char *const op_names[] = { "stdin", "stdin_close", "kill", "signal", "resize" };

/* {key: the op's name} and its arguments, in the docs' order. */
static json_t *op_object(const char *key, const bc_stdin_entry *e) {
    json_t *o = json_pack("{s:s}", key, op_names[e->op]);
    if (e->op == BC_FEED_SIGNAL) json_object_set_new(o, "signal", json_integer(e->signal));
    if (e->op == BC_FEED_RESIZE)
        json_object_update_new(o, json_pack("{s:i,s:i}", "cols", e->cols, "rows", e->rows));
    return o;
}

json_t *bc_feed_record(const bc_stdin_entry *e) {
    json_t *r = op_object("fed", e);
    if (e->op == BC_FEED_WRITE) json_object_set_new(r, "len", json_integer((json_int_t)e->bytes.len));
    return r;
}

char *bc_feed_line(const bc_stdin_entry *e) {
    json_t *line = op_object("op", e);
    if (e->op == BC_FEED_WRITE) {
        size_t cap = e->bytes.len * 4 / 3 + 8;
        char *b64 = malloc(cap);
        lws_b64_encode_string((const char *)e->bytes.data, (int)e->bytes.len, b64, (int)cap);
        json_object_set_new(line, "data_b64", json_string(b64));
        free(b64);
    }
    char *text = json_dumps(line, JSON_COMPACT), *out = NULL;
    json_decref(line);
    if (text && asprintf(&out, "%s\n", text) < 0) out = NULL;
    free(text);
    return out;
}
