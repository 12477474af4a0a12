/* pump.c - the attach state machine (see pump.h).
 *
 * One thread, one lws loop. Every wait is an lws_sul timer, so libfaketime
 * accelerates it; the only blocking calls are status probes, bounded by
 * their timeout, during which stdin instructions wait in the pipe. */
#include "pump.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <libwebsockets.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adapter.h"
#include "backoff.h"
#include "buf.h"
#include "demux.h"
#include "mutant.h"
#include "strf.h"

#define RC_STDIN_CHUNK   65536         /* under the server's 1 MiB frame limit */
#define RC_RX_BUFFER     65536
#define RC_PING_PAYLOAD  "boxconform"
#define RC_STDIN_EOF     "{\"type\":\"stdin_eof\"}"
#define RC_LWS_FOREVER   (24u * 3600u) /* lws's own timeouts: ours rule */

struct rc_pump {
    const struct rc_pump_cfg *cfg;
    struct rc_timing t;            /* cfg->timing, as the mutant sees it */
    struct lws_context *ctx;
    struct lws_vhost *vhost;
    char *address;                 /* attach host */
    int port;
    char *path;                    /* attach path and query */
    char *path_bare;               /* the same without the query */

    struct lws *ws;                /* the current attach connection */
    int attempt;                   /* attach attempts so far */
    bool conn_live;                /* an attempt is in progress or open */
    bool established;              /* the current attempt was upgraded */
    bool ever_established;         /* some attempt of this execution was upgraded */
    bool frame_seen;               /* sticky: the server ever sent a frame */
    bool frame_seen_here;          /* a frame came on this connection */
    bool want_write;               /* we asked for a writable callback */
    bool eof_sent;                 /* stdin_eof went out on this connection */
    bool eof_ever_sent;
    bool ping_due;
    bool pinging;                  /* the ping timer runs on this connection */
    bool reset_seen;               /* the connection died by TCP reset */
    bool dropping;                 /* we are dropping the connection ourselves */
    bool done;                     /* the result (or error) was reported */
    bool exit_pending;             /* result-at-close: an exit frame came, not reported */
    int pending_code;              /* result-at-close: its exit code */
    long reject_status;            /* HTTP status of a refused upgrade */
    char *cause;                   /* why the current connection ended */
    char *last_error;              /* the last error frame's message */
    struct rc_backoff backoff;
    lws_usec_t first_wait_us;      /* budget-wall-clock: when the first wait began */

    struct rc_buf stdin_q;         /* caller stdin not yet on the wire */
    struct rc_buf last_sent;       /* last stdin chunk sent (stdin-doubled) */
    bool stdin_closed;             /* the caller closed stdin */
    struct rc_buf line;            /* partial adapter instruction line */
    enum rc_channel rx_channel;    /* channel of the binary message in progress */
    struct rc_buf text;            /* text message being reassembled */

    lws_sorted_usec_list_t sul_idle;      /* first-frame timeout / watchdog */
    lws_sorted_usec_list_t sul_handshake; /* upgrade without response */
    lws_sorted_usec_list_t sul_ping;      /* client keepalive */
    lws_sorted_usec_list_t sul_wait;      /* reconnect backoff */
    lws_sorted_usec_list_t sul_end;       /* decide after a connection ended */
};

/* ---- small helpers ------------------------------------------------------ */

/* Replace the string in slot by s (from rc_strf). */
static void set_str(char **slot, char *s)
{
    free(*slot);
    *slot = s;
}

static void schedule(struct rc_pump *p, lws_sorted_usec_list_t *sul, sul_cb_t cb,
                     double seconds)
{
    lws_sul_schedule(p->ctx, 0, sul, cb, (lws_usec_t)(seconds * LWS_US_PER_SEC));
}

static void request_write(struct rc_pump *p)
{
    if (!p->ws || !p->established)
        return;
    p->want_write = true;
    lws_callback_on_writable(p->ws);
}

