/* tap_clock.c - when the client's bytes and its hang-up reached the server.
 *
 * A journal time is when something happened on the client's wire, not when
 * this process got round to it: on a busy machine the server notices late,
 * and an interval that starts at a late notice comes out short, a client
 * looks early (docs/timing.md: load alone only ever makes a client late).
 *
 * - Data: the kernel stamps each segment as it arrives (SO_TIMESTAMPNS, on
 *   CLOCK_REALTIME); a read reports the newest segment it returned, turned
 *   into the run's CLOCK_MONOTONIC axis.
 * - A FIN or RST carries no data and the kernel reports no stamp for it. A
 *   thread that does nothing but sleep in epoll_wait for hang-ups is woken
 *   by the first one; from that wake-up the time it then spent waiting for
 *   a CPU (/proc/thread-self/schedstat) is taken off, so its stamp is never
 *   later than the hang-up. When it collects several at once (it waited for
 *   a CPU meanwhile), the later ones came between that stamp and the
 *   collection: each hang-up gets both ends, from and until. The loop
 *   reads the hang-up whenever it gets there; its tcp_close waits for the
 *   stamp (the watcher wakes the loop with it), so the loop never waits for
 *   a thread that has not had a CPU yet.
 *
 * Sends need none of this: the tap stamps a send just before making it.
 * Only with a journal: without one nothing reads the stamps. */
#include "tap_private.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "journal.h"

#define CLOCK_BATCH 64
#define CLOCK_STOP UINT64_MAX       /* epoll data of the stop eventfd */

typedef struct clock_span {
    int64_t from, until;        /* it happened in [from, until] */
} clock_span;

static struct {
    int running;
    pthread_t thread;
    int epfd, stopfd;
    pthread_mutex_t mu;
    clock_span *hungup;         /* by connection: when its FIN/RST came, from 0: not yet */
    size_t cap;
} watch = {.epfd = -1, .stopfd = -1};

static int64_t ns_of(const struct timespec *ts) {
    return (int64_t)ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

/* ---- receive stamps ------------------------------------------------------ */

/* A kernel stamp (CLOCK_REALTIME) on the CLOCK_MONOTONIC axis, never in the
 * future (a stepped wall clock must not put a byte after its read). */
static int64_t arrival_of(const struct msghdr *m) {
    for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR((struct msghdr *)m, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_TIMESTAMPNS) continue;
        struct timespec stamp, real;
        memcpy(&stamp, CMSG_DATA(c), sizeof stamp);
        int64_t mono = bc_now_ns();
        clock_gettime(CLOCK_REALTIME, &real);
        int64_t at = ns_of(&stamp) - (ns_of(&real) - mono);
        return at < mono ? at : mono;
    }
    return bc_now_ns();
}

ssize_t tap_clock_recv(fs_tap *t, void *buf, size_t cap) {
    union {
        char bytes[CMSG_SPACE(sizeof(struct timespec))];
        struct cmsghdr align;
    } ctl;
    struct iovec iov = {buf, cap};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.bytes,
                       .msg_controllen = sizeof ctl.bytes};
    ssize_t r = recvmsg(t->client_fd, &m, MSG_DONTWAIT);
    if (r > 0) t->rx_ns = arrival_of(&m);
    return r;
}

/* ---- the hang-up watcher ------------------------------------------------- */

/* Whether the client's FIN or RST (or an error) is in on fd. */
static int hung_up(int fd) {
    struct pollfd p = {.fd = fd, .events = POLLRDHUP};
    return poll(&p, 1, 0) == 1 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR));
}

/* Wall clock, then this thread's CPU time, time spent waiting for a CPU
 * and times it was given one (schedstat; 0 when the kernel keeps no such
 * account). */
typedef struct clock_sample {
    int64_t wall, cpu, waited, runs;
} clock_sample;

static clock_sample sample(int statfd) {
    clock_sample s = {.wall = bc_now_ns()};
    char text[96];
    ssize_t n = statfd >= 0 ? pread(statfd, text, sizeof text - 1, 0) : -1;
    long long cpu, waited, runs;
    if (n > 0) {
        text[n] = '\0';
        if (sscanf(text, "%lld %lld %lld", &cpu, &waited, &runs) == 3)
            s.cpu = cpu, s.waited = waited, s.runs = runs;
    }
    return s;
}

/* Stamps the hang-ups of one wake-up, in the order they came (epoll's
 * ready list is first come, first reported); when first_exact, the first
 * of them is the one that woke the thread. A socket wakes the thread only
 * by a hang-up: it is forgotten before we end its stream ourselves, whose
 * changes of state would wake it too. 1 when told to stop. */
