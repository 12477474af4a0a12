/* scenario_client.c - the client section of a scenario (docs/scenario.md):
 * the action and its keys, the stdin plan with its control ops, the host
 * sandbox's files. Part of the scenario loader: see scenario_parts.h.
 *
 * Host paths. The harness makes a sandbox per run (SANDBOX/host/ holds the
 * scenario's files, SANDBOX/outside/ a sentinel tree) and hands the adapter
 * absolute paths inside it. Whatever a client under test does with them,
 * and with what the fake server answers, must land inside SANDBOX, so every
 * host path here is relative to the host area and never climbs ("..", a
 * leading /). The fake server's tar specs may climb BC_TAR_CLIMB_MAX levels
 * in all from the copy-out destination (scenario_tar.c), so a copy-out or
 * export destination sits BC_SANDBOX_DEST_DEPTH levels below SANDBOX, and
 * a box name an export may join to its destination climbs no more than a
 * tar spec may. A symlink the sandbox holds leads no higher than itself:
 * a climb that goes through it then rises no more than it looks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jfield.h"
#include "scenario_parts.h"

/* ---- actions and their keys ---------------------------------------------------- */

static const char *const action_names[BC_ACTION_COUNT] = {
    "exec", "attach", "info", "start", "stop", "metrics", "copy_in", "copy_out",
    "snapshot_create", "snapshot_list", "snapshot_get", "snapshot_remove",
    "snapshot_restore", "clone", "export",
};

/* Keys of the client section any action takes, beside its own. */
#define SECTION_KEYS "action", "stdin", "deadline", "sandbox"

/* Each action's own keys, and those it requires. */
static const struct {
    const char *const *keys;
    const char *const *required;
} action_keys[BC_ACTION_COUNT] = {
    [BC_ACTION_EXEC] = { BC_JKEYS("command", "args", "env", "tty", "timeout_seconds",
                                  "working_dir"), NULL },
    [BC_ACTION_ATTACH] = { BC_JKEYS("readonly"), NULL },
    [BC_ACTION_COPY_IN] = { BC_JKEYS("src", "dst"), BC_JKEYS("src", "dst") },
    [BC_ACTION_COPY_OUT] = { BC_JKEYS("src", "dst"), BC_JKEYS("src", "dst") },
    [BC_ACTION_SNAPSHOT_CREATE] = { BC_JKEYS("name"), BC_JKEYS("name") },
    [BC_ACTION_SNAPSHOT_GET] = { BC_JKEYS("name"), BC_JKEYS("name") },
    [BC_ACTION_SNAPSHOT_REMOVE] = { BC_JKEYS("name"), BC_JKEYS("name") },
    [BC_ACTION_SNAPSHOT_RESTORE] = { BC_JKEYS("name"), BC_JKEYS("name") },
    [BC_ACTION_CLONE] = { BC_JKEYS("name", "then"), NULL },
    [BC_ACTION_EXPORT] = { BC_JKEYS("dest"), BC_JKEYS("dest") },
};

const char *bc_action_name(bc_action a) {
    return (unsigned)a < BC_ACTION_COUNT ? action_names[a] : "unknown";
}

const char *bc_client_dest(const bc_client *c) {
    for (; c; c = c->then) {
        if (c->action == BC_ACTION_COPY_OUT) return c->dst;
        if (c->action == BC_ACTION_EXPORT) return c->dest;
    }
    return NULL;
}

static bool chain_has(const bc_client *c, bc_action a) {
    for (; c; c = c->then)
        if (c->action == a) return true;
    return false;
}

static int read_action(bc_jctx *c, const json_t *v, bc_action *out) {
    for (int a = 0; json_is_string(v) && a < BC_ACTION_COUNT; a++)
        if (!strcmp(json_string_value(v), action_names[a])) {
            *out = (bc_action)a;
            return 1;
        }
    return bc_jctx_expected(c, "an action (exec, attach, info, start, stop, metrics, "
                            "copy_in, copy_out, snapshot_create, snapshot_list, snapshot_get, "
                            "snapshot_remove, snapshot_restore, clone, export)", v);
}

