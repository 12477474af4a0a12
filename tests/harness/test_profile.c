/* profile: --client-cmd split without a shell unless it needs one; the
 * "unsupported" list read with positioned errors and matched as --filter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "profile.h"

static void direct_words(void **state) {
    (void)state;
    bc_profile p;
    char err[256];
    setenv("BC_TEST_WORD", "from env", 1);
    assert_int_equal(bc_profile_from_cmd("node 'my adapter.mjs' \"$BC_TEST_WORD\" x\\ y", &p,
                                         err, sizeof err), 0);
    assert_false(p.shell);
    assert_int_equal(p.argc, 4);
    assert_string_equal(p.argv[0], "node");
    assert_string_equal(p.argv[1], "my adapter.mjs");
    assert_string_equal(p.argv[2], "from env");
    assert_string_equal(p.argv[3], "x y");
    assert_null(p.argv[4]);
    const char *extra[] = { "--mutant", "m", NULL };
    bc_profile q;
    bc_profile_with_args(&p, extra, &q);
    assert_int_equal(q.argc, 6);
    assert_string_equal(q.argv[5], "m");
    bc_profile_free(&q);
    bc_profile_free(&p);
}

/* What only a shell can do keeps one: the command verbatim. */
static void shell_when_needed(void **state) {
    (void)state;
    const char *needs[] = { "cd /tmp && node a.mjs", "node a.mjs 2>/dev/null", "a | b",
                            "node $(which a)", "node `which a`", "NODE_OPTIONS=-x node a.mjs",
                            "a; b" };
    for (size_t i = 0; i < sizeof needs / sizeof needs[0]; i++) {
        bc_profile p;
        char err[256];
        assert_int_equal(bc_profile_from_cmd(needs[i], &p, err, sizeof err), 0);
        if (!p.shell) fail_msg("%s: started without a shell", needs[i]);
        assert_int_equal(p.argc, 3);
        assert_string_equal(p.argv[0], "/bin/sh");
        assert_string_equal(p.argv[2], needs[i]);
        const char *extra[] = { "--mutant", "m", NULL };
        bc_profile q;
        bc_profile_with_args(&p, extra, &q);
        assert_int_equal(q.argc, 3);
        assert_non_null(strstr(q.argv[2], " '--mutant' 'm'"));
        bc_profile_free(&q);
        bc_profile_free(&p);
    }
}

static void unparsable(void **state) {
    (void)state;
    bc_profile p;
    char err[256];
    assert_int_equal(bc_profile_from_cmd("node 'unbalanced", &p, err, sizeof err), -1);
    assert_non_null(strstr(err, "--client-cmd \"node 'unbalanced\": not a command a shell"));
    assert_int_equal(bc_profile_from_cmd("   ", &p, err, sizeof err), -1);
    assert_non_null(strstr(err, "an empty command"));
}

static char *write_profile(const char *text) {
    static char path[] = "/tmp/bc-test-profile-XXXXXX.json";
    strcpy(path, "/tmp/bc-test-profile-XXXXXX.json");
    int fd = mkstemps(path, 5);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

static int load(const char *text, bc_profile *p, char *err, size_t errlen) {
    char *path = write_profile(text);
    bc_profile_dirs dirs = { "/b", "/r", "/l" };
    int rc = bc_profile_load(path, "/nonexistent", &dirs, p, err, errlen);
    unlink(path);
    return rc;
}

static bc_scenario *scenario(const char *dir, const char *id) {
    char path[600], err[512];
    snprintf(path, sizeof path, "%s/%s.json", dir, id);
    bc_scenario *sc = NULL;
    if (bc_scenario_load(path, &sc, err, sizeof err) < 0) fail_msg("%s", err);
    return sc;
}

/* Matched as --filter: scenario id, keyword or contract ID, globs. */
static void unsupported_list(void **state) {
    (void)state;
    bc_profile p;
    char err[512];
    assert_int_equal(load("{\"name\":\"n\",\"command\":[\"x\"],\n \"unsupported\":[\"ATTACH-*\", "
                          "\"stdin\", \"wire-bytes-utf8-*\"]}", &p, err, sizeof err), 0);
    assert_int_equal(p.unsupported_count, 3);
    bc_scenario *by_contract = scenario(SUITE_SCENARIOS, "attach-gone-404");
    bc_scenario *by_keyword = scenario(SUITE_SCENARIOS, "stdin-cat-echo-exit-on-eof");
    bc_scenario *by_id = scenario(SUITE_SCENARIOS, "wire-bytes-utf8-split-across-frames");
    bc_scenario *none = scenario(TEST_SCENARIOS, "hello-exit");
    assert_true(bc_profile_declares_unsupported(&p, by_contract));
    assert_true(bc_profile_declares_unsupported(&p, by_keyword));
    assert_true(bc_profile_declares_unsupported(&p, by_id));
    assert_false(bc_profile_declares_unsupported(&p, none));
    json_t *j = bc_profile_json(&p);
    assert_string_equal(json_string_value(json_array_get(json_object_get(j, "unsupported"), 1)),
                        "stdin");
    json_decref(j);
    bc_profile copy;
    const char *extra[] = { NULL };
    bc_profile_with_args(&p, extra, &copy);
    assert_true(bc_profile_declares_unsupported(&copy, by_contract));
    bc_profile_free(&copy);
    bc_profile_free(&p);
    bc_scenario *all[] = { by_contract, by_keyword, by_id, none };
    for (size_t i = 0; i < 4; i++) bc_scenario_free(all[i]);
}

static void unsupported_errors(void **state) {
    (void)state;
    bc_profile p;
    char err[512];
    assert_int_equal(load("{\"name\":\"n\",\"command\":[\"x\"],\n \"unsupported\":\"attach\"}", &p,
                          err, sizeof err), -1);
    assert_non_null(strstr(err, ":2:16: expected \"unsupported\": an array"));
    assert_int_equal(load("{\"name\":\"n\",\"command\":[\"x\"],\n \"unsupported\":[\"a\", 3]}", &p,
                          err, sizeof err), -1);
    assert_non_null(strstr(err, ":2:22: expected a non-empty string"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(direct_words), cmocka_unit_test(shell_when_needed),
        cmocka_unit_test(unparsable), cmocka_unit_test(unsupported_list),
        cmocka_unit_test(unsupported_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
