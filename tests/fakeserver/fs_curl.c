/* fs_curl.c - libcurl transfers for fakeserver tests. */
#include "fs_curl.h"

#include <stdint.h>
#include <string.h>

#include <curl/curl.h>

#include "fs_testlib.h"
#include "scenario.h"

static size_t on_body(char *p, size_t size, size_t n, void *user) {
    fsc_result *r = user;
    size_t len = size * n;
    size_t room = sizeof r->body - 1 - r->kept;
    memcpy(r->body + r->kept, p, len < room ? len : room);
    r->kept += len < room ? len : room;
    r->body[r->kept] = '\0';
    /* the pattern, byte by byte only where a chunk does not match whole */
    if (!bc_flood_matches((const uint8_t *)p, len, r->total))
        for (size_t i = 0; i < len; i++)
            r->pattern_bad += (uint8_t)p[i] != (uint8_t)BC_FLOOD_PATTERN[(r->total + i) % BC_FLOOD_PERIOD];
    r->total += len;
    return r->stop_at && r->total >= r->stop_at ? 0 : len; /* 0: curl gives up */
}

static size_t on_header(char *p, size_t size, size_t n, void *user) {
    fsc_result *r = user;
    size_t len = size * n, have = strlen(r->head);
    if (!strncmp(p, "HTTP/", 5)) have = 0, r->head[0] = '\0'; /* a new answer's head */
    if (have + len < sizeof r->head) {
        memcpy(r->head + have, p, len);
        r->head[have + len] = '\0';
    }
    return len;
}

void fsc_fetch(const char *url, const fsc_opts *o, fsc_result *r) {
    memset(r, 0, sizeof *r);
    r->stop_at = o->stop_after;
    CURL *c = curl_easy_init();
    struct curl_slist *h = NULL;
    if (o->auth) h = curl_slist_append(h, "Authorization: Bearer boxconform-key");
    for (size_t i = 0; o->headers && o->headers[i]; i++) h = curl_slist_append(h, o->headers[i]);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, o->timeout_ms ? o->timeout_ms : 10000L);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, (long)o->follow);
    curl_easy_setopt(c, CURLOPT_UNRESTRICTED_AUTH, (long)o->unrestricted);
    if (o->body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, o->body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)o->body_len);
    }
    if (o->method) curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, o->method);
    double t0 = fst_now();
    r->rc = (int)curl_easy_perform(c);
    r->seconds = fst_now() - t0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
}
