/* diff: a regression, improvements, drift beyond the tolerance only, added
 * and removed results, and the exit status the CLI returns. */
#include "rt.h"

#include "diff.h"

static const json_t *only(const json_t *rep, const char *list, size_t n) {
    assert_int_equal(json_array_size(json_object_get(rep, list)), n);
    return json_array_get(json_object_get(rep, list), 0);
}

static void regressed_improved_drift(void **state) {
    (void)state;
    json_t *a = rt_fixture("run-a.json"), *b = rt_fixture("run-b.json");
    json_t *rep = bc_diff(a, b, 0.5);
    assert_true(bc_diff_regressed(rep));
    const json_t *e = only(rep, "newly_failing", 1);
    assert_string_equal(bc_report_str(e, "scenario", ""), "hello-exit");
    assert_string_equal(bc_report_str(e, "old", ""), "PASS");
    assert_string_equal(bc_report_str(e, "new", ""), "FAIL");
    assert_int_equal(json_array_size(json_object_get(rep, "newly_passing")), 2);
    only(rep, "drift", 2); /* 60.06 -> 45.31 and 0.0076 -> 0.9; 1 -> 1 is not */
    only(rep, "added", 1);
    e = only(rep, "removed", 1);
    assert_string_equal(bc_report_str(e, "scenario", ""), "hung-after-rst");
    json_decref(rep);
    rep = bc_diff(a, b, 1.0); /* the 0.89 s move is inside a wider tolerance */
    only(rep, "drift", 1);
    json_decref(rep);
    json_decref(a);
    json_decref(b);
}

static void same_run_no_regression(void **state) {
    (void)state;
    json_t *a = rt_fixture("run-a.json");
    json_t *rep = bc_diff(a, a, 0.0);
    assert_false(bc_diff_regressed(rep));
    const char *lists[] = { "newly_failing", "newly_passing", "changed", "drift", "added", "removed" };
    for (size_t i = 0; i < 6; i++) only(rep, lists[i], 0);
    json_decref(rep);
    json_decref(a);
}

static void text_and_exit_status(void **state) {
    (void)state;
    char old[1024], cur[1024], err[512], *text = NULL;
    size_t len = 0;
    snprintf(old, sizeof old, "%s/run-a.json", BC_FIXTURES);
    snprintf(cur, sizeof cur, "%s/run-b.json", BC_FIXTURES);
    FILE *f = open_memstream(&text, &len);
    assert_int_equal(bc_diff_files(old, cur, 0.5, f, err, sizeof err), 1);
    assert_int_equal(bc_diff_files(cur, old, 0.5, f, err, sizeof err), 1); /* 2 fail again */
    assert_int_equal(bc_diff_files(old, old, 0.5, f, err, sizeof err), 0);
    fclose(f);
    assert_non_null(strstr(text, "NEWLY FAILING  hello-exit WIRE-EXIT: PASS -> FAIL (measured - -> -) exit code 3, expected 0\n"));
    assert_non_null(strstr(text, "drift          fallback-after-watchdog TIME-WATCHDOG: FAIL -> PASS (measured 60.06 -> 45.31)"));
    assert_non_null(strstr(text, "REGRESSED: 1 newly failing, 2 newly passing, 0 changed, 2 drifted beyond 0.5, 1 added, 1 removed\n"));
    assert_non_null(strstr(text, "no regression: 0 newly failing"));
    free(text);
    snprintf(cur, sizeof cur, "%s/bad-junit.xml", BC_FIXTURES);
    assert_int_equal(bc_diff_files(old, cur, 0.5, stdout, err, sizeof err), 2);
    assert_non_null(strstr(err, "bad-junit.xml:1:"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(regressed_improved_drift), cmocka_unit_test(same_run_no_regression),
        cmocka_unit_test(text_and_exit_status),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
