/* Markdown: a verdict line, the counts, each failure with its explanation
 * and figures, the timing table; run text cannot open a cell or a tag. */
#include "rt.h"

static void summary(void **state) {
    (void)state;
    json_t *doc = rt_fixture("run-a.json");
    char *m = rt_render(bc_report_markdown, doc);
    assert_non_null(strstr(m, "### boxconform: FAILED\n"));
    assert_non_null(strstr(m, "4 of 11 checks failing"));
    assert_non_null(strstr(m, "| refclient | 4 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 11 |\n"));
    assert_non_null(strstr(m, "- **FAIL** fallback-after-watchdog **TIME-WATCHDOG**: dropped the "
                              "connection after the last frame in 60.06 s; expected 45 s "
                              "-1.15/+3.25 s (measured 60.06, expected 45)\n"));
    assert_non_null(strstr(m, "- **HUNG** hung-after-rst"));
    assert_non_null(strstr(m, "| fallback-after-watchdog | TIME-WATCHDOG | FAIL | 60.06 | 45 | +15.06 |\n"));
    json_decref(doc);
    free(m);
}

static void escaped(void **state) {
    (void)state;
    json_t *doc = rt_fixture("run-a.json");
    char *m = rt_render(bc_report_markdown, doc);
    assert_null(strstr(m, "<script>"));
    assert_non_null(strstr(m, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; \"quotes\" \\| pipe \\]\\]&gt;"));
    json_decref(doc);
    free(m);
}

static void passing_run(void **state) {
    (void)state;
    json_t *doc = rt_fixture("run-node.json");
    json_object_set_new(doc, "results", json_pack("[{s:s,s:s,s:s,s:s,s:n}]", "scenario", "a",
                                                  "contract", "WIRE-OUT", "verdict", "PASS",
                                                  "message", "ok", "measured"));
    char *m = rt_render(bc_report_markdown, doc);
    assert_non_null(strstr(m, "### boxconform: passed\n"));
    assert_null(strstr(m, "#### Failures"));
    assert_null(strstr(m, "<details>"));
    json_decref(doc);
    free(m);
}

/* A run's gate: the moves away from PASS against the baseline and the
 * UNSUPPORTED no profile declares come first, above the counts; a run that
 * judged nothing says so; the headline follows the gate. */
static void gate_first(void **state) {
    (void)state;
    json_t *doc = rt_fixture("run-a.json");
    json_object_set_new(doc, "gate", json_pack(
        "{s:i,s:b,s:i,s:i,s:[{s:s,s:s,s:s,s:s,s:s,s:s},{s:s,s:s,s:s,s:n,s:s,s:s},"
        "{s:s,s:s,s:s,s:s,s:s,s:s}]}",
        "status", 1, "baseline", 1, "results", 11, "judged", 9, "failing",
        "scenario", "hello-exit", "contract", "WIRE-OUT", "verdict", "UNSUPPORTED", "baseline",
        "PASS", "message", "the adapter cannot do this: no exec", "why", "regression",
        "scenario", "attach-busy-409", "contract", "ATTACH-BUSY", "verdict", "UNSUPPORTED",
        "baseline", "message", "no attach", "why", "undeclared",
        "scenario", "fallback-after-watchdog", "contract", "TIME-WATCHDOG", "verdict", "FAIL",
        "baseline", "FAIL", "message", "late", "why", "failure"));
    char *m = rt_render(bc_report_markdown, doc);
    const char *moved = strstr(m, "#### Regressions against the baseline\n\n- **PASS -> "
                                  "UNSUPPORTED** hello-exit **WIRE-OUT**: the adapter cannot "
                                  "do this: no exec\n- **UNSUPPORTED** (not declared by the "
                                  "profile) attach-busy-409 **ATTACH-BUSY**: no attach\n\n");
    assert_non_null(moved);
    assert_true(moved < strstr(m, "| client"));
    assert_null(strstr(m, "**FAIL -> FAIL**"));
    json_decref(doc);
    free(m);
    /* a passing gate forgives the known failures the counts still show */
    doc = rt_fixture("run-a.json");
    json_object_set_new(doc, "gate", json_pack("{s:i,s:b,s:[]}", "status", 0, "baseline", 1,
                                               "failing"));
    m = rt_render(bc_report_markdown, doc);
    assert_non_null(strstr(m, "### boxconform: passed\n"));
    assert_null(strstr(m, "#### Regressions"));
    json_decref(doc);
    free(m);
    doc = rt_fixture("run-node.json");
    json_object_set_new(doc, "gate", json_pack("{s:i,s:b,s:s,s:[]}", "status", 2, "baseline", 0,
                                               "nothing", "nothing was judged: all 6 results "
                                               "are UNSUPPORTED or ERROR", "failing"));
    m = rt_render(bc_report_markdown, doc);
    assert_non_null(strstr(m, "### boxconform: FAILED\n\n**nothing was judged: all 6 results "
                              "are UNSUPPORTED or ERROR**: this run tested nothing.\n"));
    json_decref(doc);
    free(m);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(summary), cmocka_unit_test(escaped), cmocka_unit_test(passing_run),
        cmocka_unit_test(gate_first),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
