/* rest.c - REST endpoints of the fake BoxLite API.
 *
 * A reply is decided when the request (and its body) is complete, then sent
 * from LWS_CALLBACK_HTTP_WRITEABLE, at once or after a timer for a delayed
 * reply: the loop never blocks. Hangs and resets are the tap's work. */
#include "rest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error_body.h"
#include "exec_state.h"
#include "http_head.h"
#include "journal.h"
#include "tap.h"

static int rest_calls[BC_EP_COUNT]; /* server-wide call counters */

static const char *const box_status_created = "2026-01-01T00:00:00Z";

void fs_rest_reset(fs_session *s) {
    free(s->body);
    free(s->reply_body);
    lws_sul_cancel(&s->reply_sul);
    s->body = s->reply_body = NULL;
    s->body_len = s->reply_len = 0;
    s->body_too_big = s->reply_ready = s->routed = s->call = s->status = 0;
    s->has_auth = s->auth_ok = 0;
    s->method[0] = s->path[0] = s->query[0] = s->auth[0] = '\0';
    s->box_id[0] = s->exec_id[0] = '\0';
    s->ctype = NULL;
    s->fault = NULL;
}

/* ---- request head -------------------------------------------------------- */

static const struct { enum lws_token_indexes tok; const char *name; } rest_methods[] = {
    {WSI_TOKEN_GET_URI, "GET"},     {WSI_TOKEN_POST_URI, "POST"},
    {WSI_TOKEN_HEAD_URI, "HEAD"},   {WSI_TOKEN_DELETE_URI, "DELETE"},
    {WSI_TOKEN_PUT_URI, "PUT"},     {WSI_TOKEN_PATCH_URI, "PATCH"},
    {WSI_TOKEN_OPTIONS_URI, "OPTIONS"},
};

/* lws keeps the query as '&'-separated fragments (URL-decoded); they are
 * joined back with '&'. */
static void read_query(fs_session *s) {
    char frag[512];
    size_t at = 0;
    for (int i = 0; lws_hdr_copy_fragment(s->wsi, frag, sizeof frag, WSI_TOKEN_HTTP_URI_ARGS, i) > 0; i++) {
        int n = snprintf(s->query + at, sizeof s->query - at, "%s%s", at ? "&" : "", frag);
        if (n < 0 || (size_t)n >= sizeof s->query - at) break;
        at += (size_t)n;
    }
    /* lws reports a bare trailing '?' as the fragment "/". */
    if (!strcmp(s->query, "/")) s->query[0] = '\0';
}

static void read_head(fs_session *s) {
    for (size_t i = 0; i < sizeof rest_methods / sizeof rest_methods[0]; i++) {
        if (lws_hdr_total_length(s->wsi, rest_methods[i].tok) > 0) {
            snprintf(s->method, sizeof s->method, "%s", rest_methods[i].name);
            lws_hdr_copy(s->wsi, s->path, sizeof s->path, rest_methods[i].tok);
            break;
        }
    }
    read_query(s);
    s->has_auth = lws_hdr_copy(s->wsi, s->auth, sizeof s->auth, WSI_TOKEN_HTTP_AUTHORIZATION) > 0;
    char want[600];
    snprintf(want, sizeof want, "Bearer %s", fs_scenario->server.token);
    s->auth_ok = s->has_auth && !strcmp(s->auth, want);
}

/* Copies one path segment; returns the rest of the path or NULL. */
static const char *segment(const char *p, char *out, size_t cap) {
    if (*p != '/') return NULL;
    p++;
    size_t n = strcspn(p, "/");
    if (n == 0 || n >= cap) return NULL;
    memcpy(out, p, n);
    out[n] = '\0';
    return p + n;
}

/* Skips "/v1" and the configured prefix (leading/trailing '/' ignored). */
static const char *after_prefix(const char *path) {
    if (strncmp(path, "/v1", 3)) return NULL;
    path += 3;
    const char *pre = fs_scenario->server.prefix ? fs_scenario->server.prefix : "";
    while (*pre == '/') pre++;
    size_t n = strlen(pre);
    while (n > 0 && pre[n - 1] == '/') n--;
    if (n == 0) return path;
    if (path[0] != '/' || strncmp(path + 1, pre, n) || path[1 + n] != '/') return NULL;
    return path + 1 + n;
}

