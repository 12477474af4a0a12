/* rest.c - REST calls over libcurl's multi interface (see rest.h).
 *
 * One stream per call: curl pushes the answer into a bounded buffer, the
 * caller pulls from it, and curl is paused while the buffer is full, so a
 * body of any size takes a fixed amount of memory. Redirects are followed
 * here, not by curl, to decide per hop whether the token goes along. */
#include "rest.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "buf.h"
#include "jbig.h"
#include "mutant.h"
#include "strf.h"

#define RC_MAX_REDIRECTS 10
#define RC_PENDING_MAX   (1u << 20)   /* body bytes curl may run ahead of the reader */

struct rc_stream {
    CURLM *multi;
    CURL *easy;
    struct curl_slist *headers;
    long status;           /* of the final answer */
    bool head_done;        /* its head is in */
    bool done;             /* curl ended the transfer ... */
    CURLcode result;       /* ... with this */
    bool paused;           /* the body callback paused curl: buffer full */
    struct rc_buf pending; /* body bytes from pending_off on are unread */
    size_t pending_off;
    uint64_t body_seen, body_max;
    size_t head_bytes;
    double timeout;
    char limit[128];       /* why we aborted the transfer ourselves */
    char errbuf[CURL_ERROR_SIZE];
};

/* "/a/b/" -> "a/b": the prefix may carry slashes at either end. */
static char *trim_slashes(const char *s)
{
    while (*s == '/')
        s++;
    size_t n = strlen(s);
    while (n > 0 && s[n - 1] == '/')
        n--;
    return strndup(s, n);
}

int rc_rest_init(struct rc_rest *r, const char *url, const char *prefix,
                 const char *api_key)
{
    char *pfx = trim_slashes(prefix ? prefix : "");
    size_t n = strlen(url);
    while (n > 0 && url[n - 1] == '/')
        n--;
    r->root = rc_strf("%.*s/v1", (int)n, url);
    r->base = *pfx ? rc_strf("%s/%s", r->root, pfx) : rc_strf("%s", r->root);
    free(pfx);
    r->auth_header = rc_strf("Authorization: Bearer %s", api_key ? api_key : "");
    r->timeout = RC_REST_TIMEOUT;
    r->max_download = RC_DOWNLOAD_MAX;
    return r->base && r->root && r->auth_header ? 0 : -1;
}

void rc_rest_free(struct rc_rest *r)
{
    free(r->base);
    free(r->root);
    free(r->auth_header);
    r->base = r->root = r->auth_header = NULL;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool unbounded(void) { return rc_mutant_is(RC_MUT_BODY_UNBOUNDED); }

/* ---- curl's callbacks --------------------------------------------------- */

static size_t on_header(char *line, size_t size, size_t nitems, void *user)
{
    struct rc_stream *s = user;
    size_t n = size * nitems;
    s->head_bytes += n;
    if (s->head_bytes > RC_HEAD_MAX && !unbounded()) {
        snprintf(s->limit, sizeof(s->limit), "the answer's head exceeds %u bytes", RC_HEAD_MAX);
        return 0;
    }
    if (n <= 2 && (line[0] == '\r' || line[0] == '\n')) {
        long code = 0;
        curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &code);
        if (code >= 200) {     /* not an interim 1xx: the final head ended */
            s->status = code;
            s->head_done = true;
        }
    }
    return n;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *user)
{
    struct rc_stream *s = user;
    size_t n = size * nmemb;
    if (s->body_seen + n > s->body_max && !unbounded()) {
        snprintf(s->limit, sizeof(s->limit), "the answer's body exceeds %llu bytes",
                 (unsigned long long)s->body_max);
        return 0;
    }
    if (s->pending.len - s->pending_off >= RC_PENDING_MAX && !unbounded()) {
        s->paused = true;
        return CURL_WRITEFUNC_PAUSE;   /* curl keeps this chunk for later */
    }
    rc_buf_append(&s->pending, data, n);
    s->body_seen += n;
    return n;
}

/* ---- one hop ------------------------------------------------------------ */

static bool sends_body(const char *method)
{
    return strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0 ||
           strcmp(method, "PATCH") == 0;
}

static struct curl_slist *add_header(struct curl_slist *list, const char *name, const char *value)
{
    char *line = rc_strf("%s: %s", name, value);
    struct curl_slist *grown = curl_slist_append(list, line);
    free(line);
    return grown;
}

/* The body and its headers: JSON, raw data, or none (an empty POST says
 * Content-Length: 0 and no type, as reqwest does). */
