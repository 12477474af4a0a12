/* lg_client.c - libwebsockets client connections of the load generator:
 * the exec POST, the attach upgrade and what arrives on it. */
#include "lg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <jansson.h>

#include "scenario.h"               /* bc_flood_matches */

#define LG_RX_BUF (256 * 1024)      /* bytes lws reads per call and hands us per callback */
#define LG_EXEC_BODY "{\"command\":\"bench\",\"args\":[],\"tty\":false}"

static struct lws_context *ctx;
static char host[128];
static int port;
static const lg_hooks *hooks;

double lg_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct lws_context *lg_context(void) { return ctx; }

/* ---- ending a session ----------------------------------------------------- */

/* wsi (if any) forgets the session: what lws still says about it later
 * (closing, destroy) must not reach a session the mode may start anew. */
static void end(lg_session *s, struct lws *wsi, const char *error) {
    if (wsi) lws_set_opaque_user_data(wsi, NULL);
    if (s->phase == LG_ENDED) return;
    if (error && !s->error) s->error = error;
    s->phase = LG_ENDED;
    s->wsi = NULL;
    hooks->ended(s);
}

/* ---- connecting ------------------------------------------------------------ */

static struct lws *connect_to(lg_session *s, const char *path, const char *method) {
    struct lws_client_connect_info i;
    memset(&i, 0, sizeof i);
    i.context = ctx;
    i.address = host;
    i.port = port;
    i.path = path;
    i.host = host;
    i.origin = host;
    i.method = method;              /* NULL: a WebSocket upgrade */
    i.local_protocol_name = "lg";
    i.ietf_version_or_minus_one = -1;
    i.opaque_user_data = s;
    return lws_client_connect_via_info(&i);
}

void lg_start(lg_session *s) {
    int index = s->index, direct = s->direct;
    memset(s, 0, sizeof *s);
    s->index = index;
    s->direct = direct;
    s->fd = -1;
    s->phase = LG_POSTING;
    s->post_wsi = connect_to(s, "/v1/boxes/" LG_BOX "/exec", "POST");
    if (!s->post_wsi) end(s, NULL, "cannot start the exec POST");
}

static void attach(lg_session *s) {
    char path[160];
    snprintf(path, sizeof path, "/v1/boxes/" LG_BOX "/executions/%s/attach", s->exec_id);
    s->phase = LG_ATTACHING;
    if (!connect_to(s, path, NULL)) end(s, NULL, "cannot start the attach");
}

void lg_close(lg_session *s) {
    if (s->phase != LG_OPEN || !s->wsi) return;
    if (s->fd >= 0) {
        /* read directly: lws would wait for a close answer it never reads */
        shutdown(s->fd, SHUT_RDWR);
    } else {
        lws_close_reason(s->wsi, LWS_CLOSE_STATUS_NORMAL, NULL, 0);
    }
    lws_set_timeout(s->wsi, PENDING_TIMEOUT_KILLED_BY_PARENT, LWS_TO_KILL_ASYNC);
}

/* ---- the exec POST ---------------------------------------------------------- */

static int add_headers(lg_session *s, struct lws *wsi, void *in, size_t len) {
    unsigned char **p = (unsigned char **)in, *end = *p + len;
    static const char auth[] = "Bearer " LG_TOKEN;
    if (lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_AUTHORIZATION, (const unsigned char *)auth,
                                     (int)strlen(auth), p, end))
        return -1;
    if (s->phase != LG_POSTING) return 0;
    char cl[16];
    int n = snprintf(cl, sizeof cl, "%zu", strlen(LG_EXEC_BODY));
    /* One request per connection: the server closes first, so TIME_WAIT
     * piles up on its side, not on our ephemeral ports (they ran out within
     * a run of setups and made later runs slower than earlier ones). */
    if (lws_add_http_header_by_token(wsi, WSI_TOKEN_CONNECTION, (const unsigned char *)"close", 5,
                                     p, end) ||
        lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_CONTENT_TYPE,
                                     (const unsigned char *)"application/json", 16, p, end) ||
        lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH, (const unsigned char *)cl,
                                     n, p, end))
        return -1;
    lws_client_http_body_pending(wsi, 1);
    lws_callback_on_writable(wsi);
    return 0;
}