static void kill_connection(struct rc_pump *p)
{
    p->dropping = true;
    if (p->ws)
        lws_set_timeout(p->ws, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
}

/* ---- the result --------------------------------------------------------- */

static void finish(struct rc_pump *p)
{
    p->done = true;
    lws_sul_cancel(&p->sul_idle);
    lws_sul_cancel(&p->sul_handshake);
    lws_sul_cancel(&p->sul_ping);
    lws_sul_cancel(&p->sul_wait);
    lws_cancel_service(p->ctx);
}

static void report_result(struct rc_pump *p, int exit_code, const char *message)
{
    if (p->done)
        return;
    rc_emit_result(exit_code, message);
    if (rc_mutant_is(RC_MUT_TWO_RESULTS))
        rc_emit_result(exit_code, message);
    finish(p);
}

/* The error frame, when one came, says more than how the socket died. */
static const char *disconnect_cause(struct rc_pump *p)
{
    if (p->last_error)
        return p->last_error;
    return p->cause ? p->cause : "WS attach ended before exit frame";
}

static enum rc_probe_state probe(struct rc_pump *p, int *exit_code)
{
    return rc_rest_probe(p->cfg->rest, p->cfg->box_id, p->cfg->execution_id,
                         p->t.probe_timeout, exit_code);
}

/* The last word when the WebSocket path gave up: the status, else -1. */
static void fallback(struct rc_pump *p)
{
    int code = -1;
    if (probe(p, &code) == RC_PROBE_TERMINAL)
        report_result(p, code, NULL);
    else
        report_result(p, -1, disconnect_cause(p));
}

/* ---- timers ------------------------------------------------------------- */

static void connection_ended(struct rc_pump *p, const char *cause_if_none);

static void on_idle_timeout(lws_sorted_usec_list_t *sul)
{
    struct rc_pump *p = lws_container_of(sul, struct rc_pump, sul_idle);
    if (p->frame_seen_here || p->frame_seen)
        set_str(&p->cause,
                rc_strf("no WS traffic for the watchdog interval (idle timeout or proxy cut)"));
    else
        set_str(&p->cause, rc_strf("no WS frame within the first-frame timeout"));
    kill_connection(p);
}

static void arm_idle(struct rc_pump *p)
{
    bool seen = rc_mutant_is(RC_MUT_STICKY_LOST) ? p->frame_seen_here : p->frame_seen;
    schedule(p, &p->sul_idle, on_idle_timeout, seen ? p->t.watchdog : p->t.first_frame);
}

static void on_handshake_timeout(lws_sorted_usec_list_t *sul)
{
    struct rc_pump *p = lws_container_of(sul, struct rc_pump, sul_handshake);
    set_str(&p->cause, rc_strf("WS upgrade got no response within the handshake timeout"));
    kill_connection(p);
    /* lws reports nothing for a client killed before its upgrade: end it here. */
    connection_ended(p, p->cause);
}

static void on_ping_timer(lws_sorted_usec_list_t *sul)
{
    struct rc_pump *p = lws_container_of(sul, struct rc_pump, sul_ping);
    p->ping_due = true;
    request_write(p);
    schedule(p, &p->sul_ping, on_ping_timer, p->t.ping_interval);
}

static void start_pinging(struct rc_pump *p)
{
    if (p->pinging || rc_mutant_is(RC_MUT_NO_CLIENT_PING))
        return;
    p->pinging = true;
    schedule(p, &p->sul_ping, on_ping_timer, p->t.ping_interval);
}

/* Any server frame proves the connection alive. */
static void on_frame(struct rc_pump *p, bool is_control)
{
    if (is_control && rc_mutant_is(RC_MUT_PING_NO_RESET))
        return;
    if (is_control && rc_mutant_is(RC_MUT_PING_NOT_FIRST_FRAME) && !p->frame_seen) {
        arm_idle(p);
        return;
    }
    p->frame_seen = p->frame_seen_here = true;
    arm_idle(p);
    start_pinging(p);
}

/* ---- connecting --------------------------------------------------------- */

static void after_end(lws_sorted_usec_list_t *sul);

static void reset_connection_state(struct rc_pump *p)
{
    p->conn_live = true;
    p->established = p->frame_seen_here = p->want_write = false;
    p->eof_sent = p->ping_due = p->pinging = p->reset_seen = p->dropping = false;
    p->reject_status = 0;
    free(p->cause);
    p->cause = NULL;
    p->text.len = 0;
}

static void connect_attempt(struct rc_pump *p)
{
    struct lws_client_connect_info ci;
    memset(&ci, 0, sizeof(ci));
    ci.context = p->ctx;
    ci.vhost = p->vhost;
    ci.address = p->address;
    ci.port = p->port;
    ci.path = p->attempt >= 1 && rc_mutant_is(RC_MUT_QUERY_DROPPED) ? p->path_bare : p->path;
    ci.host = p->address;
    ci.origin = p->address;
    ci.local_protocol_name = "rc-attach";
    p->attempt++;
    /* Tags the wsi: callbacks of an attempt already given up are ignored. */
    ci.opaque_user_data = (void *)(intptr_t)p->attempt;
    p->ws = NULL;
    reset_connection_state(p);
    if (!rc_mutant_is(RC_MUT_NO_HANDSHAKE_TIMEOUT))
        schedule(p, &p->sul_handshake, on_handshake_timeout, p->t.handshake);
    struct lws *wsi = lws_client_connect_via_info(&ci);
    if (p->conn_live && wsi)
        p->ws = wsi;
    else
        connection_ended(p, "WS connect failed");
}

static void on_wait_done(lws_sorted_usec_list_t *sul)
{
    connect_attempt(lws_container_of(sul, struct rc_pump, sul_wait));
}

/* budget-wall-clock: what is left of the budget is what the clock since the
 * first disconnect leaves, attempts and probes included. */
static void spend_wall_clock(struct rc_pump *p)
{
    lws_usec_t now = lws_now_usecs();
    if (!p->first_wait_us)
        p->first_wait_us = now;
    double left = p->t.budget - (double)(now - p->first_wait_us) / LWS_US_PER_SEC;
    if (left < p->backoff.left)
        p->backoff.left = left > 0 ? left : 0;
}

static void wait_then_reconnect(struct rc_pump *p)
{
    if (rc_mutant_is(RC_MUT_BUDGET_WALL_CLOCK))
        spend_wall_clock(p);
    double wait = rc_backoff_take(&p->backoff);
    if (wait < 0 && rc_mutant_is(RC_MUT_NO_FINAL_PROBE)) {
        report_result(p, -1, disconnect_cause(p));
        return;
    }
    if (wait < 0) {
        fallback(p);
        return;
    }
    schedule(p, &p->sul_wait, on_wait_done, wait);
}

static void connection_ended(struct rc_pump *p, const char *cause_if_none)
{
    if (!p->conn_live)
        return;
    p->conn_live = false;
    p->ws = NULL;
    lws_sul_cancel(&p->sul_idle);
    lws_sul_cancel(&p->sul_handshake);
    lws_sul_cancel(&p->sul_ping);
    if (!p->cause)
        set_str(&p->cause, rc_strf("%s", cause_if_none));
    /* Decide outside lws's callback: the probe blocks and lws is mid-close. */
    schedule(p, &p->sul_end, after_end, 0.000001);
}

/* ---- after a connection ended ------------------------------------------- */

static const char *attach_error_kind(long status)
{
    if (status == 404)
        return rc_mutant_is(RC_MUT_ATTACH_404_NOT_FOUND) ? "not_found" : "session_reaped";
    if (status == 409)
        return "already_attached";
    if (status == 410)
        return "session_reaped";
    return status == 0 ? "network" : rc_kind_of_status(status);
}

static void attach_refused(struct rc_pump *p)
{
    if (p->reject_status == 409 && rc_mutant_is(RC_MUT_ATTACH_409_RETRIED) && p->attempt == 1) {
        schedule(p, &p->sul_wait, on_wait_done, p->t.backoff_initial);
        return;
    }
    rc_emit_error(attach_error_kind(p->reject_status), p->cause);
    finish(p);
}

static void after_refused_attempt(struct rc_pump *p)
{
    if (p->cfg->attach && !p->ever_established)
        attach_refused(p);
    else if (!p->ever_established)
        fallback(p);  /* exec: a first upgrade that fails is not retried */
    else if (p->reject_status == 409 && rc_mutant_is(RC_MUT_REJECT_409_FATAL))
        fallback(p);
    else {
        rc_backoff_failed(&p->backoff);
        wait_then_reconnect(p);
    }
}

static enum rc_probe_state probe_after_disconnect(struct rc_pump *p, int *code)
{
    if (rc_mutant_is(RC_MUT_NO_PROBE))
        return RC_PROBE_RUNNING;
    enum rc_probe_state s = probe(p, code);
    if (s == RC_PROBE_GONE && rc_mutant_is(RC_MUT_RECONNECT_AFTER_404))
        return RC_PROBE_RUNNING;
    return s;
}

static void after_disconnect(struct rc_pump *p)
{
    int code = -1;
    if (p->reset_seen && rc_mutant_is(RC_MUT_HANG_AFTER_RST))
        return;
    switch (probe_after_disconnect(p, &code)) {
    case RC_PROBE_TERMINAL:
        report_result(p, rc_mutant_is(RC_MUT_FALLBACK_IGNORES_EXIT) ? -1 : code,
                      rc_mutant_is(RC_MUT_FALLBACK_KEEPS_CAUSE) ? disconnect_cause(p) : NULL);
        return;
    case RC_PROBE_GONE:
        fallback(p);
        return;
    case RC_PROBE_RUNNING:
    case RC_PROBE_UNAVAILABLE:
        rc_backoff_disconnect(&p->backoff);
        wait_then_reconnect(p);
        return;
    }
}

static void after_end(lws_sorted_usec_list_t *sul)
{
    struct rc_pump *p = lws_container_of(sul, struct rc_pump, sul_end);
    if (p->done)
        return;
    if (p->exit_pending)
        report_result(p, p->pending_code, p->last_error);
    else if (p->established)
        after_disconnect(p);
    else
        after_refused_attempt(p);
}

/* ---- frames in ---------------------------------------------------------- */

static void emit_chunk(enum rc_channel ch, const uint8_t *data, size_t len)
{
    int out = ch == RC_CH_STDERR ? 2 : 1;
    if (rc_mutant_is(RC_MUT_SWAP_STREAMS))
        out = 3 - out;
    if (!rc_mutant_is(RC_MUT_UTF8_LOSSY)) {
        rc_emit_output(out, data, len);
        return;
    }
    size_t n;
    uint8_t *lossy = rc_utf8_lossy(data, len, &n);
    rc_emit_output(out, lossy, n);
    free(lossy);
}

static int on_binary(struct rc_pump *p, struct lws *wsi, const uint8_t *data, size_t len)
{
    if (lws_is_first_fragment(wsi)) {
        struct rc_chunk c = rc_demux_binary(data, len);
        p->rx_channel = c.channel;
        data = c.data;
        len = c.len;
    }
    if (p->rx_channel != RC_CH_STDOUT && p->rx_channel != RC_CH_STDERR) {
        if (!rc_mutant_is(RC_MUT_UNKNOWN_FRAME_FATAL))
            return 0;
        set_str(&p->cause, rc_strf("unknown binary frame"));
        return -1;
    }
    if (len > 0)
        emit_chunk(p->rx_channel, data, len);
    return 0;
}

static int on_control(struct rc_pump *p, const struct rc_control *c)
{
    switch (c->kind) {
    case RC_CTL_EXIT:
        if (rc_mutant_is(RC_MUT_RESULT_AT_CLOSE)) {
            p->exit_pending = true;
            p->pending_code = c->exit_code;
            set_str(&p->last_error, NULL);
            return 0;
        }
        report_result(p, rc_mutant_is(RC_MUT_EXIT_CODE_IGNORED) ? 0 : c->exit_code, NULL);
        return 0;
    case RC_CTL_ERROR:
        set_str(&p->last_error, rc_strf("%s", c->message));
        if (rc_mutant_is(RC_MUT_ERRFRAME_TERMINAL))
            report_result(p, -1, c->message);
        return 0;
    case RC_CTL_UNKNOWN:
        if (c->json_null && rc_mutant_is(RC_MUT_JSON_NULL_FATAL)) {
            set_str(&p->cause, rc_strf("text frame null has no type"));
            return -1;
        }
        if (!rc_mutant_is(RC_MUT_UNKNOWN_FRAME_FATAL))
            return 0;
        set_str(&p->cause, rc_strf("unknown text frame"));
        return -1;
    }
    return 0;
}

static int on_text(struct rc_pump *p, struct lws *wsi, const void *data, size_t len)
{
    rc_buf_append(&p->text, data, len);
    if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi))
        return 0;
    struct rc_control c;
    rc_control_parse((const char *)p->text.data, p->text.len, &c);
    p->text.len = 0;
    int rc = on_control(p, &c);
    rc_control_clear(&c);
    return rc;
}

