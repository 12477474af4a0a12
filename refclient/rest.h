/* rest.h - the REST half of the client: libcurl calls and error mapping.
 *
 * Every call carries the bearer token; paths live under {url}/v1[/{prefix}].
 * Calls block, bounded by their timeout (CURLOPT_TIMEOUT_MS, which
 * libfaketime accelerates). */
#ifndef RC_REST_H
#define RC_REST_H

#include <stddef.h>

struct rc_rest {
    char *base;            /* {url}/v1[/{prefix}], no trailing slash */
    char *auth_header;     /* "Authorization: Bearer <key>" */
};

struct rc_reply {
    long status;           /* HTTP status, 0 when no response came */
    char *body;            /* response body, NUL-terminated, malloc'd */
    size_t len;            /* body length */
    char error[256];       /* transport failure (timeout, refused), "" if none */
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

/* One call; body_json may be NULL. Returns 0 when a response came. */
int rc_rest_call(const struct rc_rest *r, const char *method, const char *path,
                 const char *body_json, double timeout_s, struct rc_reply *out);
void rc_reply_clear(struct rc_reply *rep);

/* GET /boxes/{id}/executions/{eid} within timeout_s. */
enum rc_probe_state rc_rest_probe(const struct rc_rest *r, const char *box_id,
                                  const char *execution_id, double timeout_s,
                                  int *exit_code);
/* The probe's verdict from a reply (pure). */
enum rc_probe_state rc_probe_judge(long status, const char *body, size_t len,
                                   int *exit_code);

/* docs/adapter.md error kind for an HTTP status (pure). */
const char *rc_error_kind(long status);
/* The message of any of the four error-body forms; malloc'd (pure). */
char *rc_error_message(long status, const char *body, size_t len);

/* "a/b" with each segment percent-escaped as needed; malloc'd. */
char *rc_path_escape(const char *segment);

#endif
