/* tap.c - byte pump between client sockets and libwebsockets, with faults.
 *
 * Per connection three descriptors live in the lws loop: the client's TCP
 * socket and our end of a socketpair (both adopted raw, read and written
 * here), and the pair's other end which lws serves as HTTP. Bytes are
 * observed where they cross the client socket, so the journal shows what the
 * client really got, including faults lws never knew about. */
#include "tap.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "conntab.h"
#include "journal.h"
#include "wsframe.h"

#define TAP_SOFT_LIMIT (256 * 1024) /* stop reading a side whose output waits */
#define TAP_KEEP_PAYLOAD (64 * 1024) /* journaled payload prefix */
#define TAP_READ_CHUNK (64 * 1024)
#define TAP_PAIR_BUF (1024 * 1024)  /* socketpair buffer (the kernel's, not ours) */
#define TAP_LINGER_US (10 * LWS_US_PER_SEC) /* after our FIN, wait this for theirs */
#define TAP_MAX_ACCEPT 64           /* accepts per wakeup, to stay fair */

/* A run of binary frames of one kind, noted but not yet seen on the wire. */
typedef struct tap_run {
    fs_tap_kind kind;
    size_t count;
} tap_run;

typedef struct tap_queue {
    uint8_t *buf;
    size_t head, len, cap;
} tap_queue;

struct fs_tap {
    int conn;                   /* connection number, 1-based */
    int client_fd, pair_fd;     /* client socket; our end of the pair */
    struct lws *client_wsi, *pair_wsi; /* their raw wsis, NULL once closed */
    tap_queue c2s, s2c;         /* bytes waiting for lws / for the client */
    uint64_t s2c_out;           /* stream offset: bytes put on the client wire */
    int hold;                   /* forward nothing more to the client */
    int mute;                   /* drop what lws writes for now (its auto-pongs) */
    int client_paused;          /* half-open: the client is not read */
    int client_rx_on, pair_rx_on; /* current lws rx flow state */
    uint64_t drip_from, drip_to;/* stream range that leaves one byte at a time */
    lws_usec_t drip_us;         /* pause between dripped bytes */
    int drip_waiting;           /* a dripped byte left, the pause runs */
    lws_sorted_usec_list_t drip_sul;
    int cut_pending;            /* a cut frame is being flushed */
    uint64_t cut_at;            /* ... its last byte's stream end */
    fs_tap_then cut_then;       /* ... what follows it */
    json_t *cut_note;           /* ... its frame_out event */
    int fin_pending;            /* FIN (or RST) once s2c_out reaches fin_at */
    int fin_is_rst;             /* ... RST it is */
    uint64_t fin_at;
    int fin_sent, rst_sent;     /* what we did to the client stream */
    int client_eof;             /* the client's FIN arrived */
    int closing;                /* client wsi asked to close */
    lws_sorted_usec_list_t hold_sul;   /* end of a timed hold / half-open */
    lws_sorted_usec_list_t linger_sul; /* give up waiting for the client's FIN */
    struct lws *in_writeable;   /* the wsi whose writeable callback runs, or NULL */
    int rearm_client, rearm_pair; /* writeable wanted once that callback returned */
    lws_sorted_usec_list_t rearm_sul;
    int ws;                     /* upgrade accepted: frames are decoded */
    int attempt;                /* attach attempt of this connection */
    int hdr_match;              /* progress through "\r\n\r\n" after the 101 */
    int out_frames;             /* s2c decoding started */
    fs_wsdec in_dec, out_dec;   /* frame observers, client->server, server->client */
    tap_run *runs;              /* kinds of the binary frames still to observe */
    size_t run_head, run_len, run_cap;
    int http_checked;           /* first client byte looked at */
    int requests;               /* complete requests lws handed us */
    uint64_t c2s_total;         /* bytes the client sent */
    const char *ended_by, *ended_how;  /* who ended the TCP stream first, how */
    const char *close_frame_by; /* who sent the first close frame */
};

static struct lws_context *tap_ctx;
static struct lws_vhost *tap_vhost;
static struct lws *tap_listener;
static fs_conntab taps;         /* live taps by connection number */
static int tap_next_conn = 1;
static fs_tap_done_cb *tap_done_cb;
static lws_sorted_usec_list_t tap_accept_sul;

/* ---- byte queues --------------------------------------------------------- */

