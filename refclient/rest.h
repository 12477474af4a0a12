/* rest.h - the one request helper every REST call goes through.
 *
 * A call carries the bearer token and lives under {url}/v1[/{prefix}]
 * (/v1/config never takes the prefix). Calls block, bounded by their
 * timeout (CURLOPT_TIMEOUT_MS, which libfaketime accelerates) and by size
 * limits: answers are read as a stream, never whole unless small.
 * Redirects (301-303, 307, 308) are followed up to 10 times; the token goes
 * along only while every hop stays on the origin of the previous one. */
#ifndef RC_REST_H
#define RC_REST_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "buf.h"
#include "errors.h"

#define RC_REST_TIMEOUT   300.0               /* BoxLite's reqwest client, per call */
#define RC_JSON_MAX       (16u << 20)         /* a JSON or error body */
#define RC_HEAD_MAX       (64u << 10)         /* all header lines of one answer */
#define RC_DOWNLOAD_MAX   ((uint64_t)256 << 20) /* a tar or export archive */

struct rc_rest {
    char *base;            /* {url}/v1[/{prefix}], no trailing slash */
    char *root;            /* {url}/v1 */
    char *auth_header;     /* "Authorization: Bearer <key>" */
    double timeout;        /* seconds per call, redirects included */
    uint64_t max_download; /* bound of a streamed body */
};

struct rc_request {
    const char *method;
    const char *path;          /* under base, or under root when at_root */
    bool at_root;
    const char *json;          /* JSON body, sent as application/json */
    const void *data;          /* or a raw body of data_len bytes ... */
    size_t data_len;
    const char *content_type;  /* ... of this type */
    const char *accept;        /* Accept header, NULL: curl's default */
    double timeout;            /* 0: the rest's timeout */
};

struct rc_reply {
    long status;           /* HTTP status of the final answer */
    char *body;            /* NUL-terminated, malloc'd */
    size_t len;
};

enum rc_probe_state {
    RC_PROBE_TERMINAL,     /* completed, killed or timed_out: *exit_code set */
    RC_PROBE_RUNNING,      /* any other status string */
    RC_PROBE_UNAVAILABLE,  /* no answer, 5xx, malformed body, timeout */
    RC_PROBE_GONE          /* 404: nothing to reattach to */
};

int rc_rest_init(struct rc_rest *r, const char *url, const char *prefix,
                 const char *api_key);
void rc_rest_free(struct rc_rest *r);

/* ---- streamed answers --------------------------------------------------- */
struct rc_stream;
/* Sends q; returns once the final answer's head came (status known). */
int rc_stream_open(const struct rc_rest *r, const struct rc_request *q,
                   uint64_t body_max, struct rc_stream **out, struct rc_err *err);
long rc_stream_status(const struct rc_stream *s);
/* Up to n body bytes; 0 at the end of the body, -1 with err on failure. */
ssize_t rc_stream_read(struct rc_stream *s, void *buf, size_t n, struct rc_err *err);
/* The rest of the body, up to max bytes (more under body-unbounded), into
 * out; -1 with err on failure. */
int rc_stream_read_all(struct rc_stream *s, size_t max, struct rc_buf *out, struct rc_err *err);
/* The error of a non-2xx answer, its body read up to RC_JSON_MAX. */
void rc_stream_http_error(struct rc_stream *s, struct rc_err *err);
void rc_stream_close(struct rc_stream *s);

/* ---- whole answers ------------------------------------------------------ */
/* Any status; -1 with err when no whole answer came (network, limits). */
int rc_rest_send(const struct rc_rest *r, const struct rc_request *q,
                 struct rc_reply *out, struct rc_err *err);
void rc_reply_clear(struct rc_reply *rep);
/* A 2xx JSON answer into *out (common/jbig.h's loader: u64 exact); else -1 with err. */
int rc_rest_json(const struct rc_rest *r, const struct rc_request *q, json_t **out,
                 struct rc_err *err);
/* The same, then convert(body) into *out (NULL from it: -1, err set). */
int rc_rest_json_as(const struct rc_rest *r, const struct rc_request *q,
                    json_t *(*convert)(const json_t *body, struct rc_err *err), json_t **out,
                    struct rc_err *err);
/* A 2xx answer's body handed to consume as a stream (up to max_download
 * bytes); a non-2xx answer is err and consume never runs. */
int rc_rest_download(const struct rc_rest *r, const struct rc_request *q,
                     int (*consume)(struct rc_stream *s, void *user, struct rc_err *err), void *user,
                     struct rc_err *err);
/* A 2xx answer, body ignored; else -1 with err. */
int rc_rest_none(const struct rc_rest *r, const struct rc_request *q, struct rc_err *err);

/* ---- the execution probe ------------------------------------------------ */
/* GET /boxes/{id}/executions/{eid} within timeout_s. */
enum rc_probe_state rc_rest_probe(const struct rc_rest *r, const char *box_id,
                                  const char *execution_id, double timeout_s,
                                  int *exit_code);
/* The probe's verdict from a reply (pure). */
enum rc_probe_state rc_probe_judge(long status, const char *body, size_t len,
                                   int *exit_code);

/* One path segment or query value percent-encoded (all but A-Z a-z 0-9
 * - . _ ~, as BoxLite's urlencoding); malloc'd. */
char *rc_path_escape(const char *segment);

#endif
