/* request.c - the request head, body and journal event. */
#include "request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal.h"
#include "loop.h"
#include "rawhead.h"
#include "tap.h"
#include "tarball.h"

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

/* The head the tap caught on the wire, if it is this request's: the path
 * and query as sent and the header fields in arrival order. */
static void read_raw_head(fs_session *s) {
    fs_request *rq = &s->request;
    fs_tap *t = fs_tap_find(s->conn);
    char *text = t ? fs_tap_take_head(t) : NULL;
    rq->pipelined = t && !text;
    fs_rawhead h;
    if (text && fs_rawhead_parse(text, &h) == 0) {
        if (!strcmp(h.method, rq->method)) {
            rq->path_raw = h.path;
            rq->query_raw = h.query;
            rq->headers = h.fields;
            h.path = h.query = NULL;
            h.fields = NULL;
        }
        fs_rawhead_free(&h);
    }
    free(text);
}

/* Decoded query parameters: from the query as sent, or else (no head
 * caught) from lws's fragments, already decoded by it. */
static void read_query_params(fs_request *rq) {
    if (rq->path_raw) {
        rq->query_params = fs_query_params(rq->query_raw);
        return;
    }
    rq->query_params = json_array();
    for (char *frag = rq->query, *end; *frag; frag = *end ? end + 1 : end) {
        end = frag + strcspn(frag, "&");
        char *eq = memchr(frag, '=', (size_t)(end - frag));
        json_t *name = json_stringn(frag, (size_t)((eq ? eq : end) - frag));
        json_t *value = eq ? json_stringn(eq + 1, (size_t)(end - eq - 1)) : json_string("");
        json_array_append_new(rq->query_params, json_pack("[oo]", name ? name : json_null(),
                                                          value ? value : json_null()));
    }
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
    fs_tap *t = fs_tap_find(s->conn);
    rq->origin = t ? (int)fs_tap_origin(t) : FS_ORIGIN_MAIN;
    read_query(s);
    read_auth(s);
    read_raw_head(s);
    read_query_params(rq);
    lws_hdr_copy(s->wsi, rq->content_type, sizeof rq->content_type, WSI_TOKEN_HTTP_CONTENT_TYPE);
    char cl[32] = "";
    lws_hdr_copy(s->wsi, cl, sizeof cl, WSI_TOKEN_HTTP_CONTENT_LENGTH);
    int chunked = lws_hdr_total_length(s->wsi, WSI_TOKEN_HTTP_TRANSFER_ENCODING) > 0;
    rq->unframed = !chunked && !cl[0] && (!strcmp(rq->method, "POST") ||
                                          !strcmp(rq->method, "PUT") || !strcmp(rq->method, "PATCH"));
    return chunked || atoll(cl) > 0;
}

const char *fs_request_route_path(const fs_request *rq) {
    return rq->path_raw ? rq->path_raw : rq->path;
}

static size_t body_max(const fs_request *rq) {
    return rq->route && (rq->route->flags & FS_ROUTE_UPLOAD) ? FS_UPLOAD_MAX : FS_BODY_MAX;
}

void fs_request_body(fs_session *s, const void *p, size_t n) {
    fs_request *rq = &s->request;
    if (n == 0) return; /* lws may hand an empty body chunk as NULL */
    /* An unframed request has no body (RFC 9112 6.3): what lws 4.1 hands as
     * one is the connection's next bytes, and when they came pipelined from
     * its buffer, p points into memory lws has already freed (fuzz_http's
     * regression pipelined-unframed-put). Never read it. */
    if (rq->unframed) return;
    if (rq->body_len + n > body_max(rq)) {
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

const char *fs_request_query(const fs_session *s, const char *name) {
    size_t i;
    json_t *pair;
    json_array_foreach(s->request.query_params, i, pair) {
        const char *k = json_string_value(json_array_get(pair, 0));
        if (k && !strcmp(k, name)) return json_string_value(json_array_get(pair, 1));
    }
    return NULL;
}

json_t *fs_request_tar(fs_session *s, const char **error) {
    fs_request *rq = &s->request;
    if (!rq->tar) rq->tar = fs_tar()->entries(rq->body, rq->body_len, &rq->tar_error);
    *error = rq->tar_error;
    return rq->tar;
}

const char *fs_request_endpoint(const fs_session *s) {
    return s->request.route ? bc_endpoint_name(s->request.route->ep) : "unknown";
}

static json_t *string_or_null(const char *p) { return p ? json_string(p) : json_null(); }

/* What the request carried: the head as sent, and its body (an upload's as
 * the tar's entries; any body over FS_BODY_MAX journaled in part). */
static void journal_wire(json_t *e, fs_session *s) {
    const fs_request *rq = &s->request;
    json_t *path_raw = rq->path_raw ? json_string(rq->path_raw) : NULL;
    json_t *query_raw = rq->query_raw ? json_string(rq->query_raw) : NULL;
    json_object_set_new(e, "path_raw", path_raw ? path_raw : json_null());
    json_object_set_new(e, "query_raw", query_raw ? query_raw : rq->path_raw ? json_string("")
                                                                             : json_null());
    json_object_set_new(e, "query_params", json_incref(rq->query_params));
    json_object_set_new(e, "headers", rq->headers ? json_incref(rq->headers) : json_null());
    json_object_set_new(e, "content_type", string_or_null(rq->content_type[0] ? rq->content_type
                                                                             : NULL));
    json_object_set_new(e, "origin", json_string(fs_origin_name((fs_origin)rq->origin)));
    json_object_set_new(e, "body_len", json_integer((json_int_t)rq->body_len));
    if (rq->route && (rq->route->flags & FS_ROUTE_UPLOAD) && !rq->body_too_big) {
        const char *error;
        json_object_set_new(e, "tar", json_incref(fs_request_tar(s, &error)));
        if (!error) return;
        json_object_set_new(e, "tar_error", json_string(error));
    }
    size_t kept = rq->body_len < FS_BODY_MAX ? rq->body_len : FS_BODY_MAX;
    fs_journal_body(e, rq->body, kept);
    if (kept < rq->body_len) json_object_set_new(e, "body_truncated", json_true());
}

void fs_request_journal(fs_session *s) {
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
    journal_wire(e, s);
    fs_journal_emit_at(e, rq->arrived_ns);
}

void fs_request_reset(fs_request *rq) {
    free(rq->body);
    free(rq->path_raw);
    free(rq->query_raw);
    json_decref(rq->headers);
    json_decref(rq->query_params);
    json_decref(rq->tar);
    free(rq->tar_error);
    memset(rq, 0, sizeof *rq);
}
