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
    int body_too_big;           /* body went over FS_BODY_MAX */
    int body_done;              /* BODY_COMPLETION seen for this request */
} fs_request;

typedef struct fs_reply {
    int ready;                  /* fs_rest_write may send it */
    int status;
    const char *ctype;          /* Content-Type, NULL for a bare reply */
    char *body;
    size_t len;
    const char *fault;          /* journaled fault: NULL or "delay" */
    lws_sorted_usec_list_t sul; /* a delayed reply's timer */
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
