/* attach.c - runs an attach attempt's steps, pings, backlog replay, stdin. */
#include "attach.h"

#include <stdlib.h>
#include <string.h>

#include "exec_state.h"
#include "flood.h"
#include "frames.h"
#include "journal.h"
#include "loop.h"
#include "pinger.h"
#include "tap.h"
#include "wsframe.h"

#define ATTACH_TEXT_MAX (64 * 1024) /* client text messages parsed up to this */
#define ATTACH_READ_DEADLINE 45.0   /* client s: BoxLite's server gives up on a silent peer */
/* Flood bytes handed to lws per writeable callback: several small frames per
 * wakeup, yet pings and stdin echoes queued meanwhile wait at most this much. */
#define ATTACH_FLOOD_BATCH (256 * 1024)

typedef struct out_frame {
    int op;                     /* FS_WS_BINARY, TEXT, PING, PONG or CLOSE */
    uint8_t *data;              /* payload (close: the reason) */
    size_t len;
    int record;                 /* 1/2: add to the backlog once sent */
    int replay;                 /* backlog frame: not recorded again */
    int exit_frame;             /* completes the execution once sent */
    int has_exit_code, exit_code;
    int close_code;             /* CLOSE: status code, 0 none */
    struct out_frame *next;
} out_frame;

typedef struct fs_attach {
    int conn;                   /* connection of this attach */
    fs_exec *exec;              /* its execution (never freed while serving) */
    int attempt;
    const bc_script *script;
    size_t step;                /* next step to run */
    out_frame *head, *tail;     /* frames waiting for lws */
    int blocked;                /* the current step is still running */
    int silent;                 /* silence step: pings paused */
    int stopped;                /* the script gave the connection to a fault */
    int wait_for;               /* 1 stdin_eof, 2 stdin bytes, 0 nothing */
    size_t stdin_bytes;         /* stdin bytes received on this connection */
    int eof_seen;               /* stdin_eof received on this connection */
    const bc_frame *dripping;   /* frame being dripped by the tap */
    fs_flood flood;             /* a flood step's frames (fs_flood_active while it sends) */
    uint8_t *text;              /* client text message being reassembled */
    size_t text_len;
    lws_sorted_usec_list_t step_sul;
    fs_ping_timer ping;         /* next ping (pinger.c) */
} fs_attach;

static void advance(fs_attach *a);

/* ---- frame queue --------------------------------------------------------- */

static out_frame *push(fs_attach *a, int op, const void *p, size_t n) {
    out_frame *f = calloc(1, sizeof *f);
    f->op = op;
    f->data = malloc(n ? n : 1);
    if (n) memcpy(f->data, p, n);
    f->len = n;
    if (a->tail) a->tail->next = f;
    else a->head = f;
    a->tail = f;
    fs_session *s = fs_session_find(a->conn);
    if (s) lws_callback_on_writable(s->wsi);
    return f;
}

static out_frame *pop(fs_attach *a) {
    out_frame *f = a->head;
    if (f && !(a->head = f->next)) a->tail = NULL;
    return f;
}

static void free_frame(out_frame *f) {
    free(f->data);
    free(f);
}

static void push_channel(fs_attach *a, int channel, const uint8_t *p, size_t n, int replay) {
    uint8_t *buf = malloc(n + 1);
    buf[0] = (uint8_t)channel;
    if (n) memcpy(buf + 1, p, n);
    out_frame *f = push(a, FS_WS_BINARY, buf, n + 1);
    f->record = replay ? 0 : channel;
    f->replay = replay;
    free(buf);
}

static void push_close(fs_attach *a, int code, const char *reason) {
    out_frame *f = push(a, FS_WS_CLOSE, reason ? reason : "", reason ? strlen(reason) : 0);
    f->close_code = code;
}

static void push_scenario_frame(fs_attach *a, const bc_frame *fr) {
    int op, channel;
    size_t len;
    uint8_t *p = fs_frames_payload(fr, &op, &len, &channel);
    out_frame *f = push(a, op, p, len);
    free(p);
    f->record = channel;
    if (fr->kind == BC_FRAME_EXIT) {
        f->exit_frame = 1;
        f->has_exit_code = fr->has_exit_code;
        f->exit_code = fr->exit_code;
        if (fr->close) push_close(a, LWS_CLOSE_STATUS_NORMAL, NULL);
    }
}

