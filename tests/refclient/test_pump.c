/* refclient end to end against mini_server, with test-build constants in
 * real time (and one production constant under libfaketime). Each test
 * states what the server saw and what the caller got. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "../case_filter.h"
#include "../late_rule.h"

#include "client_run.h"
#include "mini_server.h"

#define EXEC "{\"action\":\"exec\",\"box_id\":\"box-1\",\"command\":\"cat\",\"args\":[],\"tty\":false}"
#define ATTACH(ro) "{\"action\":\"attach\",\"box_id\":\"box-1\",\"execution_id\":\"e-1\",\"readonly\":" ro "}"
#define DEADLINE 8.0
/* Test-build constants: first frame 0.3, watchdog 0.6, probe 0.5,
 * backoff 0.2 doubling to 0.4, budget 1.0, handshake 0.5, ping 0.2. */
#define FLAGS "--first-frame", "0.3", "--watchdog", "0.6", "--probe-timeout", "0.5", \
              "--backoff-initial", "0.2", "--backoff-max", "0.4", "--budget", "1.0", \
              "--handshake-timeout", "0.5", "--ping-interval", "0.2"
#define TOL 0.15   /* seconds: scheduling on a shared 2-core machine */

static const char *refclient;
static double deadline = DEADLINE;   /* per case: short where a hang is expected */

struct outcome {
    struct cr_run run;
    struct ms_seen seen;
    int exit_code;
    char *message;
    int has_result;
};

static double secs(int64_t from_ns, int64_t to_ns);

static void run_case(const struct ms_script *script, const char *action,
                     const char *const *argv, const struct cr_plan_line *plan, int plan_len,
                     const char *faketime, struct outcome *o)
{
    int port = 0;
    memset(o, 0, sizeof(*o));
    struct ms_server *s = ms_start(script, &port);
    assert_non_null(s);
    assert_int_equal(cr_run(argv, port, action, plan, plan_len, deadline, faketime, &o->run), 0);
    ms_seen(s, &o->seen);
    ms_stop(s);
    o->has_result = cr_result(&o->run, &o->exit_code, &o->message) == 0;
    if (getenv("RC_TEST_DEBUG"))
        for (int i = 0; i < o->run.n; i++)
            fprintf(stderr, "  %.3f %s\n", secs(o->run.start_ns, o->run.at_ns[i]), o->run.events[i]);
}

static void outcome_free(struct outcome *o)
{
    cr_free(&o->run);
    free(o->message);
}

static double secs(int64_t from_ns, int64_t to_ns)
{
    return (double)(to_ns - from_ns) / 1e9;
}

/* want +- tol under tests/late_rule.h: early fails at once, late runs the
 * case again. The message names the interval as written here. */
#define assert_near(got, want, tol) bc_assert_within((got), (want) - (tol), (want) + (tol), #got)

static void exit_frame_gives_result_and_output(void **state)
{
    (void)state;
    static const struct ms_script script = {
        .steps = { { { MS_OUT, "hello\n", 0, 0, 0 }, { MS_ERR, "oops", 0, 0, 0 },
                     { MS_EXIT, NULL, 0, 3, 0 } } },
    };
    const char *argv[] = { refclient, FLAGS, NULL };
    struct outcome o;
    run_case(&script, EXEC, argv, NULL, 0, NULL, &o);
    assert_int_equal(o.run.exit_status, 0);
    assert_non_null(cr_find(&o.run, "started", 0));
    assert_int_equal(cr_count(&o.run, "result"), 1);
    assert_int_equal(o.exit_code, 3);
    assert_null(o.message);
    size_t n;
    uint8_t *out = cr_output(&o.run, "stdout", &n);
    assert_int_equal(n, 6);
    assert_memory_equal(out, "hello\n", 6);
    free(out);
    out = cr_output(&o.run, "stderr", &n);
    assert_int_equal(n, 4);
    free(out);
    assert_int_equal(o.seen.bad_auth, 0);
    assert_int_equal(o.seen.attaches, 1);
    assert_string_equal(o.seen.paths[0], "/v1/boxes/box-1/executions/e-1/attach");
    outcome_free(&o);
}

