/* refclient/snapshots.c: SNAP-CRUD against a stub (the capability on). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "jbig.h"
#include "mutant.h"
#include "rest_stub.h"
#include "snapshots.h"
#include "stub_client.h"

#define SNAP(name) "{\"id\":\"s-1\",\"box_id\":\"box-1\",\"name\":\"" name "\",\"created_at\":1700000000," \
                   "\"container_disk_bytes\":18446744073709551615,\"size_bytes\":4096,\"extra\":true}"

static const struct rs_reply replies[] = {
    { .method = "POST", .path = "/v1/boxes/box-1/snapshots", .status = 201, .body = SNAP("nightly") },
    { .method = "GET", .path = "/v1/boxes/box-1/snapshots", .status = 200,
      .body = "{\"snapshots\":[" SNAP("a") "," SNAP("b") "]}" },
    { .method = "GET", .path = "/v1/boxes/box-1/snapshots/nightly", .status = 200, .body = SNAP("nightly") },
    { .method = "GET", .path = "/v1/boxes/box-1/snapshots/gone", .status = 404,
      .body = "{\"error\":\"snapshot not found\"}" },
    { .method = "GET", .path = "/v1/boxes/box-1/snapshots/broken", .status = 500, .body = "" },
    { .method = "DELETE", .path = "/v1/boxes/box-1/snapshots/nightly", .status = 204 },
    { .method = "POST", .path = "/v1/boxes/box-1/snapshots/nightly/restore", .status = 200, .body = "{}" },
    { .method = "POST", .path = "/v1/boxes/box-1/snapshots/gone/restore", .status = 404, .body = "" },
    { 0 },
};

struct fixture {
    struct rs_stub *stub;
    struct rc_rest rest;
    struct rc_caps caps;
    struct rc_box box;
    struct rc_err err;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    int port;
    f->stub = rs_start(replies, &port);
    f->rest = sc_rest(port);
    f->caps.cached = true;
    f->caps.state[RC_CAP_SNAPSHOTS] = RC_CAP_ON;
    f->box.id = strdup("box-1");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    rs_stop(f->stub);
    rc_rest_free(&f->rest);
    rc_box_free(&f->box);
    rc_err_clear(&f->err);
    free(f);
    return 0;
}

static void create_list_get(void **state)
{
    struct fixture *f = *state;
    json_t *v;
    assert_int_equal(rc_snapshot_create(&f->rest, &f->caps, &f->box, "nightly", &v, &f->err), 0);
    char *text = bc_jbig_dumps(v, JSON_COMPACT);
    assert_string_equal(text, "{\"id\":\"s-1\",\"box_id\":\"box-1\",\"name\":\"nightly\","
                              "\"created_at\":1700000000,\"container_disk_bytes\":18446744073709551615,"
                              "\"size_bytes\":4096}");
    free(text);
    json_decref(v);
    struct rs_request seen[RS_MAX_REQUESTS];
    rs_requests(f->stub, seen);
    assert_memory_equal(seen[0].body, "{\"name\":\"nightly\"}", seen[0].body_len);
    assert_int_equal(rc_snapshot_list(&f->rest, &f->caps, &f->box, &v, &f->err), 0);
    assert_int_equal(json_array_size(v), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(v, 1), "name")), "b");
    json_decref(v);
    assert_int_equal(rc_snapshot_get(&f->rest, &f->caps, &f->box, "nightly", &v, &f->err), 0);
    assert_true(json_is_object(v));
    json_decref(v);
}

static void missing_is_none_other_failures_are_errors(void **state)
{
    struct fixture *f = *state;
    json_t *v;
    assert_int_equal(rc_snapshot_get(&f->rest, &f->caps, &f->box, "gone", &v, &f->err), 0);
    assert_true(json_is_null(v));
    assert_int_equal(rc_snapshot_get(&f->rest, &f->caps, &f->box, "broken", &v, &f->err), -1);
    assert_string_equal(f->err.kind, "internal");
    rc_mutant_select(RC_MUT_SNAPSHOT_404_ERROR);
    assert_int_equal(rc_snapshot_get(&f->rest, &f->caps, &f->box, "gone", &v, &f->err), -1);
    rc_mutant_select(RC_MUT_NONE);
    assert_string_equal(f->err.kind, "not_found");
}

static void remove_and_restore(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(rc_snapshot_remove(&f->rest, &f->caps, &f->box, "nightly", &f->err), 0);
    assert_int_equal(rs_count(f->stub, "DELETE", "/v1/boxes/box-1/snapshots/nightly"), 1);
    assert_int_equal(rc_snapshot_restore(&f->rest, &f->caps, &f->box, "nightly", &f->err), 0);
    assert_int_equal(rc_snapshot_restore(&f->rest, &f->caps, &f->box, "gone", &f->err), -1);
    assert_string_equal(f->err.kind, "not_found");
    rc_mutant_select(RC_MUT_RESTORE_204_ONLY);
    assert_int_equal(rc_snapshot_restore(&f->rest, &f->caps, &f->box, "nightly", &f->err), -1);
    rc_mutant_select(RC_MUT_NONE);
}

static void gated_off_calls_nothing(void **state)
{
    struct fixture *f = *state;
    json_t *v;
    f->caps.state[RC_CAP_SNAPSHOTS] = RC_CAP_OFF;
    assert_int_equal(rc_snapshot_list(&f->rest, &f->caps, &f->box, &v, &f->err), -1);
    assert_string_equal(f->err.kind, "unsupported");
    assert_int_equal(rc_snapshot_remove(&f->rest, &f->caps, &f->box, "x", &f->err), -1);
    struct rs_request seen[RS_MAX_REQUESTS];
    assert_int_equal(rs_requests(f->stub, seen), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(create_list_get, setup, teardown),
        cmocka_unit_test_setup_teardown(missing_is_none_other_failures_are_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(remove_and_restore, setup, teardown),
        cmocka_unit_test_setup_teardown(gated_off_calls_nothing, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