/* Room for n more bytes at the queue's end; queue_commit takes them. */
static uint8_t *queue_reserve(tap_queue *q, size_t n) {
    if (q->head + q->len + n > q->cap) {
        if (q->len) memmove(q->buf, q->buf + q->head, q->len);
        q->head = 0;
        if (q->len + n > q->cap) {
            size_t cap = q->cap ? q->cap : 4096;
            while (cap < q->len + n) cap *= 2;
            q->buf = realloc(q->buf, cap);
            q->cap = cap;
        }
    }
    return q->buf + q->head + q->len;
}

static void queue_commit(tap_queue *q, size_t n) { q->len += n; }

static void queue_push(tap_queue *q, const uint8_t *p, size_t n) {
    if (n == 0) return;
    memcpy(queue_reserve(q, n), p, n);
    queue_commit(q, n);
}

static void queue_drop(tap_queue *q, size_t n) {
    q->head += n;
    q->len -= n;
    if (q->len > 0) return;
    q->head = 0;
    if (q->cap > 0) { /* idle connections hold no buffers (they add up over thousands) */
        free(q->buf);
        q->buf = NULL;
        q->cap = 0;
    }
}

/* ---- registry ------------------------------------------------------------ */

fs_tap *fs_tap_find(int conn) { return fs_conntab_get(&taps, conn); }

int fs_tap_conn_of(struct lws *http_wsi) {
    return (int)(intptr_t)lws_get_opaque_user_data(http_wsi);
}

void fs_tap_set_done_cb(fs_tap_done_cb *cb) { tap_done_cb = cb; }

static void tap_free(fs_tap *t) {
    lws_sul_cancel(&t->drip_sul);
    lws_sul_cancel(&t->hold_sul);
    lws_sul_cancel(&t->linger_sul);
    lws_sul_cancel(&t->rearm_sul);
    fs_conntab_put(&taps, t->conn, NULL);
    fs_wsdec_free(&t->in_dec);
    fs_wsdec_free(&t->out_dec);
    json_decref(t->cut_note);
    free(t->runs);
    free(t->c2s.buf);
    free(t->s2c.buf);
    free(t);
}

/* ---- kinds of binary frames ------------------------------------------------ */

void fs_tap_note_binary(fs_tap *t, fs_tap_kind kind) {
    if (t->run_len > 0 && t->runs[t->run_head + t->run_len - 1].kind == kind) {
        t->runs[t->run_head + t->run_len - 1].count++;
        return;
    }
    if (t->run_head + t->run_len == t->run_cap) {
        if (t->run_head > 0) memmove(t->runs, t->runs + t->run_head, t->run_len * sizeof *t->runs);
        t->run_head = 0;
        if (t->run_len == t->run_cap) {
            t->run_cap = t->run_cap ? t->run_cap * 2 : 4;
            t->runs = realloc(t->runs, t->run_cap * sizeof *t->runs);
        }
    }
    t->runs[t->run_head + t->run_len++] = (tap_run){kind, 1};
}

static fs_tap_kind peek_binary_kind(const fs_tap *t) {
    return t->run_len ? t->runs[t->run_head].kind : FS_TAP_PLAIN;
}

/* The observer keeps a flood frame's channel byte only: its data is not journaled. */
static size_t out_keep(void *user, const fs_wsframe *head) {
    const fs_tap *t = user;
    if (head->opcode == FS_WS_BINARY && peek_binary_kind(t) == FS_TAP_FLOOD) return 1;
    return TAP_KEEP_PAYLOAD;
}

/* The kind of the binary frame just observed (plain if none was noted). */
static fs_tap_kind next_binary_kind(fs_tap *t) {
    if (t->run_len == 0) return FS_TAP_PLAIN;
    tap_run *r = &t->runs[t->run_head];
    fs_tap_kind kind = r->kind;
    if (--r->count == 0) {
        t->run_head++;
        if (--t->run_len == 0) t->run_head = 0;
    }
    return kind;
}

/* ---- journal ------------------------------------------------------------- */

static void journal_tcp_close(fs_tap *t);

/* The stream ends when either side first sends FIN or RST: that moment, not
 * the later close of the descriptor, is what the journal stamps. */
static void note_end(fs_tap *t, const char *by, const char *how) {
    if (t->ended_by) return;
    t->ended_by = by;
    t->ended_how = how;
    journal_tcp_close(t);
}

static void journal_protocol_error(fs_tap *t, const char *what) {
    json_t *e = fs_journal_event("protocol_error", t->conn);
    json_object_set_new(e, "what", json_string(what));
    fs_journal_emit(e);
}

