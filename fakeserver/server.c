/* server.c - lws context and vhost, the HTTP/WebSocket callback, sessions.
 *
 * The vhost listens nowhere: connections reach lws only through the tap's
 * socketpairs. One callback serves both HTTP and the attach WebSocket (the
 * client names no subprotocol, so lws keeps the vhost's first protocol). */
#include "server.h"

#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "conntab.h"
#include "rest.h"
#include "script.h"
#include "tap.h"

const bc_scenario *fs_scenario;
double fs_scale = 1.0;

static struct lws_context *server_ctx;
static fs_conntab sessions;         /* HTTP sessions by connection number */
static int next_req = 1;

struct lws_context *fs_server_context(void) { return server_ctx; }

lws_usec_t fs_real_us(double client_seconds) {
    return (lws_usec_t)(bc_real_ns_for(client_seconds, fs_scale) / 1000);
}

fs_session *fs_session_find(int conn) { return fs_conntab_get(&sessions, conn); }

static fs_session *session_open(struct lws *wsi, int conn) {
    fs_session *s = fs_session_find(conn);
    if (!s) {
        s = calloc(1, sizeof *s);
        s->conn = conn;
        s->wsi = wsi;
        fs_conntab_put(&sessions, conn, s);
    }
    return s;
}

static void session_close(int conn) {
    fs_session *s = fs_session_find(conn);
    if (!s) return;
    fs_script_end(s);
    fs_rest_reset(s);
    fs_conntab_put(&sessions, conn, NULL);
    free(s);
}

static void new_request(fs_session *s) {
    fs_rest_reset(s);
    s->body_done = 0;
    s->req = next_req++;
}

static int http_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                   size_t len);

static int session_cb(fs_session *s, enum lws_callback_reasons reason, void *in, size_t len) {
    switch (reason) {
    case LWS_CALLBACK_HTTP:
        new_request(s);
        if (!fs_rest_begin(s)) fs_rest_decide(s);
        return 0;
    case LWS_CALLBACK_HTTP_BODY:
        fs_rest_body(s, in, len);
        return 0;
    case LWS_CALLBACK_HTTP_BODY_COMPLETION:
        /* lws repeats it for ever, inside one service call, when the client
         * ends its side in the middle of a keep-alive request's body */
        if (s->body_done) return -1;
        s->body_done = 1;
        fs_rest_decide(s);
        return 0;
    case LWS_CALLBACK_HTTP_WRITEABLE:
        return fs_rest_write(s);
    case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
        new_request(s);
        return fs_script_confirm_upgrade(s);
    case LWS_CALLBACK_ESTABLISHED:
        fs_script_start(s);
        return 0;
    case LWS_CALLBACK_SERVER_WRITEABLE:
        return fs_script_writeable(s);
    case LWS_CALLBACK_RECEIVE:
        fs_script_receive(s, in, len);
        return 0;
    case LWS_CALLBACK_CLOSED:
        fs_script_end(s);
        return 0;
    default:
        return 0;
    }
}

static int http_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                   size_t len) {
    (void)user;
    const struct lws_protocols *p = wsi ? lws_get_protocol(wsi) : NULL;
    /* lws sends some events of every wsi (raw ones too) to protocol 0. */
    if (!wsi || (p && p->callback != http_cb)) return 0;
    int conn = fs_tap_conn_of(wsi);
    if (conn <= 0) return 0;
    if (reason == LWS_CALLBACK_WSI_DESTROY) {
        session_close(conn);
        return 0;
    }
    fs_session *s = fs_session_find(conn);
    if (!s && (reason == LWS_CALLBACK_HTTP || reason == LWS_CALLBACK_HTTP_CONFIRM_UPGRADE))
        s = session_open(wsi, conn);
    if (!s || s->wsi != wsi) return 0;
    return session_cb(s, reason, in, len);
}

/* lws hands a frame to the socket at most tx_packet_size bytes per send and
 * keeps (copies) the rest for later writeable callbacks; with 0 that limit is
 * rx_buffer_size, 4 KiB: a 64 KiB frame took 16 round trips of the loop. */
#define SERVER_TX_PACKET (256 * 1024)

static const struct lws_protocols server_protocols[] = {
    {"http", http_cb, 0, 4096, 0, NULL, SERVER_TX_PACKET},
    {"fs-tap", NULL, 0, 0, 0, NULL, 0}, /* filled from fs_tap_protocol */
    {NULL, NULL, 0, 0, 0, NULL, 0},
};
static struct lws_protocols protocols[3];

static void tap_done(int conn) { fs_script_tap_done(conn); }

int fs_server_start(const bc_scenario *sc, double scale, int port, int *bound_port) {
    fs_scenario = sc;
    fs_scale = scale;
    memcpy(protocols, server_protocols, sizeof protocols);
    protocols[1] = fs_tap_protocol;
    lws_set_log_level(LLL_ERR, NULL);

    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
    info.port = CONTEXT_PORT_NO_LISTEN_SERVER;
    info.max_http_header_data = 8192;
    server_ctx = lws_create_context(&info);
    if (!server_ctx) return -1;

    memset(&info, 0, sizeof info);
    info.port = CONTEXT_PORT_NO_LISTEN_SERVER;
    info.protocols = protocols;
    info.vhost_name = "boxconform";
    info.keepalive_timeout = 30;
    info.max_http_header_data = 8192;
    struct lws_vhost *vh = lws_create_vhost(server_ctx, &info);
    if (!vh) return -1;
    fs_tap_set_done_cb(tap_done);
    return fs_tap_listen(server_ctx, vh, port, bound_port);
}

void fs_server_run(volatile sig_atomic_t *stop) {
    while (!*stop)
        if (lws_service(server_ctx, 0) < 0) break;
}

void fs_server_stop(void) {
    if (!server_ctx) return;
    fs_tap_shutdown_all();
    lws_context_destroy(server_ctx);
    server_ctx = NULL;
    for (size_t i = 0; i < sessions.cap; i++) session_close((int)i);
    fs_conntab_free(&sessions);
}