/* ---- pings and timers ---------------------------------------------------- */

static void ping_due(fs_ping_timer *t) {
    fs_attach *a = lws_container_of(t, fs_attach, ping);
    if (a->silent || a->stopped) return;
    push(a, FS_WS_PING, "", 0);
    fs_pinger_schedule(&a->ping, fs_loop_us(fs_scenario->server.ping_interval), ping_due);
}

static void start_pings(fs_attach *a) {
    if (fs_scenario->server.ping_interval <= 0) return;
    fs_pinger_schedule(&a->ping, fs_loop_us(fs_scenario->server.ping_interval), ping_due);
}

static void step_done(fs_attach *a) {
    lws_sul_cancel(&a->step_sul);
    a->blocked = 0;
    a->wait_for = 0;
    a->step++;
    advance(a);
}

static void set_silent(fs_attach *a, int on) {
    fs_tap *t = fs_tap_find(a->conn);
    a->silent = on;
    if (t) fs_tap_mute(t, on);
    if (on) {
        fs_pinger_cancel(&a->ping);
        return;
    }
    start_pings(a);
    fs_session *s = fs_session_find(a->conn);
    if (a->head && s) lws_callback_on_writable(s->wsi); /* echoes held back */
}

static void step_timer(lws_sorted_usec_list_t *sul) {
    fs_attach *a = lws_container_of(sul, fs_attach, step_sul);
    if (a->silent) set_silent(a, 0);
    step_done(a);
}

static void block_for(fs_attach *a, double seconds, int forever) {
    a->blocked = 1;
    if (!forever) fs_loop_after(&a->step_sul, seconds, step_timer);
}

/* ---- steps --------------------------------------------------------------- */

/* The step's key as written in the scenario (frame steps by their kind). */
static const char *step_key(const bc_step *st) {
    static const char *const frame_keys[] = {
        [BC_FRAME_OUT] = "out",   [BC_FRAME_ERR] = "err",     [BC_FRAME_BINARY] = "binary_b64",
        [BC_FRAME_TEXT] = "text", [BC_FRAME_ERROR] = "error", [BC_FRAME_EXIT] = "exit",
        [BC_FRAME_PING] = "ping", [BC_FRAME_PONG] = "pong",
    };
    if (st->action == BC_STEP_FRAME) return frame_keys[st->frame.kind];
    return bc_step_action_name(st->action);
}

static void journal_step(const fs_attach *a, const bc_step *st) {
    json_t *e = fs_journal_event("step", a->conn);
    json_object_set_new(e, "attempt", json_integer(a->attempt));
    json_object_set_new(e, "index", json_integer((json_int_t)a->step));
    json_object_set_new(e, "do", json_string(step_key(st)));
    fs_journal_emit(e);
}

static int wait_satisfied(const fs_attach *a, const bc_step *st) {
    if (st->action == BC_STEP_WAIT_FOR_EOF) return a->eof_seen;
    return a->stdin_bytes >= st->byte_count;
}

/* The frame_out event of a cut frame, journaled once its kept bytes left:
 * the observer never sees the whole frame. */
static json_t *cut_event(fs_tap *t, const bc_frame *fr, size_t keep) {
    int op, channel;
    size_t len;
    uint8_t *p = fs_frames_payload(fr, &op, &len, &channel);
    json_t *e = fs_tap_frame_event(t, op, p, len);
    json_object_set_new(e, "partial", json_integer((json_int_t)keep));
    free(p);
    return e;
}

static fs_tap_then tap_then(bc_cut_then then) {
    return then == BC_THEN_FIN ? FS_TAP_THEN_FIN : then == BC_THEN_RST ? FS_TAP_THEN_RST : FS_TAP_THEN_HOLD;
}

/* Hands the connection to a tap fault; the script ends here. */
static void give_to_tap(fs_attach *a) {
    a->stopped = 1;
    a->blocked = 1;
    fs_pinger_cancel(&a->ping);
}