static int is(const char *a, const char *b) { return !strcmp(a, b); }

static void route(fs_session *s) {
    char seg[4][256];
    const char *p;
    int n = 0;
    if (is(s->path, "/v1/config")) {
        s->routed = is(s->method, "GET");
        s->ep = BC_EP_CONFIG;
        return;
    }
    p = after_prefix(s->path);
    while (p && *p && n < 4) p = segment(p, seg[n++], sizeof seg[0]);
    if (!p || *p || n < 2 || !is(seg[0], "boxes")) return;
    snprintf(s->box_id, sizeof s->box_id, "%s", seg[1]);
    const char *m = s->method;
    if (n == 2) {
        s->ep = BC_EP_BOX;
        s->routed = is(m, "GET") || is(m, "HEAD");
    } else if (n == 3) {
        s->ep = BC_EP_EXEC;
        s->routed = is(seg[2], "exec") && is(m, "POST");
    } else if (is(seg[2], "executions")) {
        snprintf(s->exec_id, sizeof s->exec_id, "%s", seg[3]);
        s->ep = is(m, "DELETE") ? BC_EP_KILL : BC_EP_PROBE;
        s->routed = is(m, "GET") || is(m, "DELETE");
    }
}

/* Segments after ".../executions/{eid}" do not fit the 4-slot walk above. */
static void route_execution_action(fs_session *s) {
    const char *p = after_prefix(s->path);
    char box[256], eid[256], action[32], tmp[32];
    if (!p || !(p = segment(p, tmp, sizeof tmp)) || !is(tmp, "boxes")) return;
    if (!(p = segment(p, box, sizeof box)) || !(p = segment(p, tmp, sizeof tmp)) ||
        !is(tmp, "executions") || !(p = segment(p, eid, sizeof eid)) ||
        !(p = segment(p, action, sizeof action)) || *p)
        return;
    snprintf(s->box_id, sizeof s->box_id, "%s", box);
    snprintf(s->exec_id, sizeof s->exec_id, "%s", eid);
    const char *m = s->method;
    if (is(action, "signal")) { s->ep = BC_EP_SIGNAL; s->routed = is(m, "POST"); }
    else if (is(action, "resize")) { s->ep = BC_EP_RESIZE; s->routed = is(m, "POST"); }
    else if (is(action, "attach")) { s->ep = BC_EP_ATTACH; s->routed = is(m, "GET"); }
}

int fs_rest_begin(fs_session *s) {
    read_head(s);
    route(s);
    if (!s->routed) route_execution_action(s);
    char cl[32] = "";
    lws_hdr_copy(s->wsi, cl, sizeof cl, WSI_TOKEN_HTTP_CONTENT_LENGTH);
    int chunked = lws_hdr_total_length(s->wsi, WSI_TOKEN_HTTP_TRANSFER_ENCODING) > 0;
    return chunked || atoll(cl) > 0;
}

void fs_rest_body(fs_session *s, const void *p, size_t n) {
    if (n == 0) return; /* lws may hand an empty body chunk as NULL */
    if (s->body_len + n > FS_BODY_MAX) {
        s->body_too_big = 1;
        return;
    }
    s->body = realloc(s->body, s->body_len + n + 1);
    memcpy(s->body + s->body_len, p, n);
    s->body_len += n;
    s->body[s->body_len] = '\0';
}

/* ---- journal ------------------------------------------------------------- */

static const char *endpoint_name(const fs_session *s) {
    return s->routed ? bc_endpoint_name(s->ep) : "unknown";
}

/* A body as text when it is UTF-8, else as base64; none when empty. */
static void journal_body(json_t *e, const char *p, size_t n) {
    if (n == 0) return;
    json_t *b = json_stringn(p, n);
    json_object_set_new(e, b ? "body" : "body_b64", b ? b : fs_journal_b64((const uint8_t *)p, n));
}

