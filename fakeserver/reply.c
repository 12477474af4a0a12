/* reply.c - reply bodies, the scenario's REPLY forms and modifiers, and
 * their journal events. Writing them is reply_send.c's. */
#include "reply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error_body.h"
#include "http_head.h"
#include "journal.h"
#include "loop.h"
#include "request.h"
#include "tap.h"
#include "tarball.h"

void fs_reply_reset(fs_reply *rp) {
    free(rp->body);
    json_decref(rp->extra);
    json_decref(rp->head_fields);
    lws_sul_cancel(&rp->sul);
    memset(rp, 0, sizeof *rp);
}

/* ---- bodies -------------------------------------------------------------- */

/* Replaces the body (keeping the modifiers a REPLY may add later). */
static void set_body(fs_reply *rp, int status, const char *ctype, char *body, size_t len) {
    free(rp->body);
    rp->status = status;
    rp->ctype = ctype;
    rp->body = body;
    rp->len = len;
    rp->source = FS_SRC_MEMORY;
    rp->total = len;
    rp->is_tar = 0;
}

void fs_reply_json(fs_session *s, int status, json_t *body) {
    char *text = json_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY);
    set_body(&s->reply, status, FS_HTTP_JSON, text, text ? strlen(text) : 0);
    json_decref(body);
}

void fs_reply_bytes(fs_session *s, int status, const char *ctype, const void *p, size_t n) {
    char *copy = malloc(n + 1);
    memcpy(copy, p, n);
    copy[n] = '\0';
    set_body(&s->reply, status, ctype, copy, n);
}

void fs_reply_empty(fs_session *s, int status) { fs_reply_bytes(s, status, NULL, "", 0); }

void fs_reply_error(fs_session *s, int status, const char *message) {
    fs_reply_json(s, status, json_pack("{s:s}", "error", message));
}

void fs_reply_form(fs_session *s, int status, bc_body_form form, const char *message) {
    json_t *body = fs_errbody_new(form, status, message);
    if (body) fs_reply_json(s, status, body);
    else fs_reply_empty(s, status);
}

/* A body made as it is sent: source, total bytes. */
static void set_made(fs_session *s, int status, const char *ctype, fs_body_source source,
                     unsigned long long total) {
    set_body(&s->reply, status, ctype, NULL, 0);
    s->reply.source = source;
    s->reply.total = total;
    if (source == FS_SRC_ENDLESS) s->reply.chunked = 1;
}

void fs_reply_pattern(fs_session *s, int status, const char *ctype, unsigned long long count) {
    set_made(s, status, ctype, FS_SRC_PATTERN, count);
}

void fs_reply_tar(fs_session *s, int status, const bc_tar_spec *spec) {
    size_t len = 0;
    unsigned char *tar = fs_tar()->build(spec, fs_sandbox, &len);
    if (!tar) {
        fs_reply_form(s, 500, BC_FORM_ENVELOPE, "the fake server could not build the tar");
        return;
    }
    set_body(&s->reply, status, "application/x-tar", (char *)tar, len);
    s->reply.is_tar = 1;
}

/* ---- the scenario's REPLY forms ------------------------------------------ */

/* The probe shorthand: the execution's status body with a scripted state. */
static void set_probe_state(fs_session *s, const bc_reply *r, int status) {
    const char *id = fs_request_param(s, "exec");
    json_t *o = json_pack("{s:s,s:s}", "execution_id", id ? id : "", "status", r->state);
    if (r->has_exit_code)
        json_object_set_new(o, "exit_code", r->exit_code_null ? json_null() : json_integer(r->exit_code));
    if (r->error_message) json_object_set_new(o, "error_message", json_string(r->error_message));
    fs_reply_json(s, status, o);
}

/* Go's http.Redirect: a Location, and for GET (HEAD: its head) a short
 * HTML body naming it; for other methods no body. */
static void set_redirect(fs_session *s, const bc_redirect *rd) {
    const fs_request *rq = &s->request;
    int origin = rd->other ? FS_ORIGIN_OTHER : rq->origin;
    char *target = NULL, *url = NULL;
    if (rd->path) target = strdup(rd->path);
    else if (asprintf(&target, "%s%s%s", fs_request_route_path(rq), rq->query_raw ? "?" : "",
                      rq->query_raw ? rq->query_raw : "") < 0)
        target = NULL;
    if (asprintf(&url, "http://127.0.0.1:%d%s", fs_ports[origin], target ? target : "/") < 0) url = NULL;
    int get = !strcmp(rq->method, "GET") || !strcmp(rq->method, "HEAD");
    char *body = NULL;
    if (get && asprintf(&body, "<a href=\"%s\">%s</a>.\n\n", url ? url : "",
                        fs_http_reason(rd->status)) < 0)
        body = NULL;
    set_body(&s->reply, rd->status, body ? "text/html; charset=utf-8" : NULL, body ? body : strdup(""),
             body ? strlen(body) : 0);
    if (!s->reply.extra) s->reply.extra = json_array();
    json_array_append_new(s->reply.extra, json_pack("[ss]", "Location", url ? url : ""));
    free(target);
    free(url);
}

