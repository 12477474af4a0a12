/* mini_server.c - see mini_server.h. */
#include "mini_server.h"
#include "lws_thread.h"

#include <libwebsockets.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "clock.h"

#define MS_TOKEN "Bearer test-key"
#define MS_EOF "{\"type\":\"stdin_eof\"}"

struct ms_server {
    const struct ms_script *script;
    struct lt_server loop;
    pthread_mutex_t lock;
    struct ms_seen seen;
    int finished_code;             /* -1000: still running */
};

struct ms_conn {                   /* per connection */
    int attempt;                   /* 0-based attach attempt, -1 for REST */
    int step;
    bool waiting;                  /* MS_WAIT or MS_UNTIL_EOF in progress */
    bool got_eof;
    bool closing;
    bool post;
    bool control;                  /* a kill, signal or resize call */
    char control_path[160];
    bool replied;                  /* lws may complete an empty body again */
    char body[256];                /* a control call's body */
    size_t body_len;
    lws_sorted_usec_list_t sul;
    struct lws *wsi;
    uint8_t echo[4096];
    size_t echo_len;
};


static struct ms_server *server_of(struct lws *wsi)
{
    return lws_context_user(lws_get_context(wsi));
}

static int reply(struct lws *wsi, unsigned code, const char *body)
{
    uint8_t buf[LWS_PRE + 1024], *start = buf + LWS_PRE, *p = start, *end = buf + sizeof(buf);
    size_t len = strlen(body);
    if (lws_add_http_common_headers(wsi, code, "application/json", len, &p, end) ||
        lws_finalize_write_http_header(wsi, start, &p, end))
        return -1;
    memcpy(start, body, len);
    if (len && lws_write(wsi, start, len, LWS_WRITE_HTTP_FINAL) != (int)len)
        return -1;
    return lws_http_transaction_completed(wsi) ? -1 : 0;
}

static bool auth_ok(struct ms_server *s, struct lws *wsi)
{
    char auth[128] = "";
    lws_hdr_copy(wsi, auth, sizeof(auth), WSI_TOKEN_HTTP_AUTHORIZATION);
    bool ok = strcmp(auth, MS_TOKEN) == 0;
    if (!ok) {
        pthread_mutex_lock(&s->lock);
        s->seen.bad_auth++;
        pthread_mutex_unlock(&s->lock);
    }
    return ok;
}

/* kill (DELETE .../executions/e-1), signal and resize: recorded, 204. */
static bool is_control(struct lws *wsi, const char *uri)
{
    const char *base = "/v1/boxes/box-1/executions/e-1";
    size_t n = strlen(base);
    if (strncmp(uri, base, n) != 0)
        return false;
    return (lws_hdr_total_length(wsi, WSI_TOKEN_DELETE_URI) && uri[n] == '\0') ||
           strcmp(uri + n, "/signal") == 0 || strcmp(uri + n, "/resize") == 0;
}

static int on_control_call(struct lws *wsi, struct ms_conn *c, const void *body, size_t len)
{
    struct ms_server *s = server_of(wsi);
    if (c->replied)
        return 0;
    c->replied = true;
    pthread_mutex_lock(&s->lock);
    if (s->seen.n_controls < MS_MAX_CONTROLS)
        snprintf(s->seen.controls[s->seen.n_controls++], sizeof(s->seen.controls[0]), "%s %.*s",
                 c->control_path, (int)len, (const char *)body);
    pthread_mutex_unlock(&s->lock);
    if (s->script->control_status)
        return reply(wsi, (unsigned)s->script->control_status, "{\"error\":\"scripted\"}");
    return reply(wsi, 204, "");
}

static int on_rest(struct lws *wsi, struct ms_conn *c, const char *uri)
{
    struct ms_server *s = server_of(wsi);
    char body[256];
    c->attempt = -1;
    if (is_control(wsi, uri)) {
        c->control = true;
        snprintf(c->control_path, sizeof(c->control_path), "%s %s",
                 lws_hdr_total_length(wsi, WSI_TOKEN_DELETE_URI) ? "DELETE" : "POST", uri);
        if (lws_hdr_total_length(wsi, WSI_TOKEN_DELETE_URI))
            return on_control_call(wsi, c, "", 0);
    }
    if (lws_hdr_total_length(wsi, WSI_TOKEN_POST_URI) || c->control) {
        c->post = true;
        return 0;                         /* answered at body completion */
    }
    if (strcmp(uri, "/v1/boxes/box-1") == 0)
        return reply(wsi, 200, "{\"box_id\":\"box-1\",\"name\":null,\"status\":\"running\","
                               "\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":"
                               "\"2026-01-01T00:00:00Z\",\"image\":\"alpine:latest\",\"cpus\":1,"
                               "\"memory_mib\":512}");
    if (strcmp(uri, "/v1/boxes/box-1/executions/e-1") != 0)
        return reply(wsi, 404, "{\"error\":\"no such route\"}");
    pthread_mutex_lock(&s->lock);
    s->seen.probes++;
    int finished = s->finished_code;
    pthread_mutex_unlock(&s->lock);
    if (s->script->probe_status)
        return reply(wsi, (unsigned)s->script->probe_status, "{\"error\":\"scripted\"}");
    if (finished == -1000)
        snprintf(body, sizeof(body), "{\"execution_id\":\"e-1\",\"status\":\"running\"}");
    else
        snprintf(body, sizeof(body),
                 "{\"execution_id\":\"e-1\",\"status\":\"completed\",\"exit_code\":%d}", finished);
    return reply(wsi, 200, body);
}

