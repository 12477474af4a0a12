/* test_clock.c - a busy fake server stamps what the client did when the
 * client did it, not when the server got round to it (tap_clock.c).
 *
 * Each case makes the server notice late on purpose, has the client act at
 * a moment it records, and checks the journal's time against that moment.
 * Data is stamped by the kernel, so the server is simply stopped (SIGSTOP)
 * while the client writes. A FIN or RST has no kernel stamp; the thread that
 * watches for them is itself stopped by SIGSTOP, so for hang-ups the server
 * is starved instead, as load starves it: pinned to one CPU beside busy
 * processes, at the lowest priority. Each case also proves the server was
 * late, or it would prove nothing. K = 1: journal seconds are real ones. */
#include <errno.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <dirent.h>
#include <unistd.h>

#include <cmocka.h>

#include "fs_testlib.h"

#define ATTACH "/v1/boxes/box-1/executions/e-1/attach"
#define LATE 0.15               /* s the server is kept from noticing */
#define STAMP_ERR 0.001         /* s a stamp may be off (rounding, kernel wake-up paths) */
#define CONFIG_REQ "GET /v1/config HTTP/1.1\r\nHost: x\r\n" FST_AUTH "\r\n"

static char head[4096];
static char buf[8192];

static double t_of(json_t *e) { return json_number_value(json_object_get(e, "t")); }

/* The journal time of the first such event, waited for. */
static double event_t(fst_server *s, const char *ev, const char *key, const char *value) {
    json_t *j = fst_wait_event(s, ev, key, value, 3000);
    assert_non_null(j);
    double t = t_of(fst_find(j, ev, key, value, 1));
    json_decref(j);
    return t;
}

/* What the client did between from and to (its own clock readings around
 * the call, on the journal's axis) must be stamped in that span. */
static void assert_within(double stamped, double from, double to, const char *what) {
    if (stamped < from - STAMP_ERR || stamped > to + STAMP_ERR)
        fail_msg("%s stamped %.4f s; it happened in %.4f..%.4f s", what, stamped, from, to);
}

/* ---- data: the server is stopped while the client writes ----------------- */

static void request_stamped_on_arrival(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start(s, NULL, 1), 0);
    int fd = fst_connect(s);
    assert_true(fd >= 0);
    kill(s->pid, SIGSTOP);
    double from = fst_client_t(s, fst_now());
    assert_int_equal(fst_send(fd, CONFIG_REQ, sizeof CONFIG_REQ - 1), 0);
    double to = fst_client_t(s, fst_now());
    usleep((useconds_t)(LATE * 1e6));
    kill(s->pid, SIGCONT);
    const char *body;
    assert_int_equal(fst_read_response(fd, buf, sizeof buf, &body, 3000), 200);
    close(fd);
    assert_within(event_t(s, "http_request", "endpoint", "config"), from, to, "the request");
    /* the answer left only once the server ran again */
    assert_true(event_t(s, "http_response", "endpoint", "config") >= to + LATE);
}

static void client_frame_stamped_on_arrival(void **state) {
    fst_server *s = *state;
    int fd;
    assert_int_equal(fst_start_server(s, "{\"execution_id\":\"e-1\",\"attach\":[{\"steps\":"
                                         "[{\"wait_for\":\"stdin_eof\"},{\"exit\":0}]}]}", 1, 1), 0);
    assert_int_equal(fst_ws_open(s, ATTACH, &fd, head, sizeof head, 2000), 101);
    assert_true(event_t(s, "attach", "outcome", "upgraded") > 0);
    kill(s->pid, SIGSTOP);
    double from = fst_client_t(s, fst_now());
    static const char eof[] = "{\"type\":\"stdin_eof\"}";
    assert_int_equal(fst_ws_send(fd, 1, eof, sizeof eof - 1), 0);
    double to = fst_client_t(s, fst_now());
    usleep((useconds_t)(LATE * 1e6));
    kill(s->pid, SIGCONT);
    assert_within(event_t(s, "frame_in", "op", "text"), from, to, "the client frame");
    assert_true(event_t(s, "frame_out", "op", "text") >= to + LATE); /* the exit frame */
    close(fd);
}

/* ---- hang-ups: the server is starved while the client hangs up ----------- */

typedef struct starver {
    pid_t hogs[3];
} starver;

/* Every thread of pid onto cpu at nice 19, three busy processes beside it. */
static void starve(starver *st, pid_t pid, int cpu) {
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    for (size_t i = 0; i < sizeof st->hogs / sizeof st->hogs[0]; i++) {
        st->hogs[i] = fork();
        if (st->hogs[i] == 0) {
            sched_setaffinity(0, sizeof one, &one);
            for (;;) {
            }
        }
    }
    char dir[64];
    snprintf(dir, sizeof dir, "/proc/%d/task", (int)pid);
    DIR *d = opendir(dir);
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d));) {
        pid_t tid = (pid_t)atoi(e->d_name);
        if (tid <= 0) continue;
        sched_setaffinity(tid, sizeof one, &one);
        setpriority(PRIO_PROCESS, (id_t)tid, 19);
    }
    closedir(d);
}

static void unstarve(starver *st) {
    for (size_t i = 0; i < sizeof st->hogs / sizeof st->hogs[0]; i++) {
        kill(st->hogs[i], SIGKILL);
        waitpid(st->hogs[i], NULL, 0);
    }
}

/* The client half-closes a kept-alive connection while the server starves;
 * the server answers with its own FIN once it noticed. */
static double nth_event_t(fst_server *s, const char *ev, const char *key, const char *value,
                          int nth) {
    for (int tries = 0; tries < 30; tries++) {
        json_t *j = fst_wait_event(s, ev, key, value, 3000);
        json_t *e = j ? fst_find(j, ev, key, value, nth) : NULL;
        double t = e ? t_of(e) : -1;
        json_decref(j);
        if (e) return t;
        usleep(100000);
    }
    fail_msg("no %s %d", ev, nth);
    return -1;
}

/* The starvers are other processes on the server's CPU: under a loaded
 * machine (ASan, other tests) the server can still get the CPU, so an
 * attempt that did not starve it proves nothing and is made again. */
static void hangup_stamped_on_arrival(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start(s, NULL, 1), 0);
    double from = 0, to = 0, waited = 0;
    int attempt;
    for (attempt = 1; attempt <= 5; attempt++) {
        int fd = fst_connect(s);
        assert_true(fd >= 0);
        const char *body;
        assert_int_equal(fst_send(fd, CONFIG_REQ, sizeof CONFIG_REQ - 1), 0);
        assert_int_equal(fst_read_response(fd, buf, sizeof buf, &body, 3000), 200);
        starver st;
        starve(&st, s->pid, sched_getcpu());
        usleep(20000); /* the server's threads are off their CPUs' queues by now */
        from = fst_client_t(s, fst_now());
        shutdown(fd, SHUT_WR);
        to = fst_client_t(s, fst_now());
        ssize_t n = fst_recv(fd, buf, sizeof buf, 5000);
        double noticed = fst_client_t(s, fst_now());
        unstarve(&st);
        close(fd);
        assert_int_equal(n, -1); /* the server's FIN */
        waited = noticed - to;
        if (waited >= 0.01) break;
    }
    if (attempt > 5)
        fail_msg("the server answered the FIN within %.1f ms five times: not starved, nothing "
                 "proven", waited * 1e3);
    assert_within(nth_event_t(s, "tcp_close", "by", "client", attempt), from, to,
                  "the client's FIN");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(request_stamped_on_arrival, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(client_frame_stamped_on_arrival, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(hangup_stamped_on_arrival, fst_setup, fst_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