/* The keys obj may hold for action a (section: the client section itself). */
static int known_keys(bc_jctx *c, const json_t *obj, bc_action a, bool section) {
    const char *keys[24];
    size_t n = 0;
    static const char *const common[] = { SECTION_KEYS, NULL };
    for (const char *const *k = common; *k; k++)
        if (section || !strcmp(*k, "action")) keys[n++] = *k;
    for (const char *const *k = action_keys[a].keys; k && *k; k++) keys[n++] = *k;
    keys[n] = NULL;
    char what[96];
    snprintf(what, sizeof what, "%s with action \"%s\"", section ? "client" : "then",
             action_names[a]);
    if (bc_jctx_known_keys(c, obj, what, keys) < 0) return -1;
    for (const char *const *k = action_keys[a].required; k && *k; k++)
        if (bc_jget_required(c, obj, *k) < 0) return -1;
    return 0;
}

/* ---- exec --------------------------------------------------------------------------- */

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
    return bc_jval_strings(c, arr, &cl->args, &cl->arg_count) < 0 ? -1 : 1;
}

static int read_optional_string(bc_jctx *c, const json_t *v, char **out) {
    return json_is_null(v) ? 1 : bc_jval_string(c, v, out);
}

static int read_timeout(bc_jctx *c, const json_t *v, bc_client *cl) {
    if (json_is_null(v)) return 1;
    cl->has_timeout = true;
    return bc_jval_seconds(c, v, false, &cl->timeout_seconds, NULL);
}

static int load_exec(bc_jctx *c, const json_t *obj, bc_client *cl) {
    if (bc_jget_string(c, obj, "command", &cl->command) < 0 ||
        BC_JMEMBER(c, obj, "args", read_args, cl) < 0 ||
        BC_JMEMBER(c, obj, "env", read_env, cl) < 0 ||
        bc_jget_bool(c, obj, "tty", &cl->tty) < 0 ||
        BC_JMEMBER(c, obj, "timeout_seconds", read_timeout, cl) < 0 ||
        BC_JMEMBER(c, obj, "working_dir", read_optional_string, &cl->working_dir) < 0)
        return -1;
    return 0;
}

/* ---- host paths --------------------------------------------------------------------- */

/* p without empty and "." components ("a//./b/" -> "a/b"), or NULL when it
 * is absolute, holds "..", or names nothing. *depth: its components. */
static char *host_relative(const char *p, size_t *depth) {
    char *out = calloc(1, strlen(p) + 1);
    size_t n = 0;
    *depth = 0;
    if (*p == '/') goto refuse;
    while (*p) {
        size_t len = strcspn(p, "/");
        if (len == 2 && !strncmp(p, "..", 2)) goto refuse;
        if (len && !(len == 1 && *p == '.')) {
            if (n) out[n++] = '/';
            memcpy(out + n, p, len);
            n += len;
            ++*depth;
        }
        p += len + (p[len] == '/');
    }
    if (n) return out;
refuse:
    free(out);
    return NULL;
}

/* A host path (the current value): relative to the host area, at least
 * min_depth components. Stored normalized. */
static int read_host_path(bc_jctx *c, const json_t *v, char **out, size_t min_depth) {
    char *given = NULL;
    size_t depth;
    if (bc_jval_string(c, v, &given) < 0) return -1;
    char *path = host_relative(given, &depth);
    free(given);
    if (!path)
        return bc_jctx_expected(c, "a path relative to the sandbox's host area (not "
                                "absolute, no \"..\", not empty)", v);
    if (depth < min_depth) {
        free(path);
        char expected[256];
        snprintf(expected, sizeof expected, "a path at least %zu directories deep (the "
                 "destination sits %d levels below the sandbox root, so whatever a hostile "
                 "answer climbs stays inside)", min_depth, BC_SANDBOX_DEST_DEPTH);
        return bc_jctx_expected(c, expected, v);
    }
    free(*out);
    *out = path;
    return 1;
}

static int read_any_host_path(bc_jctx *c, const json_t *v, char **out) {
    return read_host_path(c, v, out, 1);
}

static int read_dest_path(bc_jctx *c, const json_t *v, char **out) {
    return read_host_path(c, v, out, BC_SANDBOX_DEST_DEPTH - 1);
}

/* ---- one call: an action and its keys ------------------------------------------------- */

static int load_call(bc_jctx *c, const json_t *obj, bc_client *cl, bool section);