static int on_receive(struct rc_pump *p, struct lws *wsi, const void *in, size_t len)
{
    if (p->done)
        return 0;
    on_frame(p, false);
    if (lws_frame_is_binary(wsi))
        return on_binary(p, wsi, in, len);
    return on_text(p, wsi, in, len);
}

/* ---- frames out --------------------------------------------------------- */

static int write_frame(struct lws *wsi, const void *data, size_t len,
                       enum lws_write_protocol kind)
{
    uint8_t *buf = malloc(LWS_PRE + len + 1);
    memcpy(buf + LWS_PRE, data, len);
    int n = lws_write(wsi, buf + LWS_PRE, len, kind);
    free(buf);
    return n < 0 ? -1 : 0;
}

static bool eof_owed(struct rc_pump *p)
{
    if (!p->stdin_closed || p->eof_sent || rc_mutant_is(RC_MUT_EOF_NEVER))
        return false;
    return !(p->eof_ever_sent && rc_mutant_is(RC_MUT_EOF_NOT_RESENT));
}

static int write_stdin(struct rc_pump *p, struct lws *wsi)
{
    size_t n = p->stdin_q.len < RC_STDIN_CHUNK ? p->stdin_q.len : RC_STDIN_CHUNK;
    enum lws_write_protocol kind =
        rc_mutant_is(RC_MUT_STDIN_AS_TEXT) ? LWS_WRITE_TEXT : LWS_WRITE_BINARY;
    if (write_frame(wsi, p->stdin_q.data, n, kind) < 0)
        return -1;
    p->last_sent.len = 0;
    rc_buf_append(&p->last_sent, p->stdin_q.data, n);
    rc_buf_consume(&p->stdin_q, n);
    return 0;
}