static void set_body(struct rc_stream *s, const struct rc_request *q, const char *method,
                     bool with_body)
{
    const void *data = NULL;
    size_t len = 0;
    const char *type = "";
    if (with_body && q->json) {
        data = q->json;
        len = strlen(q->json);
        type = "application/json";
    } else if (with_body && q->data) {
        data = q->data;
        len = q->data_len;
        type = q->content_type ? q->content_type : "application/octet-stream";
    }
    if (!data && !sends_body(method))
        return;
    if (*type)
        s->headers = add_header(s->headers, "Content-Type", type);
    else
        s->headers = curl_slist_append(s->headers, "Content-Type:");
    curl_easy_setopt(s->easy, CURLOPT_POSTFIELDS, data ? data : "");
    curl_easy_setopt(s->easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
}

static struct rc_stream *start_hop(const char *url, const struct rc_request *q, const char *method,
                                   bool with_body, const char *auth, long timeout_ms,
                                   uint64_t body_max)
{
    struct rc_stream *s = calloc(1, sizeof(*s));
    s->multi = curl_multi_init();
    s->easy = curl_easy_init();
    s->body_max = body_max;
    if (auth)
        s->headers = curl_slist_append(s->headers, auth);
    s->headers = curl_slist_append(s->headers, "Expect:");
    if (q->accept)
        s->headers = add_header(s->headers, "Accept", q->accept);
    set_body(s, q, method, with_body);
    curl_easy_setopt(s->easy, CURLOPT_URL, url);
    curl_easy_setopt(s->easy, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(s->easy, CURLOPT_HTTPHEADER, s->headers);
    curl_easy_setopt(s->easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(s->easy, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(s->easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(s->easy, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(s->easy, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(s->easy, CURLOPT_HEADERDATA, s);
    curl_easy_setopt(s->easy, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(s->easy, CURLOPT_WRITEDATA, s);
    curl_easy_setopt(s->easy, CURLOPT_ERRORBUFFER, s->errbuf);
    curl_multi_add_handle(s->multi, s->easy);
    return s;
}

/* One round of curl's work. */
static void drive(struct rc_stream *s)
{
    int running, queued;
    CURLMsg *m;
    curl_multi_perform(s->multi, &running);
    while ((m = curl_multi_info_read(s->multi, &queued)))
        if (m->msg == CURLMSG_DONE) {
            s->done = true;
            s->result = m->data.result;
        }
}

static bool head_in(const struct rc_stream *s) { return s->head_done; }

static bool body_in(const struct rc_stream *s) { return s->pending.len > s->pending_off; }

/* Runs curl until ready(s) or the transfer ended; curl's own timeout
 * (CURLOPT_TIMEOUT_MS) bounds it. */
static void wait_until(struct rc_stream *s, bool (*ready)(const struct rc_stream *))
{
    drive(s);
    while (!s->done && !ready(s)) {
        curl_multi_poll(s->multi, NULL, 0, 1000, NULL);
        drive(s);
    }
}

static void transfer_error(const struct rc_stream *s, struct rc_err *err)
{
    if (s->limit[0])
        rc_err_set(err, "internal", "%s", s->limit);
    else if (s->result == CURLE_OPERATION_TIMEDOUT)
        rc_err_set(err, "network", "timed out after %g s: %s", s->timeout, s->errbuf);
    else
        rc_err_set(err, "network", "%s", s->errbuf[0] ? s->errbuf : curl_easy_strerror(s->result));
}

void rc_stream_close(struct rc_stream *s)
{
    if (!s)
        return;
    curl_multi_remove_handle(s->multi, s->easy);
    curl_easy_cleanup(s->easy);
    curl_multi_cleanup(s->multi);
    curl_slist_free_all(s->headers);
    rc_buf_free(&s->pending);
    free(s);
}

/* ---- redirects ---------------------------------------------------------- */

/* Scheme, host and port of a and b agree (curl's URL parser decides). */
static bool same_origin(const char *a, const char *b)
{
    static const CURLUPart parts[] = { CURLUPART_SCHEME, CURLUPART_HOST, CURLUPART_PORT };
    CURLU *ua = curl_url(), *ub = curl_url();
    bool same = curl_url_set(ua, CURLUPART_URL, a, 0) == CURLUE_OK &&
                curl_url_set(ub, CURLUPART_URL, b, 0) == CURLUE_OK;
    for (size_t i = 0; same && i < sizeof(parts) / sizeof(parts[0]); i++) {
        char *x = NULL, *y = NULL;
        curl_url_get(ua, parts[i], &x, CURLU_DEFAULT_PORT);
        curl_url_get(ub, parts[i], &y, CURLU_DEFAULT_PORT);
        same = x && y && strcasecmp(x, y) == 0;
        curl_free(x);
        curl_free(y);
    }
    curl_url_cleanup(ua);
    curl_url_cleanup(ub);
    return same;
}

/* The absolute URL a redirect answer points to; NULL for any other answer. */
static char *redirect_target(const struct rc_stream *s)
{
    char *location = NULL;
    bool redirect = s->status == 301 || s->status == 302 || s->status == 303 ||
                    s->status == 307 || s->status == 308;
    if (redirect)
        curl_easy_getinfo(s->easy, CURLINFO_REDIRECT_URL, &location);
    return location ? strdup(location) : NULL;
}

int rc_stream_open(const struct rc_rest *r, const struct rc_request *q, uint64_t body_max,
                   struct rc_stream **out, struct rc_err *err)
{
    double timeout = q->timeout > 0 ? q->timeout : r->timeout;
    int64_t deadline = now_ms() + (int64_t)(timeout * 1000.0);
    char *url = rc_strf("%s%s", q->at_root ? r->root : r->base, q->path);
    const char *method = q->method;
    bool with_body = true, token = true;
    *out = NULL;
    for (int hop = 0;; hop++) {
        int64_t left = deadline - now_ms();
        struct rc_stream *s = start_hop(url, q, method, with_body, token ? r->auth_header : NULL,
                                        left > 0 ? (long)left : 1, body_max);
        s->timeout = timeout;
        wait_until(s, head_in);
        if (!s->head_done) {
            transfer_error(s, err);
            rc_stream_close(s);
            break;
        }
        char *next = redirect_target(s);
        if (!next) {
            *out = s;
            break;
        }
        if (hop == RC_MAX_REDIRECTS) {
            rc_err_set(err, "network", "more than %d redirects, the last to %s", hop, next);
            free(next);
            rc_stream_close(s);
            break;
        }
        if (!same_origin(url, next) && !rc_mutant_is(RC_MUT_REDIRECT_KEEPS_TOKEN))
            token = false;
        bool to_get = s->status == 303 ||
                      ((s->status == 301 || s->status == 302) && strcmp(method, "POST") == 0);
        if (to_get) {
            method = "GET";
            with_body = false;
        }
        rc_stream_close(s);
        free(url);
        url = next;
    }
    free(url);
    return *out ? 0 : -1;
}

long rc_stream_status(const struct rc_stream *s) { return s->status; }

ssize_t rc_stream_read(struct rc_stream *s, void *buf, size_t n, struct rc_err *err)
{
    if (!body_in(s) && s->paused) {
        s->paused = false;
        curl_easy_pause(s->easy, CURLPAUSE_CONT);
    }
    if (!body_in(s))
        wait_until(s, body_in);
    if (!body_in(s)) {
        if (s->done && s->result == CURLE_OK)
            return 0;
        transfer_error(s, err);
        return -1;
    }
    size_t avail = s->pending.len - s->pending_off;
    size_t k = n < avail ? n : avail;
    memcpy(buf, s->pending.data + s->pending_off, k);
    s->pending_off += k;
    if (s->pending_off == s->pending.len)
        s->pending.len = s->pending_off = 0;
    return (ssize_t)k;
}

int rc_stream_read_all(struct rc_stream *s, size_t max, struct rc_buf *out, struct rc_err *err)
{
    char chunk[16384];
    ssize_t n;
    while ((n = rc_stream_read(s, chunk, sizeof(chunk), err)) > 0) {
        rc_buf_append(out, chunk, (size_t)n);
        if (out->len >= max && !unbounded())
            break;
    }
    if (!out->data)
        rc_buf_append(out, "", 0);
    return n < 0 ? -1 : 0;
}

void rc_stream_http_error(struct rc_stream *s, struct rc_err *err)
{
    struct rc_buf body = { 0 };
    struct rc_err ignored = { 0 };
    rc_stream_read_all(s, RC_JSON_MAX, &body, &ignored);  /* a cut error body still has its status */
    rc_err_clear(&ignored);
    rc_err_http(err, s->status, (const char *)body.data, body.len);
    rc_buf_free(&body);
}

/* ---- whole answers ------------------------------------------------------ */

void rc_reply_clear(struct rc_reply *rep)
{
    free(rep->body);
    memset(rep, 0, sizeof(*rep));
}

int rc_rest_send(const struct rc_rest *r, const struct rc_request *q, struct rc_reply *out,
                 struct rc_err *err)
{
    struct rc_stream *s;
    struct rc_buf body = { 0 };
    memset(out, 0, sizeof(*out));
    if (rc_stream_open(r, q, RC_JSON_MAX, &s, err) < 0)
        return -1;
    int rc = rc_stream_read_all(s, SIZE_MAX, &body, err);
    out->status = s->status;
    out->len = body.len;
    out->body = rc_buf_take(&body);
    rc_stream_close(s);
    return rc;
}

static bool is_2xx(long status) { return status >= 200 && status < 300; }

int rc_rest_json(const struct rc_rest *r, const struct rc_request *q, json_t **out,
                 struct rc_err *err)
{
    struct rc_reply rep;
    json_error_t why;
    *out = NULL;
    if (rc_rest_send(r, q, &rep, err) < 0) {
        rc_reply_clear(&rep);
        return -1;
    }
    if (!is_2xx(rep.status))
        rc_err_http(err, rep.status, rep.body, rep.len);
    else if (!(*out = bc_jbig_loadb(rep.body, rep.len, JSON_ALLOW_NUL, &why))) {
        char *preview = rc_text_preview(rep.body, rep.len, 4096);
        rc_err_set(err, "internal", "HTTP %ld: the answer is not JSON (%s at byte %d), %zu "
                   "bytes: %s", rep.status, why.text, why.position, rep.len, preview);
        free(preview);
    }
    rc_reply_clear(&rep);
    return *out ? 0 : -1;
}

int rc_rest_json_as(const struct rc_rest *r, const struct rc_request *q,
                    json_t *(*convert)(const json_t *body, struct rc_err *err), json_t **out,
                    struct rc_err *err)
{
    json_t *body;
    *out = NULL;
    if (rc_rest_json(r, q, &body, err) < 0)
        return -1;
    *out = convert(body, err);
    json_decref(body);
    return *out ? 0 : -1;
}

int rc_rest_download(const struct rc_rest *r, const struct rc_request *q,
                     int (*consume)(struct rc_stream *s, void *user, struct rc_err *err), void *user,
                     struct rc_err *err)
{
    struct rc_stream *s;
    int rc = rc_stream_open(r, q, r->max_download, &s, err);
    if (rc == 0 && !is_2xx(s->status)) {
        rc_stream_http_error(s, err);
        rc = -1;
    } else if (rc == 0) {
        rc = consume(s, user, err);
    }
    rc_stream_close(s);
    return rc;
}

int rc_rest_none(const struct rc_rest *r, const struct rc_request *q, struct rc_err *err)
{
    struct rc_reply rep;
    int rc = rc_rest_send(r, q, &rep, err);
    if (rc == 0 && !is_2xx(rep.status)) {
        rc_err_http(err, rep.status, rep.body, rep.len);
        rc = -1;
    }
    rc_reply_clear(&rep);
    return rc;
}

/* ---- the execution probe ------------------------------------------------ */

static int is_terminal(const char *status)
{
    bool completed = strcmp(status, "completed") == 0 && !rc_mutant_is(RC_MUT_COMPLETED_RUNNING);
    bool killed = strcmp(status, "killed") == 0 && !rc_mutant_is(RC_MUT_KILLED_RUNNING);
    bool timed_out = strcmp(status, "timed_out") == 0 && !rc_mutant_is(RC_MUT_TIMED_OUT_RUNNING);
    return completed || killed || timed_out;
}

enum rc_probe_state rc_probe_judge(long status, const char *body, size_t len,
                                   int *exit_code)
{
    if (status == 404)
        return RC_PROBE_GONE;
    if (!is_2xx(status))
        return RC_PROBE_UNAVAILABLE;
    json_t *root = json_loadb(body, len, 0, NULL);
    const char *state = json_string_value(json_object_get(root, "status"));
    enum rc_probe_state verdict = RC_PROBE_UNAVAILABLE;
    if (state && is_terminal(state)) {
        json_t *code = json_object_get(root, "exit_code");
        *exit_code = json_is_integer(code) ? (int)json_integer_value(code) : -1;
        verdict = RC_PROBE_TERMINAL;
    } else if (state) {
        verdict = RC_PROBE_RUNNING;
    }
    json_decref(root);
    return verdict;
}

enum rc_probe_state rc_rest_probe(const struct rc_rest *r, const char *box_id,
                                  const char *execution_id, double timeout_s,
                                  int *exit_code)
{
    struct rc_reply rep;
    struct rc_err err = { 0 };
    char *box = rc_path_escape(box_id), *eid = rc_path_escape(execution_id);
    char *path = rc_strf("/boxes/%s/executions/%s", box, eid);
    struct rc_request q = { .method = "GET", .path = path, .timeout = timeout_s };
    enum rc_probe_state s = RC_PROBE_UNAVAILABLE;
    if (rc_rest_send(r, &q, &rep, &err) == 0)
        s = rc_probe_judge(rep.status, rep.body, rep.len, exit_code);
    rc_reply_clear(&rep);
    rc_err_clear(&err);
    free(path);
    free(box);
    free(eid);
    return s;
}

char *rc_path_escape(const char *segment)
{
    char *e = curl_easy_escape(NULL, segment, 0);
    char *copy = strdup(e ? e : "");
    curl_free(e);
    return copy;
}
