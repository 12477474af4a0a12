/* tap_observe.c - what crossed the client's wire, journaled.
 *
 * Bytes are observed where they cross the client socket, so the journal
 * shows what the client really got, including faults lws never knew about:
 * tcp_open and tcp_close (who ended the stream first, how), and after an
 * upgrade every frame both ways, decoded by two streaming observers.
 *
 * Each event is stamped when its bytes crossed the client's socket, not
 * when this process noticed: a client frame when the kernel received its
 * last byte (rx_ns, tap_clock.c), a server frame when the send that put its
 * last byte on the wire began (out_ns). What other files write about bytes
 * lws produces (an HTTP answer, an upgrade) waits here, as a note, until
 * those bytes leave. */
#include "tap_private.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "clock.h"
#include "journal.h"

#define TAP_KEEP_PAYLOAD (64 * 1024) /* journaled payload prefix */

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

void fs_tap_upgraded(fs_tap *t, int attempt) {
    t->ws = 1;
    t->attempt = attempt;
}

/* lws completes a request only after its last byte went through the tap,
 * and a client says nothing more before the answer: the newest bytes read
 * are the request's end. */
int64_t fs_tap_request_seen(fs_tap *t) {
    t->requests++;
    return t->rx_ns;
}

/* ---- events that wait for their bytes ------------------------------------ */

void tap_note_at(fs_tap *t, uint64_t at, json_t *event) {
    if (t->note_len == t->note_cap) {
        t->note_cap = t->note_cap ? 2 * t->note_cap : 4;
        t->notes = realloc(t->notes, t->note_cap * sizeof *t->notes);
    }
    t->notes[t->note_len++] = (tap_note){at, event};
}

/* Journals the notes, in order, up to the first still waiting (all: flush). */
static void notes_emit(fs_tap *t, int flush, int64_t at) {
    size_t n = 0;
    while (n < t->note_len && (flush || t->notes[n].at <= t->s2c_out))
        fs_journal_emit_at(t->notes[n++].event, at);
    memmove(t->notes, t->notes + n, (t->note_len - n) * sizeof *t->notes);
    t->note_len -= n;
}

void tap_notes_sent(fs_tap *t) { notes_emit(t, 0, t->out_ns); }

void tap_notes_flush(fs_tap *t) { notes_emit(t, 1, bc_now_ns()); }

void fs_tap_journal_sent(fs_tap *t, json_t *event) {
    if (!t) {
        fs_journal_emit(event);
        return;
    }
    tap_drain_pair(t);
    uint64_t at = t->ws && !t->out_frames ? TAP_AFTER_101 : t->s2c_out + t->s2c.len;
    if (at <= t->s2c_out && t->note_len == 0) { /* none of it is still to leave */
        fs_journal_emit(event);
        return;
    }
    tap_note_at(t, at, event);
    if (t->fin_sent || t->rst_sent || !t->client_wsi) tap_notes_flush(t);
    else tap_pump_to_client(t);
}

/* The 101's blank line just left: what waited for it is due now. */
static void notes_after_101(fs_tap *t) {
    for (size_t i = 0; i < t->note_len; i++)
        if (t->notes[i].at == TAP_AFTER_101) t->notes[i].at = t->s2c_out;
    tap_notes_sent(t);
}

/* ---- request heads as sent ------------------------------------------------ */

void fs_tap_answer_done(fs_tap *t) {
    free(t->head);
    t->head = NULL;
    t->head_len = 0;
    t->head_wanted = !t->ws;
}

char *fs_tap_take_head(fs_tap *t) {
    if (t->head_count == 0) return NULL;
    char *h = t->heads[0];
    memmove(t->heads, t->heads + 1, --t->head_count * sizeof *t->heads);
    return h;
}

static void head_caught(fs_tap *t) {
    if (t->head_count < TAP_HEADS) t->heads[t->head_count++] = t->head;
    else free(t->head);
    t->head = NULL;
    t->head_len = 0;
    t->head_wanted = 0;
}

