/* test_event_line.c - adapter lines as events: valid JSON is never dropped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "event_line.h"
#include "jbig.h"

static json_t *line(const char *text, bool *ends) {
    json_t *v = bc_event_line(text, 1.5, ends);
    assert_non_null(v);
    assert_null(json_object_get(v, "invalid"));
    return v;
}

/* JavaScript prints 2^64 as 18446744073709552000: past u64, still JSON. The
 * value is kept (a real), the small integers beside it stay integers. */
static void integer_past_u64_is_a_real(void **state) {
    (void)state;
    bool ends;
    json_t *v = line("{\"event\":\"value\",\"value\":{\"big\":18446744073709552000,\"one\":1,"
                     "\"list\":[2,3.5]}}", &ends);
    const json_t *value = json_object_get(v, "value");
    assert_true(json_is_real(json_object_get(value, "big")));
    assert_true(json_is_integer(json_object_get(value, "one")));
    assert_true(json_is_integer(json_array_get(json_object_get(value, "list"), 0)));
    assert_true(json_is_real(json_array_get(json_object_get(value, "list"), 1)));
    assert_false(ends);
    json_decref(v);
}

/* A u64 up to 2^64-1 stays exact. */
static void u64_stays_exact(void **state) {
    (void)state;
    bool ends;
    uint64_t u;
    json_t *v = line("{\"event\":\"value\",\"value\":{\"n\":18446744073709551615}}", &ends);
    assert_true(bc_jbig_u64(json_object_get(json_object_get(v, "value"), "n"), &u));
    assert_true(u == UINT64_MAX);
    json_decref(v);
}

/* \u0000 in a message (a server's NUL bytes quoted) is valid JSON. */
static void nul_in_a_string_is_kept(void **state) {
    (void)state;
    bool ends;
    json_t *v = line("{\"event\":\"error\",\"kind\":\"storage\",\"message\":\"nul\\u0000.txt\"}", &ends);
    assert_true(ends);
    assert_string_equal(json_string_value(json_object_get(v, "kind")), "storage");
    json_decref(v);
}

static void not_json_is_a_log(void **state) {
    (void)state;
    bool ends;
    json_t *v = bc_event_line("not json", 0, &ends);
    assert_true(json_is_true(json_object_get(v, "invalid")));
    assert_false(ends);
    json_decref(v);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(integer_past_u64_is_a_real),
        cmocka_unit_test(u64_stays_exact),
        cmocka_unit_test(nul_in_a_string_is_kept),
        cmocka_unit_test(not_json_is_a_log),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