static void journal_tcp_close(fs_tap *t) {
    const char *how = t->ended_how ? t->ended_how : "error";
    if (!strcmp(how, "fin") && t->close_frame_by) how = "close_frame";
    json_t *e = fs_journal_event("tcp_close", t->conn);
    json_object_set_new(e, "by", json_string(t->ended_by ? t->ended_by : "server"));
    json_object_set_new(e, "how", json_string(how));
    if (t->close_frame_by)
        json_object_set_new(e, "close_frame_by", json_string(t->close_frame_by));
    fs_journal_emit(e);
}

static void frame_payload_keys(json_t *e, const fs_wsframe *f, int outgoing) {
    const uint8_t *p = f->data;
    size_t n = f->kept;
    switch (f->opcode) {
    case FS_WS_BINARY:
        /* Server frames carry a channel byte; the data is what follows it. */
        if (outgoing && n > 0) {
            json_object_set_new(e, "channel", json_integer(p[0]));
            p++;
            n--;
        }
        json_object_set_new(e, "data_b64", fs_journal_b64(p, n));
        break;
    case FS_WS_TEXT: {
        json_t *s = json_stringn((const char *)p, n);
        json_object_set_new(e, s ? "text" : "data_b64", s ? s : fs_journal_b64(p, n));
        break;
    }
    case FS_WS_CLOSE:
        if (n >= 2) {
            json_object_set_new(e, "code", json_integer((p[0] << 8) | p[1]));
            json_t *r = json_stringn((const char *)p + 2, n - 2);
            json_object_set_new(e, "reason", r ? r : json_string(""));
        }
        break;
    default:
        json_object_set_new(e, "data_b64", fs_journal_b64(p, n));
    }
    if (f->len > f->kept) json_object_set_new(e, "truncated", json_true());
}

static void check_client_frame(fs_tap *t, const fs_wsframe *f) {
    if (!f->masked) journal_protocol_error(t, "unmasked client frame");
    if (f->rsv) journal_protocol_error(t, "RSV bits set without an extension");
    if (!strcmp(fs_wsframe_opname(f->opcode), "reserved"))
        journal_protocol_error(t, "reserved opcode");
    if (f->opcode >= FS_WS_CLOSE && (f->len > 125 || !f->fin))
        journal_protocol_error(t, "control frame fragmented or over 125 bytes");
}

static void journal_frame_in(const fs_tap *t, const fs_wsframe *f) {
    json_t *e = fs_journal_event("frame_in", t->conn);
    json_object_set_new(e, "attempt", json_integer(t->attempt));
    json_object_set_new(e, "op", json_string(fs_wsframe_opname(f->opcode)));
    json_object_set_new(e, "len", json_integer((json_int_t)f->len));
    json_object_set_new(e, "masked", json_boolean(f->masked));
    json_object_set_new(e, "fin", json_boolean(f->fin));
    frame_payload_keys(e, f, 0);
    fs_journal_emit(e);
}

static void on_frame_in(void *user, const fs_wsframe *f) {
    fs_tap *t = user;
    if (fs_journal_enabled()) journal_frame_in(t, f);
    if (f->opcode == FS_WS_CLOSE && !t->close_frame_by) t->close_frame_by = "client";
    check_client_frame(t, f);
}

static int dripping(const fs_tap *t) {
    return t->drip_to > t->drip_from && t->s2c_out > t->drip_from && t->s2c_out <= t->drip_to;
}

/* A flood frame's bytes follow from the pattern: only its size is journaled
 * (base64 of every 64 KiB frame would cost more than sending it). */
static void flood_keys(json_t *e, const fs_wsframe *f) {
    if (f->kept > 0) json_object_set_new(e, "channel", json_integer(f->data[0]));
    json_object_set_new(e, "flood", json_true());
}

static void on_frame_out(void *user, const fs_wsframe *f) {
    fs_tap *t = user;
    fs_tap_kind kind = f->opcode == FS_WS_BINARY ? next_binary_kind(t) : FS_TAP_PLAIN;
    if (f->opcode == FS_WS_CLOSE && !t->close_frame_by) t->close_frame_by = "server";
    if (!fs_journal_enabled()) return;
    json_t *e = fs_journal_event("frame_out", t->conn);
    json_object_set_new(e, "attempt", json_integer(t->attempt));
    json_object_set_new(e, "op", json_string(fs_wsframe_opname(f->opcode)));
    json_object_set_new(e, "len", json_integer((json_int_t)f->len));
    if (kind == FS_TAP_FLOOD) flood_keys(e, f);
    else frame_payload_keys(e, f, 1);
    if (kind == FS_TAP_REPLAY) json_object_set_new(e, "replay", json_true());
    if (dripping(t)) json_object_set_new(e, "drip", json_true());
    if (kind == FS_TAP_FLOOD) fs_journal_emit_deferred(e); /* flushed after this send */
    else fs_journal_emit(e);
}