static void raw_bytes_pass_unchanged(void **state)
{
    (void)state;
    /* A euro sign split across two frames, then a lone invalid byte. */
    static const struct ms_script script = {
        .steps = { { { MS_RAW, "\x01\xE2\x82", 3, 0, 0 }, { MS_RAW, "\x01\xAC\xFF", 3, 0, 0 },
                     { MS_EXIT, NULL, 0, 0, 0 } } },
    };
    const char *argv[] = { refclient, FLAGS, NULL };
    struct outcome o;
    run_case(&script, EXEC, argv, NULL, 0, NULL, &o);
    size_t n;
    uint8_t *out = cr_output(&o.run, "stdout", &n);
    assert_int_equal(n, 4);
    assert_memory_equal(out, "\xE2\x82\xAC\xFF", 4);
    free(out);
    outcome_free(&o);
}

static void unknown_frames_are_ignored(void **state)
{
    (void)state;
    static const struct ms_script script = {
        .steps = { { { MS_TEXT, "not json", 0, 0, 0 }, { MS_TEXT, "{\"type\":\"resize\"}", 0, 0, 0 },
                     { MS_RAW, "\x07x", 2, 0, 0 }, { MS_RAW, "", 0, 0, 0 },
                     { MS_TEXT, "{\"type\":\"error\",\"message\":\"hiccup\"}", 0, 0, 0 },
                     { MS_OUT, "ok", 0, 0, 0 }, { MS_EXIT, NULL, 0, 0, 0 } } },
    };
    const char *argv[] = { refclient, FLAGS, NULL };
    struct outcome o;
    run_case(&script, EXEC, argv, NULL, 0, NULL, &o);
    assert_true(o.has_result);
    assert_int_equal(o.exit_code, 0);
    assert_null(o.message);
    assert_int_equal(o.seen.attaches, 1);
    outcome_free(&o);
}

static void stdin_goes_out_then_eof(void **state)
{
    (void)state;
    static const struct ms_script script = {
        .steps = { { { MS_UNTIL_EOF, NULL, 0, 0, 0 }, { MS_EXIT, NULL, 0, 0, 0 } } },
    };
    static const struct cr_plan_line plan[] = {
        { 0.0, "{\"op\":\"stdin\",\"data_b64\":\"YWJj\"}" },
        { 0.1, "{\"op\":\"stdin\",\"data_b64\":\"AP8=\"}" },
        { 0.2, "{\"op\":\"stdin_close\"}" },
    };
    const char *argv[] = { refclient, FLAGS, NULL };
    struct outcome o;
    run_case(&script, EXEC, argv, plan, 3, NULL, &o);
    assert_int_equal(o.seen.stdin_len, 5);
    assert_memory_equal(o.seen.stdin, "abc\x00\xff", 5);
    assert_int_equal(o.seen.eofs[0], 1);
    assert_int_equal(o.exit_code, 0);
    outcome_free(&o);
}

static void silent_server_hits_first_frame_then_gone(void **state)
{
    (void)state;
    static const struct ms_script script = { .probe_status = 404 };
    const char *argv[] = { refclient, FLAGS, NULL };
    struct outcome o;
    run_case(&script, EXEC, argv, NULL, 0, NULL, &o);
    assert_int_equal(o.seen.attaches, 1);
    assert_near(secs(o.seen.upgraded_ns[0], o.seen.closed_ns[0]), 0.3, TOL);
    assert_int_equal(o.exit_code, -1);
    assert_non_null(o.message);
    assert_int_equal(cr_count(&o.run, "result"), 1);
    outcome_free(&o);
}

static void first_frame_accelerated_by_faketime(void **state)
{
    (void)state;
    static const struct ms_script script = { .probe_status = 404 };
    const char *argv[] = { refclient, NULL };   /* production 10 s */
    struct outcome o;
    run_case(&script, EXEC, argv, NULL, 0, "+0 x50", &o);
    assert_int_equal(o.seen.attaches, 1);
    /* TOL like every other timing here: 0.1 s once failed an ASan+UBSan
     * client under ./run tests at 0.306 s; unaccelerated would be 10 s */
    assert_near(secs(o.seen.upgraded_ns[0], o.seen.closed_ns[0]), 10.0 / 50, TOL);
    assert_int_equal(o.exit_code, -1);
    outcome_free(&o);
}

static void close_without_exit_falls_back_to_probe(void **state)
{
    (void)state;
    static const struct ms_script script = {
        .steps = { { { MS_OUT, "x", 0, 0, 0 }, { MS_FINISH, NULL, 0, 5, 0 },
                     { MS_CLOSE, NULL, 0, 0, 0 } } },
    };
    const char *argv[] = { refclient, FLAGS, NULL };
    struct outcome o;
    run_case(&script, EXEC, argv, NULL, 0, NULL, &o);
    assert_int_equal(o.exit_code, 5);
    assert_null(o.message);
    assert_int_equal(o.seen.probes, 1);
    assert_int_equal(o.seen.attaches, 1);
    outcome_free(&o);
}