/* lws answers pings itself and never shows them to us, but after putting
 * its pong on the wire it hands us a writable callback we did not ask
 * for: that is how a ping shows. */
static int on_writable(struct rc_pump *p, struct lws *wsi)
{
    int rc = 0;
    if (!p->want_write)
        on_frame(p, true);
    p->want_write = false;
    bool eof_first = rc_mutant_is(RC_MUT_EOF_BEFORE_STDIN) && eof_owed(p);
    if (p->stdin_q.len && !eof_first) {
        rc = write_stdin(p, wsi);
    } else if (eof_owed(p)) {
        rc = write_frame(wsi, RC_STDIN_EOF, strlen(RC_STDIN_EOF), LWS_WRITE_TEXT);
        p->eof_sent = p->eof_ever_sent = true;
    } else if (p->ping_due) {
        p->ping_due = false;
        rc = write_frame(wsi, RC_PING_PAYLOAD, strlen(RC_PING_PAYLOAD), LWS_WRITE_PING);
    }
    if (rc < 0) {
        set_str(&p->cause, rc_strf("WS write failed (connection closed)"));
        return -1;
    }
    if (p->stdin_q.len || eof_owed(p) || p->ping_due)
        request_write(p);
    return 0;
}

/* ---- connection events -------------------------------------------------- */

