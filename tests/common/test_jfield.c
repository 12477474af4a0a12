#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "jfield.h"

static const char text[] = "{\"a\": [\"x\", {\"b\": -3}],\n \"s\": \"aGk=\"}";

static bc_jctx ctx_for(char *err, size_t n) {
    return (bc_jctx){ .file = "f.json", .text = text, .len = strlen(text), .err = err,
                      .errlen = n };
}

static void test_base64(void **state) {
    static const struct { const char *in; int rc; const char *out; size_t len; } cases[] = {
        { "", 1, "", 0 },           { "aGk=", 1, "hi", 2 },  { "AA==", 1, "\0", 1 },
        { "/w==", 1, "\xff", 1 },   { "aGk", -1, NULL, 0 },  { "a$k=", -1, NULL, 0 },
        { "a===", -1, NULL, 0 },    { "aG-_", -1, NULL, 0 },
    };
    char err[256];
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bc_jctx c = ctx_for(err, sizeof err);
        bc_bytes b = { 0 };
        json_t *v = json_string(cases[i].in);
        assert_int_equal(bc_jval_b64(&c, v, &b), cases[i].rc);
        if (cases[i].rc == 1) {
            assert_int_equal(b.len, cases[i].len);
            assert_memory_equal(b.data, cases[i].out, cases[i].len);
            assert_int_equal(b.data[b.len], 0);
        } else {
            assert_null(b.data);
            assert_non_null(strstr(err, "expected base64"));
        }
        free(b.data);
        json_decref(v);
    }
}

static void test_errors_point_at_the_current_path(void **state) {
    char err[256];
    bc_jctx c = ctx_for(err, sizeof err);
    int out;
    (void)state;
    bc_jctx_key(&c, "a");
    bc_jctx_index(&c, 1);
    json_t *obj = json_pack("{s:i}", "b", -3);
    assert_int_equal(bc_jget_int(&c, obj, "b", 0, 9, &out), -1);
    assert_string_equal(err, "f.json:1:19: expected an integer from 0 to 9, got -3");
    json_decref(obj);
}

static void test_key_errors_point_at_the_key(void **state) {
    char err[256];
    bc_jctx c = ctx_for(err, sizeof err);
    json_t *root = json_loads(text, 0, NULL);
    (void)state;
    assert_int_equal(bc_jctx_known_keys(&c, root, "root", BC_JKEYS("a")), -1);
    assert_string_equal(err, "f.json:2:2: expected a key of root (a), got \"s\"");
    json_decref(root);
}

static void test_describe(void **state) {
    char buf[64];
    (void)state;
    json_t *v = json_string("0123456789012345678901234567890123456789012345");
    assert_string_equal(bc_jdescribe(v, buf, sizeof buf),
                        "\"01234567890123456789012345678901234...\"");
    json_decref(v);
    v = json_real(1.5);
    assert_string_equal(bc_jdescribe(v, buf, sizeof buf), "1.5");
    json_decref(v);
    v = json_array();
    assert_string_equal(bc_jdescribe(v, buf, sizeof buf), "an array");
    json_decref(v);
}

static void test_at_most_one_reports_the_second(void **state) {
    char err[256];
    bc_jctx c = ctx_for(err, sizeof err);
    json_t *root = json_loads(text, 0, NULL);
    (void)state;
    assert_int_equal(bc_jctx_at_most_one(&c, root, BC_JKEYS("s", "zz")), 0);
    assert_int_equal(bc_jctx_at_most_one(&c, root, BC_JKEYS("s", "a")), -1);
    assert_string_equal(err, "f.json:2:2: expected only one of these keys, got \"s\" with \"a\"");
    json_decref(root);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base64),
        cmocka_unit_test(test_errors_point_at_the_current_path),
        cmocka_unit_test(test_key_errors_point_at_the_key),
        cmocka_unit_test(test_describe),
        cmocka_unit_test(test_at_most_one_reports_the_second),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