static void pings_keep_an_idle_session_alive(void **state)
{
    (void)state;
    static const struct ms_script script = {
        .steps = { { { MS_OUT, "x", 0, 0, 0 }, { MS_WAIT, NULL, 0, 0, 0.4 },
                     { MS_PING, "ms-1", 0, 0, 0 }, { MS_WAIT, NULL, 0, 0, 0.4 },
                     { MS_PING, "ms-1", 0, 0, 0 }, { MS_WAIT, NULL, 0, 0, 0.4 },
                     { MS_EXIT, NULL, 0, 0, 0 } } },
    };
    const char *argv[] = { refclient, FLAGS, NULL };
    struct outcome o;
    run_case(&script, EXEC, argv, NULL, 0, NULL, &o);
    assert_int_equal(o.seen.attaches, 1);
    assert_int_equal(o.exit_code, 0);
    assert_null(o.message);
    assert_int_equal(o.seen.pongs, 2);
    outcome_free(&o);
}

static void a_ping_as_first_frame_counts(void **state)
{
    (void)state;
    static const struct ms_script script = {
        .steps = { { { MS_PING, "ms-1", 0, 0, 0 }, { MS_WAIT, NULL, 0, 0, 0.5 },
                     { MS_EXIT, NULL, 0, 0, 0 } } },
    };
    const char *argv[] = { refclient, FLAGS, NULL };
    struct outcome o;
    run_case(&script, EXEC, argv, NULL, 0, NULL, &o);
    assert_int_equal(o.seen.attaches, 1);
    assert_int_equal(o.seen.pongs, 1);
    assert_int_equal(o.exit_code, 0);
    assert_null(o.message);
    outcome_free(&o);
}

static void reconnect_keeps_stdin_and_resends_eof(void **state)
{
    (void)state;
    static const struct ms_script script = {
        .steps = { { { MS_OUT, "a", 0, 0, 0 }, { MS_WAIT, NULL, 0, 0, 0.2 }, { MS_CLOSE, NULL, 0, 0, 0 } },
                   { { MS_UNTIL_EOF, NULL, 0, 0, 0 }, { MS_EXIT, NULL, 0, 0, 0 } } },
    };
    /* Written during the disconnect (closed at ~0.25 s, back at ~0.45 s). */
    static const struct cr_plan_line plan[] = {
        { 0.05, "{\"op\":\"stdin\",\"data_b64\":\"MTI=\"}" },
        { 0.05, "{\"op\":\"stdin_close\"}" },
        { 0.32, "{\"op\":\"stdin\",\"data_b64\":\"Mw==\"}" },
    };
    const char *argv[] = { refclient, FLAGS, NULL };
    struct outcome o;
    run_case(&script, EXEC, argv, plan, 3, NULL, &o);
    assert_int_equal(o.seen.attaches, 2);
    assert_int_equal(o.seen.stdin_len, 2);       /* "3" came after the close */
    assert_memory_equal(o.seen.stdin, "12", 2);
    assert_int_equal(o.seen.eofs[0], 1);
    assert_int_equal(o.seen.eofs[1], 1);
    assert_int_equal(o.seen.probes, 1);
    assert_near(secs(o.seen.closed_ns[0], o.seen.request_ns[1]), 0.2, TOL);
    assert_int_equal(o.exit_code, 0);
    outcome_free(&o);
}

static void rejected_reconnects_double_then_succeed(void **state)
{
    (void)state;
    static const struct ms_script script = {
        .reject = { 0, 409, 503, 0 },
        .steps = { { { MS_OUT, "a", 0, 0, 0 }, { MS_CLOSE, NULL, 0, 0, 0 } },
                   { { MS_END, NULL, 0, 0, 0 } }, { { MS_END, NULL, 0, 0, 0 } },
                   { { MS_EXIT, NULL, 0, 7, 0 } } },
    };
    const char *argv[] = { refclient, FLAGS, NULL };
    struct outcome o;
    run_case(&script, EXEC, argv, NULL, 0, NULL, &o);
    assert_int_equal(o.seen.attaches, 4);
    assert_near(secs(o.seen.request_ns[1], o.seen.request_ns[2]), 0.4, TOL);
    assert_near(secs(o.seen.request_ns[2], o.seen.request_ns[3]), 0.4, TOL);
    assert_int_equal(o.exit_code, 7);
    assert_null(o.message);
    outcome_free(&o);
}

