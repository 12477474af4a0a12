/* rest_stub.h - a scripted HTTP server for refclient's REST tests
 * (loopback, libwebsockets, one thread). It records every request (method,
 * decoded path and query, the headers the tests look at, the body) and
 * answers each with the first reply of its script that matches and has
 * uses left; faults (patterned, endless or silent bodies, a head that never
 * ends) are part of a reply. Unmatched requests get 404. */
#ifndef RS_STUB_H
#define RS_STUB_H

#include <stddef.h>
#include <stdint.h>

#define RS_MAX_REQUESTS 32

enum rs_kind {
    RS_TEXT = 0,     /* body (body_len bytes, or strlen) with Content-Length */
    RS_PATTERN,      /* size patterned bytes with Content-Length */
    RS_ENDLESS,      /* patterned bytes for ever (a Content-Length never reached) */
    RS_HEAD_ENDLESS, /* a status line, then header lines for ever */
    RS_DRIP,         /* body one byte per `drip` seconds */
    RS_SILENT        /* never answers */
};

struct rs_reply {
    const char *method;     /* NULL: any */
    const char *path;       /* decoded path without query; NULL: any */
    int status;
    enum rs_kind kind;
    const char *body;
    size_t body_len;
    uint64_t size;          /* RS_PATTERN */
    double drip;            /* RS_DRIP: seconds per byte */
    const char *type;       /* Content-Type; NULL: application/json */
    const char *location;   /* Location header; "%d" is replaced by location_port */
    int location_port;
    int uses;               /* 0: any number of requests */
};

struct rs_request {
    char method[8];
    char path[512];          /* decoded by lws */
    char path_arg[1024];     /* the decoded `path` query parameter, "" when none */
    char auth[256];          /* Authorization, "" when none */
    char content_type[128];
    char accept[128];
    uint8_t *body;
    size_t body_len;
};

struct rs_stub;

/* replies ends with a zeroed row; it must outlive the stub. */
struct rs_stub *rs_start(const struct rs_reply *replies, int *port);
void rs_stop(struct rs_stub *s);
/* Requests so far (at most RS_MAX_REQUESTS); out[i].body belongs to the stub. */
int rs_requests(struct rs_stub *s, struct rs_request *out);
/* How many requests had this method and path. */
int rs_count(struct rs_stub *s, const char *method, const char *path);

#endif
