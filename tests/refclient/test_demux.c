/* Frame demux and control-frame parsing (refclient/demux.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "demux.h"

static void binary_stdout_and_stderr(void **state)
{
    (void)state;
    const uint8_t out[] = { 1, 'h', 'i' }, err[] = { 2, 0xff };
    struct rc_chunk c = rc_demux_binary(out, sizeof(out));
    assert_int_equal(c.channel, RC_CH_STDOUT);
    assert_int_equal(c.len, 2);
    assert_memory_equal(c.data, "hi", 2);
    c = rc_demux_binary(err, sizeof(err));
    assert_int_equal(c.channel, RC_CH_STDERR);
    assert_int_equal(c.len, 1);
    assert_int_equal(c.data[0], 0xff);
}

static void binary_empty_and_unknown_channel(void **state)
{
    (void)state;
    const uint8_t odd[] = { 7, 'x' }, only_channel[] = { 1 };
    assert_int_equal(rc_demux_binary(odd, 0).channel, RC_CH_EMPTY);
    assert_int_equal(rc_demux_binary(odd, sizeof(odd)).channel, RC_CH_UNKNOWN);
    assert_int_equal(rc_demux_binary((const uint8_t *)"\0", 1).channel, RC_CH_UNKNOWN);
    struct rc_chunk c = rc_demux_binary(only_channel, 1);
    assert_int_equal(c.channel, RC_CH_STDOUT);
    assert_int_equal(c.len, 0);
}

static struct rc_control parse(const char *text)
{
    struct rc_control c;
    rc_control_parse(text, strlen(text), &c);
    return c;
}

static void exit_with_and_without_code(void **state)
{
    (void)state;
    struct rc_control c = parse("{\"type\":\"exit\",\"exit_code\":3}");
    assert_int_equal(c.kind, RC_CTL_EXIT);
    assert_int_equal(c.exit_code, 3);
    c = parse("{\"type\":\"exit\"}");
    assert_int_equal(c.kind, RC_CTL_EXIT);
    assert_int_equal(c.exit_code, -1);
    c = parse("{\"type\":\"exit\",\"exit_code\":\"3\"}");
    assert_int_equal(c.exit_code, -1);
    c = parse("{\"type\":\"exit\",\"exit_code\":null}");
    assert_int_equal(c.exit_code, -1);
    c = parse("{\"type\":\"exit\",\"exit_code\":-9}");
    assert_int_equal(c.exit_code, -9);
}

static void error_frame_keeps_message(void **state)
{
    (void)state;
    struct rc_control c = parse("{\"type\":\"error\",\"message\":\"disk full\"}");
    assert_int_equal(c.kind, RC_CTL_ERROR);
    assert_string_equal(c.message, "disk full");
    rc_control_clear(&c);
    assert_null(c.message);
    c = parse("{\"type\":\"error\"}");
    assert_int_equal(c.kind, RC_CTL_ERROR);
    assert_non_null(c.message);
    assert_true(strlen(c.message) > 0);
    rc_control_clear(&c);
}

static void unknown_and_non_json_are_unknown(void **state)
{
    (void)state;
    const char *cases[] = { "{\"type\":\"resize\"}", "not json", "", "[1,2]", "\"exit\"",
                            "{\"type\":7}", "{\"exit_code\":0}", "null" };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct rc_control c = parse(cases[i]);
        assert_int_equal(c.kind, RC_CTL_UNKNOWN);
        assert_null(c.message);
        assert_int_equal(c.json_null, strcmp(cases[i], "null") == 0);
    }
}

static void lossy_utf8_replaces_only_invalid(void **state)
{
    (void)state;
    size_t n;
    const uint8_t valid[] = { 'a', 0xC3, 0xA9 };            /* a, e-acute */
    uint8_t *out = rc_utf8_lossy(valid, sizeof(valid), &n);
    assert_int_equal(n, sizeof(valid));
    assert_memory_equal(out, valid, n);
    free(out);
    const uint8_t split[] = { 0xE2, 0x82 };                  /* half a euro sign */
    out = rc_utf8_lossy(split, sizeof(split), &n);
    const uint8_t two_fffd[] = { 0xEF, 0xBF, 0xBD, 0xEF, 0xBF, 0xBD };
    assert_int_equal(n, sizeof(two_fffd));
    assert_memory_equal(out, two_fffd, n);
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(binary_stdout_and_stderr),
        cmocka_unit_test(binary_empty_and_unknown_channel),
        cmocka_unit_test(exit_with_and_without_code),
        cmocka_unit_test(error_frame_keeps_message),
        cmocka_unit_test(unknown_and_non_json_are_unknown),
        cmocka_unit_test(lossy_utf8_replaces_only_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