/* Frames start right after the 101 response's blank line. */
static void observe_out(fs_tap *t, const uint8_t *p, size_t n) {
    static const char end[] = "\r\n\r\n";
    if (!t->ws) return;
    while (n > 0 && !t->out_frames) {
        t->hdr_match = (*p == end[t->hdr_match]) ? t->hdr_match + 1 : (*p == '\r');
        p++;
        n--;
        if (t->hdr_match == 4) t->out_frames = 1;
    }
    if (n > 0) fs_wsdec_feed(&t->out_dec, p, n, on_frame_out, t);
}

static void observe_in(fs_tap *t, const uint8_t *p, size_t n) {
    if (!t->http_checked && n > 0) {
        t->http_checked = 1;
        if (p[0] < 'A' || p[0] > 'Z') journal_protocol_error(t, "not an HTTP request");
    }
    if (t->ws) fs_wsdec_feed(&t->in_dec, p, n, on_frame_in, t);
}

/* ---- flow ---------------------------------------------------------------- */

static void set_rx(struct lws *wsi, int *state, int on) {
    if (!wsi || *state == on) return;
    *state = on;
    lws_rx_flow_control(wsi, on);
}

static void update_flow(fs_tap *t) {
    set_rx(t->client_wsi, &t->client_rx_on,
           !t->client_paused && !t->client_eof && t->c2s.len < TAP_SOFT_LIMIT);
    set_rx(t->pair_wsi, &t->pair_rx_on, t->hold || t->mute || t->s2c.len < TAP_SOFT_LIMIT);
}

static void close_client(fs_tap *t) {
    if (t->client_wsi && !t->closing) {
        t->closing = 1;
        lws_set_timeout(t->client_wsi, PENDING_TIMEOUT_KILLED_BY_PARENT, LWS_TO_KILL_ASYNC);
    }
}

/* lws sees end of stream on its side and closes its connection. */
static void drop_server_side(fs_tap *t) {
    if (t->pair_wsi) shutdown(t->pair_fd, SHUT_RDWR);
}

static void linger_expired(lws_sorted_usec_list_t *sul) {
    fs_tap *t = lws_container_of(sul, fs_tap, linger_sul);
    close_client(t);
}

static void send_fin(fs_tap *t) {
    if (t->fin_sent || t->rst_sent || !t->client_wsi) return;
    shutdown(t->client_fd, SHUT_WR);
    t->fin_sent = 1;
    t->hold = 1;
    note_end(t, "server", "fin");
    drop_server_side(t);
    if (t->client_eof) close_client(t);
    else lws_sul_schedule(tap_ctx, 0, &t->linger_sul, linger_expired, TAP_LINGER_US);
}