static void budget_spent_gives_minus_one_with_cause(void **state)
{
    (void)state;
    static const struct ms_script script = {
        .reject = { 0, 503, 503, 503, 503, 503, 503, 503 },
        .steps = { { { MS_OUT, "a", 0, 0, 0 }, { MS_CLOSE, NULL, 0, 0, 0 } } },
    };
    const char *argv[] = { refclient, FLAGS, NULL };
    struct outcome o;
    run_case(&script, EXEC, argv, NULL, 0, NULL, &o);
    /* waits 0.2 + 0.4 + 0.4 = budget 1.0: three reconnect attempts */
    assert_int_equal(o.seen.attaches, 4);
    assert_int_equal(o.seen.probes, 2);
    assert_int_equal(o.exit_code, -1);
    assert_non_null(o.message);
    assert_int_equal(cr_count(&o.run, "result"), 1);
    outcome_free(&o);
}

static void attach_refusals_fail_at_attach_time(void **state)
{
    (void)state;
    static const struct ms_script gone = { .reject = { 404 } }, busy = { .reject = { 409 } };
    const char *argv[] = { refclient, FLAGS, NULL };
    struct outcome o;
    run_case(&gone, ATTACH("false"), argv, NULL, 0, NULL, &o);
    assert_int_equal(o.seen.attaches, 1);
    assert_non_null(strstr(cr_find(&o.run, "error", 0), "\"session_reaped\""));
    assert_int_equal(cr_count(&o.run, "result"), 0);
    assert_int_equal(o.run.exit_status, 0);
    outcome_free(&o);
    run_case(&busy, ATTACH("false"), argv, NULL, 0, NULL, &o);
    assert_int_equal(o.seen.attaches, 1);
    assert_non_null(strstr(cr_find(&o.run, "error", 0), "\"already_attached\""));
    outcome_free(&o);
}

static void readonly_query_survives_reconnect(void **state)
{
    (void)state;
    static const struct ms_script script = {
        .steps = { { { MS_OUT, "a", 0, 0, 0 }, { MS_CLOSE, NULL, 0, 0, 0 } },
                   { { MS_EXIT, NULL, 0, 0, 0 } } },
    };
    const char *argv[] = { refclient, FLAGS, NULL };
    struct outcome o;
    run_case(&script, ATTACH("true"), argv, NULL, 0, NULL, &o);
    assert_int_equal(o.seen.attaches, 2);
    assert_string_equal(o.seen.paths[0], "/v1/boxes/box-1/executions/e-1/attach?stdin=false");
    assert_string_equal(o.seen.paths[1], o.seen.paths[0]);
    assert_non_null(cr_find(&o.run, "started", 0));
    assert_int_equal(o.exit_code, 0);
    outcome_free(&o);
}

/* A listener that never accepts: the kernel takes the connection and the
 * upgrade request, nobody answers. */
static int silent_listener(int *port)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof(a);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 4) ||
        getsockname(fd, (struct sockaddr *)&a, &len))
        return -1;
    *port = ntohs(a.sin_port);
    return fd;
}

struct arrival {                 /* when the client's connection came */
    int fd;
    int64_t at_ns;
};

static void *await_connection(void *arg)
{
    struct arrival *a = arg;
    struct pollfd p = { .fd = a->fd, .events = POLLIN };
    struct timespec ts;
    if (poll(&p, 1, (int)(DEADLINE * 1000)) == 1) {
        clock_gettime(CLOCK_MONOTONIC, &ts);
        a->at_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
    }
    return NULL;
}

/* Timed from the connection, not the spawn: start-up is no part of it. */
static void hung_upgrade_times_out(void **state)
{
    (void)state;
    int port = 0;
    struct arrival a = { silent_listener(&port), 0 };
    pthread_t watcher;
    assert_true(a.fd >= 0);
    pthread_create(&watcher, NULL, await_connection, &a);
    const char *argv[] = { refclient, FLAGS, NULL };
    struct cr_run run;
    assert_int_equal(cr_run(argv, port, ATTACH("false"), NULL, 0, DEADLINE, NULL, &run), 0);
    pthread_join(watcher, NULL);
    close(a.fd);
    assert_int_equal(run.exit_status, 0);
    assert_int_equal(cr_count(&run, "error"), 1);
    assert_non_null(strstr(cr_find(&run, "error", 0), "\"network\""));
    assert_true(a.at_ns > 0);
    assert_near(secs(a.at_ns, run.at_ns[run.n - 1]), 0.5, TOL);
    cr_free(&run);
}