static void read_deadline_passed(lws_sorted_usec_list_t *sul) {
    fs_attach *a = lws_container_of(sul, fs_attach, step_sul);
    fs_tap *t = fs_tap_find(a->conn);
    if (t) fs_tap_drop_server(t);
}

/* A held or half-open socket hears nothing from the client. The real server
 * drops its end after its read deadline, which frees the execution for the
 * next attach (else every reconnect would be a 409); the client's side of
 * the fault is left as it is. */
static void give_to_tap_for_good(fs_attach *a) {
    give_to_tap(a);
    fs_loop_after(&a->step_sul, ATTACH_READ_DEADLINE, read_deadline_passed);
}

static int is_binary(const bc_frame *fr) {
    return fr->kind == BC_FRAME_OUT || fr->kind == BC_FRAME_ERR || fr->kind == BC_FRAME_BINARY;
}

static void run_tap_step(fs_attach *a, fs_tap *t, const bc_step *st) {
    size_t total, keep;
    uint8_t *raw;
    switch (st->action) {
    case BC_STEP_FIN: give_to_tap(a); fs_tap_fin(t); break;
    case BC_STEP_RST: give_to_tap(a); fs_tap_rst(t); break;
    case BC_STEP_HALF_OPEN:
        give_to_tap_for_good(a);
        fs_tap_half_open(t, st->forever ? -1 : fs_loop_us(st->seconds));
        break;
    case BC_STEP_CUT:
        raw = fs_frames_encode(&st->frame, &total);
        if (st->then == BC_THEN_HOLD) give_to_tap_for_good(a);
        else give_to_tap(a);
        keep = st->keep < total ? st->keep : total;
        fs_tap_cut(t, raw, keep, tap_then(st->then), cut_event(t, &st->frame, keep));
        free(raw);
        break;
    case BC_STEP_DRIP:
        raw = fs_frames_encode(&st->frame, &total);
        a->blocked = 1;
        a->dripping = &st->frame;
        if (is_binary(&st->frame)) fs_tap_note_binary(t, FS_TAP_PLAIN);
        fs_tap_drip(t, raw, total, fs_loop_us(st->interval));
        free(raw);
        break;
    default: break;
    }
}

/* lws cannot send a close frame without a status code: "close": null goes
 * out raw, and the socket stays open for the client's answer. */
static void send_empty_close(fs_attach *a, fs_tap *t) {
    uint8_t raw[2];
    size_t n = fs_wsframe_encode(raw, sizeof raw, 1, FS_WS_CLOSE, NULL, 0, NULL);
    give_to_tap_for_good(a);
    fs_tap_cut(t, raw, n, FS_TAP_THEN_HOLD, NULL);
}

/* The frames leave from fs_attach_writeable, as lws takes them. */
static void start_flood(fs_attach *a, const bc_step *st) {
    if (!fs_flood_begin(&a->flood, st)) {
        a->step++;
        return;
    }
    a->blocked = 1;
    fs_session *s = fs_session_find(a->conn);
    if (s) lws_callback_on_writable(s->wsi);
}

static void run_step(fs_attach *a, const bc_step *st) {
    fs_tap *t = fs_tap_find(a->conn);
    switch (st->action) {
    case BC_STEP_FRAME:
        push_scenario_frame(a, &st->frame);
        a->step++;
        break;
    case BC_STEP_WAIT:
        block_for(a, st->seconds, 0);
        break;
    case BC_STEP_SILENCE:
        set_silent(a, 1);
        block_for(a, st->seconds, st->forever);
        break;
    case BC_STEP_WAIT_FOR_EOF:
    case BC_STEP_WAIT_FOR_STDIN:
        if (wait_satisfied(a, st)) {
            a->step++;
            break;
        }
        a->wait_for = st->action == BC_STEP_WAIT_FOR_EOF ? 1 : 2;
        block_for(a, st->seconds, st->forever);
        break;
    case BC_STEP_CLOSE:
        if (st->has_close_code || !t) push_close(a, st->close_code, st->close_reason);
        else send_empty_close(a, t);
        a->stopped = 1;
        break;
    case BC_STEP_FINISH:
        fs_exec_finish(a->exec, 1, st->exit_code);
        a->step++;
        break;
    case BC_STEP_FLOOD:
        start_flood(a, st);
        break;
    default:
        if (t) run_tap_step(a, t, st);
        else a->stopped = 1;
    }
}