/* Collects client bytes into the head being caught, up to its blank line;
 * the bytes after it (a body) are not the tap's business. */
static void catch_head(fs_tap *t, const uint8_t *p, size_t n) {
    if (!t->head) t->head = calloc(1, TAP_HEAD_MAX + 1);
    for (size_t i = 0; i < n && t->head_wanted; i++) {
        if (t->head_len == TAP_HEAD_MAX) {      /* lws refuses such a head anyway */
            fs_tap_answer_done(t);
            t->head_wanted = 0;
            return;
        }
        t->head[t->head_len++] = (char)p[i];
        if (t->head_len >= 4 && !memcmp(t->head + t->head_len - 4, "\r\n\r\n", 4)) head_caught(t);
    }
}

/* ---- the TCP stream ------------------------------------------------------ */

void tap_journal_open(fs_tap *t) {
    struct sockaddr_in peer;
    socklen_t plen = sizeof peer;
    char text[64] = "?";
    if (getpeername(t->client_fd, (struct sockaddr *)&peer, &plen) == 0) {
        char ip[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &peer.sin_addr, ip, sizeof ip);
        snprintf(text, sizeof text, "%s:%u", ip, ntohs(peer.sin_port));
    }
    json_t *e = fs_journal_event("tcp_open", t->conn);
    json_object_set_new(e, "peer", json_string(text));
    json_object_set_new(e, "origin", json_string(fs_origin_name(t->origin)));
    fs_journal_emit(e);
}

static void journal_tcp_close(fs_tap *t, int ours) {
    const char *how = t->ended_how ? t->ended_how : "error";
    if (!strcmp(how, "fin") && t->close_frame_by) how = "close_frame";
    json_t *e = fs_journal_event("tcp_close", t->conn);
    json_object_set_new(e, "by", json_string(t->ended_by ? t->ended_by : "server"));
    json_object_set_new(e, "how", json_string(how));
    if (t->close_frame_by)
        json_object_set_new(e, "close_frame_by", json_string(t->close_frame_by));
    if (ours) fs_journal_emit(e);
    else tap_clock_journal_hangup(t, e);
}

/* The stream ends when either side first sends FIN or RST: that moment, not
 * the later close of the descriptor, is what the journal stamps. Answers
 * still queued behind our own end never leave; they are journaled first,
 * as before the end they were meant to precede. */
void tap_note_end(fs_tap *t, const char *by, const char *how) {
    if (t->ended_by) return;
    int ours = strcmp(by, "client") != 0;
    t->ended_by = by;
    t->ended_how = how;
    if (ours) {
        /* the client's later hang-up is no event, and the watcher must not
         * be woken by this socket's changes of state */
        tap_clock_forget(t);
        tap_notes_flush(t);
    }
    journal_tcp_close(t, ours);
}

static void journal_protocol_error(fs_tap *t, const char *what) {
    json_t *e = fs_journal_event("protocol_error", t->conn);
    json_object_set_new(e, "what", json_string(what));
    fs_journal_emit(e);
}

void tap_observe_server_closed(fs_tap *t) {
    /* lws hangs up on bytes it cannot parse (or that never finish a request). */
    if (t->c2s_total > 0 && t->requests == 0 && !t->ended_by)
        journal_protocol_error(t, "closed before a complete HTTP request");
}

/* ---- frames -------------------------------------------------------------- */

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
    fs_journal_emit_at(e, t->rx_ns);
}

static void on_frame_in(void *user, const fs_wsframe *f) {
    fs_tap *t = user;
    if (fs_journal_enabled()) journal_frame_in(t, f);
    if (f->opcode == FS_WS_CLOSE && !t->close_frame_by) t->close_frame_by = "client";
    check_client_frame(t, f);
}

