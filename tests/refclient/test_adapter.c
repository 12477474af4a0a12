/* Adapter protocol parsing (refclient/adapter.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "adapter.h"

static void exec_action_builds_request_body(void **state)
{
    (void)state;
    struct rc_action a;
    const char *why;
    assert_int_equal(rc_action_parse("{\"action\":\"exec\",\"box_id\":\"box-1\",\"command\":\"cat\","
                                     "\"args\":[],\"env\":{},\"tty\":false,"
                                     "\"timeout_seconds\":null,\"working_dir\":null}",
                                     &a, &why), 0);
    assert_string_equal(a.name, "exec");
    assert_string_equal(a.box_id, "box-1");
    assert_non_null(strstr(a.exec_body, "\"command\":\"cat\""));
    assert_null(strstr(a.exec_body, "box_id"));
    assert_null(strstr(a.exec_body, "working_dir"));
    rc_action_free(&a);
}

static void attach_action_and_errors(void **state)
{
    (void)state;
    struct rc_action a;
    const char *why;
    assert_int_equal(rc_action_parse("{\"action\":\"attach\",\"box_id\":\"b\","
                                     "\"execution_id\":\"e-1\",\"readonly\":true}", &a, &why), 0);
    assert_string_equal(a.name, "attach");
    assert_true(a.readonly);
    assert_string_equal(a.execution_id, "e-1");
    rc_action_free(&a);
    assert_int_equal(rc_action_parse("{\"action\":\"attach\",\"box_id\":\"b\"}", &a, &why), -1);
    assert_non_null(why);
    rc_action_free(&a);
    assert_int_equal(rc_action_parse("nope", &a, &why), -1);
    rc_action_free(&a);
    assert_int_equal(rc_action_parse(NULL, &a, &why), -1);
    rc_action_free(&a);
}

static void stdin_lines(void **state)
{
    (void)state;
    struct rc_stdin_op op;
    const char *data = "{\"op\":\"stdin\",\"data_b64\":\"aGVsbG8K\"}";
    assert_int_equal(rc_stdin_parse(data, strlen(data), &op), 0);
    assert_int_equal(op.kind, RC_STDIN_DATA);
    assert_int_equal(op.len, 6);
    assert_memory_equal(op.data, "hello\n", 6);
    rc_stdin_op_free(&op);
    const char *bin = "{\"op\":\"stdin\",\"data_b64\":\"AP8=\"}";
    rc_stdin_parse(bin, strlen(bin), &op);
    assert_int_equal(op.len, 2);
    assert_int_equal(op.data[0], 0x00);
    assert_int_equal(op.data[1], 0xff);
    rc_stdin_op_free(&op);
    const char *close = "{\"op\":\"stdin_close\"}";
    rc_stdin_parse(close, strlen(close), &op);
    assert_int_equal(op.kind, RC_STDIN_CLOSE);
    rc_stdin_parse("", 0, &op);
    assert_int_equal(op.kind, RC_STDIN_IGNORED);
    rc_stdin_parse("{\"op\":\"dance\"}", 14, &op);
    assert_int_equal(op.kind, RC_STDIN_IGNORED);
}

static void control_ops(void **state)
{
    (void)state;
    struct rc_stdin_op op;
    const char *kill = "{\"op\":\"kill\"}";
    rc_stdin_parse(kill, strlen(kill), &op);
    assert_int_equal(op.kind, RC_STDIN_KILL);
    const char *sig = "{\"op\":\"signal\",\"signal\":15}";
    rc_stdin_parse(sig, strlen(sig), &op);
    assert_int_equal(op.kind, RC_STDIN_SIGNAL);
    assert_int_equal(op.signal, 15);
    const char *resize = "{\"op\":\"resize\",\"cols\":80,\"rows\":24}";
    rc_stdin_parse(resize, strlen(resize), &op);
    assert_int_equal(op.kind, RC_STDIN_RESIZE);
    assert_int_equal(op.cols, 80);
    assert_int_equal(op.rows, 24);
    const char *bad = "{\"op\":\"signal\",\"signal\":\"TERM\"}";
    rc_stdin_parse(bad, strlen(bad), &op);
    assert_int_equal(op.kind, RC_STDIN_IGNORED);
}

static void count_op(const struct rc_stdin_op *op, void *user)
{
    int *kinds = user;
    kinds[op->kind]++;
}

/* Lines cut anywhere are put back together before they are applied. */
static void plan_feed_reassembles_lines(void **state)
{
    (void)state;
    int kinds[RC_STDIN_IGNORED + 1] = { 0 };
    struct rc_buf pending = { 0 };
    const char *plan = "{\"op\":\"stdin\",\"data_b64\":\"aGk=\"}\n{\"op\":\"kill\"}\n{\"op\":\"stdin_cl";
    for (const char *p = plan; *p; p++)
        rc_plan_feed(&pending, p, 1, count_op, kinds);
    assert_int_equal(kinds[RC_STDIN_DATA], 1);
    assert_int_equal(kinds[RC_STDIN_KILL], 1);
    assert_int_equal(kinds[RC_STDIN_CLOSE], 0);
    rc_plan_feed(&pending, "ose\"}\n", 6, count_op, kinds);
    assert_int_equal(kinds[RC_STDIN_CLOSE], 1);
    assert_int_equal(pending.len, 0);
    rc_buf_free(&pending);
}

/* Any name parses (dispatch refuses unknown ones); `then` needs no box. */
static void surface_actions(void **state)
{
    (void)state;
    struct rc_action a, then;
    const char *why;
    assert_int_equal(rc_action_parse("{\"action\":\"clone\",\"box_id\":\"box-1\",\"name\":\"c\","
                                     "\"then\":{\"action\":\"info\"}}", &a, &why), 0);
    assert_string_equal(a.name, "clone");
    assert_string_equal(rc_action_str(&a, "name"), "c");
    assert_null(rc_action_str(&a, "dest"));
    assert_int_equal(rc_action_from(json_object_get(a.root, "then"), &then, &why), 0);
    assert_string_equal(then.name, "info");
    assert_null(then.box_id);
    rc_action_free(&then);
    rc_action_free(&a);
    assert_int_equal(rc_action_parse("{\"action\":\"teleport\",\"box_id\":\"b\"}", &a, &why), 0);
    rc_action_free(&a);
    assert_int_equal(rc_action_parse("{\"action\":\"start\"}", &a, &why), -1);
    assert_string_equal(why, "the action needs a box_id");
    rc_action_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exec_action_builds_request_body),
        cmocka_unit_test(attach_action_and_errors),
        cmocka_unit_test(stdin_lines),
        cmocka_unit_test(control_ops),
        cmocka_unit_test(plan_feed_reassembles_lines),
        cmocka_unit_test(surface_actions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