static void reset_falls_back_to_probe(void **state)
{
    (void)state;
    static const struct ms_script script = {
        .steps = { { { MS_OUT, "x", 0, 0, 0 }, { MS_FINISH, NULL, 0, 4, 0 }, { MS_RST, NULL, 0, 0, 0 } } },
    };
    const char *argv[] = { refclient, FLAGS, NULL };
    const char *hang[] = { refclient, FLAGS, "--mutant", "hang-after-rst", NULL };
    struct outcome o;
    run_case(&script, EXEC, argv, NULL, 0, NULL, &o);
    assert_int_equal(o.exit_code, 4);
    assert_null(o.message);
    outcome_free(&o);
    deadline = 1.5;
    run_case(&script, EXEC, hang, NULL, 0, NULL, &o);
    deadline = DEADLINE;
    assert_false(o.has_result);
    assert_int_equal(o.run.exit_status, -1);
    outcome_free(&o);
}

static void ping_mutants_show_their_fault(void **state)
{
    (void)state;
    static const struct ms_script script = {
        .probe_status = 404,
        .steps = { { { MS_OUT, "x", 0, 0, 0 }, { MS_WAIT, NULL, 0, 0, 0.4 },
                     { MS_PING, "ms-1", 0, 0, 0 }, { MS_WAIT, NULL, 0, 0, 0.4 },
                     { MS_EXIT, NULL, 0, 0, 0 } } },
    };
    const char *no_reset[] = { refclient, FLAGS, "--mutant", "ping-no-reset", NULL };
    const char *no_pong[] = { refclient, FLAGS, "--mutant", "bad-pong", NULL };
    struct outcome o;
    run_case(&script, EXEC, no_reset, NULL, 0, NULL, &o);
    assert_near(secs(o.seen.upgraded_ns[0], o.seen.closed_ns[0]), 0.6, TOL);
    assert_int_equal(o.exit_code, -1);
    outcome_free(&o);
    run_case(&script, EXEC, no_pong, NULL, 0, NULL, &o);
    assert_int_equal(o.seen.pongs, 0);
    outcome_free(&o);
}

static void mutants_break_what_they_say(void **state)
{
    (void)state;
    static const struct ms_script script = {
        .steps = { { { MS_OUT, "o", 0, 0, 0 }, { MS_EXIT, NULL, 0, 3, 0 } } },
    };
    const char *two[] = { refclient, FLAGS, "--mutant", "two-results", NULL };
    const char *swap[] = { refclient, FLAGS, "--mutant", "swap-streams", NULL };
    struct outcome o;
    run_case(&script, EXEC, two, NULL, 0, NULL, &o);
    assert_int_equal(cr_count(&o.run, "result"), 2);
    outcome_free(&o);
    run_case(&script, EXEC, swap, NULL, 0, NULL, &o);
    assert_int_equal(cr_count(&o.run, "stdout"), 0);
    assert_int_equal(cr_count(&o.run, "stderr"), 1);
    outcome_free(&o);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s REFCLIENT [GLOB|-GLOB]\n", argv[0]);
        return 2;
    }
    refclient = argv[1];
    bc_case_filter(argc > 2 ? argv[2] : NULL);  /* the ping cases beside the rest */
    const struct CMUnitTest tests[] = {
        bc_timed_test(exit_frame_gives_result_and_output),
        bc_timed_test(raw_bytes_pass_unchanged),
        bc_timed_test(unknown_frames_are_ignored),
        bc_timed_test(stdin_goes_out_then_eof),
        bc_timed_test(silent_server_hits_first_frame_then_gone),
        bc_timed_test(first_frame_accelerated_by_faketime),
        bc_timed_test(close_without_exit_falls_back_to_probe),
        bc_timed_test(pings_keep_an_idle_session_alive),
        bc_timed_test(a_ping_as_first_frame_counts),
        bc_timed_test(reconnect_keeps_stdin_and_resends_eof),
        bc_timed_test(rejected_reconnects_double_then_succeed),
        bc_timed_test(budget_spent_gives_minus_one_with_cause),
        bc_timed_test(attach_refusals_fail_at_attach_time),
        bc_timed_test(readonly_query_survives_reconnect),
        bc_timed_test(hung_upgrade_times_out),
        bc_timed_test(reset_falls_back_to_probe),
        bc_timed_test(ping_mutants_show_their_fault),
        bc_timed_test(mutants_break_what_they_say),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