void fs_rest_journal_request(fs_session *s) {
    fs_tap *t = fs_tap_find(s->conn);
    if (t) fs_tap_request_seen(t);
    json_t *e = fs_journal_event("http_request", s->conn);
    json_object_set_new(e, "req", json_integer(s->req));
    json_object_set_new(e, "method", json_string(s->method));
    json_object_set_new(e, "path", json_string(s->path));
    json_object_set_new(e, "query", json_string(s->query));
    json_object_set_new(e, "auth", s->has_auth ? json_string(s->auth) : json_null());
    json_object_set_new(e, "auth_ok", json_boolean(s->auth_ok));
    json_object_set_new(e, "endpoint", json_string(endpoint_name(s)));
    json_object_set_new(e, "call", json_integer(s->call));
    json_object_set_new(e, "execution_id", s->exec_id[0] ? json_string(s->exec_id) : json_null());
    journal_body(e, s->body, s->body_len);
    fs_journal_emit(e);
}

static void journal_response(fs_session *s, const char *fault) {
    json_t *e = fs_journal_event("http_response", s->conn);
    json_object_set_new(e, "req", json_integer(s->req));
    json_object_set_new(e, "status", s->status ? json_integer(s->status) : json_null());
    json_object_set_new(e, "endpoint", json_string(endpoint_name(s)));
    json_object_set_new(e, "call", json_integer(s->call));
    json_object_set_new(e, "body_len", json_integer((json_int_t)s->reply_len));
    if (s->status && strcmp(s->method, "HEAD")) journal_body(e, s->reply_body, s->reply_len);
    if (fault) json_object_set_new(e, "fault", json_string(fault));
    fs_journal_emit(e);
}

/* ---- reply bodies -------------------------------------------------------- */

static void set_body_json(fs_session *s, int status, json_t *body) {
    free(s->reply_body);
    s->status = status;
    s->ctype = FS_HTTP_JSON;
    s->reply_body = json_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY);
    s->reply_len = s->reply_body ? strlen(s->reply_body) : 0;
    json_decref(body);
}

static void set_body_bytes(fs_session *s, int status, const char *ctype, const void *p, size_t n) {
    free(s->reply_body);
    s->status = status;
    s->ctype = ctype;
    s->reply_body = malloc(n + 1);
    memcpy(s->reply_body, p, n);
    s->reply_body[n] = '\0';
    s->reply_len = n;
}

void fs_rest_set_error(fs_session *s, int status, const char *message) {
    set_body_json(s, status, json_pack("{s:s}", "error", message));
}

static void set_form(fs_session *s, int status, bc_body_form form, const char *msg) {
    json_t *body = fs_errbody_new(form, status, msg ? msg : "scripted error");
    if (body) set_body_json(s, status, body);
    else set_body_bytes(s, status, NULL, "", 0);
}

static json_t *probe_body(const fs_exec *e) {
    json_t *o = json_pack("{s:s,s:s}", "execution_id", e->id, "status",
                          e->completed ? "completed" : "running");
    if (e->completed) json_object_set_new(o, "exit_code", e->has_exit_code ? json_integer(e->exit_code) : json_null());
    return o;
}

static void set_probe_state(fs_session *s, const bc_reply *r, int status) {
    json_t *o = json_pack("{s:s,s:s}", "execution_id", s->exec_id, "status", r->state);
    if (r->has_exit_code)
        json_object_set_new(o, "exit_code", r->exit_code_null ? json_null() : json_integer(r->exit_code));
    if (r->error_message) json_object_set_new(o, "error_message", json_string(r->error_message));
    set_body_json(s, status, o);
}

void fs_rest_set_reply(fs_session *s, const bc_reply *r, int default_status) {
    int status = r->status ? r->status : default_status;
    switch (r->body_kind) {
    case BC_BODY_JSON:
        set_body_bytes(s, status, FS_HTTP_JSON, r->body.data, r->body.len);
        break;
    case BC_BODY_RAW: {
        int html = r->body.len > 0 && r->body.data[0] == '<';
        set_body_bytes(s, status, html ? "text/html" : FS_HTTP_JSON, r->body.data, r->body.len);
        break;
    }
    case BC_BODY_FORM:
        set_form(s, status, r->form, r->message);
        break;
    case BC_BODY_PROBE_STATE:
        set_probe_state(s, r, status);
        break;
    case BC_BODY_NONE:
        fs_rest_set_error(s, status, "scripted reply");
        break;
    }
}

/* ---- default answers ----------------------------------------------------- */

static int success_status(bc_endpoint ep) {
    switch (ep) {
    case BC_EP_EXEC: return 201;
    case BC_EP_KILL: case BC_EP_SIGNAL: case BC_EP_RESIZE: return 204;
    default: return 200;
    }
}

