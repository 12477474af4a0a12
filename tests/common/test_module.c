/* test_module.c - modules beside the executable (common/module.h): found,
 * or the process ends 70 with the file and the reason named. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "module.h"

#define FIXTURE "test_module_fixture.so"

static void symbol_of_the_module_beside(void **state) {
    (void)state;
    const int *answer = bc_module_symbol(FIXTURE, "bc_fixture_answer");
    assert_non_null(answer);
    assert_int_equal(*answer, 42);
}

/* Run bc_module_symbol(file, symbol) in a child: its exit status, and its
 * stderr in why. */
static int status_of_loading(const char *file, const char *symbol, char *why, size_t len) {
    int err[2];
    assert_int_equal(pipe(err), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(err[1], 2);
        bc_module_symbol(file, symbol);
        _exit(0);
    }
    close(err[1]);
    ssize_t n = read(err[0], why, len - 1);
    why[n > 0 ? n : 0] = 0;
    close(err[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void a_missing_module_is_named(void **state) {
    (void)state;
    char why[1024];
    assert_int_equal(status_of_loading("no-such-module.so", "x", why, sizeof why), 70);
    assert_non_null(strstr(why, "cannot load "));
    assert_non_null(strstr(why, "/no-such-module.so"));
}

static void a_missing_symbol_is_named(void **state) {
    (void)state;
    char why[1024];
    assert_int_equal(status_of_loading(FIXTURE, "no_such_symbol", why, sizeof why), 70);
    assert_non_null(strstr(why, FIXTURE));
    assert_non_null(strstr(why, "no_such_symbol"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(symbol_of_the_module_beside),
        cmocka_unit_test(a_missing_module_is_named),
        cmocka_unit_test(a_missing_symbol_is_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
