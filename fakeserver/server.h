/* server.h - the lws context, the HTTP/WebSocket protocol callback and the
 * per-connection session every other module works on.
 *
 * One session per client connection (keep-alive requests reuse it); the
 * fields under "request" are reset for each request. Sessions are looked up
 * by connection number so timers and the tap never hold a dangling wsi. */
#ifndef FS_SERVER_H
#define FS_SERVER_H

#include <signal.h>
#include <stddef.h>

#include <libwebsockets.h>

#include "scenario.h"

struct fs_attach;

typedef struct fs_session {
    int conn;                   /* TCP connection number (the tap's) */
    struct lws *wsi;            /* lws HTTP, later WebSocket, connection */
    /* request */
    int req;                    /* server-wide request number */
    char method[8];             /* GET, HEAD, POST, DELETE, ... */
    char path[1024];            /* URL path as lws decoded it */
    char query[1024];           /* query string, "" if none */
    char auth[512];             /* Authorization header */
    int has_auth, auth_ok;
    int routed;                 /* path matched an endpoint */
    bc_endpoint ep;             /* ... which one */
    char box_id[256], exec_id[256]; /* path parameters */
    int call;                   /* per endpoint (per execution: probe, attach); 0 refused */
    char *body;                 /* request body so far (bounded) */
    size_t body_len;
    int body_too_big;           /* body went over FS_BODY_MAX */
    int body_done;              /* BODY_COMPLETION seen for this request */
    /* reply */
    int reply_ready;            /* fs_rest_write may send it */
    int status;
    const char *ctype;          /* Content-Type, NULL for a bare reply */
    char *reply_body;
    size_t reply_len;
    const char *fault;          /* journaled fault: NULL or "delay" */
    lws_sorted_usec_list_t reply_sul; /* a delayed reply's timer */
    /* attach */
    int attempt;                /* attach attempt of this connection, 0 none */
    const bc_attempt *attempt_cfg; /* its scenario entry (NULL: default) */
    int upgraded;               /* the script should run once established */
    struct fs_attach *attach;   /* the running script */
} fs_session;

extern const bc_scenario *fs_scenario; /* what this server plays */
extern double fs_scale;                /* --time-scale K */

int fs_server_start(const bc_scenario *sc, double scale, int port, int *bound_port);
void fs_server_run(volatile sig_atomic_t *stop); /* services until *stop */
void fs_server_stop(void);                       /* closes everything */
struct lws_context *fs_server_context(void);
fs_session *fs_session_find(int conn);           /* NULL once gone */
lws_usec_t fs_real_us(double client_seconds);    /* a client duration in real us */

#endif
