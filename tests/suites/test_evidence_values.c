/* suites/evidence_calls.c's value queries on hand-made evidence: exact u64
 * numbers and the comparison a METRICS-MAP-like check relies on (a big
 * integer rounded through a double is not the same value). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "evidence.h"
#include "jbig.h"

static json_t *parse(const char *text) {
    json_t *v = bc_jbig_loads(text, JSON_DECODE_ANY, NULL);
    assert_non_null(v);
    return v;
}

static void same(const char *a, const char *b, bool want) {
    json_t *x = parse(a), *y = parse(b);
    if (bc_ev_same_value(x, y) != want) fail_msg("%s vs %s: expected %s", a, b, want ? "same" : "different");
    json_decref(x);
    json_decref(y);
}

static void exact_numbers(void **state) {
    (void)state;
    same("18446744073709551615", "18446744073709551615", true);
    same("18446744073709551615", "18446744073709551614", false);
    same("9007199254740993", "9007199254740992.0", false);   /* 2^53+1 rounded */
    same("9007199254740992", "9007199254740992.0", true);
    same("3", "3.0", true);
    same("3", "3.5", false);
    same("-1", "18446744073709551615", false);
    same("{\"a\": [1, 18446744073709551615], \"b\": null}",
         "{\"b\": null, \"a\": [1.0, 18446744073709551615]}", true);
    same("{\"a\": 1}", "{\"a\": 1, \"b\": 2}", false);
    same("\"1\"", "1", false);
    same("null", "null", true);
}

static void u64_reads(void **state) {
    (void)state;
    uint64_t v = 0;
    json_t *big = parse("18446744073709551615"), *neg = parse("-5"), *real = parse("5.0");
    assert_true(bc_ev_u64(big, &v));
    assert_true(v == UINT64_MAX);
    assert_false(bc_ev_u64(neg, &v));
    assert_false(bc_ev_u64(real, &v));
    json_decref(big);
    json_decref(neg);
    json_decref(real);
}

static void values_and_calls_in_order(void **state) {
    (void)state;
    bc_evidence ev;
    bc_ev_init(&ev);
    json_array_append_new(ev.events, parse("{\"event\":\"value\",\"value\":{\"n\":18446744073709551615},\"t\":1}"));
    json_array_append_new(ev.events, parse("{\"event\":\"stdout\",\"data_b64\":\"\",\"t\":2}"));
    json_array_append_new(ev.events, parse("{\"event\":\"value\",\"value\":null,\"t\":3}"));
    json_array_append_new(ev.journal, parse("{\"ev\":\"http_request\",\"conn\":1,\"req\":1,\"endpoint\":\"files_get\","
        "\"query_params\":[[\"path\",\"/a b+c\"]],\"headers\":[[\"Authorization\",\"x\"]],\"t\":1}"));
    json_array_append_new(ev.journal, parse("{\"ev\":\"http_response\",\"conn\":1,\"req\":1,\"status\":200,"
        "\"body\":\"{\\\"k\\\":18446744073709551615}\",\"t\":1.5}"));
    assert_int_equal(bc_ev_value_count(&ev), 2);
    assert_true(json_is_null(bc_ev_value(&ev, 2)));
    assert_null(bc_ev_value(&ev, 3));
    uint64_t n;
    assert_true(bc_ev_u64(json_object_get(bc_ev_value(&ev, 1), "n"), &n) && n == UINT64_MAX);
    const json_t *req = bc_ev_call(&ev, "files_get", 1);
    assert_non_null(req);
    assert_null(bc_ev_call(&ev, "files_get", 2));
    assert_int_equal(bc_ev_call_count(&ev, NULL), 1);
    assert_string_equal(bc_ev_query_param(req, "path"), "/a b+c");
    assert_string_equal(bc_ev_header(req, "authorization"), "x");
    json_t *body = bc_ev_body_json(bc_ev_answer(&ev, req));
    assert_true(bc_ev_same_value(json_object_get(body, "k"), json_object_get(bc_ev_value(&ev, 1), "n")));
    json_decref(body);
    bc_ev_free(&ev);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exact_numbers),
        cmocka_unit_test(u64_reads),
        cmocka_unit_test(values_and_calls_in_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
