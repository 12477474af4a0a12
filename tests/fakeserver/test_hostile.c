/* test_hostile.c - clients that misbehave must not crash or wedge the server:
 * garbage, an oversize frame, a slowloris request, hundreds of connections.
 * Afterwards GET /v1/config still answers. Also the CLI's refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "fs_testlib.h"

#define ATTACH "/v1/boxes/box-1/executions/e-1/attach"

static char buf[4096];
static const char *body;

static void still_serves(fst_server *s) {
    assert_int_equal(fst_http(s, "GET", "/v1/config", NULL, buf, sizeof buf, &body, 3000), 200);
}

static void garbage_bytes(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start(s, NULL, 1), 0);
    uint8_t g[8192];
    srand(11);
    for (size_t i = 0; i < sizeof g; i++) g[i] = (uint8_t)rand();
    g[0] = 0x01; /* not a method's first letter */
    int fd = fst_connect(s);
    fst_send(fd, g, sizeof g);
    char b[256];
    while (fst_recv(fd, b, sizeof b, 1000) > 0) {
    }
    close(fd);
    still_serves(s);
    json_t *j = fst_journal(s);
    assert_non_null(fst_find(j, "protocol_error", "what", "not an HTTP request", 1));
    json_decref(j);
}

static void oversize_frame(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start_server(s, "{\"execution_id\":\"e-1\",\"steps\":[{\"silence\":null}]}", 1, 1), 0);
    int fd;
    char head[2048];
    assert_int_equal(fst_ws_open(s, ATTACH, &fd, head, sizeof head, 2000), 101);
    /* Announce 2^62 bytes, send 2 MiB of them. */
    uint8_t h[14] = {0x82, 0xff, 0x40, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4};
    fst_send(fd, h, sizeof h);
    static uint8_t chunk[65536];
    for (int i = 0; i < 32; i++)
        if (fst_send(fd, chunk, sizeof chunk) < 0) break;
    close(fd);
    still_serves(s);
}

static void slowloris_request(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start(s, NULL, 1), 0);
    int fd = fst_connect(s);
    const char *part = "GET /v1/config HTTP/1.1\r\nHost: x\r\nX-Slow: ";
    fst_send(fd, part, strlen(part));
    for (int i = 0; i < 5; i++) {
        fst_send(fd, "a", 1);
        usleep(20000);
        still_serves(s); /* served while the slow one dangles */
    }
    /* A request line lws cannot parse is hung up on and journaled. */
    int bad = fst_connect(s);
    const char *junk = "HELLO\r\n\r\n";
    fst_send(bad, junk, strlen(junk));
    char b[256];
    while (fst_recv(bad, b, sizeof b, 2000) > 0) {
    }
    close(bad);
    close(fd);
    json_t *j = fst_wait_event(s, "protocol_error", "what", "closed before a complete HTTP request", 2000);
    assert_non_null(j);
    json_decref(j);
}

static void three_hundred_connections(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start(s, NULL, 1), 0);
    int fds[300];
    int open_count = 0;
    for (int i = 0; i < 300; i++) {
        fds[i] = fst_connect(s);
        if (fds[i] >= 0) open_count++;
        if (i % 3 == 0 && fds[i] >= 0) fst_send(fds[i], "GET /v1/con", 11);
    }
    assert_int_equal(open_count, 300);
    still_serves(s);
    json_t *j = fst_wait_event(s, "tcp_open", "conn", "301", 3000);
    assert_non_null(j);
    json_decref(j);
    for (int i = 0; i < 300; i++) close(fds[i]);
    still_serves(s);
}

static int run_cli(const char *arg1, const char *arg2) {
    pid_t pid = fork();
    if (pid == 0) {
        int devnull = open("/dev/null", 1);
        dup2(devnull, 2);
        dup2(devnull, 1);
        execl(FAKESERVER_BIN, "fakeserver", arg1, arg2, "--check", (char *)NULL);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void bad_scenario_is_refused_with_exit_2(void **state) {
    (void)state;
    char dir[] = "/tmp/fshostile.XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/t.json", dir);
    FILE *f = fopen(path, "w");
    fputs("{\"info\":{\"id\":\"t\",\"title\":\"x\",\"contracts\":[\"WIRE-OUT\"]},\n"
          " \"server\":{\"nonsense\":1},\"verify\":{\"WIRE-OUT\":{}}}", f);
    fclose(f);
    assert_int_equal(run_cli("--scenario", path), 2);
    f = fopen(path, "w");
    fputs("{\"info\":{\"id\":\"t\",\"title\":\"x\",\"contracts\":[\"WIRE-OUT\"]},"
          "\"server\":{\"steps\":[{\"out\":\"x\"}]},\"verify\":{\"WIRE-OUT\":{}}}", f);
    fclose(f);
    assert_int_equal(run_cli("--scenario", path), 0);
    assert_int_equal(run_cli("--time-scale", "0"), 2);
    unlink(path);
    rmdir(dir);
}

static void origin_and_scale_set_the_journal_axis(void **state) {
    (void)state;
    char dir[] = "/tmp/fsorigin.XXXXXX", journal[64], origin[32], line[128] = "";
    assert_non_null(mkdtemp(dir));
    snprintf(journal, sizeof journal, "%s/j.jsonl", dir);
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    /* An origin 1 s in the past at K=10 puts "listen" near t = 10. */
    snprintf(origin, sizeof origin, "%lld", (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec - 1000000000LL);
    int out[2];
    assert_int_equal(pipe(out), 0);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(out[1], 1);
        close(out[0]);
        execl(FAKESERVER_BIN, "fakeserver", "--journal", journal, "--time-scale", "10",
              "--origin-ns", origin, (char *)NULL);
        _exit(127);
    }
    close(out[1]);
    FILE *f = fdopen(out[0], "r");
    assert_non_null(fgets(line, sizeof line, f));
    fclose(f);
    assert_int_equal(strncmp(line, "http://127.0.0.1:", 17), 0);
    kill(pid, SIGTERM);
    int status;
    waitpid(pid, &status, 0);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    fst_server fake = {0};
    snprintf(fake.journal, sizeof fake.journal, "%s", journal);
    json_t *j = fst_journal(&fake);
    json_t *l = fst_find(j, "listen", NULL, NULL, 1);
    assert_non_null(l);
    double t = json_real_value(json_object_get(l, "t"));
    assert_true(t > 9.9 && t < 13);
    assert_non_null(fst_find(j, "shutdown", NULL, NULL, 1));
    json_decref(j);
    unlink(journal);
    rmdir(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(garbage_bytes, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(oversize_frame, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(slowloris_request, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(three_hundred_connections, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(bad_scenario_is_refused_with_exit_2, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(origin_and_scale_set_the_journal_axis, fst_setup, fst_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