static void send_rst(fs_tap *t) {
    if (t->fin_sent || t->rst_sent || !t->client_wsi) return;
    struct linger lg = {.l_onoff = 1, .l_linger = 0};
    setsockopt(t->client_fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    t->rst_sent = 1;
    t->hold = 1;
    note_end(t, "server", "rst");
    drop_server_side(t);
    close_client(t);
}

static void rearm_due(lws_sorted_usec_list_t *sul) {
    fs_tap *t = lws_container_of(sul, fs_tap, rearm_sul);
    if (t->rearm_client && t->client_wsi) lws_callback_on_writable(t->client_wsi);
    if (t->rearm_pair && t->pair_wsi) lws_callback_on_writable(t->pair_wsi);
    t->rearm_client = t->rearm_pair = 0;
}

/* lws's raw-file role clears POLLOUT after the writeable callback returns:
 * asked for from inside that callback, the next one never came and a queue
 * waited for an unrelated event (a request body over the pair's buffer, for
 * good). Such a request is made from a timer, on the next turn of the loop. */
static void want_writable(fs_tap *t, struct lws *wsi) {
    if (!wsi) return;
    if (wsi != t->in_writeable) {
        lws_callback_on_writable(wsi);
        return;
    }
    if (wsi == t->client_wsi) t->rearm_client = 1;
    else t->rearm_pair = 1;
    lws_sul_schedule(tap_ctx, 0, &t->rearm_sul, rearm_due, 0);
}

static void want_client_writable(fs_tap *t) { want_writable(t, t->client_wsi); }

/* How many queued bytes may leave now, given drip, cut and FIN marks. */
static size_t sendable(fs_tap *t) {
    size_t limit = t->s2c.len;
    if (t->drip_to > t->drip_from && t->s2c_out < t->drip_to) {
        if (t->s2c_out < t->drip_from) {
            if (limit > t->drip_from - t->s2c_out) limit = (size_t)(t->drip_from - t->s2c_out);
        } else {
            limit = t->drip_waiting ? 0 : (limit ? 1 : 0);
        }
    }
    if (t->cut_pending && limit > t->cut_at - t->s2c_out) limit = (size_t)(t->cut_at - t->s2c_out);
    if (t->fin_pending && limit > t->fin_at - t->s2c_out) limit = (size_t)(t->fin_at - t->s2c_out);
    return limit;
}

static void drip_resume(lws_sorted_usec_list_t *sul) {
    fs_tap *t = lws_container_of(sul, fs_tap, drip_sul);
    t->drip_waiting = 0;
    want_client_writable(t);
}

static void after_drip_byte(fs_tap *t) {
    if (t->s2c_out <= t->drip_from || t->s2c_out > t->drip_to) return;
    if (t->s2c_out < t->drip_to) {
        t->drip_waiting = 1;
        lws_sul_schedule(tap_ctx, 0, &t->drip_sul, drip_resume, t->drip_us);
        return;
    }
    t->drip_from = t->drip_to = 0;
    if (tap_done_cb) tap_done_cb(t->conn);
}

static void finish_cut(fs_tap *t) {
    t->cut_pending = 0;
    if (t->cut_note) fs_journal_emit(t->cut_note);
    t->cut_note = NULL;
    if (t->cut_then == FS_TAP_THEN_FIN) send_fin(t);
    else if (t->cut_then == FS_TAP_THEN_RST) send_rst(t);
    else t->hold = 1;
    if (tap_done_cb) tap_done_cb(t->conn);
}

static void pump_to_client(fs_tap *t) {
    while (!t->fin_sent && !t->rst_sent && t->client_wsi) {
        if (t->cut_pending && t->s2c_out == t->cut_at) {
            finish_cut(t);
            continue;
        }
        if (t->fin_pending && t->s2c_out == t->fin_at) {
            t->fin_pending = 0;
            if (t->fin_is_rst) send_rst(t);
            else send_fin(t);
            break;
        }
        size_t n = sendable(t);
        if (n == 0) break;
        ssize_t w = send(t->client_fd, t->s2c.buf + t->s2c.head, n, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK) want_client_writable(t);
            else {
                note_end(t, "client", errno == ECONNRESET || errno == EPIPE ? "rst" : "error");
                close_client(t);
            }
            break;
        }
        const uint8_t *sent = t->s2c.buf + t->s2c.head;
        t->s2c_out += (uint64_t)w;
        observe_out(t, sent, (size_t)w);
        queue_drop(&t->s2c, (size_t)w);
        after_drip_byte(t);
    }
    fs_journal_flush(); /* flood frames of this batch: on disk before the loop waits */
    update_flow(t);
}

static void pump_to_pair(fs_tap *t) {
    while (t->c2s.len > 0 && t->pair_wsi) {
        ssize_t w = send(t->pair_fd, t->c2s.buf + t->c2s.head, t->c2s.len, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK) want_writable(t, t->pair_wsi);
            else t->c2s.len = 0;
            break;
        }
        queue_drop(&t->c2s, (size_t)w);
    }
    if (t->client_eof && t->c2s.len == 0 && t->pair_wsi) shutdown(t->pair_fd, SHUT_WR);
    update_flow(t);
}

/* Reads what lws wrote straight into the client queue (into a scratch
 * buffer while held or muted), until the pair is empty or, with limit, the
 * queue holds TAP_SOFT_LIMIT. 1 read something or nothing was there, 0 EOF,
 * -1 error. */