static int write_body(struct lws *wsi) {
    unsigned char buf[LWS_PRE + sizeof LG_EXEC_BODY];
    memcpy(buf + LWS_PRE, LG_EXEC_BODY, strlen(LG_EXEC_BODY));
    if (lws_write(wsi, buf + LWS_PRE, strlen(LG_EXEC_BODY), LWS_WRITE_HTTP_FINAL) < 0) return -1;
    lws_client_http_body_pending(wsi, 0);
    return 0;
}

static void keep_body(lg_session *s, const void *in, size_t len) {
    size_t room = sizeof s->body - 1 - s->body_len;
    if (len > room) len = room;
    memcpy(s->body + s->body_len, in, len);
    s->body_len += len;
    s->body[s->body_len] = '\0';
}

/* The 201's execution_id; then the attach goes out on a connection of its own. */
static void exec_answered(lg_session *s) {
    json_t *o = json_loadb(s->body, s->body_len, 0, NULL);
    const char *id = json_string_value(json_object_get(o, "execution_id"));
    if (s->http_status == 201 && id && strlen(id) < sizeof s->exec_id) {
        snprintf(s->exec_id, sizeof s->exec_id, "%s", id);
        attach(s);
    } else {
        end(s, NULL, "exec POST not answered 201 with an execution_id");
    }
    json_decref(o);
}

/* ---- the attach --------------------------------------------------------------- */

static void binary_data(lg_session *s, struct lws *wsi, const uint8_t *p, size_t n) {
    if (lws_is_first_fragment(wsi)) {
        if (n == 0 || (p[0] != 1 && p[0] != 2)) s->bad_pattern = 1;
        if (n > 0) {
            p++;
            n--;
        }
    }
    if (s->frames == 0 && s->out_bytes == 0) s->t_first = lg_now();
    if (!bc_flood_matches(p, n, s->out_bytes)) s->bad_pattern = 1;
    s->out_bytes += n;
    if (lws_is_final_fragment(wsi)) {
        s->frames++;
        s->t_last = lg_now();
    }
}

void lg_text_frame(lg_session *s, const char *text, size_t len) {
    json_t *o = json_loadb(text, len, 0, NULL);
    const char *type = json_string_value(json_object_get(o, "type"));
    if (type && !strcmp(type, "exit")) {
        s->exit_seen = 1;
        s->exit_code = (int)json_integer_value(json_object_get(o, "exit_code"));
        s->t_last = lg_now();
    }
    json_decref(o);
}

static void text_data(lg_session *s, struct lws *wsi, const void *in, size_t len) {
    size_t room = sizeof s->text - 1 - s->text_len;
    memcpy(s->text + s->text_len, in, len < room ? len : room);
    s->text_len += len < room ? len : room;
    if (!lws_is_final_fragment(wsi)) return;
    lg_text_frame(s, s->text, s->text_len);
    s->text_len = 0;
}

/* Sends the stdin byte that starts the flood; the socket is the mode's now. */
static int hand_over(lg_session *s, struct lws *wsi) {
    unsigned char buf[LWS_PRE + 1];
    buf[LWS_PRE] = 'x';
    if (lws_write(wsi, buf + LWS_PRE, 1, LWS_WRITE_BINARY) < 1) return -1;
    s->fd = lws_get_socket_fd(wsi);
    hooks->attached(s);
    return 0;
}

/* ---- the callback ------------------------------------------------------------ */

