/* session.h - one client connection as the HTTP/WebSocket side sees it:
 * the request being served, its reply, and the attach it became.
 *
 * One session per client connection (keep-alive requests reuse it; request
 * and reply are reset for each). Sessions are found by connection number, so
 * timers and the tap never hold a dangling wsi. Every part's fields are
 * filled by its module: request.c, reply.c and rest.c, the attach fields by
 * executions.c (the upgrade decision) and attach.c (the running script). */
#ifndef FS_SESSION_H
#define FS_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include <libwebsockets.h>

#include "router.h"
#include "scenario.h"

struct fs_attach;
struct fs_exec;

#define FS_BODY_MAX (2 * 1024 * 1024) /* request bodies kept, larger is 413; journaled whole */
#define FS_UPLOAD_MAX (64 * 1024 * 1024) /* the same for an upload (FS_ROUTE_UPLOAD) */

typedef struct fs_request {
    int num;                    /* server-wide request number (journal "req") */
    int origin;                 /* fs_origin of the connection (tap.h) */
    char method[8];             /* GET, HEAD, POST, DELETE, ... */
    char path[1024];            /* URL path as lws decoded it */
    char query[1024];           /* query string as lws decoded it, "" if none */
    char *path_raw;             /* the path as sent; NULL when the tap caught no head */
    char *query_raw;            /* the query as sent; NULL when none, or no head */
    json_t *headers;            /* [[name, value], ...] as sent; NULL when no head */
    json_t *query_params;       /* [[name, value], ...] decoded, + as a space */
    char content_type[256];     /* Content-Type, "" if none */
    char auth[512];             /* Authorization header */
    int has_auth, auth_ok;
    const fs_route *route;      /* the row that takes it, NULL for none */
    fs_params params;           /* path parameters ({box}, {exec}) */
    struct fs_exec *exec;       /* the execution {exec} names, once checked */
    int call;                   /* per endpoint (per execution: probe, attach); 0 refused */
    char *body;                 /* request body so far (bounded) */
    size_t body_len;
    size_t body_cap;            /* bytes allocated for body */
    int body_too_big;           /* body went over FS_BODY_MAX (FS_UPLOAD_MAX) */
    json_t *tar;                /* an upload's tar entries, once read (fs_request_tar) */
    char *tar_error;            /* ... why it did not read to its end, or NULL */
    int body_done;              /* BODY_COMPLETION seen for this request */
    int decided;                /* fs_rest_decide ran: lws also reports the end of an
                                   empty body (Content-Length: 0) it said would not come */
    int unframed;               /* POST/PUT/PATCH with neither Content-Length nor
                                   Transfer-Encoding: no body (RFC 9112 6.3), but lws 4.1
                                   takes the next 100 MiB on the connection for one, so
                                   the answer closes it (fs_rest_write) */
    int pipelined;              /* it came before the answer to the one before it (the
                                   tap caught no head for it): lws 4.1 hands such a
                                   request's body from a buffer it has already freed,
                                   so one with a body closes the connection (server.c) */
    int64_t arrived_ns;         /* its last byte reached our socket (CLOCK_MONOTONIC) */
} fs_request;

/* Where a reply's body comes from: bytes in memory, or bytes made as they
 * are sent, so an answer of any size costs the server nothing. */
typedef enum fs_body_source {
    FS_SRC_MEMORY,              /* body[0..len) */
    FS_SRC_PATTERN,             /* total bytes of the flood pattern (scenario.h) */
    FS_SRC_ENDLESS,             /* the flood pattern for ever (always chunked) */
    FS_SRC_NESTED               /* total / 2 '[' then as many ']' */
} fs_body_source;

typedef struct fs_reply {
    int ready;                  /* fs_rest_write may send (the next piece of) it */
    int status;
    const char *ctype;          /* Content-Type, NULL for a bare reply */
    char *body;                 /* FS_SRC_MEMORY */
    size_t len;
    fs_body_source source;
    unsigned long long total;   /* body bytes in all (not for FS_SRC_ENDLESS) */
    json_t *extra;              /* more header fields [[name, value], ...], or NULL */
    int chunked;                /* Transfer-Encoding: chunked */
    double drip;                /* client seconds between body bytes, 0: no drip */
    int header_endless;         /* the head never ends: field lines for ever */
    int is_tar;                 /* the body is a tar: its entries are journaled */
    /* the writing (reply_send.c) */
    int streaming;              /* the head left; the body follows piece by piece */
    unsigned long long sent;    /* body bytes (header_endless: head bytes) handed to lws */
    json_t *head_fields;        /* the head's fields as written, for the journal */
    const char *fault;          /* journaled fault: NULL or "delay" */
    lws_sorted_usec_list_t sul; /* a delayed reply's timer, then a drip's */
} fs_reply;

typedef struct fs_session {
    int conn;                   /* TCP connection number (the tap's) */
    struct lws *wsi;            /* lws HTTP, later WebSocket, connection */
    fs_request request;
    fs_reply reply;
    /* attach */
    int attempt;                /* attach attempt of this connection, 0 none */
    const bc_attempt *attempt_cfg; /* its scenario entry (NULL: default) */
    int upgraded;               /* the script should run once established */
    struct fs_attach *attach;   /* the running script */
} fs_session;

fs_session *fs_session_open(struct lws *wsi, int conn); /* conn's session, made on first use */
fs_session *fs_session_find(int conn);                  /* NULL once gone */
/* Frees conn's session; what its parts hold must have been released. */
void fs_session_forget(int conn);
/* Calls fn on every session, in connection order (fn may forget it). */
void fs_session_each(void (*fn)(fs_session *s));
void fs_session_free_table(void);

#endif
