/* scenario_server.c - the server part of a scenario: the per-call lists,
 * attach attempts, the server-wide settings and what the box resources hold
 * at the start (box info, metrics, capabilities, snapshots, files). Part of
 * the scenario loader: see scenario_parts.h; each REPLY is read by
 * scenario_reply.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jfield.h"
#include "scenario_parts.h"

/* ---- attach attempts ------------------------------------------------------ */

static int read_reject(bc_jctx *c, const json_t *v, bc_attempt *a) {
    a->reject = calloc(1, sizeof *a->reject);
    return bc_scenario_read_reply(c, v, BC_EP_ATTACH, true, a->reject) < 0 ? -1 : 1;
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

/* ---- what the box resources hold at the start ------------------------------ */

static int read_object(bc_jctx *c, const json_t *v, json_t **out) {
    if (bc_jctx_need_object(c, v) < 0) return -1;
    json_decref(*out);
    *out = json_deep_copy(v);
    return 1;
}

static int read_cap(bc_jctx *c, const json_t *v, bc_cap *out) {
    if (json_is_null(v)) *out = BC_CAP_ABSENT;
    else if (json_is_boolean(v)) *out = json_is_true(v) ? BC_CAP_ON : BC_CAP_OFF;
    else return bc_jctx_expected(c, "true, false or null (key absent)", v);
    return 1;
}

static int read_caps(bc_jctx *c, const json_t *v, bc_capabilities *caps) {
    if (json_is_null(v)) {
        caps->present = false;
        return 1;
    }
    if (bc_jctx_need_object(c, v) < 0 ||
        bc_jctx_known_keys(c, v, "capabilities",
                           BC_JKEYS("snapshots", "clone", "export", "import")) < 0 ||
        BC_JMEMBER(c, v, "snapshots", read_cap, &caps->snapshots) < 0 ||
        BC_JMEMBER(c, v, "clone", read_cap, &caps->clone) < 0 ||
        BC_JMEMBER(c, v, "export", read_cap, &caps->export_) < 0 ||
        BC_JMEMBER(c, v, "import", read_cap, &caps->import) < 0)
        return -1;
    return 1;
}

/* A snapshot given by name only: the SnapshotResponse a server would send. */
static json_t *snapshot_named(const char *name, const char *box_id, size_t n) {
    char id[32];
    snprintf(id, sizeof id, "snap-%zu", n);
    return json_pack("{s:s,s:s,s:s,s:I,s:I,s:I}", "id", id, "box_id", box_id, "name", name,
                     "created_at", (json_int_t)(BC_TAR_MTIME + n), "container_disk_bytes",
                     (json_int_t)1048576, "size_bytes", (json_int_t)2097152);
}

static int read_snapshots(bc_jctx *c, const json_t *arr, bc_server *srv) {
    size_t i;
    json_t *v;
    if (bc_jctx_need_array(c, arr) < 0) return -1;
    json_decref(srv->snapshots);
    srv->snapshots = json_array();
    json_array_foreach(arr, i, v) {
        bc_jctx_index(c, i);
        const char *name = json_string_value(json_is_object(v) ? json_object_get(v, "name") : v);
        if (!name)
            return bc_jctx_expected(c, "a snapshot name, or a SnapshotResponse object with a "
                                    "string \"name\"", v);
        json_array_append_new(srv->snapshots, json_is_object(v) ? json_deep_copy(v)
                                                : snapshot_named(name, srv->box_id, i + 1));
        bc_jctx_up(c);
    }
    return 1;
}

static int read_files(bc_jctx *c, const json_t *v, bc_tar_spec *files) {
    bc_scenario_free_tar(files);
    return bc_scenario_read_tar(c, v, files);
}

/* server.files without a spec: one regular file, hello.txt. */
static void default_files(bc_tar_spec *t) {
    t->count = 1;
    t->entries = calloc(1, sizeof *t->entries);
    t->entries[0] = (bc_tar_entry){ .path = strdup("hello.txt"), .type = BC_TAR_FILE,
                                    .mode = 0644, .mtime = BC_TAR_MTIME };
    t->entries[0].data.data = (unsigned char *)strdup("hello\n");
    t->entries[0].data.len = 6;
}

static int load_box_resources(bc_jctx *c, const json_t *obj, bc_server *srv) {
    if (BC_JMEMBER(c, obj, "box_info", read_object, &srv->box_info) < 0 ||
        BC_JMEMBER(c, obj, "metrics_info", read_object, &srv->metrics_info) < 0 ||
        BC_JMEMBER(c, obj, "capabilities", read_caps, &srv->caps) < 0 ||
        BC_JMEMBER(c, obj, "snapshots", read_snapshots, srv) < 0 ||
        BC_JMEMBER(c, obj, "files", read_files, &srv->files) < 0)
        return -1;
    return 0;
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
    srv->caps = (bc_capabilities){ .present = true };
    srv->snapshots = json_array();
    default_files(&srv->files);
}

static int load_server_lists(bc_jctx *c, const json_t *obj, bc_server *srv) {
    for (int ep = 0; ep < BC_EP_COUNT; ep++) {
        const char *key = bc_endpoint_name((bc_endpoint)ep);
        json_t *v = json_object_get(obj, key);
        if (!v || ep == BC_EP_ATTACH) continue;
        bc_jctx_key(c, key);
        if (bc_scenario_read_replies(c, v, (bc_endpoint)ep, &srv->replies[ep]) < 0) return -1;
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
        "replay", "echo_stdin", "exit_on_stdin_eof", "box_info", "metrics_info",
        "capabilities", "snapshots", "files", "steps", "attach", "probe", "exec", "box",
        "kill", "signal", "resize", "config", "start", "stop", "metrics", "files_put",
        "files_get", "snapshot_create", "snapshot_list", "snapshot_get", "snapshot_remove",
        "snapshot_restore", "clone", "export", NULL };
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
    if (load_box_resources(c, obj, srv) < 0) return -1;
    return load_server_lists(c, obj, srv);
}