static int http_cb(lg_session *s, struct lws *wsi, enum lws_callback_reasons reason, void *in,
                   size_t len) {
    switch (reason) {
    case LWS_CALLBACK_CLIENT_HTTP_WRITEABLE:
        return write_body(wsi);
    case LWS_CALLBACK_ESTABLISHED_CLIENT_HTTP:
        s->http_status = (int)lws_http_client_http_response(wsi);
        return 0;
    case LWS_CALLBACK_RECEIVE_CLIENT_HTTP: {
        char buf[LWS_PRE + 1024], *px = buf + LWS_PRE;
        int n = (int)sizeof buf - LWS_PRE;
        return lws_http_client_read(wsi, &px, &n) < 0 ? -1 : 0;
    }
    case LWS_CALLBACK_RECEIVE_CLIENT_HTTP_READ:
        keep_body(s, in, len);
        return 0;
    case LWS_CALLBACK_COMPLETED_CLIENT_HTTP:
        /* this connection is done with: the attach gets its own */
        lws_set_opaque_user_data(wsi, NULL);
        exec_answered(s);
        return -1;
    case LWS_CALLBACK_CLOSED_CLIENT_HTTP:
        end(s, wsi, "exec POST connection closed early");
        return 0;
    default:
        return 0;
    }
}

static int ws_cb(lg_session *s, struct lws *wsi, enum lws_callback_reasons reason, void *in,
                 size_t len) {
    switch (reason) {
    case LWS_CALLBACK_CLIENT_ESTABLISHED:
        s->phase = LG_OPEN;
        s->was_open = 1;
        s->wsi = wsi;
        if (!s->direct) {
            hooks->attached(s);
            return 0;
        }
        /* The server's script waits for a stdin byte before its flood, so
         * lws has read nothing past the 101 when it stops reading here. */
        lws_rx_flow_control(wsi, 0);
        lws_callback_on_writable(wsi);
        return 0;
    case LWS_CALLBACK_CLIENT_WRITEABLE:
        return s->direct && s->fd < 0 ? hand_over(s, wsi) : 0;
    case LWS_CALLBACK_CLIENT_RECEIVE:
        if (lws_frame_is_binary(wsi)) binary_data(s, wsi, in, len);
        else text_data(s, wsi, in, len);
        return 0;
    case LWS_CALLBACK_CLIENT_CLOSED:
        end(s, wsi, s->exit_seen ? NULL : "attach closed without an exit frame");
        return 0;
    default:
        return 0;
    }
}

static int lg_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                 size_t len) {
    (void)user;
    lg_session *s = wsi ? lws_get_opaque_user_data(wsi) : NULL;
    if (!s || s->phase == LG_ENDED) return 0;
    if (reason == LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER) return add_headers(s, wsi, in, len);
    if (reason == LWS_CALLBACK_CLIENT_CONNECTION_ERROR) {
        /* the upgrade refused (409...) or no connection at all */
        end(s, wsi, s->phase == LG_POSTING ? "exec POST failed" : "attach refused or failed");
        return 0;
    }
    if (s->phase == LG_POSTING) return http_cb(s, wsi, reason, in, len);
    return ws_cb(s, wsi, reason, in, len);
}

static const struct lws_protocols protocols[] = {
    {"lg", lg_cb, 0, LG_RX_BUF, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

/* ---- setup ------------------------------------------------------------------- */

static int parse_url(const char *url) {
    char copy[256];
    const char *proto, *addr, *path;
    snprintf(copy, sizeof copy, "%s", url);
    if (lws_parse_uri(copy, &proto, &addr, &port, &path) || strcmp(proto, "http")) return -1;
    snprintf(host, sizeof host, "%s", addr);
    return 0;
}

void lg_set_hooks(const lg_hooks *h) { hooks = h; }

int lg_client_init(const char *base_url) {
    if (parse_url(base_url) < 0) {
        fprintf(stderr, "loadgen: expected a base URL http://HOST:PORT, got \"%s\"\n", base_url);
        return -1;
    }
    lws_set_log_level(LLL_ERR, NULL);
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    info.port = CONTEXT_PORT_NO_LISTEN;
    info.protocols = protocols;
    info.pt_serv_buf_size = LG_RX_BUF;
    ctx = lws_create_context(&info);
    return ctx ? 0 : -1;
}

void lg_client_free(void) {
    if (ctx) lws_context_destroy(ctx);
    ctx = NULL;
}