static void default_config(fs_session *s) {
    set_body_json(s, 200, json_pack("{s:{s:b,s:b,s:b,s:b}}", "capabilities", "snapshots_enabled", 0,
                                    "clone_enabled", 0, "export_enabled", 0, "import_enabled", 0));
}

static void default_box(fs_session *s) {
    const bc_server *sv = &fs_scenario->server;
    set_body_json(s, 200, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:i}", "box_id", sv->box_id,
                                    "name", sv->box_id, "status", sv->box_status, "created_at",
                                    box_status_created, "updated_at", box_status_created, "image",
                                    "alpine:latest", "cpus", 1, "memory_mib", 512));
}

/* NULL if the exec body is acceptable, else what is wrong with it. */
static const char *exec_body_problem(json_t *b) {
    if (!json_is_object(b)) return "body must be a JSON object";
    if (!json_is_string(json_object_get(b, "command"))) return "command: expected a string";
    json_t *v;
    if ((v = json_object_get(b, "args")) && !json_is_null(v)) {
        if (!json_is_array(v)) return "args: expected an array of strings";
        size_t i;
        json_t *a;
        json_array_foreach(v, i, a) if (!json_is_string(a)) return "args: expected an array of strings";
    }
    if ((v = json_object_get(b, "env")) && !json_is_null(v)) {
        if (!json_is_object(v)) return "env: expected an object of strings";
        const char *k;
        json_t *a;
        json_object_foreach(v, k, a) if (!json_is_string(a)) return "env: expected an object of strings";
    }
    if ((v = json_object_get(b, "tty")) && !json_is_null(v) && !json_is_boolean(v)) return "tty: expected a boolean";
    if ((v = json_object_get(b, "timeout_seconds")) && !json_is_null(v) && !json_is_number(v))
        return "timeout_seconds: expected a number";
    if ((v = json_object_get(b, "working_dir")) && !json_is_null(v) && !json_is_string(v))
        return "working_dir: expected a string";
    return NULL;
}

static void default_exec(fs_session *s) {
    json_error_t jerr;
    json_t *b = s->body ? json_loadb(s->body, s->body_len, 0, &jerr) : NULL;
    const char *problem = b ? exec_body_problem(b) : "body is not JSON";
    json_decref(b);
    if (problem) {
        fs_rest_set_error(s, 400, problem);
        return;
    }
    const char *fixed = fs_scenario->server.execution_id;
    fs_exec *e = fixed ? fs_exec_find(fixed) : NULL;
    if (!e) e = fs_exec_create(fixed);
    set_body_json(s, 201, json_pack("{s:s}", "execution_id", e->id));
}

static void default_reply(fs_session *s, fs_exec *e) {
    switch (s->ep) {
    case BC_EP_CONFIG: default_config(s); break;
    case BC_EP_BOX: default_box(s); break;
    case BC_EP_EXEC: default_exec(s); break;
    case BC_EP_PROBE: set_body_json(s, 200, probe_body(e)); break;
    default: set_body_bytes(s, 204, NULL, "", 0); break;
    }
}

/* ---- deciding and sending ------------------------------------------------ */

/* A scripted exec success names an execution: attaching to it must work. */
static void adopt_scripted_execution(fs_session *s) {
    if (s->status < 200 || s->status >= 300 || !s->reply_body) return;
    json_t *b = json_loadb(s->reply_body, s->reply_len, 0, NULL);
    const char *id = json_string_value(json_object_get(b, "execution_id"));
    if (id && !fs_exec_find(id)) fs_exec_create(id);
    json_decref(b);
}

static void reply_due(lws_sorted_usec_list_t *sul) {
    fs_session *s = lws_container_of(sul, fs_session, reply_sul);
    s->reply_ready = 1;
    lws_callback_on_writable(s->wsi);
}

/* gin's own answer to a path no route matches. */
static const char gin_no_route[] = "404 page not found";

