/* fs_curl.h - a real HTTP client (libcurl) against the fake server: bodies
 * of any size counted as they come (never kept past a bound), chunked
 * bodies and redirects handled the way client libraries do, a transfer cut
 * short by the client on purpose. */
#ifndef FS_CURL_H
#define FS_CURL_H

#include <stddef.h>

typedef struct fsc_opts {
    const char *method;         /* NULL: GET (POST when a body is given) */
    const char *body;           /* request body, or NULL */
    size_t body_len;
    const char *const *headers; /* more request headers ("Name: value"), NULL-ended */
    int auth;                   /* send the fake server's bearer token */
    int follow;                 /* follow redirects ... */
    int unrestricted;           /* ... and send the token to other origins too */
    unsigned long long stop_after; /* leave once this many body bytes came (0: never) */
    long timeout_ms;            /* whole transfer (0: 10 s) */
} fsc_opts;

typedef struct fsc_result {
    int rc;                     /* CURLcode */
    long status;                /* the last answer's */
    char body[65536];           /* its first bytes, NUL-terminated */
    size_t kept;
    unsigned long long total;   /* body bytes received */
    unsigned long long pattern_bad; /* how many body bytes were not the flood pattern */
    char head[8192];            /* the last head's field lines, NUL-terminated */
    double seconds;             /* the transfer took */
    unsigned long long stop_at; /* (the option, for the callback) */
} fsc_result;

/* One transfer of url; r is filled whatever happens. */
void fsc_fetch(const char *url, const fsc_opts *o, fsc_result *r);

#endif