static int record(const struct epoll_event *ev, int n, clock_span span, int first_exact) {
    int stop = 0;
    pthread_mutex_lock(&watch.mu);
    for (int i = 0; i < n; i++) {
        uint64_t conn = ev[i].data.u64;
        clock_span at = i == 0 && first_exact ? (clock_span){span.from, span.from} : span;
        if (conn == CLOCK_STOP) stop = 1;
        else if (conn < watch.cap && !watch.hungup[conn].from) watch.hungup[conn] = at;
    }
    pthread_mutex_unlock(&watch.mu);
    if (!stop) lws_cancel_service(tap_context()); /* the loop journals what waited */
    return stop;
}

/* The wake-up of a sleep is its start plus the time asleep: wall time less
 * CPU and run-queue time, both over-counted if anything (a stale CPU account
 * at the start, a preemption after the end), so the stamp errs early. It is
 * the first hang-up's own time when the thread got a CPU just once in the
 * call (no wake-up without a hang-up, from a state change of a socket, went
 * before). A batch found without sleeping arrived after the previous one
 * was collected, so it starts at that batch's stamp. */
static void *watch_main(void *arg) {
    (void)arg;
    int statfd = open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
    int64_t woke = bc_now_ns();
    struct epoll_event ev[CLOCK_BATCH];
    for (;;) {
        clock_sample before = sample(statfd);
        int n = epoll_wait(watch.epfd, ev, CLOCK_BATCH, -1);
        clock_sample after = sample(statfd);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) break;
        int64_t asleep = (after.wall - before.wall) - (after.cpu - before.cpu) -
                         (after.waited - before.waited);
        if (asleep > 0) woke = before.wall + asleep;
        int clean = asleep > 0 && after.runs - before.runs == 1;
        if (record(ev, n, (clock_span){woke, after.wall}, clean)) break;
    }
    if (statfd >= 0) close(statfd);
    return NULL;
}

