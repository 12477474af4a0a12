#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "jbig.h"

#define MAX_U64 "18446744073709551615"

/* Load then dump compactly: the text must come back byte for byte. */
static void round_trips(const char *text) {
    json_error_t je;
    json_t *v = bc_jbig_loads(text, JSON_DECODE_ANY, &je);
    if (!v) fail_msg("%s: %s", text, je.text);
    char *out = bc_jbig_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    assert_string_equal(out, text);
    free(out);
    json_decref(v);
}

static void test_big_integers_round_trip(void **state) {
    (void)state;
    round_trips("{\"a\":" MAX_U64 ",\"b\":[9223372036854775808,1],\"c\":\"x\"}");
    round_trips(MAX_U64);
    round_trips("[" MAX_U64 "," MAX_U64 ",{\"k\":[" MAX_U64 "]}]");
    round_trips("{\"small\":9223372036854775807,\"neg\":-9223372036854775808}");
}

static void test_values_read_exactly(void **state) {
    (void)state;
    json_t *v = bc_jbig_loads("{\"max\":" MAX_U64 ",\"edge\":9223372036854775808,"
                              "\"int\":7,\"neg\":-1,\"s\":\"123\"}", 0, NULL);
    uint64_t n;
    assert_true(bc_jbig_u64(json_object_get(v, "max"), &n));
    assert_true(n == UINT64_MAX);
    assert_true(bc_jbig_is_big(json_object_get(v, "max")));
    assert_true(bc_jbig_u64(json_object_get(v, "edge"), &n));
    assert_true(n == (uint64_t)INT64_MAX + 1);
    assert_true(bc_jbig_u64(json_object_get(v, "int"), &n) && n == 7);
    assert_false(bc_jbig_is_big(json_object_get(v, "int")));
    assert_false(bc_jbig_u64(json_object_get(v, "neg"), &n));
    assert_false(bc_jbig_u64(json_object_get(v, "s"), &n)); /* a string of digits is text */
    /* equal markers are equal values */
    json_t *w = bc_jbig_loads("{\"max\":" MAX_U64 "}", 0, NULL);
    assert_true(json_equal(json_object_get(v, "max"), json_object_get(w, "max")));
    json_decref(w);
    json_decref(v);
}

static void test_new_values(void **state) {
    (void)state;
    json_t *small = bc_jbig_u64_new(INT64_MAX), *big = bc_jbig_u64_new(UINT64_MAX);
    assert_true(json_is_integer(small));
    assert_true(bc_jbig_is_big(big));
    json_t *doc = json_pack("[o,o]", small, big);
    char *text = bc_jbig_dumps(doc, JSON_COMPACT);
    assert_string_equal(text, "[9223372036854775807," MAX_U64 "]");
    /* plain jansson refuses the marker rather than writing it as text */
    assert_null(json_dumps(doc, JSON_COMPACT));
    free(text);
    json_decref(doc);
}

/* Refused as jansson refuses them, the position in the caller's text. */
static void test_out_of_range_refused(void **state) {
    static const struct { const char *text; int position; } cases[] = {
        { "{\"a\":18446744073709551616}", 25 },
        { "{\"a\":-9223372036854775809}", 25 },
        { "[1e999]", 6 },
        { "{\"a\":" MAX_U64 ",\"b\":99999999999999999999}", 50 },
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_error_t je;
        assert_null(bc_jbig_loads(cases[i].text, 0, &je));
        assert_int_equal(json_error_code(&je), json_error_numeric_overflow);
        assert_int_equal(je.position, cases[i].position);
    }
    json_error_t je, same;
    /* a syntax error after a big integer is placed in the original text:
     * where jansson places it after a small number of the same width */
    assert_null(bc_jbig_loads("{\"a\":" MAX_U64 ", x}", 0, &je));
    assert_null(json_loads("{\"a\":-1111111111111111111, x}", 0, &same));
    assert_int_equal(je.column, same.column);
    assert_int_equal(je.position, same.position);
}

/* A document holding the placeholder text itself is no number. */
static void test_placeholder_text_is_data(void **state) {
    (void)state;
    const char *text = "{\"fake\":\"\\u0001jbig0:5\",\"key\\u0001jbig1:\":1,\"real\":" MAX_U64 "}";
    json_t *v = bc_jbig_loads(text, 0, NULL);
    assert_non_null(v);
    assert_true(json_is_string(json_object_get(v, "fake")));
    assert_string_equal(json_string_value(json_object_get(v, "fake")), "\x01jbig0:5");
    assert_true(bc_jbig_is_big(json_object_get(v, "real")));
    char *out = bc_jbig_dumps(v, JSON_COMPACT);
    assert_string_equal(out, text);
    free(out);
    json_decref(v);
    /* a tree made in memory with such text dumps it as text */
    json_t *doc = json_pack("{s:s,s:o}", "s", "\x01jbig0:12", "n", bc_jbig_u64_new(UINT64_MAX));
    out = bc_jbig_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
    assert_string_equal(out, "{\"n\":" MAX_U64 ",\"s\":\"\\u0001jbig0:12\"}");
    free(out);
    json_decref(doc);
}

static void test_files(void **state) {
    (void)state;
    char path[] = "/tmp/test_jbig_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    json_t *doc = json_pack("{s:o}", "n", bc_jbig_u64_new(UINT64_MAX));
    assert_int_equal(bc_jbig_dump_file(doc, path, JSON_INDENT(1)), 0);
    json_error_t je;
    json_t *back = bc_jbig_load_file(path, 0, &je);
    assert_non_null(back);
    assert_true(json_equal(doc, back));
    json_decref(back);
    FILE *f = fopen(path, "w");
    fputs("[" MAX_U64 ",", f);
    fclose(f);
    assert_null(bc_jbig_load_file(path, 0, &je));
    assert_string_equal(je.source, path);
    unlink(path);
    json_decref(doc);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_big_integers_round_trip),
        cmocka_unit_test(test_values_read_exactly),
        cmocka_unit_test(test_new_values),
        cmocka_unit_test(test_out_of_range_refused),
        cmocka_unit_test(test_placeholder_text_is_data),
        cmocka_unit_test(test_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