/* A refusal before the endpoint: unknown route, token, box or execution. */
int fs_rest_refuse(fs_session *s, fs_exec **exec) {
    if (!s->routed) set_body_bytes(s, 404, "text/plain", gin_no_route, sizeof gin_no_route - 1);
    else if (!s->auth_ok && fs_scenario->server.auth_enforce) fs_rest_set_error(s, 401, "missing or invalid bearer token");
    else if (s->ep != BC_EP_CONFIG && strcmp(s->box_id, fs_scenario->server.box_id))
        fs_rest_set_error(s, 404, "box not found");
    else if (s->body_too_big) fs_rest_set_error(s, 413, "request body too large");
    else if (s->exec_id[0] && !(*exec = fs_exec_find(s->exec_id)))
        fs_rest_set_error(s, 404, "execution not found");
    else if (s->ep == BC_EP_ATTACH && !lws_hdr_total_length(s->wsi, WSI_TOKEN_UPGRADE))
        fs_rest_set_error(s, 400, "attach needs a WebSocket upgrade");
    else return 0;
    return 1;
}

static void apply_fault(fs_session *s, const bc_reply *r) {
    fs_tap *t = fs_tap_find(s->conn);
    if (r->rst) {
        journal_response(s, "rst");
        if (t) fs_tap_rst(t);
        return;
    }
    journal_response(s, "hang");
    if (t) fs_tap_hold(t, r->hang_forever ? -1 : fs_real_us(r->hang_seconds));
    /* lws must not give up on a reply we never send. */
    lws_set_timeout(s->wsi, NO_PENDING_TIMEOUT, 0);
}

/* A scripted reply with a status or body replaces the endpoint's own answer;
 * one with only a delay keeps it. */
static void fill_reply(fs_session *s, const bc_reply *r, fs_exec *e) {
    if (r && (r->status || r->body_kind != BC_BODY_NONE)) {
        fs_rest_set_reply(s, r, success_status(s->ep));
        if (s->ep == BC_EP_EXEC) adopt_scripted_execution(s);
    } else {
        default_reply(s, e);
    }
}

static void send_when_due(fs_session *s, double delay) {
    if (delay <= 0) {
        s->reply_ready = 1;
        lws_callback_on_writable(s->wsi);
        return;
    }
    s->fault = "delay";
    /* lws's own content timeout must outlast the delay. */
    lws_set_timeout(s->wsi, PENDING_TIMEOUT_HTTP_CONTENT, (int)(delay / fs_scale) + 30);
    lws_sul_schedule(fs_server_context(), 0, &s->reply_sul, reply_due, fs_real_us(delay));
}

void fs_rest_decide(fs_session *s) {
    fs_exec *e = NULL;
    if (fs_rest_refuse(s, &e)) {
        fs_rest_journal_request(s);
        send_when_due(s, 0);
        return;
    }
    s->call = s->ep == BC_EP_PROBE ? ++e->probe_calls : ++rest_calls[s->ep];
    fs_rest_journal_request(s);
    const bc_reply *r = bc_scenario_reply(fs_scenario, s->ep, s->call);
    if (r && (r->rst || r->hang)) {
        apply_fault(s, r);
        return;
    }
    fill_reply(s, r, e);
    send_when_due(s, r ? r->delay : 0);
}

/* Status line, headers and body; 0 on success. */
static int write_reply(fs_session *s, int with_body) {
    uint8_t head[LWS_PRE + 2048];
    uint8_t *start = head + LWS_PRE, *p = start, *end = head + sizeof head - 1;
    if (fs_http_head(s->wsi, s->status, s->ctype, s->reply_len, &p, end) ||
        lws_finalize_write_http_header(s->wsi, start, &p, end))
        return -1;
    if (!with_body || s->reply_len == 0) return 0;
    uint8_t *buf = malloc(LWS_PRE + s->reply_len);
    memcpy(buf + LWS_PRE, s->reply_body, s->reply_len);
    int w = lws_write(s->wsi, buf + LWS_PRE, s->reply_len, LWS_WRITE_HTTP_FINAL);
    free(buf);
    return w < 0 ? -1 : 0;
}

int fs_rest_write(fs_session *s) {
    if (!s->reply_ready) return 0;
    s->reply_ready = 0;
    int failed = write_reply(s, strcmp(s->method, "HEAD"));
    journal_response(s, s->fault);
    if (failed) return -1;
    return lws_http_transaction_completed(s->wsi) ? -1 : 0;
}

void fs_rest_write_reject(fs_session *s) {
    write_reply(s, 1);
    journal_response(s, NULL);
}
