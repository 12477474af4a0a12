/* server.c - lws context and vhost, the HTTP/WebSocket callback, sessions.
 *
 * The vhost listens nowhere: connections reach lws only through the tap's
 * socketpairs. One callback serves both HTTP and the attach WebSocket (the
 * client names no subprotocol, so lws keeps the vhost's first protocol). */
#include "server.h"

#include <string.h>

#include "attach.h"
#include "loop.h"
#include "request.h"
#include "rest.h"
#include "session.h"
#include "tap.h"

static void session_release(fs_session *s) {
    fs_attach_end(s);
    fs_rest_reset(s);
    fs_session_forget(s->conn);
}

static int session_cb(fs_session *s, enum lws_callback_reasons reason, void *in, size_t len) {
    switch (reason) {
    case LWS_CALLBACK_HTTP:
        if (!fs_rest_begin(s)) fs_rest_decide(s);
        /* lws 4.1 would read its body from freed memory (session.h); no
         * client of ours pipelines, so it gets a closed connection */
        else if (s->request.pipelined) return -1;
        return 0;
    case LWS_CALLBACK_HTTP_BODY:
        fs_request_body(s, in, len);
        return 0;
    case LWS_CALLBACK_HTTP_BODY_COMPLETION:
        /* lws repeats it for ever, inside one service call, when the client
         * ends its side in the middle of a keep-alive request's body */
        if (s->request.body_done) return -1;
        s->request.body_done = 1;
        fs_rest_decide(s);
        return 0;
    case LWS_CALLBACK_HTTP_WRITEABLE:
        return fs_rest_write(s);
    case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
        return fs_rest_upgrade(s);
    case LWS_CALLBACK_ESTABLISHED:
        fs_attach_start(s);
        return 0;
    case LWS_CALLBACK_SERVER_WRITEABLE:
        return fs_attach_writeable(s);
    case LWS_CALLBACK_RECEIVE:
        fs_attach_receive(s, in, len);
        return 0;
    case LWS_CALLBACK_CLOSED:
        fs_attach_end(s);
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
    fs_session *s = fs_session_find(conn);
    if (reason == LWS_CALLBACK_WSI_DESTROY) {
        if (s) session_release(s);
        return 0;
    }
    if (!s && (reason == LWS_CALLBACK_HTTP || reason == LWS_CALLBACK_HTTP_CONFIRM_UPGRADE))
        s = fs_session_open(wsi, conn);
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

int fs_server_start(const bc_scenario *sc, double scale, int port, int *bound_port) {
    fs_loop_init(sc, scale);
    memcpy(protocols, server_protocols, sizeof protocols);
    protocols[1] = fs_tap_protocol;
    lws_set_log_level(LLL_ERR, NULL);

    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
    info.port = CONTEXT_PORT_NO_LISTEN_SERVER;
    info.max_http_header_data = 8192;
    struct lws_context *ctx = lws_create_context(&info);
    if (!ctx) return -1;
    fs_loop_set_context(ctx);

    memset(&info, 0, sizeof info);
    info.port = CONTEXT_PORT_NO_LISTEN_SERVER;
    info.protocols = protocols;
    info.vhost_name = "boxconform";
    info.keepalive_timeout = 30;
    info.max_http_header_data = 8192;
    struct lws_vhost *vh = lws_create_vhost(ctx, &info);
    if (!vh) return -1;
    fs_tap_set_done_cb(fs_attach_tap_done);
    if (fs_tap_listen(ctx, vh, FS_ORIGIN_MAIN, port, &fs_ports[FS_ORIGIN_MAIN]) < 0 ||
        fs_tap_listen(ctx, vh, FS_ORIGIN_OTHER, 0, &fs_ports[FS_ORIGIN_OTHER]) < 0)
        return -1;
    *bound_port = fs_ports[FS_ORIGIN_MAIN];
    return 0;
}

void fs_server_run(volatile sig_atomic_t *stop) {
    while (!*stop)
        if (lws_service(fs_loop_context(), 0) < 0) break;
}

void fs_server_stop(void) {
    struct lws_context *ctx = fs_loop_context();
    if (!ctx) return;
    fs_tap_shutdown_all();
    lws_context_destroy(ctx);
    fs_loop_set_context(NULL);
    fs_session_each(session_release);
    fs_session_free_table();
}