/* A flood frame's bytes follow from the pattern: only its size is journaled
 * (base64 of every 64 KiB frame would cost more than sending it). */
static void flood_keys(json_t *e, const fs_wsframe *f) {
    if (f->kept > 0) json_object_set_new(e, "channel", json_integer(f->data[0]));
    json_object_set_new(e, "flood", json_true());
}

static json_t *frame_out_event(const fs_tap *t, const fs_wsframe *f) {
    json_t *e = fs_journal_event("frame_out", t->conn);
    json_object_set_new(e, "attempt", json_integer(t->attempt));
    json_object_set_new(e, "op", json_string(fs_wsframe_opname(f->opcode)));
    json_object_set_new(e, "len", json_integer((json_int_t)f->len));
    return e;
}

json_t *fs_tap_frame_event(const fs_tap *t, int op, const uint8_t *payload, size_t len) {
    fs_wsframe f = {.fin = 1, .opcode = op, .len = len, .data = payload, .kept = len};
    json_t *e = frame_out_event(t, &f);
    frame_payload_keys(e, &f, 1);
    return e;
}

static void on_frame_out(void *user, const fs_wsframe *f) {
    fs_tap *t = user;
    fs_tap_kind kind = f->opcode == FS_WS_BINARY ? next_binary_kind(t) : FS_TAP_PLAIN;
    if (f->opcode == FS_WS_CLOSE && !t->close_frame_by) t->close_frame_by = "server";
    if (!fs_journal_enabled()) return;
    json_t *e = frame_out_event(t, f);
    if (kind == FS_TAP_FLOOD) flood_keys(e, f);
    else frame_payload_keys(e, f, 1);
    if (kind == FS_TAP_REPLAY) json_object_set_new(e, "replay", json_true());
    if (tap_fault_dripping(t)) json_object_set_new(e, "drip", json_true());
    if (kind == FS_TAP_FLOOD) fs_journal_emit_deferred(e, t->out_ns); /* flushed after this send */
    else fs_journal_emit_at(e, t->out_ns);
}

/* Frames start right after the 101 response's blank line. */
void tap_observe_out(fs_tap *t, const uint8_t *p, size_t n) {
    static const char end[] = "\r\n\r\n";
    if (!t->ws) return;
    while (n > 0 && !t->out_frames) {
        t->hdr_match = (*p == end[t->hdr_match]) ? t->hdr_match + 1 : (*p == '\r');
        p++;
        n--;
        if (t->hdr_match == 4) {
            t->out_frames = 1;
            notes_after_101(t); /* the attach event before its first frame */
        }
    }
    if (n > 0) fs_wsdec_feed(&t->out_dec, p, n, on_frame_out, t);
}

void tap_observe_in(fs_tap *t, const uint8_t *p, size_t n) {
    t->c2s_total += (uint64_t)n;
    if (!t->http_checked && n > 0) {
        t->http_checked = 1;
        if (p[0] < 'A' || p[0] > 'Z') journal_protocol_error(t, "not an HTTP request");
    }
    if (t->head_wanted && !t->ws) catch_head(t, p, n);
    if (t->ws) fs_wsdec_feed(&t->in_dec, p, n, on_frame_in, t);
}

/* ---- life ---------------------------------------------------------------- */

void tap_observe_init(fs_tap *t) {
    t->head_wanted = 1;
    fs_wsdec_init(&t->in_dec, TAP_KEEP_PAYLOAD);
    fs_wsdec_init(&t->out_dec, TAP_KEEP_PAYLOAD);
    t->out_dec.keep_fn = out_keep;
}

void tap_observe_free(fs_tap *t) {
    tap_notes_flush(t);
    free(t->notes);
    fs_wsdec_free(&t->in_dec);
    fs_wsdec_free(&t->out_dec);
    free(t->runs);
    free(t->head);
    for (size_t i = 0; i < t->head_count; i++) free(t->heads[i]);
}
