/* test_router.c - path patterns: literals, {params}, the prefix, /v1 rows,
 * parameters of a path whose method no row takes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "router.h"

static const fs_route table[] = {
    {"GET", "/config", BC_EP_CONFIG, FS_ROUTE_ROOT, 200, NULL, NULL, NULL},
    {"GET", "/boxes/{box}", BC_EP_BOX, 0, 200, NULL, NULL, NULL},
    {"HEAD", "/boxes/{box}", BC_EP_BOX, 0, 200, NULL, NULL, NULL},
    {"GET", "/boxes/{box}/executions/{exec}", BC_EP_PROBE, 0, 200, NULL, NULL, NULL},
    {"POST", "/boxes/{box}/executions/{exec}/signal", BC_EP_SIGNAL, 0, 204, NULL, NULL, NULL},
};
#define ROWS (sizeof table / sizeof table[0])

static fs_params params;

static const fs_route *match(const char *prefix, const char *method, const char *path) {
    return fs_router_match(table, ROWS, prefix, method, path, &params);
}

static void literals_and_params(void **state) {
    (void)state;
    assert_ptr_equal(match("", "GET", "/v1/boxes/b-1"), &table[1]);
    assert_string_equal(fs_params_get(&params, "box"), "b-1");
    assert_null(fs_params_get(&params, "exec"));
    assert_ptr_equal(match("", "HEAD", "/v1/boxes/b-1"), &table[2]);
    assert_ptr_equal(match("", "POST", "/v1/boxes/b/executions/e/signal"), &table[4]);
    assert_string_equal(fs_params_get(&params, "exec"), "e");
    assert_null(match("", "GET", "/v1/boxes/b/"));
    assert_null(match("", "GET", "/v1/boxes"));
    assert_null(match("", "GET", "/v1/boxes/b/executions/e/signal/x"));
    assert_null(match("", "GET", "/v2/boxes/b"));
    assert_null(match("", "GET", "/v1boxes/b"));
}

static void a_param_is_one_short_nonempty_segment(void **state) {
    (void)state;
    char path[400] = "/v1/boxes/";
    memset(path + strlen(path), 'x', FS_PARAM_MAX - 1);
    assert_non_null(match("", "GET", path));
    strcat(path, "x");
    assert_null(match("", "GET", path));
    assert_null(match("", "GET", "/v1/boxes//executions/e"));
}

static void prefix_and_root_rows(void **state) {
    (void)state;
    assert_ptr_equal(match("/api/x/", "GET", "/v1/api/x/boxes/b"), &table[1]);
    assert_null(match("api/x", "GET", "/v1/boxes/b"));
    assert_null(match("api/x", "GET", "/v1/api/xboxes/b"));
    assert_ptr_equal(match("api/x", "GET", "/v1/config"), &table[0]);
    assert_null(match("api/x", "GET", "/v1/api/x/config"));
    assert_ptr_equal(match("", "GET", "/v1/config"), &table[0]);
    assert_null(match("", "GET", "/v1/config/"));
}

/* A path some row's pattern matches under another method is no route, but
 * its parameters are known (the journal names the execution). */
static void params_without_a_route(void **state) {
    (void)state;
    assert_null(match("", "DELETE", "/v1/boxes/b/executions/e-7"));
    assert_string_equal(fs_params_get(&params, "exec"), "e-7");
    assert_null(match("", "GET", "/v1/boxes/b/executions/e-7/nope"));
    assert_int_equal(params.count, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(literals_and_params),
        cmocka_unit_test(a_param_is_one_short_nonempty_segment),
        cmocka_unit_test(prefix_and_root_rows),
        cmocka_unit_test(params_without_a_route),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
