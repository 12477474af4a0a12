/* tap.c - accept, the registry of taps, and the byte pump both ways.
 *
 * Per connection three descriptors live in the lws loop: the client's TCP
 * socket and our end of a socketpair (both adopted raw, read and written
 * here), and the pair's other end which lws serves as HTTP. Each side is
 * read only while the other's queue has room; the faults (tap_fault.c)
 * limit what leaves for the client, the observer (tap_observe.c) sees
 * every byte that does. */
#include "tap_private.h"

#include <errno.h>
#include <stdio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "conntab.h"
#include "http_head.h"
#include "journal.h"

#define TAP_SOFT_LIMIT (256 * 1024) /* stop reading a side whose output waits */
#define TAP_READ_CHUNK (64 * 1024)
#define TAP_PAIR_BUF (1024 * 1024)  /* socketpair buffer (the kernel's, not ours) */
#define TAP_LINGER_US (10 * LWS_US_PER_SEC) /* after our FIN, wait this for theirs */
#define TAP_MAX_ACCEPT 64           /* accepts per wakeup, to stay fair */

static struct lws_context *tap_ctx;
static struct lws_vhost *tap_vhost;
static struct lws *tap_listener[FS_ORIGINS];
static fs_conntab taps;         /* live taps by connection number */
static int tap_next_conn = 1;
static fs_tap_done_cb *tap_done_cb;
static lws_sorted_usec_list_t tap_accept_sul;

/* ---- registry ------------------------------------------------------------ */

struct lws_context *tap_context(void) { return tap_ctx; }

fs_tap *fs_tap_find(int conn) { return fs_conntab_get(&taps, conn); }

const char *fs_origin_name(fs_origin o) { return o == FS_ORIGIN_OTHER ? "other" : "main"; }

fs_origin fs_tap_origin(const fs_tap *t) { return t->origin; }

int fs_tap_conn_of(struct lws *http_wsi) {
    return (int)(intptr_t)lws_get_opaque_user_data(http_wsi);
}

void fs_tap_set_done_cb(fs_tap_done_cb *cb) { tap_done_cb = cb; }

void tap_done(fs_tap *t) {
    if (tap_done_cb) tap_done_cb(t->conn);
}

static void tap_free(fs_tap *t) {
    tap_fault_free(t);
    lws_sul_cancel(&t->linger_sul);
    lws_sul_cancel(&t->rearm_sul);
    fs_conntab_put(&taps, t->conn, NULL);
    tap_observe_free(t);
    fs_bytequeue_free(&t->c2s);
    fs_bytequeue_free(&t->s2c);
    free(t);
}

/* ---- flow and the end of the client stream -------------------------------- */

static void set_rx(struct lws *wsi, int *state, int on) {
    if (!wsi || *state == on) return;
    *state = on;
    lws_rx_flow_control(wsi, on);
}

void tap_update_flow(fs_tap *t) {
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

void fs_tap_drop_server(fs_tap *t) { drop_server_side(t); }

static void linger_expired(lws_sorted_usec_list_t *sul) {
    fs_tap *t = lws_container_of(sul, fs_tap, linger_sul);
    close_client(t);
}

void tap_send_fin(fs_tap *t) {
    if (t->fin_sent || t->rst_sent || !t->client_wsi) return;
    tap_note_end(t, "server", "fin"); /* stamped before it leaves */
    shutdown(t->client_fd, SHUT_WR);
    t->fin_sent = 1;
    t->hold = 1;
    drop_server_side(t);
    if (t->client_eof) close_client(t);
    else lws_sul_schedule(tap_ctx, 0, &t->linger_sul, linger_expired, TAP_LINGER_US);
}

void tap_send_rst(fs_tap *t) {
    if (t->fin_sent || t->rst_sent || !t->client_wsi) return;
    struct linger lg = {.l_onoff = 1, .l_linger = 0};
    setsockopt(t->client_fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    t->rst_sent = 1;
    t->hold = 1;
    tap_note_end(t, "server", "rst");
    drop_server_side(t);
    close_client(t);
}

/* ---- the pump ------------------------------------------------------------ */

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

void tap_want_client_writable(fs_tap *t) { want_writable(t, t->client_wsi); }

/* How many queued bytes may leave now, given the faults' and the FIN's marks. */
static size_t sendable(const fs_tap *t) {
    size_t limit = tap_fault_limit(t, t->s2c.len);
    if (t->fin_pending && limit > t->fin_at - t->s2c_out) limit = (size_t)(t->fin_at - t->s2c_out);
    return limit;
}

void tap_pump_to_client(fs_tap *t) {
    while (!t->fin_sent && !t->rst_sent && t->client_wsi) {
        if (tap_fault_cut_reached(t)) continue;
        if (t->fin_pending && t->s2c_out == t->fin_at) {
            t->fin_pending = 0;
            if (t->fin_is_rst) tap_send_rst(t);
            else tap_send_fin(t);
            break;
        }
        size_t n = sendable(t);
        if (n == 0) break;
        t->out_ns = bc_now_ns(); /* the client may have the bytes before send returns */
        ssize_t w = send(t->client_fd, t->s2c.buf + t->s2c.head, n, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK) tap_want_client_writable(t);
            else {
                tap_note_end(t, "client", errno == ECONNRESET || errno == EPIPE ? "rst" : "error");
                close_client(t);
            }
            break;
        }
        const uint8_t *sent = t->s2c.buf + t->s2c.head;
        t->s2c_out += (uint64_t)w;
        tap_observe_out(t, sent, (size_t)w);
        tap_notes_sent(t);
        fs_bytequeue_drop(&t->s2c, (size_t)w);
        tap_fault_sent(t);
    }
    fs_journal_flush(); /* flood frames of this batch: on disk before the loop waits */
    tap_update_flow(t);
}

static void pump_to_pair(fs_tap *t) {
    while (t->c2s.len > 0 && t->pair_wsi) {
        ssize_t w = send(t->pair_fd, t->c2s.buf + t->c2s.head, t->c2s.len, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK) want_writable(t, t->pair_wsi);
            else t->c2s.len = 0;
            break;
        }
        fs_bytequeue_drop(&t->c2s, (size_t)w);
    }
    if (t->client_eof && t->c2s.len == 0 && t->pair_wsi) shutdown(t->pair_fd, SHUT_WR);
    tap_update_flow(t);
}