static void advance(fs_attach *a) {
    fs_session *s = fs_session_find(a->conn);
    if (!s) return;
    while (!a->blocked && !a->stopped && !a->head && a->step < a->script->count) {
        /* Faults after this step must follow every byte lws still holds. */
        if (lws_partial_buffered(s->wsi)) {
            lws_callback_on_writable(s->wsi);
            return;
        }
        const bc_step *st = &a->script->steps[a->step];
        journal_step(a, st);
        run_step(a, st);
    }
}

void fs_attach_tap_done(int conn) {
    fs_session *s = fs_session_find(conn);
    fs_attach *a = s ? s->attach : NULL;
    if (!a || !a->dripping) return;
    const bc_frame *fr = a->dripping;
    a->dripping = NULL;
    int op, channel;
    size_t len;
    uint8_t *p = fs_frames_payload(fr, &op, &len, &channel);
    if (channel && len > 0) fs_exec_record(a->exec, channel, p + 1, len - 1);
    free(p);
    if (fr->kind == BC_FRAME_EXIT) {
        fs_exec_finish(a->exec, fr->has_exit_code, fr->exit_code);
        if (fr->close) {
            push_close(a, LWS_CLOSE_STATUS_NORMAL, NULL);
            a->stopped = 1;
        }
    }
    step_done(a);
}

/* ---- connection life ----------------------------------------------------- */

static void replay_backlog(fs_attach *a) {
    for (size_t i = 0; i < a->exec->backlog_count; i++) {
        const fs_chunk *c = &a->exec->backlog[i];
        push_channel(a, c->channel, c->data, c->len, 1);
    }
}

void fs_attach_start(fs_session *s) {
    fs_exec *e = s->request.exec;
    if (!s->upgraded || s->attach || !e) return;
    /* The 101 leaves now, not on the loop's next turn: the attach event
     * the tap holds until then precedes the script's first step. */
    fs_tap_forward(fs_tap_find(s->conn));
    fs_attach *a = calloc(1, sizeof *a);
    a->conn = s->conn;
    a->exec = e;
    a->attempt = s->attempt;
    a->script = bc_scenario_script(fs_scenario, s->attempt_cfg);
    s->attach = a;
    if (bc_scenario_replays(fs_scenario, s->attempt_cfg)) replay_backlog(a);
    start_pings(a);
    advance(a);
}

static void sent(fs_attach *a, const out_frame *f) {
    if (f->record && f->len > 0) fs_exec_record(a->exec, f->record, f->data + 1, f->len - 1);
    if (f->exit_frame) fs_exec_finish(a->exec, f->has_exit_code, f->exit_code);
}

static enum lws_write_protocol write_kind(int op) {
    switch (op) {
    case FS_WS_TEXT: return LWS_WRITE_TEXT;
    case FS_WS_PING: return LWS_WRITE_PING;
    case FS_WS_PONG: return LWS_WRITE_PONG;
    default: return LWS_WRITE_BINARY;
    }
}

/* Hands one data frame to lws; <0 if the connection failed. */
static int write_frame(fs_session *s, fs_attach *a, out_frame *f) {
    uint8_t *buf = malloc(LWS_PRE + f->len + 1);
    memcpy(buf + LWS_PRE, f->data, f->len);
    int w = lws_write(s->wsi, buf + LWS_PRE, f->len, write_kind(f->op));
    free(buf);
    fs_tap *t = fs_tap_find(s->conn);
    if (t && f->op == FS_WS_BINARY) fs_tap_note_binary(t, f->replay ? FS_TAP_REPLAY : FS_TAP_PLAIN);
    if (w >= 0) sent(a, f);
    free_frame(f);
    return w < 0 ? -1 : 0;
}

/* How long the server waits for the client's answer to its close frame, in
 * client seconds. libwebsockets waits 5 real seconds, which at x50 would be
 * 250 client seconds of a socket the next attach is refused for (409). */
#define CLOSE_ACK_SECONDS 5.0

