/* reply.c - reply bodies, writing them, and their journal events. */
#include "reply.h"

#include <stdlib.h>
#include <string.h>

#include "error_body.h"
#include "http_head.h"
#include "journal.h"
#include "request.h"

void fs_reply_reset(fs_reply *rp) {
    free(rp->body);
    lws_sul_cancel(&rp->sul);
    memset(rp, 0, sizeof *rp);
}

/* ---- bodies -------------------------------------------------------------- */

void fs_reply_json(fs_session *s, int status, json_t *body) {
    fs_reply *rp = &s->reply;
    free(rp->body);
    rp->status = status;
    rp->ctype = FS_HTTP_JSON;
    rp->body = json_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY);
    rp->len = rp->body ? strlen(rp->body) : 0;
    json_decref(body);
}

void fs_reply_bytes(fs_session *s, int status, const char *ctype, const void *p, size_t n) {
    fs_reply *rp = &s->reply;
    free(rp->body);
    rp->status = status;
    rp->ctype = ctype;
    rp->body = malloc(n + 1);
    memcpy(rp->body, p, n);
    rp->body[n] = '\0';
    rp->len = n;
}

void fs_reply_empty(fs_session *s, int status) { fs_reply_bytes(s, status, NULL, "", 0); }

void fs_reply_error(fs_session *s, int status, const char *message) {
    fs_reply_json(s, status, json_pack("{s:s}", "error", message));
}

/* ---- the scenario's REPLY forms ------------------------------------------ */

static void set_form(fs_session *s, int status, bc_body_form form, const char *msg) {
    json_t *body = fs_errbody_new(form, status, msg ? msg : "scripted error");
    if (body) fs_reply_json(s, status, body);
    else fs_reply_empty(s, status);
}

/* The probe shorthand: the execution's status body with a scripted state. */
static void set_probe_state(fs_session *s, const bc_reply *r, int status) {
    const char *id = fs_request_param(s, "exec");
    json_t *o = json_pack("{s:s,s:s}", "execution_id", id ? id : "", "status", r->state);
    if (r->has_exit_code)
        json_object_set_new(o, "exit_code", r->exit_code_null ? json_null() : json_integer(r->exit_code));
    if (r->error_message) json_object_set_new(o, "error_message", json_string(r->error_message));
    fs_reply_json(s, status, o);
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
        set_form(s, status, r->form, r->message);
        break;
    case BC_BODY_PROBE_STATE:
        set_probe_state(s, r, status);
        break;
    default: /* the box resources' body kinds: not served yet */
        fs_reply_error(s, status, "scripted reply");
        break;
    }
}

/* ---- writing and journaling ---------------------------------------------- */

int fs_reply_write(fs_session *s, int with_body) {
    const fs_reply *rp = &s->reply;
    uint8_t head[LWS_PRE + 2048];
    uint8_t *start = head + LWS_PRE, *p = start, *end = head + sizeof head - 1;
    if (fs_http_head(s->wsi, rp->status, rp->ctype, rp->len, &p, end) ||
        lws_finalize_write_http_header(s->wsi, start, &p, end))
        return -1;
    if (!with_body || rp->len == 0) return 0;
    uint8_t *buf = malloc(LWS_PRE + rp->len);
    memcpy(buf + LWS_PRE, rp->body, rp->len);
    int w = lws_write(s->wsi, buf + LWS_PRE, rp->len, LWS_WRITE_HTTP_FINAL);
    free(buf);
    return w < 0 ? -1 : 0;
}

void fs_reply_journal(const fs_session *s, const char *fault) {
    json_t *e = fs_journal_event("http_response", s->conn);
    json_object_set_new(e, "req", json_integer(s->request.num));
    json_object_set_new(e, "status", s->reply.status ? json_integer(s->reply.status) : json_null());
    json_object_set_new(e, "endpoint", json_string(fs_request_endpoint(s)));
    json_object_set_new(e, "call", json_integer(s->request.call));
    json_object_set_new(e, "body_len", json_integer((json_int_t)s->reply.len));
    if (s->reply.status && strcmp(s->request.method, "HEAD")) /* what was sent: HEAD sends none */
        fs_journal_body(e, s->reply.body, s->reply.len);
    if (fault) json_object_set_new(e, "fault", json_string(fault));
    fs_journal_emit(e);
}

void fs_reply_journal_upgrade(const fs_session *s, const char *outcome) {
    const char *exec_id = fs_request_param(s, "exec");
    json_t *e = fs_journal_event("attach", s->conn);
    json_object_set_new(e, "req", json_integer(s->request.num));
    json_object_set_new(e, "attempt", json_integer(s->attempt));
    json_object_set_new(e, "execution_id", exec_id ? json_string(exec_id) : json_null());
    json_object_set_new(e, "query", json_string(s->request.query));
    json_object_set_new(e, "outcome", json_string(outcome));
    fs_journal_emit(e);
}

int fs_reply_refuse_upgrade(fs_session *s) {
    fs_reply_journal_upgrade(s, "rejected");
    fs_reply_write(s, 1);
    fs_reply_journal(s, NULL);
    return 1;
}