static int read_pair(fs_tap *t, int limit) {
    static uint8_t scratch[TAP_READ_CHUNK];
    while (t->pair_wsi && !(limit && t->s2c.len >= TAP_SOFT_LIMIT)) {
        int keep = !t->hold && !t->mute;
        uint8_t *dst = keep ? queue_reserve(&t->s2c, TAP_READ_CHUNK) : scratch;
        ssize_t r = recv(t->pair_fd, dst, TAP_READ_CHUNK, MSG_DONTWAIT);
        if (r < 0) return (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? 1 : -1;
        if (r == 0) return 0;
        if (keep) queue_commit(&t->s2c, (size_t)r);
        if (r < TAP_READ_CHUNK) break; /* the pair is empty now */
    }
    return 1;
}

/* Pulls everything lws has written so far, so a fault queued next follows it. */
static void drain_pair(fs_tap *t) { read_pair(t, 0); }

/* ---- faults -------------------------------------------------------------- */

static void hold_expired(lws_sorted_usec_list_t *sul) {
    fs_tap *t = lws_container_of(sul, fs_tap, hold_sul);
    t->client_paused = 0;
    send_fin(t);
    update_flow(t);
}

void fs_tap_hold(fs_tap *t, lws_usec_t fin_after_us) {
    drain_pair(t);
    t->hold = 1;
    if (fin_after_us >= 0) lws_sul_schedule(tap_ctx, 0, &t->hold_sul, hold_expired, fin_after_us);
    pump_to_client(t); /* what lws wrote before the hold still goes out */
}

static void fin_due(lws_sorted_usec_list_t *sul) {
    fs_tap *t = lws_container_of(sul, fs_tap, hold_sul);
    drain_pair(t);
    pump_to_client(t);
    send_fin(t);
}

void fs_tap_fin_after(fs_tap *t, lws_usec_t us) {
    lws_sul_schedule(tap_ctx, 0, &t->hold_sul, fin_due, us);
}

void fs_tap_half_open(fs_tap *t, lws_usec_t fin_after_us) {
    t->client_paused = 1;
    fs_tap_hold(t, fin_after_us);
}

/* Queued bytes still leave first; lws output after this point does not. */
static void end_after_queue(fs_tap *t, int rst) {
    drain_pair(t);
    t->hold = 1;
    t->fin_pending = 1;
    t->fin_is_rst = rst;
    t->fin_at = t->s2c_out + t->s2c.len;
    pump_to_client(t);
}

void fs_tap_fin(fs_tap *t) { end_after_queue(t, 0); }

void fs_tap_rst(fs_tap *t) { end_after_queue(t, 1); }

void fs_tap_drip(fs_tap *t, const uint8_t *raw, size_t n, lws_usec_t interval_us) {
    drain_pair(t);
    t->drip_from = t->s2c_out + t->s2c.len;
    t->drip_to = t->drip_from + n;
    t->drip_us = interval_us;
    t->drip_waiting = 0;
    queue_push(&t->s2c, raw, n);
    pump_to_client(t);
}

void fs_tap_cut(fs_tap *t, const uint8_t *raw, size_t keep, fs_tap_then then, json_t *note) {
    drain_pair(t);
    queue_push(&t->s2c, raw, keep);
    t->hold = 1; /* nothing lws writes later may follow the broken frame */
    t->cut_pending = 1;
    t->cut_at = t->s2c_out + t->s2c.len;
    t->cut_then = then;
    json_decref(t->cut_note);
    t->cut_note = note;
    pump_to_client(t);
}

void fs_tap_mute(fs_tap *t, int on) {
    drain_pair(t); /* on: what came before still goes; off: what came during does not */
    t->mute = on;
    pump_to_client(t);
}

void fs_tap_upgraded(fs_tap *t, int attempt) {
    t->ws = 1;
    t->attempt = attempt;
}

void fs_tap_request_seen(fs_tap *t) { t->requests++; }

void fs_tap_drop_server(fs_tap *t) { drop_server_side(t); }

/* ---- raw callbacks ------------------------------------------------------- */

static int client_readable(fs_tap *t) {
    uint8_t buf[TAP_READ_CHUNK];
    if (t->client_paused) return 0;
    ssize_t r = recv(t->client_fd, buf, sizeof buf, MSG_DONTWAIT);
    if (r < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return 0;
        note_end(t, "client", errno == ECONNRESET ? "rst" : "error");
        drop_server_side(t);
        return -1;
    }
    if (r == 0) {
        t->client_eof = 1;
        note_end(t, "client", "fin");
        if (t->fin_sent || t->rst_sent || !t->pair_wsi) return -1;
        pump_to_pair(t);
        return 0;
    }
    t->c2s_total += (uint64_t)r;
    observe_in(t, buf, (size_t)r);
    if (!t->fin_sent && !t->rst_sent) queue_push(&t->c2s, buf, (size_t)r);
    pump_to_pair(t);
    return 0;
}

static int pair_readable(fs_tap *t) {
    int r = read_pair(t, 1);
    if (r <= 0) return -1; /* lws closes the pair wsi: pair_closed flushes the queue */
    pump_to_client(t);
    return 0;
}

/* lws is done with its side: whatever it wrote goes out, then FIN. */
static void pair_closed(fs_tap *t) {
    t->pair_wsi = NULL;
    /* lws hangs up on bytes it cannot parse (or that never finish a request). */
    if (t->c2s_total > 0 && t->requests == 0 && !t->ended_by)
        journal_protocol_error(t, "closed before a complete HTTP request");
    if (!t->hold && !t->fin_sent && !t->rst_sent && t->client_wsi) {
        t->fin_pending = 1;
        t->fin_at = t->s2c_out + t->s2c.len;
        pump_to_client(t);
    }
    /* A held client that already said goodbye has nothing left to wait for. */
    if (t->client_wsi && t->client_eof && (t->hold || t->fin_sent)) close_client(t);
    if (!t->client_wsi) tap_free(t);
}

/* lws closed the client wsi on a poll error or hangup we never read. */
static void classify_hangup(fs_tap *t) {
    int err = 0;
    socklen_t len = sizeof err;
    uint8_t b;
    if (t->ended_by) return;
    getsockopt(t->client_fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err == ECONNRESET || err == EPIPE) note_end(t, "client", "rst");
    else if (!err && recv(t->client_fd, &b, 1, MSG_PEEK | MSG_DONTWAIT) == 0) note_end(t, "client", "fin");
    else note_end(t, "client", "error");
}

static void client_closed(fs_tap *t) {
    classify_hangup(t);
    t->client_wsi = NULL;
    lws_sul_cancel(&t->linger_sul);
    lws_sul_cancel(&t->hold_sul);
    lws_sul_cancel(&t->drip_sul);
    drop_server_side(t); /* lws closes the descriptor itself after this */
    if (!t->pair_wsi) tap_free(t);
}

static int tap_file_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user,
                       void *in, size_t len);