static int add_auth(struct rc_pump *p, struct lws *wsi, void *in, size_t len)
{
    unsigned char **pos = in, *end = *pos + len;
    char value[512];
    if (rc_mutant_is(RC_MUT_NO_BEARER_UPGRADE))
        return 0;
    snprintf(value, sizeof(value), "Bearer %s", p->cfg->api_key ? p->cfg->api_key : "");
    return lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_AUTHORIZATION,
                                        (unsigned char *)value, (int)strlen(value),
                                        pos, end) ? -1 : 0;
}

static void on_established(struct rc_pump *p, struct lws *wsi)
{
    if (p->cfg->attach && !p->ever_established)
        rc_emit_started(p->cfg->execution_id);
    p->ws = wsi;
    p->established = p->ever_established = true;
    lws_sul_cancel(&p->sul_handshake);
    if (p->attempt > 1 && rc_mutant_is(RC_MUT_STDIN_DOUBLED))
        rc_buf_prepend(&p->stdin_q, &p->last_sent);
    if (rc_mutant_is(RC_MUT_NO_PONG))
        /* lws drops pings once a close reason is stashed: no pong goes out. */
        lws_close_reason(wsi, LWS_CLOSE_STATUS_NORMAL, NULL, 0);
    arm_idle(p);
    if (p->frame_seen)
        start_pinging(p);
    if (p->stdin_q.len || eof_owed(p))
        request_write(p);
}

