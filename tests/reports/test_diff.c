/* diff: regressions (any move away from PASS the old run did not have),
 * improvements, drift beyond the tolerance only, added and removed results,
 * a new run that judged nothing, and the exit status the CLI returns. */
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
    const json_t *e = only(rep, "regressions", 1);
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
    const char *lists[] = { "regressions", "newly_passing", "drift", "added", "removed" };
    for (size_t i = 0; i < 5; i++) only(rep, lists[i], 0);
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
    assert_non_null(strstr(text, "REGRESSION     hello-exit WIRE-EXIT: PASS -> FAIL (measured - -> -) exit code 3, expected 0\n"));
    assert_non_null(strstr(text, "drift          fallback-after-watchdog TIME-WATCHDOG: FAIL -> PASS (measured 60.06 -> 45.31)"));
    assert_non_null(strstr(text, "REGRESSED: 1 regressions, 2 newly passing, 2 drifted beyond 0.5, 1 added, 1 removed\n"));
    assert_non_null(strstr(text, "no regression: 0 regressions"));
    free(text);
    snprintf(cur, sizeof cur, "%s/bad-junit.xml", BC_FIXTURES);
    assert_int_equal(bc_diff_files(old, cur, 0.5, stdout, err, sizeof err), 2);
    assert_non_null(strstr(err, "bad-junit.xml:1:"));
}

/* doc with every verdict of its results set to v. */
static json_t *all_verdicts(const char *name, const char *v) {
    json_t *doc = rt_fixture(name), *r;
    size_t i;
    json_array_foreach(json_object_get(doc, "results"), i, r)
        json_object_set_new(r, "verdict", json_string(v));
    return doc;
}

/* From PASS to any other verdict is a regression, to UNSUPPORTED as much as
 * to FAIL; a verdict the old run already had is not; a change between two
 * failing verdicts is. */
static void any_move_away_from_pass(void **state) {
    (void)state;
    const char *others[] = { "UNSUPPORTED", "NON-STRICT", "INFORMATIONAL", "ERROR", "FAIL",
                             "CRASHED", "HUNG" };
    json_t *pass = all_verdicts("run-a.json", "PASS");
    size_t n = json_array_size(json_object_get(pass, "results"));
    for (size_t i = 0; i < 7; i++) {
        json_t *other = all_verdicts("run-a.json", others[i]);
        json_t *rep = bc_diff(pass, other, 1.0);
        assert_true(bc_diff_regressed(rep));
        const json_t *e = only(rep, "regressions", n);
        assert_string_equal(bc_report_str(e, "old", ""), "PASS");
        assert_string_equal(bc_report_str(e, "new", ""), others[i]);
        json_decref(rep);
        rep = bc_diff(other, other, 1.0); /* the old run had it: not a regression... */
        only(rep, "regressions", 0);
        /* ...but a run that judged nothing is never a pass */
        bool judged = strcmp(others[i], "UNSUPPORTED") && strcmp(others[i], "ERROR");
        assert_int_equal(bc_diff_regressed(rep), !judged);
        json_decref(rep);
        json_decref(other);
    }
    json_t *fail = all_verdicts("run-a.json", "FAIL"), *hung = all_verdicts("run-a.json", "HUNG");
    json_t *rep = bc_diff(fail, hung, 1.0);
    only(rep, "regressions", n);
    json_decref(rep);
    json_decref(fail);
    json_decref(hung);
    json_decref(pass);
}

/* A new run without results judged nothing: regressed. */
static void empty_new_run(void **state) {
    (void)state;
    json_t *a = rt_fixture("run-a.json"), *empty = rt_fixture("run-a.json");
    json_object_set_new(empty, "results", json_array());
    json_t *rep = bc_diff(a, empty, 1.0);
    assert_true(bc_diff_regressed(rep));
    only(rep, "regressions", 0);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    bc_diff_text(f, rep);
    fclose(f);
    assert_non_null(strstr(text, "REGRESSION     the new run judged nothing"));
    assert_non_null(strstr(text, "REGRESSED: 0 regressions"));
    free(text);
    json_decref(rep);
    json_decref(a);
    json_decref(empty);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(regressed_improved_drift), cmocka_unit_test(same_run_no_regression),
        cmocka_unit_test(text_and_exit_status), cmocka_unit_test(any_move_away_from_pass),
        cmocka_unit_test(empty_new_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