void fs_reply_scripted(fs_session *s, const bc_reply *r, int default_status) {
    int status = r->status ? r->status : default_status;
    switch (r->body_kind) {
    case BC_BODY_JSON:
        fs_reply_bytes(s, status, FS_HTTP_JSON, r->body.data, r->body.len);
        break;
    case BC_BODY_RAW: {
        int html = r->body.len > 0 && r->body.data[0] == '<';
        fs_reply_bytes(s, status, html ? "text/html" : FS_HTTP_JSON, r->body.data, r->body.len);
        break;
    }
    case BC_BODY_FORM:
        fs_reply_form(s, status, r->form, r->message ? r->message : "scripted error");
        break;
    case BC_BODY_PROBE_STATE:
        set_probe_state(s, r, status);
        break;
    case BC_BODY_TAR:
        fs_reply_tar(s, status, &r->tar);
        break;
    case BC_BODY_BYTES:
        fs_reply_pattern(s, status, "application/octet-stream", r->count);
        break;
    case BC_BODY_ENDLESS:
        set_made(s, status, "application/octet-stream", FS_SRC_ENDLESS, 0);
        break;
    case BC_BODY_JSON_DEPTH:
        set_made(s, status, FS_HTTP_JSON, FS_SRC_NESTED, 2 * r->count);
        break;
    case BC_BODY_REDIRECT:
        set_redirect(s, &r->redirect);
        break;
    case BC_BODY_HEADER_ENDLESS:
        fs_reply_json(s, status, json_object());
        s->reply.header_endless = 1;
        break;
    case BC_BODY_NONE:
        fs_reply_error(s, status, "scripted reply");
        break;
    }
}

void fs_reply_modify(fs_session *s, const bc_reply *r) {
    fs_reply *rp = &s->reply;
    if (!r) return;
    rp->chunked |= r->chunked;
    if (r->drip > 0) rp->drip = r->drip;
    if (r->header_count && !rp->extra) rp->extra = json_array();
    for (size_t i = 0; i < r->header_count; i++)
        json_array_append_new(rp->extra, json_pack("[ss]", r->headers[i].name, r->headers[i].value));
}

/* ---- journaling ----------------------------------------------------------- */

/* What the answer was: its head as written, how its body went. */
static void journal_answer(json_t *e, const fs_session *s) {
    const fs_reply *rp = &s->reply;
    json_object_set_new(e, "headers", rp->head_fields ? json_incref(rp->head_fields) : json_null());
    if (rp->chunked && fs_http_has_body(rp->status)) json_object_set_new(e, "chunked", json_true());
    /* HEAD sends no body; an endless head none either */
    if (!rp->status || !strcmp(s->request.method, "HEAD") || rp->header_endless) return;
    if (rp->source == FS_SRC_MEMORY && !rp->is_tar) /* a streamed one: what left */
        fs_journal_body(e, rp->body, rp->streaming ? (size_t)rp->sent : rp->len);
    if (rp->is_tar) { /* its entries say what it holds */
        char *error = NULL;
        json_object_set_new(e, "tar", fs_tar()->entries(rp->body, rp->len, &error));
        if (error) json_object_set_new(e, "tar_error", json_string(error));
        free(error);
    }
}

/* The fault a streamed answer plays (the first that applies), else fault. */
static const char *stream_fault(const fs_reply *rp, const char *fault) {
    return rp->header_endless ? "header_endless" : rp->source == FS_SRC_ENDLESS ? "endless"
           : rp->drip > 0 ? "drip" : fault;
}

static void journal_response(const fs_session *s, const char *fault, int complete) {
    const fs_reply *rp = &s->reply;
    int streamed = rp->streaming;
    json_t *e = fs_journal_event("http_response", s->conn);
    json_object_set_new(e, "req", json_integer(s->request.num));
    json_object_set_new(e, "status", rp->status ? json_integer(rp->status) : json_null());
    json_object_set_new(e, "endpoint", json_string(fs_request_endpoint(s)));
    json_object_set_new(e, "call", json_integer(s->request.call));
    unsigned long long body_len = rp->header_endless ? 0 : streamed ? rp->sent : rp->len;
    json_object_set_new(e, "body_len", json_integer((json_int_t)body_len));
    journal_answer(e, s);
    if (streamed) fault = stream_fault(rp, fault);
    if (fault) json_object_set_new(e, "fault", json_string(fault));
    if (!complete) json_object_set_new(e, "complete", json_false());
    fs_tap_journal_sent(fs_tap_find(s->conn), e);
}

void fs_reply_journal(const fs_session *s, const char *fault) { journal_response(s, fault, 1); }

void fs_reply_journal_cut(const fs_session *s) { journal_response(s, s->reply.fault, 0); }

void fs_reply_journal_upgrade(const fs_session *s, const char *outcome) {
    const char *exec_id = fs_request_param(s, "exec");
    json_t *e = fs_journal_event("attach", s->conn);
    json_object_set_new(e, "req", json_integer(s->request.num));
    json_object_set_new(e, "attempt", json_integer(s->attempt));
    json_object_set_new(e, "execution_id", exec_id ? json_string(exec_id) : json_null());
    json_object_set_new(e, "query", json_string(s->request.query));
    json_object_set_new(e, "outcome", json_string(outcome));
    fs_tap_journal_sent(fs_tap_find(s->conn), e);
}

int fs_reply_refuse_upgrade(fs_session *s) {
    fs_reply_journal_upgrade(s, "rejected");
    fs_reply_send(s, 1);
    fs_reply_journal(s, NULL);
    return 1;
}