static long upgrade_status(struct lws *wsi, const char *why)
{
    long status = (long)lws_http_client_http_response(wsi);
    if (status == 0 && why && strstr(why, "unauthorized"))
        status = 401;
    return status;
}

static void on_connect_error(struct rc_pump *p, struct lws *wsi, const char *why)
{
    p->reject_status = upgrade_status(wsi, why);
    if (!p->cause && p->reject_status)
        set_str(&p->cause, rc_strf("WS upgrade refused: HTTP %ld", p->reject_status));
    else if (!p->cause)
        set_str(&p->cause, rc_strf("WS connect failed: %s", why ? why : "unknown"));
    connection_ended(p, "WS connect failed");
}

/* The kernel's view: a reset connection is CLOSED at once, a FIN leaves it
 * in CLOSE_WAIT until we close our side. */
static bool was_reset(struct lws *wsi)
{
    struct tcp_info ti;
    socklen_t len = sizeof(ti);
    int fd = lws_get_socket_fd(wsi);
    return fd >= 0 && getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) == 0 &&
           ti.tcpi_state == TCP_CLOSE;
}

static void on_closed(struct rc_pump *p, struct lws *wsi)
{
    if (!p->dropping && was_reset(wsi))
        p->reset_seen = true;
    connection_ended(p, "WS stream ended before exit frame (idle timeout or proxy cut)");
}

