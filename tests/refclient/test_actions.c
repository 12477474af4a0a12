/* refclient as a whole (main.c, actions.c): each action's events end to
 * end through the binary: one value per call in the documented shape, an
 * error event ends the action, an unknown action is `unsupported` (127)
 * before any call, and the stdin plan's control ops during an exec. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "client_run.h"
#include "mini_server.h"
#include "rest_stub.h"
#include "tar_fixture.h"

#define BOX(id, name, status)                                                                 \
    "{\"box_id\":\"" id "\",\"name\":" name ",\"status\":\"" status "\","                     \
    "\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:00Z\","       \
    "\"image\":\"alpine:latest\",\"cpus\":1,\"memory_mib\":512}"
#define DEADLINE 20.0

static const char *refclient;

static const struct rs_reply api[] = {
    { .method = "GET", .path = "/v1/config", .status = 200,
      .body = "{\"capabilities\":{\"snapshots_enabled\":true,\"clone_enabled\":true,"
              "\"export_enabled\":true}}" },
    { .method = "GET", .path = "/v1/boxes/box-1", .status = 200, .body = BOX("box-1", "\"web\"", "stopped") },
    { .method = "POST", .path = "/v1/boxes/box-1/start", .status = 200,
      .body = BOX("box-1", "\"web\"", "running") },
    { .method = "POST", .path = "/v1/boxes/box-2/start", .status = 200,
      .body = BOX("box-2", "\"copy\"", "running") },
    { .method = "GET", .path = "/v1/boxes/box-1/metrics", .status = 200,
      .body = "{\"commands_executed_total\":18446744073709551615,\"memory_bytes\":9007199254740993}" },
    { .method = "POST", .path = "/v1/boxes/box-1/clone", .status = 201,
      .body = BOX("box-2", "\"copy\"", "stopped") },
    { .method = "POST", .path = "/v1/boxes/box-1/export", .status = 200, .body = "ARCHIVE",
      .type = "application/octet-stream" },
    { .method = "GET", .path = "/v1/boxes/box-1/snapshots/none", .status = 404, .body = "" },
    { .method = "PUT", .path = "/v1/boxes/box-1/files", .status = 204 },
    { .method = "GET", .path = "/v1/boxes/nobox", .status = 404,
      .body = "{\"error\":{\"message\":\"no box\",\"type\":\"NotFoundError\",\"code\":\"not_found\"}}" },
    { 0 },
};

struct outcome {
    struct cr_run run;
    struct rs_request seen[RS_MAX_REQUESTS];
    int n_seen;
};

static void run_action(const char *action, struct outcome *o)
{
    int port;
    struct rs_stub *stub = rs_start(api, &port);
    const char *argv[] = { refclient, NULL };
    assert_int_equal(cr_run(argv, port, action, NULL, 0, DEADLINE, NULL, &o->run), 0);
    o->n_seen = rs_requests(stub, o->seen);
    for (int i = 0; i < o->n_seen; i++)
        o->seen[i].body = NULL;          /* the stub frees them */
    rs_stop(stub);
}

static void value_is(struct outcome *o, int nth, const char *value)
{
    const char *line = cr_find(&o->run, "value", nth);
    char want[2048];
    snprintf(want, sizeof(want), "{\"event\":\"value\",\"value\":%s}", value);
    if (!line)
        fail_msg("no value event %d; first event: %s", nth, o->run.n ? o->run.events[0] : "none");
    assert_string_equal(line, want);
}

static void lifecycle_and_metrics_values(void **state)
{
    (void)state;
    struct outcome o;
    run_action("{\"action\":\"start\",\"box_id\":\"box-1\"}", &o);
    assert_int_equal(o.run.exit_status, 0);
    assert_int_equal(cr_count(&o.run, "value"), 1);
    value_is(&o, 0, "{\"box_id\":\"box-1\",\"name\":\"web\",\"status\":\"running\","
                        "\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":"
                        "\"2026-01-01T00:00:00Z\",\"image\":\"alpine:latest\",\"cpus\":1,"
                        "\"memory_mib\":512}");
    assert_int_equal(o.n_seen, 2);
    assert_string_equal(o.seen[1].path, "/v1/boxes/box-1/start");
    cr_free(&o.run);
    run_action("{\"action\":\"metrics\",\"box_id\":\"box-1\"}", &o);
    value_is(&o, 0, "{\"commands_executed_total\":18446744073709551615,\"exec_errors_total\":0,"
                        "\"bytes_sent_total\":0,\"bytes_received_total\":0,"
                        "\"memory_bytes\":9007199254740993}");
    cr_free(&o.run);
}

/* The clone's value, then the `then` call on the clone's own id. */
static void clone_then_runs_on_the_clone(void **state)
{
    (void)state;
    struct outcome o;
    run_action("{\"action\":\"clone\",\"box_id\":\"box-1\",\"name\":\"copy\","
               "\"then\":{\"action\":\"start\"}}", &o);
    assert_int_equal(cr_count(&o.run, "value"), 2);
    assert_non_null(strstr(cr_find(&o.run, "value", 0), "\"box_id\":\"box-2\",\"name\":\"copy\",\"status\":\"stopped\""));
    assert_non_null(strstr(cr_find(&o.run, "value", 1), "\"box_id\":\"box-2\",\"name\":\"copy\",\"status\":\"running\""));
    assert_string_equal(o.seen[o.n_seen - 1].path, "/v1/boxes/box-2/start");
    cr_free(&o.run);
}