static int accept_one(void);

static void accept_resume(lws_sorted_usec_list_t *sul) {
    (void)sul;
    if (tap_listener) lws_rx_flow_control(tap_listener, 1);
}

static int listener_readable(void) {
    for (int i = 0; i < TAP_MAX_ACCEPT; i++) {
        int r = accept_one();
        if (r == 0) return 0;
        if (r < 0) {
            /* Out of descriptors: pause accepting instead of spinning. */
            lws_rx_flow_control(tap_listener, 0);
            lws_sul_schedule(tap_ctx, 0, &tap_accept_sul, accept_resume, 100 * LWS_US_PER_MS);
            return 0;
        }
    }
    return 0;
}

static int tap_file_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user,
                       void *in, size_t len) {
    (void)user;
    (void)in;
    (void)len;
    fs_tap *t = lws_get_opaque_user_data(wsi);
    if (wsi == tap_listener) {
        if (reason == LWS_CALLBACK_RAW_RX_FILE) return listener_readable();
        if (reason == LWS_CALLBACK_RAW_CLOSE_FILE) tap_listener = NULL;
        return 0;
    }
    if (!t) return 0;
    int is_client = (wsi == t->client_wsi);
    switch (reason) {
    case LWS_CALLBACK_RAW_RX_FILE:
        return is_client ? client_readable(t) : pair_readable(t);
    case LWS_CALLBACK_RAW_WRITEABLE_FILE:
        t->in_writeable = wsi;
        if (is_client) pump_to_client(t);
        else pump_to_pair(t);
        t->in_writeable = NULL;
        return 0;
    case LWS_CALLBACK_RAW_CLOSE_FILE:
        if (is_client) client_closed(t);
        else if (wsi == t->pair_wsi) pair_closed(t);
        return 0;
    default:
        return 0;
    }
}

const struct lws_protocols fs_tap_protocol = {"fs-tap", tap_file_cb, 0, 0, 0, NULL, 0};