static int close_with(fs_attach *a, fs_session *s, out_frame *f) {
    lws_close_reason(s->wsi, (enum lws_close_status)f->close_code, f->data, f->len);
    fs_tap *t = fs_tap_find(s->conn);
    if (t) fs_tap_fin_after(t, fs_loop_us(CLOSE_ACK_SECONDS));
    free_frame(f);
    a->stopped = 1;
    return -1;
}

/* Flood frames for one callback; the rest on the next ones, so lws's
 * writeability paces the step and at most one frame is buffered by lws. */
static int flood_some(fs_session *s, fs_attach *a) {
    fs_tap *t = fs_tap_find(s->conn);
    size_t batch = 0, len;
    uint8_t *p;
    while (batch < ATTACH_FLOOD_BATCH && !lws_partial_buffered(s->wsi) &&
           (p = fs_flood_next(&a->flood, &len))) {
        if (lws_write(s->wsi, p, len, LWS_WRITE_BINARY) < 0) return -1;
        if (t) fs_tap_note_binary(t, FS_TAP_FLOOD);
        fs_exec_record(a->exec, a->flood.channel, p + 1, len - 1);
        fs_flood_sent(&a->flood, len);
        batch += len;
    }
    if (a->flood.left > 0) {
        lws_callback_on_writable(s->wsi);
        return 0;
    }
    fs_flood_end(&a->flood);
    step_done(a);
    return 0;
}

int fs_attach_writeable(fs_session *s) {
    fs_attach *a = s->attach;
    if (!a || a->silent) return 0;
    out_frame *f = pop(a);
    if (!f) {
        if (fs_flood_active(&a->flood)) return flood_some(s, a);
        advance(a);
        return 0;
    }
    if (f->op == FS_WS_CLOSE) return close_with(a, s, f);
    if (write_frame(s, a, f) < 0) return -1;
    /* A close right behind (exit's close 1000) leaves in the same batch, so
     * no client sees the exit frame without it. */
    if (a->head && a->head->op == FS_WS_CLOSE && !lws_partial_buffered(s->wsi))
        return close_with(a, s, pop(a));
    if (a->head || fs_flood_active(&a->flood)) lws_callback_on_writable(s->wsi);
    else advance(a);
    return 0;
}

static void client_text(fs_attach *a) {
    json_t *o = json_loadb((const char *)a->text, a->text_len, 0, NULL);
    const char *type = json_string_value(json_object_get(o, "type"));
    if (type && !strcmp(type, "stdin_eof")) {
        a->eof_seen = 1;
        const bc_server *sv = &fs_scenario->server;
        if (sv->has_exit_on_stdin_eof && !a->stopped) {
            bc_frame fr = {.kind = BC_FRAME_EXIT, .has_exit_code = 1,
                           .exit_code = sv->exit_on_stdin_eof, .close = 1};
            push_scenario_frame(a, &fr);
            a->stopped = 1;
        }
    }
    json_decref(o);
}

void fs_attach_receive(fs_session *s, const void *in, size_t len) {
    fs_attach *a = s->attach;
    if (!a) return;
    if (lws_frame_is_binary(s->wsi)) {
        a->stdin_bytes += len;
        if (fs_scenario->server.echo_stdin && !a->stopped && len)
            push_channel(a, 1, in, len, 0);
    } else {
        if (a->text_len + len <= ATTACH_TEXT_MAX) {
            a->text = realloc(a->text, a->text_len + len + 1);
            if (len) memcpy(a->text + a->text_len, in, len);
            a->text_len += len;
        }
        if (lws_is_final_fragment(s->wsi)) {
            client_text(a);
            a->text_len = 0;
        }
    }
    if (a->wait_for && a->step < a->script->count &&
        wait_satisfied(a, &a->script->steps[a->step]))
        step_done(a);
}

void fs_attach_end(fs_session *s) {
    fs_attach *a = s->attach;
    if (!a) return;
    s->attach = NULL;
    if (a->exec->attached_conn == s->conn) a->exec->attached_conn = 0;
    lws_sul_cancel(&a->step_sul);
    fs_pinger_cancel(&a->ping);
    out_frame *f;
    while ((f = pop(a))) free_frame(f);
    fs_flood_end(&a->flood);
    free(a->text);
    free(a);
}