/* Decides the upgrade: a scripted status refuses it. */
static int on_upgrade_request(struct lws *wsi, struct ms_conn *c)
{
    struct ms_server *s = server_of(wsi);
    char uri[200] = "", args[56] = "";
    lws_hdr_copy(wsi, uri, sizeof(uri), WSI_TOKEN_GET_URI);
    lws_hdr_copy(wsi, args, sizeof(args), WSI_TOKEN_HTTP_URI_ARGS);
    bool authed = auth_ok(s, wsi);
    pthread_mutex_lock(&s->lock);
    int k = s->seen.attaches++;
    if (k < MS_MAX_ATTEMPTS) {
        snprintf(s->seen.paths[k], sizeof(s->seen.paths[k]), "%s%s%s", uri, args[0] ? "?" : "", args);
        s->seen.request_ns[k] = bc_now_ns();
    }
    pthread_mutex_unlock(&s->lock);
    c->attempt = k < MS_MAX_ATTEMPTS ? k : MS_MAX_ATTEMPTS - 1;
    int status = authed ? s->script->reject[c->attempt] : 401;
    if (!status)
        return 0;
    lws_return_http_status(wsi, (unsigned)status, NULL);
    return -1;
}

static void step_timer(lws_sorted_usec_list_t *sul)
{
    struct ms_conn *c = lws_container_of(sul, struct ms_conn, sul);
    c->waiting = false;
    c->step++;
    lws_callback_on_writable(c->wsi);
}

static int write_ws(struct lws *wsi, const void *data, size_t len, int prefix,
                    enum lws_write_protocol kind)
{
    uint8_t buf[LWS_PRE + 4200];
    size_t n = 0;
    if (prefix >= 0)
        buf[LWS_PRE + n++] = (uint8_t)prefix;
    memcpy(buf + LWS_PRE + n, data, len);
    return lws_write(wsi, buf + LWS_PRE, n + len, kind) < 0 ? -1 : 0;
}

static int do_step(struct lws *wsi, const struct ms_step *st)
{
    struct ms_server *s = server_of(wsi);
    char text[64];
    switch (st->op) {
    case MS_OUT: return write_ws(wsi, st->data, strlen(st->data), 1, LWS_WRITE_BINARY);
    case MS_ERR: return write_ws(wsi, st->data, strlen(st->data), 2, LWS_WRITE_BINARY);
    case MS_RAW: return write_ws(wsi, st->data, st->len, -1, LWS_WRITE_BINARY);
    case MS_TEXT: return write_ws(wsi, st->data, strlen(st->data), -1, LWS_WRITE_TEXT);
    case MS_PING: return write_ws(wsi, st->data, strlen(st->data), -1, LWS_WRITE_PING);
    case MS_RST: {
        struct linger hard = { 1, 0 };
        setsockopt(lws_get_socket_fd(wsi), SOL_SOCKET, SO_LINGER, &hard, sizeof(hard));
        return -1;
    }
    case MS_FINISH:
        pthread_mutex_lock(&s->lock);
        s->finished_code = st->code;
        pthread_mutex_unlock(&s->lock);
        return 0;
    case MS_EXIT:
        pthread_mutex_lock(&s->lock);
        s->finished_code = st->code;
        pthread_mutex_unlock(&s->lock);
        snprintf(text, sizeof(text), "{\"type\":\"exit\",\"exit_code\":%d}", st->code);
        if (write_ws(wsi, text, strlen(text), -1, LWS_WRITE_TEXT))
            return -1;
        /* exit is followed by close 1000 */
        __attribute__((fallthrough));
    case MS_CLOSE:
        lws_close_reason(wsi, LWS_CLOSE_STATUS_NORMAL, NULL, 0);
        return -1;
    default:
        return 0;
    }
}