static struct lws *adopt_raw(int fd, void *opaque) {
    lws_sock_file_fd_type d = {.filefd = fd};
    struct lws *wsi = lws_adopt_descriptor_vhost(tap_vhost, LWS_ADOPT_RAW_FILE_DESC, d,
                                                 fs_tap_protocol.name, NULL);
    if (wsi) lws_set_opaque_user_data(wsi, opaque);
    return wsi;
}

static void journal_tcp_open(int conn, int fd) {
    struct sockaddr_in peer;
    socklen_t plen = sizeof peer;
    char text[64] = "?";
    if (getpeername(fd, (struct sockaddr *)&peer, &plen) == 0) {
        char ip[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &peer.sin_addr, ip, sizeof ip);
        snprintf(text, sizeof text, "%s:%u", ip, ntohs(peer.sin_port));
    }
    json_t *e = fs_journal_event("tcp_open", conn);
    json_object_set_new(e, "peer", json_string(text));
    fs_journal_emit(e);
}

/* Once: clients wait in the backlog while we are out of descriptors. */
static void warn_no_fds(void) {
    static int warned;
    if (warned++) return;
    fprintf(stderr, "fakeserver: out of file descriptors: new clients wait (more "
                    "clients at once need --max-clients)\n");
}

/* 1 accepted, 0 nothing pending, -1 out of resources. */
static int accept_one(void) {
    int lfd = lws_get_socket_fd(tap_listener);
    int cfd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (cfd < 0 && (errno == EMFILE || errno == ENFILE)) warn_no_fds();
    if (cfd < 0) return (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? 0 : -1;
    int sp[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sp) < 0) {
        close(cfd);
        return -1;
    }
    /* What the tap sends leaves now: it already sends in batches, and Nagle
     * would hold a small frame (exit, then close) for the client's delayed ACK. */
    int one = 1;
    setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    /* Larger pair buffers let lws hand over several big frames per wakeup. */
    int pair_buf = TAP_PAIR_BUF;
    setsockopt(sp[1], SOL_SOCKET, SO_SNDBUF, &pair_buf, sizeof pair_buf);
    setsockopt(sp[0], SOL_SOCKET, SO_RCVBUF, &pair_buf, sizeof pair_buf);
    fs_tap *t = calloc(1, sizeof *t);
    t->conn = tap_next_conn++;
    t->client_fd = cfd;
    t->pair_fd = sp[0];
    t->client_rx_on = t->pair_rx_on = 1;
    fs_wsdec_init(&t->in_dec, TAP_KEEP_PAYLOAD);
    fs_wsdec_init(&t->out_dec, TAP_KEEP_PAYLOAD);
    t->out_dec.keep_fn = out_keep;
    fs_conntab_put(&taps, t->conn, t);
    journal_tcp_open(t->conn, cfd);

    lws_sock_file_fd_type hd = {.sockfd = sp[1]};
    struct lws *http = lws_adopt_descriptor_vhost(tap_vhost, LWS_ADOPT_SOCKET | LWS_ADOPT_HTTP,
                                                  hd, NULL, NULL);
    if (http) lws_set_opaque_user_data(http, (void *)(intptr_t)t->conn);
    t->client_wsi = adopt_raw(cfd, t);
    t->pair_wsi = adopt_raw(sp[0], t);
    if (!http || !t->client_wsi || !t->pair_wsi) {
        /* lws closes what it adopted; the tap goes with its last wsi. */
        note_end(t, "server", "error");
        if (!http) close(sp[1]);
        if (t->client_wsi) close_client(t);
        else close(cfd);
        if (t->pair_wsi) drop_server_side(t);
        else close(sp[0]);
        if (!t->client_wsi && !t->pair_wsi) tap_free(t);
        return -1;
    }
    return 1;
}

int fs_tap_listen(struct lws_context *ctx, struct lws_vhost *vh, int port, int *bound_port) {
    tap_ctx = ctx;
    tap_vhost = vh;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof a;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 1024) < 0 ||
        getsockname(fd, (struct sockaddr *)&a, &alen) < 0) {
        close(fd);
        return -1;
    }
    *bound_port = ntohs(a.sin_port);
    tap_listener = adopt_raw(fd, NULL);
    if (!tap_listener) {
        close(fd);
        return -1;
    }
    return 0;
}

void fs_tap_shutdown_all(void) {
    for (size_t i = 0; i < taps.cap; i++) {
        fs_tap *t = taps.slots[i];
        if (t && t->client_wsi) {
            note_end(t, "server", "fin");
            close_client(t);
        }
    }
}