static int on_attach_event(struct lws *wsi, enum lws_callback_reasons reason,
                           void *user, void *in, size_t len)
{
    struct rc_pump *p = lws_context_user(lws_get_context(wsi));
    (void)user;
    if ((intptr_t)lws_get_opaque_user_data(wsi) != p->attempt || !p->conn_live)
        return reason == LWS_CALLBACK_CLIENT_RECEIVE ? -1 : 0;
    switch (reason) {
    case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
        return add_auth(p, wsi, in, len);
    case LWS_CALLBACK_CLIENT_ESTABLISHED:
        on_established(p, wsi);
        return 0;
    case LWS_CALLBACK_CLIENT_RECEIVE:
        return on_receive(p, wsi, in, len);
    case LWS_CALLBACK_CLIENT_RECEIVE_PONG:
        on_frame(p, true);
        return 0;
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
        on_frame(p, false);
        set_str(&p->cause, rc_strf("WS closed before exit frame (idle timeout or proxy cut)"));
        return 0;
    case LWS_CALLBACK_CLIENT_WRITEABLE:
        return on_writable(p, wsi);
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
        on_connect_error(p, wsi, in);
        return 0;
    case LWS_CALLBACK_CLIENT_CLOSED:
        on_closed(p, wsi);
        return 0;
    case LWS_CALLBACK_WSI_DESTROY:
        /* lws may tear down a refused or cut upgrade without telling the
         * protocol (e.g. a rejection and its FIN read together): the attempt
         * still ended, now, not at the handshake timeout. */
        rc_emit_log("attach attempt %d ended without an lws close callback", p->attempt);
        on_connect_error(p, wsi, "WS upgrade ended without a response");
        return 0;
    default:
        return 0;
    }
}

/* ---- the caller's stdin plan -------------------------------------------- */

static bool is_control(enum rc_stdin_kind kind)
{
    return kind == RC_STDIN_KILL || kind == RC_STDIN_SIGNAL || kind == RC_STDIN_RESIZE;
}

/* One op of the plan (rc_plan_feed's callback). */
static void apply_stdin_op(const struct rc_stdin_op *op, void *user)
{
    struct rc_pump *p = user;
    if (is_control(op->kind)) {
        /* A REST call, made from the loop; a failed one ends the action. */
        if (!p->done && p->cfg->on_control && p->cfg->on_control(op, p->cfg->control_user) < 0)
            finish(p);
        return;
    }
    if (op->kind == RC_STDIN_DATA && !p->stdin_closed) {
        bool connected = p->ws && p->established;
        if (!connected && rc_mutant_is(RC_MUT_STDIN_LOST))
            return;
        rc_buf_append(&p->stdin_q, op->data, op->len);
    } else if (op->kind == RC_STDIN_CLOSE) {
        p->stdin_closed = true;
    }
    request_write(p);
}

static int on_stdin_event(struct lws *wsi, enum lws_callback_reasons reason,
                          void *user, void *in, size_t len)
{
    struct rc_pump *p = lws_context_user(lws_get_context(wsi));
    uint8_t buf[8192];
    (void)user, (void)in, (void)len;
    if (reason != LWS_CALLBACK_RAW_RX_FILE)
        return 0;
    ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
    if (n <= 0) {
        /* End of instructions; a last line without newline still counts. */
        rc_plan_feed(&p->line, "\n", 1, apply_stdin_op, p);
        return -1;
    }
    rc_plan_feed(&p->line, buf, (size_t)n, apply_stdin_op, p);
    return 0;
}

/* ---- setup -------------------------------------------------------------- */

static const struct lws_protocols protocols[] = {
    { "rc-attach", on_attach_event, 0, RC_RX_BUFFER, 0, NULL, 0 },
    { "rc-stdin", on_stdin_event, 0, 0, 0, NULL, 0 },
    { NULL, NULL, 0, 0, 0, NULL, 0 }
};

void rc_timing_production(struct rc_timing *t)
{
    t->first_frame = 10;
    t->watchdog = 45;
    t->probe_timeout = 5;
    t->backoff_initial = 15;
    t->backoff_max = 30;
    t->budget = 270;
    t->handshake = 30;
    t->ping_interval = 15;
}

static struct rc_timing as_mutant_sees(struct rc_timing t)
{
    if (rc_mutant_is(RC_MUT_FIRST_FRAME_WATCHDOG))
        t.first_frame = t.watchdog;
    if (rc_mutant_is(RC_MUT_FIRST_FRAME_HALF))
        t.first_frame /= 2;
    if (rc_mutant_is(RC_MUT_WATCHDOG_60))
        t.watchdog = t.watchdog * 4 / 3;
    if (rc_mutant_is(RC_MUT_HANDSHAKE_HALF))
        t.handshake /= 2;
    if (rc_mutant_is(RC_MUT_PING_DOUBLE))
        t.ping_interval *= 2;
    if (rc_mutant_is(RC_MUT_PROBE_TIMEOUT_TENTH))
        t.probe_timeout /= 10;
    return t;
}

