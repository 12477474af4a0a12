/* test_child.c - what a started child gets (child.c): the environment with
 * the additions, the default signal dispositions and no blocked signal
 * whatever its parent set, and when the exec fails, the errno and a message
 * in its stderr file. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "child.h"

/* argv's stdout, whole, and its exit status. */
static char *output_of(char *const argv[], char *const env_add[], const char *stderr_path,
                       int *status) {
    bc_child c;
    assert_int_equal(bc_child_start(&c, argv, env_add, false, true, stderr_path, NULL), 0);
    static char out[8192];
    size_t n = 0;
    ssize_t got;
    while (n < sizeof out - 1 && (got = read(c.out, out + n, sizeof out - 1 - n)) > 0)
        n += (size_t)got;
    out[n] = 0;
    while (!bc_child_poll(&c)) usleep(1000);
    *status = c.status;
    bc_child_stop(&c, SIGKILL, 0);
    return out;
}

static void environment_has_the_additions(void **state) {
    (void)state;
    setenv("BC_TEST_KEPT", "kept", 1);
    setenv("BC_TEST_CHANGED", "old", 1);
    setenv("BC_TEST_GONE", "inherited", 1);
    char *argv[] = { "/bin/sh", "-c",
                     "echo \"$BC_TEST_KEPT|$BC_TEST_CHANGED|${BC_TEST_GONE-unset}|$BC_TEST_NEW\"",
                     NULL };
    char *env_add[] = { "BC_TEST_CHANGED=new", "BC_TEST_GONE", "BC_TEST_NEW=a=b", NULL };
    int status;
    assert_string_equal(output_of(argv, env_add, "/dev/null", &status), "kept|new|unset|a=b\n");
    assert_int_equal(status, 0);
    /* the parent's own environment is untouched */
    assert_string_equal(getenv("BC_TEST_CHANGED"), "old");
    assert_string_equal(getenv("BC_TEST_GONE"), "inherited");
    assert_null(getenv("BC_TEST_NEW"));
}

static const char *status_line(const char *status, const char *name) {
    const char *line = strstr(status, name);
    assert_non_null(line);
    return line + strlen(name);
}

static void signals_are_the_defaults(void **state) {
    (void)state;
    struct sigaction handled = { .sa_handler = SIG_IGN };
    sigaction(SIGPIPE, &handled, NULL);                 /* as the harness does */
    sigset_t usr2, old;
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    sigprocmask(SIG_BLOCK, &usr2, &old);
    char *argv[] = { "cat", "/proc/self/status", NULL };
    int status;
    const char *out = output_of(argv, NULL, "/dev/null", &status);
    assert_int_equal(strncmp(status_line(out, "SigIgn:\t"), "0000000000000000", 16), 0);
    /* the parent's mask is the child's (as across a fork), none of its own */
    char want[32];
    snprintf(want, sizeof want, "%016llx", 1ULL << (SIGUSR2 - 1));
    assert_int_equal(strncmp(status_line(out, "SigBlk:\t"), want, 16), 0);
    sigprocmask(SIG_SETMASK, &old, NULL);
    signal(SIGPIPE, SIG_DFL);
}

static void a_failed_exec_is_errno_and_a_message(void **state) {
    (void)state;
    char log[] = "/tmp/test_child-XXXXXX";
    int fd = mkstemp(log);
    assert_true(fd >= 0);
    bc_child c;
    char *argv[] = { "/nonexistent/program", NULL };
    assert_int_equal(bc_child_start(&c, argv, NULL, true, true, log, NULL), -1);
    assert_int_equal(errno, ENOENT);
    assert_true(c.exec_failed);
    char text[256] = { 0 };
    assert_true(read(fd, text, sizeof text - 1) > 0);
    assert_string_equal(text, "cannot run /nonexistent/program: No such file or directory\n");
    close(fd);
    unlink(log);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(environment_has_the_additions),
        cmocka_unit_test(signals_are_the_defaults),
        cmocka_unit_test(a_failed_exec_is_errno_and_a_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
