/* merge: two clients side by side (the interop matrix), shards of one
 * client joined, a re-run shard replacing what it repeats. */
#include "rt.h"

#include "merge.h"

static void two_clients(void **state) {
    (void)state;
    json_t *docs[2] = { rt_fixture("run-a.json"), rt_fixture("run-node.json") };
    json_t *m = bc_merge(docs, 2);
    assert_string_equal(bc_report_str(m, "schema", ""), BC_RESULTS_SCHEMA);
    assert_int_equal(json_array_size(json_object_get(m, "clients")), 2);
    assert_int_equal(json_array_size(json_object_get(m, "results")), 17);
    assert_int_equal(json_array_size(json_object_get(m, "scenarios")), 11);
    assert_true(bc_report_multi_client(m));
    bc_report_counts c;
    bc_report_count(m, "node-sdk", &c);
    assert_int_equal(c.total, 6);
    assert_int_equal(c.n[1], 1);
    char *h = rt_render(bc_report_html, m);
    assert_non_null(strstr(h, "Contracts x clients"));
    assert_non_null(strstr(h, "<tr><th>RECOV-FALLBACK</th><td><span class=\"v v0\">PASS</span> 1/1</td>"
                              "<td><span class=\"v v1\">FAIL</span> 0/1</td></tr>"));
    free(h);
    json_decref(m);
    json_decref(docs[0]);
    json_decref(docs[1]);
}

static void shards_and_reruns(void **state) {
    (void)state;
    json_t *a = rt_fixture("run-a.json"), *b = rt_fixture("run-b.json");
    json_t *docs[2] = { a, b };
    json_t *m = bc_merge(docs, 2);
    assert_int_equal(json_array_size(json_object_get(m, "clients")), 1);
    assert_string_equal(bc_report_str(json_object_get(m, "client"), "name", ""), "refclient");
    assert_false(bc_report_multi_client(m));
    /* 11 of a, b repeats 10 of them and adds 1 */
    assert_int_equal(json_array_size(json_object_get(m, "results")), 12);
    const json_t *first = json_array_get(json_object_get(m, "results"), 0);
    assert_string_equal(bc_report_str(first, "verdict", ""), "PASS"); /* b's replaced a's */
    json_t *again = bc_merge(&m, 1); /* merging a merged document keeps it */
    assert_true(json_equal(json_object_get(again, "results"), json_object_get(m, "results")));
    json_decref(again);
    json_decref(m);
    json_decref(a);
    json_decref(b);
}

static void files(void **state) {
    (void)state;
    char a[1024], bad[1024], err[512];
    snprintf(a, sizeof a, "%s/run-a.json", BC_FIXTURES);
    snprintf(bad, sizeof bad, "%s/bad-junit.xml", BC_FIXTURES);
    const char *paths[2] = { a, bad };
    assert_int_equal(bc_merge_files(paths, 2, "/nonexistent/x.json", err, sizeof err), -1);
    assert_non_null(strstr(err, "bad-junit.xml:1:"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(two_clients), cmocka_unit_test(shards_and_reruns), cmocka_unit_test(files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