/* Reads what lws wrote straight into the client queue (into a scratch
 * buffer while held or muted), until the pair is empty or, with limit, the
 * queue holds TAP_SOFT_LIMIT. 1 read something or nothing was there, 0 EOF,
 * -1 error. */
static int read_pair(fs_tap *t, int limit) {
    static uint8_t scratch[TAP_READ_CHUNK];
    while (t->pair_wsi && !(limit && t->s2c.len >= TAP_SOFT_LIMIT)) {
        int keep = !t->hold && !t->mute;
        uint8_t *dst = keep ? fs_bytequeue_reserve(&t->s2c, TAP_READ_CHUNK) : scratch;
        ssize_t r = recv(t->pair_fd, dst, TAP_READ_CHUNK, MSG_DONTWAIT);
        if (r < 0) return (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? 1 : -1;
        if (r == 0) return 0;
        if (keep && t->ws && !t->head_fixed) {
            t->head_fixed = 1; /* lws writes the 101 in one go, first after the upgrade */
            fs_http_fix_upgrade(dst, (size_t)r);
        }
        if (keep) fs_bytequeue_commit(&t->s2c, (size_t)r);
        if (r < TAP_READ_CHUNK) break; /* the pair is empty now */
    }
    return 1;
}

/* Pulls everything lws has written so far, so a fault queued next follows it. */
void tap_drain_pair(fs_tap *t) { read_pair(t, 0); }

void fs_tap_forward(fs_tap *t) {
    if (!t) return;
    tap_drain_pair(t);
    tap_pump_to_client(t);
}

/* ---- raw callbacks ------------------------------------------------------- */

static int client_readable(fs_tap *t) {
    uint8_t buf[TAP_READ_CHUNK];
    if (t->client_paused) return 0;
    ssize_t r = tap_clock_recv(t, buf, sizeof buf);
    if (r < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return 0;
        tap_note_end(t, "client", errno == ECONNRESET ? "rst" : "error");
        drop_server_side(t);
        return -1;
    }
    if (r == 0) {
        t->client_eof = 1;
        tap_note_end(t, "client", "fin");
        if (t->fin_sent || t->rst_sent || !t->pair_wsi) return -1;
        pump_to_pair(t);
        return 0;
    }
    tap_observe_in(t, buf, (size_t)r);
    if (!t->fin_sent && !t->rst_sent) fs_bytequeue_push(&t->c2s, buf, (size_t)r);
    pump_to_pair(t);
    return 0;
}

static int pair_readable(fs_tap *t) {
    int r = read_pair(t, 1);
    if (r <= 0) return -1; /* lws closes the pair wsi: pair_closed flushes the queue */
    tap_pump_to_client(t);
    return 0;
}

/* lws is done with its side: whatever it wrote goes out, then FIN. */
static void pair_closed(fs_tap *t) {
    t->pair_wsi = NULL;
    tap_observe_server_closed(t);
    if (!t->hold && !t->fin_sent && !t->rst_sent && t->client_wsi) {
        t->fin_pending = 1;
        t->fin_at = t->s2c_out + t->s2c.len;
        tap_pump_to_client(t);
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
    if (err == ECONNRESET || err == EPIPE) tap_note_end(t, "client", "rst");
    else if (!err && recv(t->client_fd, &b, 1, MSG_PEEK | MSG_DONTWAIT) == 0) tap_note_end(t, "client", "fin");
    else tap_note_end(t, "client", "error");
}

static void client_closed(fs_tap *t) {
    classify_hangup(t);
    tap_clock_forget(t);
    tap_notes_flush(t); /* nothing more leaves for this client */
    t->client_wsi = NULL;
    lws_sul_cancel(&t->linger_sul);
    tap_fault_stop(t);
    drop_server_side(t); /* lws closes the descriptor itself after this */
    if (!t->pair_wsi) tap_free(t);
}

static int accept_one(fs_origin origin);

static void accept_resume(lws_sorted_usec_list_t *sul) {
    (void)sul;
    for (int o = 0; o < FS_ORIGINS; o++)
        if (tap_listener[o]) lws_rx_flow_control(tap_listener[o], 1);
}

static int listener_readable(fs_origin origin) {
    for (int i = 0; i < TAP_MAX_ACCEPT; i++) {
        int r = accept_one(origin);
        if (r == 0) return 0;
        if (r < 0) {
            /* Out of descriptors: pause accepting instead of spinning. */
            for (int o = 0; o < FS_ORIGINS; o++)
                if (tap_listener[o]) lws_rx_flow_control(tap_listener[o], 0);
            lws_sul_schedule(tap_ctx, 0, &tap_accept_sul, accept_resume, 100 * LWS_US_PER_MS);
            return 0;
        }
    }
    return 0;
}

/* The origin whose listener wsi is, or -1. */
static int listener_origin(const struct lws *wsi) {
    for (int o = 0; o < FS_ORIGINS; o++)
        if (wsi && wsi == tap_listener[o]) return o;
    return -1;
}

static int tap_file_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user,
                       void *in, size_t len) {
    (void)user;
    (void)in;
    (void)len;
    if (reason == LWS_CALLBACK_EVENT_WAIT_CANCELLED) { /* the hang-up watcher */
        tap_clock_collect();
        return 0;
    }
    fs_tap *t = lws_get_opaque_user_data(wsi);
    int origin = listener_origin(wsi);
    if (origin >= 0) {
        if (reason == LWS_CALLBACK_RAW_RX_FILE) return listener_readable((fs_origin)origin);
        if (reason == LWS_CALLBACK_RAW_CLOSE_FILE) tap_listener[origin] = NULL;
        return 0;
    }
    if (!t) return 0;
    int is_client = (wsi == t->client_wsi);
    switch (reason) {
    case LWS_CALLBACK_RAW_RX_FILE:
        return is_client ? client_readable(t) : pair_readable(t);
    case LWS_CALLBACK_RAW_WRITEABLE_FILE:
        t->in_writeable = wsi;
        if (is_client) tap_pump_to_client(t);
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

/* ---- accepting ----------------------------------------------------------- */

static struct lws *adopt_raw(int fd, void *opaque) {
    lws_sock_file_fd_type d = {.filefd = fd};
    struct lws *wsi = lws_adopt_descriptor_vhost(tap_vhost, LWS_ADOPT_RAW_FILE_DESC, d,
                                                 fs_tap_protocol.name, NULL);
    if (wsi) lws_set_opaque_user_data(wsi, opaque);
    return wsi;
}

/* Once: clients wait in the backlog while we are out of descriptors. */
static void warn_no_fds(void) {
    static int warned;
    if (warned++) return;
    fprintf(stderr, "fakeserver: out of file descriptors: new clients wait (more "
                    "clients at once need --max-clients)\n");
}

/* 1 accepted, 0 nothing pending, -1 out of resources. */
static int accept_one(fs_origin origin) {
    int lfd = lws_get_socket_fd(tap_listener[origin]);
    int64_t accepted_ns = bc_now_ns();
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
    t->origin = origin;
    t->client_fd = cfd;
    t->pair_fd = sp[0];
    t->client_rx_on = t->pair_rx_on = 1;
    tap_clock_watch(t, accepted_ns);
    tap_observe_init(t);
    fs_conntab_put(&taps, t->conn, t);
    tap_journal_open(t);

    lws_sock_file_fd_type hd = {.sockfd = sp[1]};
    struct lws *http = lws_adopt_descriptor_vhost(tap_vhost, LWS_ADOPT_SOCKET | LWS_ADOPT_HTTP,
                                                  hd, NULL, NULL);
    if (http) lws_set_opaque_user_data(http, (void *)(intptr_t)t->conn);
    t->client_wsi = adopt_raw(cfd, t);
    t->pair_wsi = adopt_raw(sp[0], t);
    if (!http || !t->client_wsi || !t->pair_wsi) {
        /* lws closes what it adopted; the tap goes with its last wsi. */
        tap_note_end(t, "server", "error");
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

int fs_tap_listen(struct lws_context *ctx, struct lws_vhost *vh, fs_origin origin, int port,
                  int *bound_port) {
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
    tap_clock_start(fd);
    tap_listener[origin] = adopt_raw(fd, NULL);
    if (!tap_listener[origin]) {
        close(fd);
        return -1;
    }
    return 0;
}

void fs_tap_shutdown_all(void) {
    for (size_t i = 0; i < taps.cap; i++) {
        fs_tap *t = taps.slots[i];
        if (t && t->client_wsi) {
            tap_note_end(t, "server", "fin");
            close_client(t);
        }
    }
    tap_clock_stop(); /* no hang-up is read after ours */
}