static unsigned backoff_flags(void)
{
    return (rc_mutant_is(RC_MUT_BACKOFF_NO_DOUBLE) ? RC_BO_NO_DOUBLE : 0) |
           (rc_mutant_is(RC_MUT_BACKOFF_NO_CAP) ? RC_BO_NO_CAP : 0) |
           (rc_mutant_is(RC_MUT_BUDGET_OVERRUN) ? RC_BO_OVERRUN : 0) |
           (rc_mutant_is(RC_MUT_BUDGET_PER_DISCONNECT) ? RC_BO_RESET_BUDGET : 0) |
           (rc_mutant_is(RC_MUT_BACKOFF_NOT_RESET) ? RC_BO_NO_RESET : 0);
}

/* ws://host:port/v1/prefix/boxes/B/executions/E/attach[?stdin=false] */
static int resolve_target(struct rc_pump *p)
{
    char *box = rc_path_escape(p->cfg->box_id);
    char *eid = rc_path_escape(p->cfg->execution_id);
    char *url = NULL;
    const char *prot, *addr, *path;
    int port;
    int rc = asprintf(&url, "%s/boxes/%s/executions/%s/attach", p->cfg->rest->base, box, eid);
    free(box);
    free(eid);
    if (rc < 0 || lws_parse_uri(url, &prot, &addr, &port, &path)) {
        free(url);
        return -1;
    }
    p->address = strdup(addr);
    p->port = port;
    set_str(&p->path_bare, rc_strf("/%s", path));
    bool readonly = p->cfg->readonly || rc_mutant_is(RC_MUT_READONLY_ALWAYS);
    set_str(&p->path, rc_strf("/%s%s", path, readonly ? "?stdin=false" : ""));
    free(url);
    return 0;
}

static int create_loop(struct rc_pump *p)
{
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof(info));
    info.port = CONTEXT_PORT_NO_LISTEN;
    info.protocols = protocols;
    info.user = p;
    info.timeout_secs = RC_LWS_FOREVER;
    info.connect_timeout_secs = RC_LWS_FOREVER;
    info.fd_limit_per_thread = 64;
    p->ctx = lws_create_context(&info);
    if (!p->ctx)
        return -1;
    p->vhost = lws_get_vhost_by_name(p->ctx, "default");
    lws_sock_file_fd_type fd;
    fd.filefd = STDIN_FILENO;
    if (!lws_adopt_descriptor_vhost(p->vhost, LWS_ADOPT_RAW_FILE_DESC, fd, "rc-stdin", NULL))
        rc_emit_log("stdin could not join the event loop: no stdin plan");
    return 0;
}

static void pump_free(struct rc_pump *p)
{
    free(p->address);
    free(p->path);
    free(p->path_bare);
    free(p->cause);
    free(p->last_error);
    rc_buf_free(&p->stdin_q);
    rc_buf_free(&p->last_sent);
    rc_buf_free(&p->line);
    rc_buf_free(&p->text);
}

int rc_pump_run(const struct rc_pump_cfg *cfg)
{
    struct rc_pump p;
    memset(&p, 0, sizeof(p));
    p.cfg = cfg;
    p.t = as_mutant_sees(cfg->timing);
    rc_backoff_init(&p.backoff, p.t.backoff_initial, p.t.backoff_max, p.t.budget,
                    backoff_flags());
    if (resolve_target(&p) < 0 || create_loop(&p) < 0) {
        rc_emit_error("invalid_argument", "cannot build the attach URL or event loop");
        pump_free(&p);
        return -1;
    }
    connect_attempt(&p);
    while (!p.done && lws_service(p.ctx, 0) >= 0)
        ;
    lws_context_destroy(p.ctx);
    pump_free(&p);
    return p.done ? 0 : -1;
}