static int read_then(bc_jctx *c, const json_t *v, bc_client **out) {
    if (bc_jctx_need_object(c, v) < 0 || bc_jget_required(c, v, "action") < 0) return -1;
    *out = calloc(1, sizeof **out);
    return load_call(c, v, *out, false) < 0 ? -1 : 1;
}

static int read_clone_name(bc_jctx *c, const json_t *v, char **out) {
    return json_is_null(v) ? 1 : bc_jval_string(c, v, out);
}

static int load_call(bc_jctx *c, const json_t *obj, bc_client *cl, bool section) {
    if (BC_JMEMBER(c, obj, "action", read_action, &cl->action) < 0) return -1;
    if (!section && cl->action == BC_ACTION_ATTACH) {
        bc_jctx_key(c, "action");
        return bc_jctx_expected(c, "an action on the clone's handle (any but attach)",
                                json_object_get(obj, "action"));
    }
    if (known_keys(c, obj, cl->action, section) < 0) return -1;
    typedef int (*string_reader)(bc_jctx *, const json_t *, char **);
    bool copy_in = cl->action == BC_ACTION_COPY_IN;
    string_reader src = copy_in ? read_any_host_path : bc_jval_string;
    string_reader dst = copy_in ? bc_jval_string : read_dest_path;
    string_reader name = cl->action == BC_ACTION_CLONE ? read_clone_name : bc_jval_string;
    if (cl->action == BC_ACTION_EXEC && load_exec(c, obj, cl) < 0) return -1;
    if (cl->action == BC_ACTION_EXEC && !cl->command) cl->command = strdup("true");
    if (bc_jget_bool(c, obj, "readonly", &cl->readonly) < 0 ||
        BC_JMEMBER(c, obj, "src", src, &cl->src) < 0 ||
        BC_JMEMBER(c, obj, "dst", dst, &cl->dst) < 0 ||
        BC_JMEMBER(c, obj, "dest", read_dest_path, &cl->dest) < 0 ||
        BC_JMEMBER(c, obj, "name", name, &cl->name) < 0 ||
        BC_JMEMBER(c, obj, "then", read_then, &cl->then) < 0)
        return -1;
    return 0;
}

/* ---- the stdin plan --------------------------------------------------------------------- */

#define FEED_KEYS "write", "write_b64", "close", "kill", "signal", "resize"

static int read_resize(bc_jctx *c, const json_t *v, bc_stdin_entry *e) {
    if (bc_jctx_need_object(c, v) < 0 ||
        bc_jctx_known_keys(c, v, "a resize", BC_JKEYS("cols", "rows")) < 0 ||
        bc_jget_required(c, v, "cols") < 0 || bc_jget_required(c, v, "rows") < 0 ||
        bc_jget_int(c, v, "cols", 1, 65535, &e->cols) < 0 ||
        bc_jget_int(c, v, "rows", 1, 65535, &e->rows) < 0)
        return -1;
    return 1;
}

static int read_feed_op(bc_jctx *c, const json_t *obj, bc_stdin_entry *e) {
    static const char *const ops[] = { FEED_KEYS, NULL };
    const char *op = bc_jfirst_of(obj, ops);
    if (!op)
        return bc_jctx_fail(c, BC_JPOS_VALUE, "expected one of \"write\", \"write_b64\", "
                            "\"close\", \"kill\", \"signal\", \"resize\", got none");
    if (!strcmp(op, "close") || !strcmp(op, "kill")) {
        e->op = !strcmp(op, "close") ? BC_FEED_CLOSE : BC_FEED_KILL;
        return bc_jget_true(c, obj, op);
    }
    if (!strcmp(op, "signal")) {
        e->op = BC_FEED_SIGNAL;
        return bc_jget_int(c, obj, "signal", 1, 64, &e->signal);
    }
    if (!strcmp(op, "resize")) {
        e->op = BC_FEED_RESIZE;
        return BC_JMEMBER(c, obj, "resize", read_resize, e);
    }
    e->op = BC_FEED_WRITE;
    return bc_jget_bytes(c, obj, "write", "write_b64", &e->bytes);
}