static void export_snapshot_and_copy_values(void **state)
{
    (void)state;
    struct outcome o;
    struct tf_sandbox sb;
    char action[1024];
    tf_sandbox_make(&sb);
    mkdir(sb.dest, 0755);
    snprintf(action, sizeof(action), "{\"action\":\"export\",\"box_id\":\"box-1\",\"dest\":\"%s\"}", sb.dest);
    run_action(action, &o);
    char want[1024];
    snprintf(want, sizeof(want), "{\"path\":\"%s/web.boxlite\"}", sb.dest);
    value_is(&o, 0, want);
    cr_free(&o.run);
    want[strlen(want) - 2] = '\0';              /* {"path":"X"} -> X */
    char *archive = tf_read(want + 9);
    assert_string_equal(archive, "ARCHIVE");
    free(archive);
    run_action("{\"action\":\"snapshot_get\",\"box_id\":\"box-1\",\"name\":\"none\"}", &o);
    value_is(&o, 0, "null");
    cr_free(&o.run);
    snprintf(action, sizeof(action), "{\"action\":\"copy_in\",\"box_id\":\"box-1\",\"src\":\"%s/outside\","
             "\"dst\":\"/in\"}", sb.root);
    run_action(action, &o);
    value_is(&o, 0, "{}");
    assert_string_equal(o.seen[1].path_arg, "/in");
    cr_free(&o.run);
    tf_sandbox_free(&sb);
}

static void errors_and_unsupported(void **state)
{
    (void)state;
    struct outcome o;
    run_action("{\"action\":\"metrics\",\"box_id\":\"nobox\"}", &o);
    assert_int_equal(o.run.exit_status, 0);
    assert_int_equal(cr_count(&o.run, "value"), 0);
    assert_string_equal(cr_find(&o.run, "error", 0),
                        "{\"event\":\"error\",\"kind\":\"not_found\",\"message\":\"HTTP 404: no box\"}");
    cr_free(&o.run);
    run_action("{\"action\":\"teleport\",\"box_id\":\"box-1\"}", &o);
    assert_int_equal(o.run.exit_status, 127);
    assert_string_equal(cr_find(&o.run, "unsupported", 0),
                        "{\"event\":\"unsupported\",\"reason\":\"refclient has no action \\\"teleport\\\"\"}");
    assert_int_equal(o.n_seen, 0);
    cr_free(&o.run);
    run_action("{\"action\":\"clone\",\"box_id\":\"box-1\",\"then\":{\"action\":\"import\"}}", &o);
    assert_int_equal(o.run.exit_status, 127);
    assert_int_equal(o.n_seen, 0);                  /* refused before any call */
    cr_free(&o.run);
}

/* Control ops during an exec: each call, a `{}` value each; a failed one
 * is an error that ends the action without a result. */
static void control_ops_during_exec(void **state)
{
    (void)state;
    static const struct ms_script script = {
        .steps = { { { MS_OUT, "x", 0, 0, 0 }, { MS_WAIT, NULL, 0, 0, 1.0 }, { MS_EXIT, NULL, 0, 137, 0 } } },
    };
    static const struct ms_script refused = {
        .steps = { { { MS_OUT, "x", 0, 0, 0 }, { MS_WAIT, NULL, 0, 0, 1.0 }, { MS_EXIT, NULL, 0, 0, 0 } } },
        .control_status = 404,
    };
    const struct cr_plan_line plan[] = {
        { 0.1, "{\"op\":\"resize\",\"cols\":100,\"rows\":30}" },
        { 0.2, "{\"op\":\"signal\",\"signal\":2}" },
        { 0.3, "{\"op\":\"kill\"}" },
    };
    const char *argv[] = { refclient, "--first-frame", "3", "--watchdog", "5", NULL };
    const char *exec = "{\"action\":\"exec\",\"box_id\":\"box-1\",\"command\":\"sleep\",\"args\":[],\"tty\":true}";
    int port, code;
    char *message = NULL;
    struct cr_run run;
    struct ms_seen seen;
    struct ms_server *s = ms_start(&script, &port);
    assert_int_equal(cr_run(argv, port, exec, plan, 3, DEADLINE, NULL, &run), 0);
    ms_seen(s, &seen);
    ms_stop(s);
    assert_int_equal(cr_count(&run, "value"), 3);
    assert_string_equal(cr_find(&run, "value", 0), "{\"event\":\"value\",\"value\":{}}");
    assert_int_equal(cr_result(&run, &code, &message), 0);
    assert_int_equal(code, 137);
    free(message);
    assert_int_equal(seen.n_controls, 3);
    assert_string_equal(seen.controls[0], "POST /v1/boxes/box-1/executions/e-1/resize {\"cols\":100,\"rows\":30}");
    assert_string_equal(seen.controls[1], "POST /v1/boxes/box-1/executions/e-1/signal {\"signal\":2}");
    assert_string_equal(seen.controls[2], "DELETE /v1/boxes/box-1/executions/e-1 ");
    cr_free(&run);
    s = ms_start(&refused, &port);
    assert_int_equal(cr_run(argv, port, exec, plan + 2, 1, DEADLINE, NULL, &run), 0);
    ms_stop(s);
    assert_int_equal(run.exit_status, 0);
    assert_int_equal(cr_count(&run, "result"), 0);
    assert_non_null(strstr(cr_find(&run, "error", 0), "\"kind\":\"not_found\""));
    cr_free(&run);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s REFCLIENT\n", argv[0]);
        return 2;
    }
    refclient = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lifecycle_and_metrics_values),
        cmocka_unit_test(clone_then_runs_on_the_clone),
        cmocka_unit_test(export_snapshot_and_copy_values),
        cmocka_unit_test(errors_and_unsupported),
        cmocka_unit_test(control_ops_during_exec),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
