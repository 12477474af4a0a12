/* rest_stub.c - see rest_stub.h. */
#include "rest_stub.h"
#include "lws_thread.h"

#include <libwebsockets.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RS_CHUNK 16384
#define RS_ENDLESS_LEN ((lws_filepos_t)1 << 50)

struct rs_stub {
    const struct rs_reply *replies;
    int used[64];                      /* uses per reply row */
    struct lt_server loop;
    pthread_mutex_t lock;
    struct rs_request seen[RS_MAX_REQUESTS];
    int n_seen;
};

struct rs_conn {
    const struct rs_reply *reply;
    int request;                       /* index in seen, -1 when not kept */
    uint64_t sent, total;
    bool waiting;                      /* RS_DRIP: between two bytes */
    lws_sorted_usec_list_t sul;
    struct lws *wsi;
};

static struct rs_stub *stub_of(struct lws *wsi)
{
    return lws_context_user(lws_get_context(wsi));
}

static const struct { enum lws_token_indexes tok; const char *name; } methods[] = {
    { WSI_TOKEN_GET_URI, "GET" }, { WSI_TOKEN_POST_URI, "POST" }, { WSI_TOKEN_PUT_URI, "PUT" },
    { WSI_TOKEN_DELETE_URI, "DELETE" }, { WSI_TOKEN_PATCH_URI, "PATCH" },
};

static void record(struct lws *wsi, struct rs_conn *c, const char *uri)
{
    struct rs_stub *s = stub_of(wsi);
    struct rs_request rq;
    memset(&rq, 0, sizeof(rq));
    for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
        if (lws_hdr_total_length(wsi, methods[i].tok) > 0)
            snprintf(rq.method, sizeof(rq.method), "%s", methods[i].name);
    snprintf(rq.path, sizeof(rq.path), "%s", uri);
    const char *arg = lws_get_urlarg_by_name(wsi, "path=", rq.path_arg, sizeof(rq.path_arg));
    memmove(rq.path_arg, arg ? arg : "", strlen(arg ? arg : "") + 1);
    lws_hdr_copy(wsi, rq.auth, sizeof(rq.auth), WSI_TOKEN_HTTP_AUTHORIZATION);
    lws_hdr_copy(wsi, rq.content_type, sizeof(rq.content_type), WSI_TOKEN_HTTP_CONTENT_TYPE);
    lws_hdr_copy(wsi, rq.accept, sizeof(rq.accept), WSI_TOKEN_HTTP_ACCEPT);
    pthread_mutex_lock(&s->lock);
    c->request = s->n_seen < RS_MAX_REQUESTS ? s->n_seen++ : -1;
    if (c->request >= 0)
        s->seen[c->request] = rq;
    pthread_mutex_unlock(&s->lock);
}

static void keep_body(struct lws *wsi, struct rs_conn *c, const void *in, size_t len)
{
    struct rs_stub *s = stub_of(wsi);
    if (len == 0)
        return;
    pthread_mutex_lock(&s->lock);
    if (c->request >= 0) {
        struct rs_request *rq = &s->seen[c->request];
        rq->body = realloc(rq->body, rq->body_len + len);
        memcpy(rq->body + rq->body_len, in, len);
        rq->body_len += len;
    }
    pthread_mutex_unlock(&s->lock);
}

static const struct rs_reply *pick(struct rs_stub *s, const struct rs_request *rq)
{
    static const struct rs_reply no_route = { .status = 404, .body = "{\"error\":\"no route\"}" };
    const struct rs_reply *found = &no_route;
    pthread_mutex_lock(&s->lock);
    for (int i = 0; s->replies[i].status; i++) {
        const struct rs_reply *r = &s->replies[i];
        bool match = (!r->method || strcmp(r->method, rq->method) == 0) &&
                     (!r->path || strcmp(r->path, rq->path) == 0) &&
                     (!r->uses || s->used[i] < r->uses);
        if (match) {
            s->used[i]++;
            found = r;
            break;
        }
    }
    pthread_mutex_unlock(&s->lock);
    return found;
}

static uint64_t body_total(const struct rs_reply *r)
{
    switch (r->kind) {
    case RS_PATTERN: return r->size;
    case RS_ENDLESS: return RS_ENDLESS_LEN;
    default: return r->body_len ? r->body_len : (r->body ? strlen(r->body) : 0);
    }
}

static int write_head(struct lws *wsi, struct rs_conn *c)
{
    const struct rs_reply *r = c->reply;
    uint8_t buf[LWS_PRE + 2048], *start = buf + LWS_PRE, *p = start, *end = buf + sizeof(buf);
    char location[512];
    if (r->kind == RS_HEAD_ENDLESS) {
        static const char line[] = "HTTP/1.1 200 OK\r\n";
        memcpy(start, line, sizeof(line) - 1);
        return lws_write(wsi, start, sizeof(line) - 1, LWS_WRITE_HTTP_HEADERS) < 0 ? -1 : 0;
    }
    c->total = body_total(r);
    if (lws_add_http_common_headers(wsi, (unsigned)r->status, r->type ? r->type : "application/json",
                                    (lws_filepos_t)c->total, &p, end))
        return -1;
    if (r->location) {
        snprintf(location, sizeof(location), r->location, r->location_port);
        if (lws_add_http_header_by_name(wsi, (const unsigned char *)"location:",
                                        (const unsigned char *)location, (int)strlen(location), &p, end))
            return -1;
    }
    return lws_finalize_write_http_header(wsi, start, &p, end) ? -1 : 0;
}