static int load_stdin_entry(bc_jctx *c, const json_t *obj, double prev_at,
                            bc_stdin_entry *e) {
    if (bc_jctx_need_object(c, obj) < 0 ||
        bc_jctx_known_keys(c, obj, "a stdin entry", BC_JKEYS("at", FEED_KEYS)) < 0 ||
        bc_jget_required(c, obj, "at") < 0 ||
        bc_jctx_at_most_one(c, obj, BC_JKEYS(FEED_KEYS)) < 0)
        return -1;
    if (bc_jget_seconds(c, obj, "at", false, &e->at, NULL) < 0) return -1;
    if (e->at < prev_at) {
        bc_jctx_key(c, "at");
        return bc_jctx_fail(c, BC_JPOS_VALUE, "expected \"at\" >= %g (the previous "
                            "entry's), got %g", prev_at, e->at);
    }
    return read_feed_op(c, obj, e) < 0 ? -1 : 0;
}

static int read_stdin_plan(bc_jctx *c, const json_t *arr, bc_client *cl) {
    if (!chain_has(cl, BC_ACTION_EXEC) && !chain_has(cl, BC_ACTION_ATTACH))
        return bc_jctx_fail(c, BC_JPOS_KEY, "expected no \"stdin\" with action \"%s\" "
                            "(only an exec or an attach has an execution to feed), got one",
                            action_names[cl->action]);
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

static int read_deadline(bc_jctx *c, const json_t *v, double *out) {
    if (!json_is_number(v) || json_number_value(v) <= 0)
        return bc_jctx_expected(c, "seconds (a number > 0)", v);
    return bc_jval_seconds(c, v, false, out, NULL);
}

/* ---- the sandbox --------------------------------------------------------------------- */

/* Permission bits: an integer (0644 written as 420) or octal digits in a
 * string ("0644", "4755"); set-id and sticky bits allowed. */
static int read_mode(bc_jctx *c, const json_t *v, int *out) {
    const char *s = json_string_value(v);
    long m = -1;
    if (s && *s && strlen(s) <= 5 && strspn(s, "01234567") == strlen(s)) m = strtol(s, NULL, 8);
    else if (json_is_integer(v)) m = (long)json_integer_value(v);
    if (m < 0 || m > 07777)
        return bc_jctx_expected(c, "a mode (an integer from 0 to 4095, or octal digits in a "
                                "string such as \"0644\")", v);
    *out = (int)m;
    return 1;
}

static int read_sandbox_type(bc_jctx *c, const json_t *v, bc_sandbox_type *out) {
    static const char *const names[] = { "file", "dir", "symlink" };
    for (int i = 0; json_is_string(v) && i < 3; i++)
        if (!strcmp(json_string_value(v), names[i])) {
            *out = (bc_sandbox_type)i;
            return 1;
        }
    return bc_jctx_expected(c, "\"file\", \"dir\" or \"symlink\"", v);
}

/* A link's target (the current value) leads no higher than the link: no
 * "..", and ${SANDBOX}/P at least as deep below the root as the link is. */
static int check_link_target(bc_jctx *c, const json_t *v, const bc_sandbox_entry *e) {
    static const char prefix[] = BC_SANDBOX_PREFIX;
    size_t link_depth, depth;
    free(host_relative(e->path, &link_depth));
    link_depth++;                       /* the host area */
    bool rooted = !strncmp(e->target, prefix, sizeof prefix - 1);
    char *rest = host_relative(rooted ? e->target + sizeof prefix - 1 : e->target, &depth);
    bool climbs = !rest;
    free(rest);
    if (climbs)
        return bc_jctx_expected(c, "a target relative to the link, or starting with "
                                BC_SANDBOX_PREFIX ", without \"..\" (a link leads no higher "
                                "than itself: a hostile tar could climb on from where it "
                                "leads)", v);
    if (rooted && depth < link_depth) {
        char expected[200];
        snprintf(expected, sizeof expected, "a target at least %zu levels below "
                 BC_SANDBOX_PREFIX " (as deep as the link itself)", link_depth);
        return bc_jctx_expected(c, expected, v);
    }
    return 1;
}

static int check_sandbox_keys(bc_jctx *c, const json_t *obj, bc_sandbox_type type) {
    const char *const *const keys[] = {
        BC_JKEYS("path", "type", "data", "data_b64", "mode"),
        BC_JKEYS("path", "type", "mode"),
        BC_JKEYS("path", "type", "target"),
    };
    static const char *const what[] = { "a sandbox file", "a sandbox dir", "a sandbox symlink" };
    if (bc_jctx_known_keys(c, obj, what[type], keys[type]) < 0) return -1;
    return type == BC_SANDBOX_SYMLINK ? bc_jget_required(c, obj, "target") : 0;
}

/* Each path once, and none inside an earlier file or symlink. */
static int check_sandbox_place(bc_jctx *c, const bc_client *cl, size_t i) {
    const char *path = cl->sandbox[i].path;
    for (size_t j = 0; j < i; j++) {
        const bc_sandbox_entry *e = &cl->sandbox[j];
        size_t n = strlen(e->path);
        if (!strcmp(e->path, path))
            return bc_jctx_fail_key(c, "path", "expected each path once, got \"%s\" again",
                                    path);
        if (e->type != BC_SANDBOX_DIR && !strncmp(e->path, path, n) && path[n] == '/')
            return bc_jctx_fail_key(c, "path", "expected a path inside a directory, got "
                                    "\"%s\" inside the %s \"%s\"", path,
                                    e->type == BC_SANDBOX_FILE ? "file" : "symlink", e->path);
    }
    return 0;
}

static int load_sandbox_entry(bc_jctx *c, const json_t *obj, bc_client *cl, size_t i,
                              unsigned long long *bytes) {
    bc_sandbox_entry *e = &cl->sandbox[i];
    e->mode = -1;
    if (bc_jctx_need_object(c, obj) < 0 || bc_jget_required(c, obj, "path") < 0 ||
        BC_JMEMBER(c, obj, "type", read_sandbox_type, &e->type) < 0 ||
        check_sandbox_keys(c, obj, e->type) < 0 ||
        BC_JMEMBER(c, obj, "path", read_any_host_path, &e->path) < 0 ||
        check_sandbox_place(c, cl, i) < 0 ||
        BC_JMEMBER(c, obj, "mode", read_mode, &e->mode) < 0 ||
        bc_jget_bytes(c, obj, "data", "data_b64", &e->data) < 0 ||
        bc_jget_string(c, obj, "target", &e->target) < 0)
        return -1;
    if (e->target && BC_JMEMBER(c, obj, "target", check_link_target, e) < 0) return -1;
    *bytes += e->data.len;
    if (*bytes > BC_SANDBOX_MAX_DATA)
        return bc_jctx_fail_key(c, "data", "expected at most %llu bytes of file data in "
                                "one sandbox, got more", BC_SANDBOX_MAX_DATA);
    return 0;
}

static int read_sandbox_files(bc_jctx *c, const json_t *arr, bc_client *cl) {
    unsigned long long bytes = 0;
    if (bc_jctx_need_array(c, arr) < 0) return -1;
    cl->sandbox = calloc(json_array_size(arr) + 1, sizeof *cl->sandbox);
    for (size_t i = 0; i < json_array_size(arr); i++) {
        bc_jctx_index(c, i);
        cl->sandbox_count = i + 1;
        if (load_sandbox_entry(c, json_array_get(arr, i), cl, i, &bytes) < 0) return -1;
        bc_jctx_up(c);
    }
    return 1;
}

static int read_sandbox(bc_jctx *c, const json_t *obj, bc_client *cl) {
    if (bc_jctx_need_object(c, obj) < 0 ||
        bc_jctx_known_keys(c, obj, "sandbox", BC_JKEYS("files")) < 0)
        return -1;
    return BC_JMEMBER(c, obj, "files", read_sandbox_files, cl) < 0 ? -1 : 1;
}

/* ---- the section ------------------------------------------------------------------------ */

int bc_scenario_load_client(bc_jctx *c, const json_t *obj, const bc_server *srv,
                            bc_client *cl) {
    if (bc_jctx_need_object(c, obj) < 0 || load_call(c, obj, cl, true) < 0) return -1;
    if (cl->action == BC_ACTION_ATTACH && !srv->execution_id) {
        bc_jctx_key(c, "action");
        return bc_jctx_fail(c, BC_JPOS_VALUE, "expected \"server.execution_id\" (the "
                            "execution to attach to) with action \"attach\", got none");
    }
    if (BC_JMEMBER(c, obj, "stdin", read_stdin_plan, cl) < 0 ||
        BC_JMEMBER(c, obj, "deadline", read_deadline, &cl->deadline) < 0 ||
        BC_JMEMBER(c, obj, "sandbox", read_sandbox, cl) < 0)
        return -1;
    return 0;
}

/* ---- box names an export joins to its destination ---------------------------------------- */

/* An error unless name climbs at most as far as a tar spec may. */
static int check_name(bc_jctx *c, const char *name, bool at_key) {
    if (!name || bc_path_climb(name) <= BC_TAR_CLIMB_MAX) return 0;
    char expected[200];
    snprintf(expected, sizeof expected, "a box name that climbs at most %d levels (an "
             "export joins it to its destination), got \"%.60s\"", BC_TAR_CLIMB_MAX, name);
    return at_key ? bc_jctx_fail_key(c, "name", "expected %s", expected)
                  : bc_jctx_fail(c, BC_JPOS_VALUE, "expected %s", expected);
}

/* The current value: an object whose "name" is a box's name. */
static int check_object_name(bc_jctx *c, const json_t *v, void *unused) {
    (void)unused;
    return check_name(c, json_string_value(json_object_get(v, "name")), true) < 0 ? -1 : 1;
}

/* The current value: body text that may be such an object. */
static int check_raw_name(bc_jctx *c, const json_t *v, void *unused) {
    json_t *parsed = json_loads(json_string_value(v), 0, NULL);
    int rc = check_name(c, json_string_value(json_object_get(parsed, "name")), false);
    (void)unused;
    json_decref(parsed);
    return rc < 0 ? -1 : 1;
}

static int check_reply_names(bc_jctx *c, const json_t *list, void *unused) {
    (void)unused;
    for (size_t i = 0; json_is_array(list) && i < json_array_size(list); i++) {
        const json_t *r = json_array_get(list, i);
        bc_jctx_index(c, i);
        if (BC_JMEMBER(c, r, "body", check_object_name, NULL) < 0 ||
            BC_JMEMBER(c, r, "body_raw", check_raw_name, NULL) < 0)
            return -1;
        bc_jctx_up(c);
    }
    return 1;
}

/* The current value: a call; a clone's "name", then its "then" likewise. */
static int check_clone_names(bc_jctx *c, const json_t *call, void *unused) {
    const char *action = json_string_value(json_object_get(call, "action"));
    (void)unused;
    if (action && !strcmp(action, "clone") && check_object_name(c, call, NULL) < 0) return -1;
    return BC_JMEMBER(c, call, "then", check_clone_names, NULL) < 0 ? -1 : 1;
}

int bc_scenario_check_export_names(bc_jctx *c, const json_t *root, const bc_client *cl) {
    static const char *const lists[] = { "box", "start", "stop", "clone" };
    const json_t *server = json_object_get(root, "server");
    if (!chain_has(cl, BC_ACTION_EXPORT)) return 0;
    if (server) {
        bc_jctx_key(c, "server");
        if (BC_JMEMBER(c, server, "box_info", check_object_name, NULL) < 0) return -1;
        for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
            if (BC_JMEMBER(c, server, lists[i], check_reply_names, NULL) < 0) return -1;
        bc_jctx_up(c);
    }
    return BC_JMEMBER(c, root, "client", check_clone_names, NULL) < 0 ? -1 : 0;
}

/* ---- freeing --------------------------------------------------------------------------- */

void bc_scenario_free_client(bc_client *cl) {
    if (!cl) return;
    free(cl->command);
    bc_scenario_free_strings(cl->args, cl->arg_count);
    for (size_t i = 0; i < cl->env_count; i++) {
        free(cl->env[i].name);
        free(cl->env[i].value);
    }
    free(cl->env);
    free(cl->working_dir);
    free(cl->src);
    free(cl->dst);
    free(cl->name);
    free(cl->dest);
    bc_scenario_free_client(cl->then);
    free(cl->then);
    for (size_t i = 0; i < cl->stdin_count; i++) free(cl->stdin_plan[i].bytes.data);
    free(cl->stdin_plan);
    for (size_t i = 0; i < cl->sandbox_count; i++) {
        free(cl->sandbox[i].path);
        free(cl->sandbox[i].data.data);
        free(cl->sandbox[i].target);
    }
    free(cl->sandbox);
}