static int start_thread(void) {
    /* Signals stay with the loop: a SIGTERM taken by this thread would not
     * wake the loop's poll. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int rc = pthread_create(&watch.thread, NULL, watch_main, NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}

/* ---- hang-ups journaled once stamped ------------------------------------- */

/* A client's tcp_close waiting for the watcher's stamp: the loop does not
 * wait for a thread that may not have had a CPU yet. */
typedef struct clock_pending {
    size_t conn;
    int64_t after, read;        /* its last byte came, the loop read the hang-up */
    json_t *event;
    int kept_fd;                /* the socket, kept for the watcher once lws closed it; -1 */
} clock_pending;

static clock_pending *pending;
static size_t pending_len, pending_cap;

static int64_t clamp(int64_t v, int64_t lo, int64_t hi) { return v < lo ? lo : v > hi ? hi : v; }

/* Came after every byte before it and before the loop read it; "t" the
 * earliest, "t_max" the latest it can have. */
static void emit_hangup(const clock_pending *p, clock_span span) {
    int64_t from = clamp(span.from, p->after, p->read);
    int64_t until = clamp(span.until, from, p->read);
    if (until > from) fs_journal_set_time(p->event, "t_max", until);
    fs_journal_emit_at(p->event, from);
}

void tap_clock_collect(void) {
    size_t kept = 0;
    for (size_t i = 0; i < pending_len; i++) {
        pthread_mutex_lock(&watch.mu);
        clock_span span = watch.hungup[pending[i].conn];
        pthread_mutex_unlock(&watch.mu);
        if (!span.from) {
            pending[kept++] = pending[i];
            continue;
        }
        emit_hangup(&pending[i], span);
        if (pending[i].kept_fd >= 0) close(pending[i].kept_fd); /* the watcher is done with it */
    }
    pending_len = kept;
}

void tap_clock_journal_hangup(fs_tap *t, json_t *event) {
    clock_pending p = {(size_t)t->conn, t->rx_ns, bc_now_ns(), event, -1};
    if (!t->watched || !hung_up(t->client_fd)) { /* nothing the watcher will see */
        emit_hangup(&p, (clock_span){p.read, p.read});
        return;
    }
    if (pending_len == pending_cap) {
        pending_cap = pending_cap ? 2 * pending_cap : 8;
        pending = realloc(pending, pending_cap * sizeof *pending);
    }
    pending[pending_len++] = p;
    tap_clock_collect();
}

/* At the end: what the watcher never stamped, at the time it was read. */
static void flush_pending(void) {
    tap_clock_collect();
    for (size_t i = 0; i < pending_len; i++) {
        emit_hangup(&pending[i], (clock_span){pending[i].read, pending[i].read});
        if (pending[i].kept_fd >= 0) close(pending[i].kept_fd);
    }
    free(pending);
    pending = NULL;
    pending_len = pending_cap = 0;
}

/* ---- life ---------------------------------------------------------------- */

void tap_clock_start(int listen_fd) {
    if (!fs_journal_enabled()) return;
    /* On each listener (both origins), so that a socket has it from its
     * first byte (bytes that came before the accept are stamped too):
     * accepted sockets inherit it. */
    int one = 1;
    setsockopt(listen_fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);
    if (watch.running) return; /* one watcher for every origin */
    watch.epfd = epoll_create1(EPOLL_CLOEXEC);
    watch.stopfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    struct epoll_event stop = {.events = EPOLLIN, .data.u64 = CLOCK_STOP};
    pthread_mutex_init(&watch.mu, NULL);
    if (watch.epfd >= 0 && watch.stopfd >= 0 &&
        epoll_ctl(watch.epfd, EPOLL_CTL_ADD, watch.stopfd, &stop) == 0 && start_thread() == 0) {
        watch.running = 1;
        return;
    }
    /* No watcher: hang-ups are stamped when read, as without a journal. */
    fprintf(stderr, "fakeserver: no hang-up watcher (%s): FIN/RST stamped when read\n",
            strerror(errno));
    if (watch.epfd >= 0) close(watch.epfd);
    if (watch.stopfd >= 0) close(watch.stopfd);
    watch.epfd = watch.stopfd = -1;
}

void tap_clock_stop(void) {
    if (!watch.running) return;
    uint64_t one = 1;
    if (write(watch.stopfd, &one, sizeof one) != sizeof one) pthread_cancel(watch.thread);
    pthread_join(watch.thread, NULL);
    flush_pending();
    watch.running = 0;
    close(watch.epfd);
    close(watch.stopfd);
    watch.epfd = watch.stopfd = -1;
    free(watch.hungup);
    watch.hungup = NULL;
    watch.cap = 0;
    pthread_mutex_destroy(&watch.mu);
}

static void set_hungup(size_t conn, clock_span span) {
    pthread_mutex_lock(&watch.mu);
    if (conn >= watch.cap) {
        size_t cap = watch.cap ? watch.cap : 64;
        while (cap <= conn) cap *= 2;
        watch.hungup = realloc(watch.hungup, cap * sizeof *watch.hungup);
        memset(watch.hungup + watch.cap, 0, (cap - watch.cap) * sizeof *watch.hungup);
        watch.cap = cap;
    }
    watch.hungup[conn] = span;
    pthread_mutex_unlock(&watch.mu);
}

void tap_clock_watch(fs_tap *t, int64_t accepted_ns) {
    t->rx_ns = accepted_ns;
    if (!watch.running) return;
    /* A client that hung up before it was accepted (the server far behind)
     * is stamped at the accept: nothing earlier is known. */
    int64_t at = hung_up(t->client_fd) ? accepted_ns : 0;
    set_hungup((size_t)t->conn, (clock_span){at, at});
    struct epoll_event ev = {.events = EPOLLRDHUP | EPOLLONESHOT, .data.u64 = (uint64_t)t->conn};
    t->watched = epoll_ctl(watch.epfd, EPOLL_CTL_ADD, t->client_fd, &ev) == 0;
}

static clock_pending *awaiting_stamp(size_t conn) {
    for (size_t i = 0; i < pending_len; i++)
        if (pending[i].conn == conn) return &pending[i];
    return NULL;
}

/* Closing the socket would take its hang-up off the watcher's ready list
 * if the watcher, still waiting for a CPU, has not collected it: a
 * duplicate keeps the socket open for it until it has. The client hung up
 * already; our FIN, if any, was sent before lws closes (tap_send_fin). */
void tap_clock_forget(fs_tap *t) {
    if (!t->watched || !watch.running) return;
    t->watched = 0;
    tap_clock_collect();
    clock_pending *p = awaiting_stamp((size_t)t->conn);
    if (!p) {
        epoll_ctl(watch.epfd, EPOLL_CTL_DEL, t->client_fd, NULL);
        return;
    }
    p->kept_fd = fcntl(t->client_fd, F_DUPFD_CLOEXEC, 0);
    if (p->kept_fd < 0) { /* out of descriptors: as without a watcher */
        pthread_mutex_lock(&watch.mu);
        watch.hungup[p->conn] = (clock_span){p->read, p->read};
        pthread_mutex_unlock(&watch.mu);
        tap_clock_collect();
    }
}