static void drip_timer(lws_sorted_usec_list_t *sul)
{
    struct rs_conn *c = lws_container_of(sul, struct rs_conn, sul);
    c->waiting = false;
    lws_callback_on_writable(c->wsi);
}

static int respond(struct lws *wsi, struct rs_conn *c)
{
    struct rs_stub *s = stub_of(wsi);
    struct rs_request rq;
    if (c->reply)                      /* lws may complete an empty POST body too */
        return 0;
    pthread_mutex_lock(&s->lock);
    rq = s->seen[c->request >= 0 ? c->request : 0];
    pthread_mutex_unlock(&s->lock);
    c->reply = pick(s, &rq);
    c->wsi = wsi;
    if (c->reply->kind == RS_SILENT)
        return 0;
    if (write_head(wsi, c) < 0)
        return -1;
    lws_callback_on_writable(wsi);
    return 0;
}

static void pattern(uint8_t *out, size_t n, uint64_t from)
{
    for (size_t i = 0; i < n; i++)
        out[i] = (uint8_t)('a' + (from + i) % 26);
}

static int write_more(struct lws *wsi, struct rs_conn *c)
{
    const struct rs_reply *r = c->reply;
    uint8_t buf[LWS_PRE + RS_CHUNK + 64], *start = buf + LWS_PRE;
    if (!r || r->kind == RS_SILENT || c->waiting)
        return 0;
    if (r->kind == RS_HEAD_ENDLESS) {
        int n = snprintf((char *)start, RS_CHUNK, "X-More-%llu: %0200d\r\n",
                         (unsigned long long)c->sent++, 0);
        lws_callback_on_writable(wsi);
        return lws_write(wsi, start, (size_t)n, LWS_WRITE_HTTP_HEADERS_CONTINUATION) < 0 ? -1 : 0;
    }
    uint64_t left = c->total - c->sent;
    size_t n = left < RS_CHUNK ? (size_t)left : RS_CHUNK;
    if (r->kind == RS_DRIP && n > 1)
        n = 1;
    if ((r->kind == RS_TEXT || r->kind == RS_DRIP) && n)
        memcpy(start, r->body + c->sent, n);
    else
        pattern(start, n, c->sent);
    c->sent += n;
    bool last = c->sent == c->total;
    if (n && lws_write(wsi, start, n, last ? LWS_WRITE_HTTP_FINAL : LWS_WRITE_HTTP) < 0)
        return -1;
    if (last)
        return lws_http_transaction_completed(wsi) ? -1 : 0;
    if (r->kind == RS_DRIP) {
        c->waiting = true;
        lws_sul_schedule(lws_get_context(wsi), 0, &c->sul, drip_timer, (lws_usec_t)(r->drip * LWS_US_PER_SEC));
        return 0;
    }
    lws_callback_on_writable(wsi);
    return 0;
}

static bool has_body(struct lws *wsi)
{
    char cl[32] = "";
    lws_hdr_copy(wsi, cl, sizeof(cl), WSI_TOKEN_HTTP_CONTENT_LENGTH);
    return atol(cl) > 0 || lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_TRANSFER_ENCODING) > 0;
}

static int on_rs_event(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                    size_t len)
{
    struct rs_conn *c = user;
    switch (reason) {
    case LWS_CALLBACK_HTTP:
        memset(c, 0, sizeof(*c));
        record(wsi, c, in);
        return has_body(wsi) ? 0 : respond(wsi, c);
    case LWS_CALLBACK_HTTP_BODY:
        keep_body(wsi, c, in, len);
        return 0;
    case LWS_CALLBACK_HTTP_BODY_COMPLETION:
        return respond(wsi, c);
    case LWS_CALLBACK_HTTP_WRITEABLE:
        return write_more(wsi, c);
    case LWS_CALLBACK_CLOSED_HTTP:
        lws_sul_cancel(&c->sul);
        c->reply = NULL;
        return 0;
    default:
        return 0;
    }
}

static const struct lws_protocols protocols[] = {
    { "rs", on_rs_event, sizeof(struct rs_conn), 65536, 0, NULL, 0 },
    { NULL, NULL, 0, 0, 0, NULL, 0 }
};

struct rs_stub *rs_start(const struct rs_reply *replies, int *port)
{
    struct rs_stub *s = calloc(1, sizeof(*s));
    s->replies = replies;
    pthread_mutex_init(&s->lock, NULL);
    if (lt_start(&s->loop, protocols, s, port) < 0) {
        free(s);
        return NULL;
    }
    return s;
}

void rs_stop(struct rs_stub *s)
{
    lt_stop(&s->loop);
    for (int i = 0; i < s->n_seen; i++)
        free(s->seen[i].body);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

int rs_requests(struct rs_stub *s, struct rs_request *out)
{
    pthread_mutex_lock(&s->lock);
    int n = s->n_seen;
    memcpy(out, s->seen, sizeof(s->seen[0]) * (size_t)n);
    pthread_mutex_unlock(&s->lock);
    return n;
}

int rs_count(struct rs_stub *s, const char *method, const char *path)
{
    int n = 0;
    pthread_mutex_lock(&s->lock);
    for (int i = 0; i < s->n_seen; i++)
        n += strcmp(s->seen[i].method, method) == 0 && strcmp(s->seen[i].path, path) == 0;
    pthread_mutex_unlock(&s->lock);
    return n;
}
