/* refclient/exec.c: EXEC-CONTROL's calls (kill, signal, resize) and their
 * failures, against a stub; the ops end to end are in test_actions.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "exec.h"
#include "mutant.h"
#include "rest_stub.h"
#include "stub_client.h"

#define EXECUTION "/v1/boxes/box-1/executions/e-1"

static void control_calls(void **state)
{
    (void)state;
    const struct rs_reply replies[] = {
        { .method = "DELETE", .path = EXECUTION, .status = 204 },
        { .method = "POST", .path = EXECUTION "/signal", .status = 204 },
        { .method = "POST", .path = EXECUTION "/resize", .status = 200, .body = "{}" },
        { 0 },
    };
    int port;
    struct rs_stub *stub = rs_start(replies, &port);
    struct rc_rest r = sc_rest(port);
    struct rc_err err = { 0 };
    assert_int_equal(rc_exec_kill(&r, "box-1", "e-1", &err), 0);
    assert_int_equal(rc_exec_signal(&r, "box-1", "e-1", 15, &err), 0);
    assert_int_equal(rc_exec_resize(&r, "box-1", "e-1", 80, 24, &err), 0);
    rc_mutant_select(RC_MUT_RESIZE_SWAPPED);
    assert_int_equal(rc_exec_resize(&r, "box-1", "e-1", 80, 24, &err), 0);
    rc_mutant_select(RC_MUT_KILL_AS_POST);
    assert_int_equal(rc_exec_kill(&r, "box-1", "e-1", &err), -1);
    rc_mutant_select(RC_MUT_NONE);
    struct rs_request seen[RS_MAX_REQUESTS];
    assert_int_equal(rs_requests(stub, seen), 5);
    assert_string_equal(seen[0].method, "DELETE");
    assert_int_equal(seen[0].body_len, 0);
    assert_memory_equal(seen[1].body, "{\"signal\":15}", seen[1].body_len);
    assert_string_equal(seen[1].content_type, "application/json");
    assert_memory_equal(seen[2].body, "{\"cols\":80,\"rows\":24}", seen[2].body_len);
    assert_memory_equal(seen[3].body, "{\"cols\":24,\"rows\":80}", seen[3].body_len);
    assert_string_equal(seen[4].method, "POST");
    assert_string_equal(seen[4].path, EXECUTION);
    rc_err_clear(&err);
    rs_stop(stub);
    rc_rest_free(&r);
}

static void control_failures_have_kinds(void **state)
{
    (void)state;
    const struct rs_reply replies[] = {
        { .method = "DELETE", .status = 404,
          .body = "{\"error\":{\"message\":\"no such execution\",\"type\":\"NotFoundError\",\"code\":\"not_found\"}}" },
        { .method = "POST", .path = EXECUTION "/signal", .status = 400, .body = "{\"error\":\"bad signal\"}" },
        { .method = "POST", .path = EXECUTION "/resize", .status = 409, .body = "" },
        { 0 },
    };
    int port;
    struct rs_stub *stub = rs_start(replies, &port);
    struct rc_rest r = sc_rest(port);
    struct rc_err err = { 0 };
    assert_int_equal(rc_exec_kill(&r, "box-1", "e-1", &err), -1);
    assert_string_equal(err.kind, "not_found");
    assert_string_equal(err.message, "HTTP 404: no such execution");
    assert_int_equal(rc_exec_signal(&r, "box-1", "e-1", 99, &err), -1);
    assert_string_equal(err.kind, "invalid_argument");
    assert_int_equal(rc_exec_resize(&r, "box-1", "e-1", 1, 1, &err), -1);
    assert_string_equal(err.kind, "conflict");
    rc_err_clear(&err);
    rs_stop(stub);
    rc_rest_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(control_calls),
        cmocka_unit_test(control_failures_have_kinds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
