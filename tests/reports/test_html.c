/* HTML: self-contained, failing scenarios first and open, the timeline with
 * the window and the silence that explain a late watchdog, every run text
 * escaped, and a plain note where a document has no evidence. */
#include "rt.h"

static void structure(void **state) {
    (void)state;
    json_t *doc = rt_fixture("run-a.json");
    char *h = rt_render(bc_report_html, doc);
    assert_true(!strncmp(h, "<!DOCTYPE html>", 15));
    assert_non_null(strstr(h, "</body></html>\n"));
    assert_null(strstr(h, "<script"));
    assert_null(strstr(h, "src="));
    assert_null(strstr(h, "href="));
    assert_int_equal(rt_count(h, "<details class=\"sc\""), 8);
    assert_int_equal(rt_count(h, "<svg class=\"timeline\""), 1);
    /* the failing scenario comes first and open */
    char *first = strstr(h, "<details class=\"sc\"");
    assert_true(!strncmp(first, "<details class=\"sc\" id=\"s0\" open>", 33));
    assert_null(strstr(h, "Contracts x clients")); /* one client: no matrix */
    json_decref(doc);
    free(h);
}

static void timeline_explains_watchdog(void **state) {
    (void)state;
    json_t *doc = rt_fixture("run-a.json");
    char *h = rt_render(bc_report_html, doc);
    assert_non_null(strstr(h, "class=\"window\"><title>TIME-WATCHDOG expected 45.5..49.9 s"));
    assert_non_null(strstr(h, "silent 60.06 s"));
    assert_non_null(strstr(h, "client dropped fin at 61."));
    assert_non_null(strstr(h, ">probe 200<"));
    assert_non_null(strstr(h, "attempt 1 (upgraded)"));
    assert_non_null(strstr(h, "result exit 2"));
    assert_non_null(strstr(h, "<td>tests failed\\x0a</td>")); /* the wire log's payload */
    json_decref(doc);
    free(h);
}

static void escaped(void **state) {
    (void)state;
    json_t *doc = rt_fixture("run-a.json");
    char *h = rt_render(bc_report_html, doc);
    assert_null(strstr(h, "<script>"));
    assert_null(strstr(h, "<boom>"));
    assert_null(strstr(h, "<across>"));
    assert_null(strstr(h, "\x07"));
    assert_non_null(strstr(h, "&lt;across&gt; two frames &amp; &quot;more&quot;"));
    json_decref(doc);
    free(h);
}

static void without_evidence_or_windows(void **state) {
    (void)state;
    json_t *doc = rt_fixture("run-a.json");
    json_t *sc = json_array_get(json_object_get(doc, "scenarios"), 0);
    json_object_del(json_object_get(sc, "evidence"), "windows");
    char *h = rt_render(bc_report_html, doc);
    /* no windows: the profile's watchdog marks where the drop was due */
    assert_non_null(strstr(h, "watchdog 45 s: drop expected at 46.6"));
    free(h);
    json_object_del(sc, "evidence");
    h = rt_render(bc_report_html, doc);
    assert_null(strstr(h, "<svg"));
    assert_int_equal(rt_count(h, "No timeline: this results document carries no evidence"), 8);
    json_decref(doc);
    free(h);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(structure), cmocka_unit_test(timeline_explains_watchdog),
        cmocka_unit_test(escaped), cmocka_unit_test(without_evidence_or_windows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
