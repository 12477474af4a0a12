/* JUnit: one testcase per scenario x contract, each verdict in its element,
 * the counts right, nothing from the run able to break the XML. */
#include "rt.h"

static void counts_and_elements(void **state) {
    (void)state;
    json_t *doc = rt_fixture("run-a.json");
    char *x = rt_render(bc_report_junit, doc);
    assert_non_null(strstr(x, "<testsuites name=\"boxconform\" tests=\"11\" failures=\"1\" "
                              "errors=\"3\" skipped=\"1\""));
    assert_int_equal(rt_count(x, "<testcase "), 11);
    assert_int_equal(rt_count(x, "<failure "), 1);
    assert_int_equal(rt_count(x, "<error "), 3);
    assert_int_equal(rt_count(x, "<skipped "), 1);
    assert_int_equal(rt_count(x, "<system-out>"), 2); /* NON-STRICT, INFORMATIONAL */
    assert_non_null(strstr(x, "classname=\"fallback-after-watchdog\" name=\"TIME-WATCHDOG\""));
    assert_non_null(strstr(x, "type=\"FAIL\">measured: 60.06; expected: 45\n"));
    assert_non_null(strstr(x, "<error message=\"RECOV-ONE-RESULT: no result by the deadline"));
    json_decref(doc);
    free(x);
}

static void escaped(void **state) {
    (void)state;
    json_t *doc = rt_fixture("run-a.json");
    char *x = rt_render(bc_report_junit, doc);
    assert_null(strstr(x, "<script>"));
    assert_null(strstr(x, "\x01"));
    assert_null(strstr(x, "\x07"));
    assert_non_null(strstr(x, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"));
    assert_non_null(strstr(x, "]]&gt; \xEF\xBF\xBD \xEF\xBF\xBD end")); /* U+0001, U+FFFE */
    assert_non_null(strstr(x, "<system-err>refclient: segfault at 0x0 &lt;boom&gt;"));
    json_decref(doc);
    free(x);
}

static void invalid_utf8_replaced(void **state) {
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    bc_report_xml(f, "a\xC3(b\xE2\x82\xACz\xF0\x9F\x98\x80\xED\xA0\x80\xC0\xAF");
    fclose(f);
    assert_string_equal(text, "a\xEF\xBF\xBD(b\xE2\x82\xACz\xF0\x9F\x98\x80"
                              "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    free(text);
}

static void one_suite_per_client(void **state) {
    (void)state;
    json_t *a = rt_fixture("run-a.json"), *b = rt_fixture("run-node.json");
    json_object_set_new(b, "results", json_pack("[{s:s,s:s,s:s,s:s,s:s}]", "scenario", "s",
                                                "contract", "WIRE-OUT", "verdict", "PASS",
                                                "message", "ok", "client", "node-sdk"));
    json_array_extend(json_object_get(a, "results"), json_object_get(b, "results"));
    char *x = rt_render(bc_report_junit, a);
    assert_int_equal(rt_count(x, "<testsuite "), 2);
    assert_non_null(strstr(x, "<testsuite name=\"node-sdk\" tests=\"1\""));
    assert_non_null(strstr(x, "<testsuites name=\"boxconform\" tests=\"12\""));
    json_decref(a);
    json_decref(b);
    free(x);
}

static void write_unknown_format(void **state) {
    (void)state;
    char err[256];
    json_t *doc = rt_fixture("run-a.json");
    assert_int_equal(bc_report_write("yaml", doc, "-", err, sizeof err), -1);
    assert_non_null(strstr(err, "unknown report format \"yaml\""));
    assert_int_equal(bc_report_write("junit", doc, "/nonexistent/dir/x.xml", err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent/dir/x.xml"));
    json_decref(doc);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(counts_and_elements), cmocka_unit_test(escaped),
        cmocka_unit_test(invalid_utf8_replaced), cmocka_unit_test(one_suite_per_client),
        cmocka_unit_test(write_unknown_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
