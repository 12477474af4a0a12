/* refclient/config.c: CAPS-GATE. A gated call goes through only when
 * /v1/config says its capability is on; off or absent is `unsupported`; a
 * failed config call is its own error and is asked again next time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "config.h"
#include "jbig.h"
#include "mutant.h"
#include "rest_stub.h"
#include "stub_client.h"

static int parse(const char *text, struct rc_caps *c, struct rc_err *err)
{
    json_t *v = bc_jbig_loads(text, 0, NULL);
    int rc = rc_caps_parse(v, c, err);
    json_decref(v);
    return rc;
}

static void parsing(void **state)
{
    (void)state;
    struct rc_caps c;
    struct rc_err err = { 0 };
    assert_int_equal(parse("{\"capabilities\":{\"snapshots_enabled\":true,\"clone_enabled\":false,"
                           "\"export_enabled\":null}}", &c, &err), 0);
    assert_int_equal(c.state[RC_CAP_SNAPSHOTS], RC_CAP_ON);
    assert_int_equal(c.state[RC_CAP_CLONE], RC_CAP_OFF);
    assert_int_equal(c.state[RC_CAP_EXPORT], RC_CAP_UNADVERTISED);
    assert_int_equal(c.state[RC_CAP_IMPORT], RC_CAP_UNADVERTISED);
    assert_int_equal(parse("{\"capabilities\":null}", &c, &err), 0);
    assert_int_equal(c.state[RC_CAP_SNAPSHOTS], RC_CAP_UNADVERTISED);
    assert_int_equal(parse("{}", &c, &err), 0);
    assert_int_equal(parse("{\"capabilities\":{\"clone_enabled\":\"yes\"}}", &c, &err), -1);
    assert_int_equal(parse("{\"capabilities\":[]}", &c, &err), -1);
    assert_int_equal(parse("[]", &c, &err), -1);
    rc_err_clear(&err);
}

static int gate(const char *config_body, int config_status, enum rc_cap cap, struct rc_err *err,
                int *config_calls)
{
    const struct rs_reply replies[] = {
        { .method = "GET", .path = "/v1/config", .status = config_status, .body = config_body },
        { 0 },
    };
    int port;
    struct rs_stub *stub = rs_start(replies, &port);
    struct rc_rest r = sc_rest(port);
    struct rc_caps caps = { 0 };
    int rc = rc_caps_require(&r, &caps, cap, err);
    if (rc < 0)
        rc_caps_require(&r, &caps, cap, err);   /* a second gated call */
    *config_calls = rs_count(stub, "GET", "/v1/config");
    rs_stop(stub);
    rc_rest_free(&r);
    return rc;
}

static void the_gate(void **state)
{
    (void)state;
    struct rc_err err = { 0 };
    int calls;
    assert_int_equal(gate("{\"capabilities\":{\"snapshots_enabled\":true}}", 200, RC_CAP_SNAPSHOTS,
                          &err, &calls), 0);
    assert_int_equal(calls, 1);
    assert_int_equal(gate("{\"capabilities\":{\"snapshots_enabled\":false}}", 200, RC_CAP_SNAPSHOTS,
                          &err, &calls), -1);
    assert_string_equal(err.kind, "unsupported");
    assert_string_equal(err.message, "Remote server does not support snapshots operations");
    assert_int_equal(calls, 1);                        /* cached */
    assert_int_equal(gate("{\"capabilities\":{}}", 200, RC_CAP_CLONE, &err, &calls), -1);
    assert_string_equal(err.message, "Remote server did not advertise clone capability");
    assert_int_equal(gate("{}", 200, RC_CAP_EXPORT, &err, &calls), -1);
    assert_string_equal(err.kind, "unsupported");
    assert_int_equal(gate("{\"error\":{\"message\":\"down\",\"type\":\"T\",\"code\":\"internal\"}}", 500,
                          RC_CAP_EXPORT, &err, &calls), -1);
    assert_string_equal(err.kind, "internal");
    assert_string_equal(err.message, "HTTP 500: down");
    assert_int_equal(calls, 2);                        /* a failure is not cached */
    assert_int_equal(gate("", 404, RC_CAP_EXPORT, &err, &calls), -1);
    assert_string_equal(err.kind, "not_found");
    rc_err_clear(&err);
}

static void gate_mutants(void **state)
{
    (void)state;
    struct rc_err err = { 0 };
    int calls;
    rc_mutant_select(RC_MUT_CAPS_UNCHECKED);
    assert_int_equal(gate("{\"capabilities\":{\"clone_enabled\":false}}", 200, RC_CAP_CLONE, &err,
                          &calls), 0);
    assert_int_equal(calls, 0);
    rc_mutant_select(RC_MUT_CAPS_ABSENT_ON);
    assert_int_equal(gate("{\"capabilities\":null}", 200, RC_CAP_CLONE, &err, &calls), 0);
    assert_int_equal(gate("{\"capabilities\":{\"clone_enabled\":false}}", 200, RC_CAP_CLONE, &err,
                          &calls), -1);
    rc_mutant_select(RC_MUT_NONE);
    rc_err_clear(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parsing),
        cmocka_unit_test(the_gate),
        cmocka_unit_test(gate_mutants),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
