#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include <jansson.h>

#include "jpos.h"

#define K(k) { .key = (k) }
#define I(i) { .key = NULL, .index = (i) }

static const char doc[] =
    "{\n"
    "  \"a\": \"x}]\\\",\",\n"
    "  \"b\": [1, {\"c\": true},\n"
    "        [ ], \"\\u00e9\"],\n"
    "  \"\\u0064\": {\"e\":null}\n"
    "}\n";

static void expect_at(const bc_jpos_step *path, size_t depth, bc_jpos_what what,
                      int line, int column) {
    int l = 0, c = 0;
    assert_int_equal(bc_jpos_find(doc, strlen(doc), path, depth, what, &l, &c), 0);
    assert_int_equal(l, line);
    assert_int_equal(c, column);
}

/* jpos relies on jansson reporting how far a successful parse went. */
static void test_jansson_reports_position_on_success(void **state) {
    static const struct { const char *text; int end; } cases[] = {
        { "12}", 2 }, { "\"ab\" ,", 4 }, { "true]", 4 }, { "{\"a\":[1]} x", 9 },
        { "  -1.5e3,", 8 }, { "null", 4 },
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_error_t je;
        json_t *v = json_loadb(cases[i].text, strlen(cases[i].text),
                               JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK | JSON_ALLOW_NUL,
                               &je);
        assert_non_null(v);
        assert_int_equal(je.position, cases[i].end);
        json_decref(v);
    }
}

static void test_root_and_members(void **state) {
    (void)state;
    expect_at(NULL, 0, BC_JPOS_VALUE, 1, 1);
    bc_jpos_step a[] = { K("a") };
    expect_at(a, 1, BC_JPOS_VALUE, 2, 8);
    expect_at(a, 1, BC_JPOS_KEY, 2, 3);
}

/* Brackets, commas and quotes inside strings must not confuse the walk. */
static void test_skips_strings_with_structural_characters(void **state) {
    (void)state;
    bc_jpos_step b[] = { K("b") };
    expect_at(b, 1, BC_JPOS_VALUE, 3, 8);
    expect_at(b, 1, BC_JPOS_KEY, 3, 3);
}

static void test_array_elements_and_nesting(void **state) {
    (void)state;
    bc_jpos_step b0[] = { K("b"), I(0) }, b1c[] = { K("b"), I(1), K("c") },
                 b2[] = { K("b"), I(2) }, b3[] = { K("b"), I(3) };
    expect_at(b0, 2, BC_JPOS_VALUE, 3, 9);
    expect_at(b1c, 3, BC_JPOS_VALUE, 3, 18);
    expect_at(b1c, 3, BC_JPOS_KEY, 3, 13);
    expect_at(b2, 2, BC_JPOS_VALUE, 4, 9);
    expect_at(b3, 2, BC_JPOS_VALUE, 4, 14);
}

static void test_escaped_key_matches_decoded_name(void **state) {
    (void)state;
    bc_jpos_step de[] = { K("d"), K("e") };
    expect_at(de, 2, BC_JPOS_VALUE, 5, 18);
    expect_at(de, 2, BC_JPOS_KEY, 5, 14);
}

static void test_missing_paths(void **state) {
    int l, c;
    (void)state;
    bc_jpos_step nokey[] = { K("zz") }, past[] = { K("b"), I(4) },
                 into_scalar[] = { K("a"), K("x") }, empty_array[] = { K("b"), I(2), I(0) };
    assert_int_equal(bc_jpos_find(doc, strlen(doc), nokey, 1, BC_JPOS_VALUE, &l, &c), -1);
    assert_int_equal(bc_jpos_find(doc, strlen(doc), past, 2, BC_JPOS_VALUE, &l, &c), -1);
    assert_int_equal(bc_jpos_find(doc, strlen(doc), into_scalar, 2, BC_JPOS_VALUE, &l, &c), -1);
    assert_int_equal(bc_jpos_find(doc, strlen(doc), empty_array, 3, BC_JPOS_VALUE, &l, &c), -1);
}

/* One walk gives every element the position bc_jpos_find gives it alone. */
static void test_elements_in_one_walk(void **state) {
    bc_jpos_step b[] = { K("b") }, a[] = { K("a") };
    bc_jpos_at at[5];
    (void)state;
    assert_int_equal(bc_jpos_elements(doc, strlen(doc), b, 1, at, 4), 0);
    for (size_t i = 0; i < 4; i++) {
        bc_jpos_step bi[] = { K("b"), I(i) };
        expect_at(bi, 2, BC_JPOS_VALUE, at[i].line, at[i].column);
    }
    assert_int_equal(at[3].line, 4);
    assert_int_equal(at[3].column, 14);
    assert_int_equal(bc_jpos_elements(doc, strlen(doc), b, 1, at, 5), -1);  /* only 4 */
    assert_int_equal(bc_jpos_elements(doc, strlen(doc), a, 1, at, 1), -1);  /* a string */
}

static void test_columns_count_utf8_characters(void **state) {
    static const char text[] = "{\"\xc3\xa9\xc3\xa9\": [\"\xe2\x82\xac\", 7]}";
    int l = 0, c = 0;
    (void)state;
    bc_jpos_step p[] = { K("\xc3\xa9\xc3\xa9"), I(1) };
    assert_int_equal(bc_jpos_find(text, strlen(text), p, 2, BC_JPOS_VALUE, &l, &c), 0);
    assert_int_equal(l, 1);
    assert_int_equal(c, 14);
    bc_jpos_line_col(text, 2, &l, &c);
    assert_int_equal(c, 3);
    bc_jpos_line_col(text, 4, &l, &c);   /* past both bytes of the first e-acute */
    assert_int_equal(c, 4);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jansson_reports_position_on_success),
        cmocka_unit_test(test_root_and_members),
        cmocka_unit_test(test_skips_strings_with_structural_characters),
        cmocka_unit_test(test_array_elements_and_nesting),
        cmocka_unit_test(test_escaped_key_matches_decoded_name),
        cmocka_unit_test(test_missing_paths),
        cmocka_unit_test(test_elements_in_one_walk),
        cmocka_unit_test(test_columns_count_utf8_characters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
