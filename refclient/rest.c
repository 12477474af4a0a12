/* rest.c - REST calls over libcurl (see rest.h). */
#include "rest.h"
#include "mutant.h"
#include "strf.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    if (*pfx)
        r->base = rc_strf("%.*s/v1/%s", (int)n, url, pfx);
    else
        r->base = rc_strf("%.*s/v1", (int)n, url);
    free(pfx);
    r->auth_header = rc_strf("Authorization: Bearer %s", api_key ? api_key : "");
    return r->base && r->auth_header ? 0 : -1;
}

void rc_rest_free(struct rc_rest *r)
{
    free(r->base);
    free(r->auth_header);
    r->base = r->auth_header = NULL;
}

void rc_reply_clear(struct rc_reply *rep)
{
    free(rep->body);
    memset(rep, 0, sizeof(*rep));
}

static size_t collect_body(char *data, size_t size, size_t nmemb, void *user)
{
    struct rc_reply *rep = user;
    size_t n = size * nmemb;
    char *grown = realloc(rep->body, rep->len + n + 1);
    if (!grown)
        return 0;
    memcpy(grown + rep->len, data, n);
    rep->len += n;
    grown[rep->len] = '\0';
    rep->body = grown;
    return n;
}

int rc_rest_call(const struct rc_rest *r, const char *method, const char *path,
                 const char *body_json, double timeout_s, struct rc_reply *out)
{
    memset(out, 0, sizeof(*out));
    CURL *c = curl_easy_init();
    if (!c)
        return -1;
    char *url = rc_strf("%s%s", r->base, path);
    struct curl_slist *hdrs = curl_slist_append(NULL, r->auth_header);
    if (body_json)
        hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)(timeout_s * 1000.0));
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, out->error);
    if (body_json)
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body_json);
    CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
    else if (!out->error[0])
        snprintf(out->error, sizeof(out->error), "%s", curl_easy_strerror(rc));
    if (!out->body)
        out->body = calloc(1, 1);
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(c);
    free(url);
    return rc == CURLE_OK ? 0 : -1;
}

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
    if (status < 200 || status >= 300)
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
    char *box = rc_path_escape(box_id), *eid = rc_path_escape(execution_id);
    char *path = rc_strf("/boxes/%s/executions/%s", box, eid);
    enum rc_probe_state s = RC_PROBE_UNAVAILABLE;
    if (rc_rest_call(r, "GET", path, NULL, timeout_s, &rep) == 0)
        s = rc_probe_judge(rep.status, rep.body, rep.len, exit_code);
    rc_reply_clear(&rep);
    free(path);
    free(box);
    free(eid);
    return s;
}

const char *rc_error_kind(long status)
{
    switch (status) {
    case 400: case 422: return "invalid_argument";
    case 401: case 403: return "auth";
    case 404: return "not_found";
    case 409: return "conflict";
    case 410: return "session_reaped";
    case 429: return "exhausted";
    case 0: case 502: case 503: case 504: return "network";
    default: return "internal";
    }
}

/* runner {"error":"t"}, envelope {"error":{"message":"t"}}, flat {"message":"t"} */
static const char *message_in(json_t *root)
{
    json_t *err = json_object_get(root, "error");
    if (json_is_string(err))
        return json_string_value(err);
    if (json_is_object(err) && json_is_string(json_object_get(err, "message")))
        return json_string_value(json_object_get(err, "message"));
    return json_string_value(json_object_get(root, "message"));
}

char *rc_error_message(long status, const char *body, size_t len)
{
    json_t *root = len ? json_loadb(body, len, 0, NULL) : NULL;
    const char *text = message_in(root);
    char *msg = text ? rc_strf("HTTP %ld: %s", status, text)
                     : rc_strf("HTTP %ld", status);
    json_decref(root);
    return msg;
}

char *rc_path_escape(const char *segment)
{
    char *e = curl_easy_escape(NULL, segment, 0);
    char *copy = strdup(e ? e : "");
    curl_free(e);
    return copy;
}
