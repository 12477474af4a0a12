/* request.c - the request head, body and journal event. */
#include "request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal.h"
#include "loop.h"

static const struct { enum lws_token_indexes tok; const char *name; } request_methods[] = {
    {WSI_TOKEN_GET_URI, "GET"},     {WSI_TOKEN_POST_URI, "POST"},
    {WSI_TOKEN_HEAD_URI, "HEAD"},   {WSI_TOKEN_DELETE_URI, "DELETE"},
    {WSI_TOKEN_PUT_URI, "PUT"},     {WSI_TOKEN_PATCH_URI, "PATCH"},
    {WSI_TOKEN_OPTIONS_URI, "OPTIONS"},
};

/* lws keeps the query as '&'-separated fragments (URL-decoded); they are
 * joined back with '&'. */
static void read_query(fs_session *s) {
    fs_request *rq = &s->request;
    char frag[512];
    size_t at = 0;
    for (int i = 0; lws_hdr_copy_fragment(s->wsi, frag, sizeof frag, WSI_TOKEN_HTTP_URI_ARGS, i) > 0; i++) {
        int n = snprintf(rq->query + at, sizeof rq->query - at, "%s%s", at ? "&" : "", frag);
        if (n < 0 || (size_t)n >= sizeof rq->query - at) break;
        at += (size_t)n;
    }
    /* lws reports a bare trailing '?' as the fragment "/". */
    if (!strcmp(rq->query, "/")) rq->query[0] = '\0';
}

static void read_auth(fs_session *s) {
    fs_request *rq = &s->request;
    rq->has_auth = lws_hdr_copy(s->wsi, rq->auth, sizeof rq->auth, WSI_TOKEN_HTTP_AUTHORIZATION) > 0;
    char want[600];
    snprintf(want, sizeof want, "Bearer %s", fs_scenario->server.token);
    rq->auth_ok = rq->has_auth && !strcmp(rq->auth, want);
}

int fs_request_read_head(fs_session *s) {
    fs_request *rq = &s->request;
    for (size_t i = 0; i < sizeof request_methods / sizeof request_methods[0]; i++) {
        if (lws_hdr_total_length(s->wsi, request_methods[i].tok) > 0) {
            snprintf(rq->method, sizeof rq->method, "%s", request_methods[i].name);
            lws_hdr_copy(s->wsi, rq->path, sizeof rq->path, request_methods[i].tok);
            break;
        }
    }
    read_query(s);
    read_auth(s);
    char cl[32] = "";
    lws_hdr_copy(s->wsi, cl, sizeof cl, WSI_TOKEN_HTTP_CONTENT_LENGTH);
    int chunked = lws_hdr_total_length(s->wsi, WSI_TOKEN_HTTP_TRANSFER_ENCODING) > 0;
    return chunked || atoll(cl) > 0;
}

void fs_request_body(fs_session *s, const void *p, size_t n) {
    fs_request *rq = &s->request;
    if (n == 0) return; /* lws may hand an empty body chunk as NULL */
    if (rq->body_len + n > FS_BODY_MAX) {
        rq->body_too_big = 1;
        return;
    }
    if (rq->body_len + n + 1 > rq->body_cap) {
        size_t cap = rq->body_cap ? rq->body_cap : 4096;
        while (cap < rq->body_len + n + 1) cap *= 2;
        rq->body = realloc(rq->body, cap);
        rq->body_cap = cap;
    }
    memcpy(rq->body + rq->body_len, p, n);
    rq->body_len += n;
    rq->body[rq->body_len] = '\0';
}

const char *fs_request_param(const fs_session *s, const char *name) {
    return fs_params_get(&s->request.params, name);
}

const char *fs_request_endpoint(const fs_session *s) {
    return s->request.route ? bc_endpoint_name(s->request.route->ep) : "unknown";
}

void fs_request_journal(const fs_session *s) {
    const fs_request *rq = &s->request;
    const char *exec_id = fs_request_param(s, "exec");
    json_t *e = fs_journal_event("http_request", s->conn);
    json_object_set_new(e, "req", json_integer(rq->num));
    json_object_set_new(e, "method", json_string(rq->method));
    json_object_set_new(e, "path", json_string(rq->path));
    json_object_set_new(e, "query", json_string(rq->query));
    json_object_set_new(e, "auth", rq->has_auth ? json_string(rq->auth) : json_null());
    json_object_set_new(e, "auth_ok", json_boolean(rq->auth_ok));
    json_object_set_new(e, "endpoint", json_string(fs_request_endpoint(s)));
    json_object_set_new(e, "call", json_integer(rq->call));
    json_object_set_new(e, "execution_id", exec_id ? json_string(exec_id) : json_null());
    fs_journal_body(e, rq->body, rq->body_len);
    fs_journal_emit_at(e, rq->arrived_ns);
}

void fs_request_reset(fs_request *rq) {
    free(rq->body);
    memset(rq, 0, sizeof *rq);
}