/* One write per writable callback, as lws wants. */
static int on_server_writable(struct lws *wsi, struct ms_conn *c)
{
    struct ms_server *s = server_of(wsi);
    if (c->echo_len) {
        int rc = write_ws(wsi, c->echo, c->echo_len, 1, LWS_WRITE_BINARY);
        c->echo_len = 0;
        return rc;
    }
    if (c->waiting || c->step >= MS_MAX_STEPS)
        return 0;
    const struct ms_step *st = &s->script->steps[c->attempt][c->step];
    if (st->op == MS_END)
        return 0;
    if (st->op == MS_WAIT) {
        c->waiting = true;
        lws_sul_schedule(s->loop.ctx, 0, &c->sul, step_timer, (lws_usec_t)(st->secs * LWS_US_PER_SEC));
        return 0;
    }
    if (st->op == MS_UNTIL_EOF && !c->got_eof) {
        c->waiting = true;
        return 0;
    }
    c->step++;
    int rc = do_step(wsi, st);
    lws_callback_on_writable(wsi);
    return rc;
}

static void on_server_receive(struct lws *wsi, struct ms_conn *c, const void *in, size_t len)
{
    struct ms_server *s = server_of(wsi);
    pthread_mutex_lock(&s->lock);
    if (lws_frame_is_binary(wsi)) {
        size_t room = sizeof(s->seen.stdin) - s->seen.stdin_len;
        size_t n = len < room ? len : room;
        memcpy(s->seen.stdin + s->seen.stdin_len, in, n);
        s->seen.stdin_len += n;
        if (c->echo_len + len <= sizeof(c->echo)) {
            memcpy(c->echo + c->echo_len, in, len);
            c->echo_len += len;
        }
    } else if (len == strlen(MS_EOF) && memcmp(in, MS_EOF, len) == 0) {
        s->seen.eofs[c->attempt]++;
        c->got_eof = true;
        if (c->waiting && s->script->steps[c->attempt][c->step].op == MS_UNTIL_EOF) {
            c->waiting = false;
            c->step++;
        }
    }
    pthread_mutex_unlock(&s->lock);
    lws_callback_on_writable(wsi);
}

static int on_ms_event(struct lws *wsi, enum lws_callback_reasons reason, void *user,
                    void *in, size_t len)
{
    struct ms_conn *c = user;
    struct ms_server *s = lws_get_context(wsi) ? server_of(wsi) : NULL;
    switch (reason) {
    case LWS_CALLBACK_HTTP:
        if (!auth_ok(s, wsi))
            return reply(wsi, 401, "{\"error\":\"bad token\"}");
        return on_rest(wsi, c, in);
    case LWS_CALLBACK_HTTP_BODY:
        if (c->control && c->body_len + len < sizeof(c->body)) {
            memcpy(c->body + c->body_len, in, len);
            c->body_len += len;
        }
        return 0;
    case LWS_CALLBACK_HTTP_BODY_COMPLETION:
        if (c->control)
            return on_control_call(wsi, c, c->body, c->body_len);
        return reply(wsi, 201, "{\"execution_id\":\"e-1\"}");
    case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
        return on_upgrade_request(wsi, c);
    case LWS_CALLBACK_ESTABLISHED:
        c->wsi = wsi;
        pthread_mutex_lock(&s->lock);
        s->seen.upgraded++;
        s->seen.upgraded_ns[c->attempt] = bc_now_ns();
        pthread_mutex_unlock(&s->lock);
        lws_callback_on_writable(wsi);
        return 0;
    case LWS_CALLBACK_SERVER_WRITEABLE:
        return on_server_writable(wsi, c);
    case LWS_CALLBACK_RECEIVE:
        on_server_receive(wsi, c, in, len);
        return 0;
    case LWS_CALLBACK_RECEIVE_PONG:
        pthread_mutex_lock(&s->lock);
        s->seen.pongs += len == 4 && memcmp(in, "ms-1", 4) == 0;
        pthread_mutex_unlock(&s->lock);
        return 0;
    case LWS_CALLBACK_CLOSED:
        lws_sul_cancel(&c->sul);
        pthread_mutex_lock(&s->lock);
        s->seen.closed_ns[c->attempt] = bc_now_ns();
        pthread_mutex_unlock(&s->lock);
        return 0;
    default:
        return 0;
    }
}

static const struct lws_protocols ms_protocols[] = {
    { "ms", on_ms_event, sizeof(struct ms_conn), 8192, 0, NULL, 0 },
    { NULL, NULL, 0, 0, 0, NULL, 0 }
};

struct ms_server *ms_start(const struct ms_script *script, int *port)
{
    struct ms_server *s = calloc(1, sizeof(*s));
    s->script = script;
    s->finished_code = -1000;
    pthread_mutex_init(&s->lock, NULL);
    if (lt_start(&s->loop, ms_protocols, s, port) < 0) {
        free(s);
        return NULL;
    }
    return s;
}

void ms_stop(struct ms_server *s)
{
    lt_stop(&s->loop);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

void ms_seen(struct ms_server *s, struct ms_seen *out)
{
    pthread_mutex_lock(&s->lock);
    *out = s->seen;
    pthread_mutex_unlock(&s->lock);
}
