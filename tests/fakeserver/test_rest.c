/* test_rest.c - REST endpoints: defaults, auth, routes, prefix, exec body
 * validation, scripted probe answers and REST faults (delay, hang, RST). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fs_testlib.h"

#define PROBE "/v1/boxes/box-1/executions/e-1"

static char buf[8192];
static const char *body;

/* By default a missing token is journaled, not refused: WIRE-AUTH judges it
 * and the rest of the scenario still runs. */
static void missing_token_is_observed_by_default(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start(s, NULL, 1), 0);
    int fd = fst_connect(s);
    const char *req = "GET /v1/config HTTP/1.1\r\nHost: x\r\n\r\n";
    assert_int_equal(fst_send(fd, req, strlen(req)), 0);
    assert_int_equal(fst_read_response(fd, buf, sizeof buf, &body, 2000), 200);
    close(fd);
    json_t *j = fst_journal(s);
    json_t *e = fst_find(j, "http_request", "auth_ok", "false", 1);
    assert_non_null(e);
    assert_true(json_is_null(json_object_get(e, "auth")));
    json_decref(j);
}

static void defaults_auth_and_unknown_routes(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start_server(s, "{\"auth\": \"enforce\"}", 0, 1), 0);
    assert_int_equal(fst_http(s, "GET", "/v1/config", NULL, buf, sizeof buf, &body, 2000), 200);
    assert_string_equal(body, "{\"capabilities\":{\"snapshots_enabled\":false,\"clone_enabled\":false,"
                              "\"export_enabled\":false,\"import_enabled\":false}}");
    assert_int_equal(fst_http(s, "GET", "/v1/boxes/box-1", NULL, buf, sizeof buf, &body, 2000), 200);
    json_t *box = json_loads(body, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(box, "status")), "running");
    assert_true(json_is_integer(json_object_get(box, "memory_mib")));
    json_decref(box);
    assert_int_equal(fst_http(s, "GET", "/v1/boxes/other", NULL, buf, sizeof buf, &body, 2000), 404);
    assert_int_equal(fst_http(s, "GET", "/v2/nothing", NULL, buf, sizeof buf, &body, 2000), 404);
    assert_int_equal(fst_http(s, "GET", PROBE, NULL, buf, sizeof buf, &body, 2000), 404);
    assert_int_equal(fst_http(s, "GET", "/v1/boxes/box-1/executions/e-1/attach", NULL, buf, sizeof buf,
                              &body, 2000), 404); /* unknown execution first */
    assert_int_equal(fst_http(s, "POST", "/v1/boxes/box-1/executions/e-1/resize", "{}", buf, sizeof buf,
                              &body, 2000), 404);
    int fd = fst_connect(s);
    const char *req = "GET /v1/config HTTP/1.1\r\nHost: x\r\n\r\n";
    assert_int_equal(fst_send(fd, req, strlen(req)), 0);
    assert_int_equal(fst_read_response(fd, buf, sizeof buf, &body, 2000), 401);
    assert_string_equal(body, "{\"error\":\"missing or invalid bearer token\"}");
    close(fd);
    json_t *j = fst_journal(s);
    json_t *u = fst_find(j, "http_request", "path", "/v2/nothing", 1);
    assert_string_equal(json_string_value(json_object_get(u, "endpoint")), "unknown");
    json_t *noauth = fst_find(j, "http_request", "auth_ok", "false", 1);
    assert_true(json_is_null(json_object_get(noauth, "auth")));
    json_decref(j);
}

static void exec_body_is_validated(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start(s, NULL, 1), 0);
    const char *bad[] = {"not json", "[]", "{\"args\":[]}", "{\"command\":\"x\",\"args\":[1]}",
                         "{\"command\":\"x\",\"env\":{\"A\":1}}", "{\"command\":\"x\",\"tty\":\"yes\"}",
                         "{\"command\":\"x\",\"timeout_seconds\":\"1\"}", "{\"command\":\"x\",\"working_dir\":5}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(fst_http(s, "POST", "/v1/boxes/box-1/exec", bad[i], buf, sizeof buf, &body, 2000), 400);
        assert_non_null(strstr(body, "{\"error\":"));
    }
    assert_int_equal(fst_http(s, "POST", "/v1/boxes/box-1/exec",
                              "{\"command\":\"cat\",\"args\":[\"-n\"],\"env\":{\"A\":\"1\"},\"tty\":false,"
                              "\"timeout_seconds\":2.5,\"working_dir\":\"/\"}",
                              buf, sizeof buf, &body, 2000), 201);
}

static void prefix_and_fixed_execution_id(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start_server(s, "{\"prefix\":\"api/x\",\"execution_id\":\"e-1\",\"token\":\"boxconform-key\"}",
                                      0, 1), 0);
    assert_int_equal(fst_http(s, "POST", "/v1/boxes/box-1/exec", "{\"command\":\"x\"}", buf, sizeof buf, &body, 2000), 404);
    assert_int_equal(fst_http(s, "POST", "/v1/api/x/boxes/box-1/exec", "{\"command\":\"x\"}", buf, sizeof buf,
                              &body, 2000), 201);
    assert_string_equal(body, "{\"execution_id\":\"e-1\"}");
    assert_int_equal(fst_http(s, "GET", "/v1/api/x/boxes/box-1/executions/e-1", NULL, buf, sizeof buf, &body, 2000), 200);
    assert_int_equal(fst_http(s, "GET", "/v1/config", NULL, buf, sizeof buf, &body, 2000), 200);
    assert_int_equal(fst_http(s, "POST", "/v1/api/x/boxes/box-1/executions/e-1/signal", "{\"signal\":9}", buf,
                              sizeof buf, &body, 2000), 204);
}

static void scripted_exec_reply_creates_its_execution(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start_server(s, "{\"exec\":[{\"status\":201,\"body\":{\"execution_id\":\"mine\"}},"
                                          "{\"status\":500,\"body_form\":\"flat\",\"message\":\"boom\"}]}", 0, 1), 0);
    assert_int_equal(fst_http(s, "POST", "/v1/boxes/box-1/exec", "{\"command\":\"x\"}", buf, sizeof buf, &body, 2000), 201);
    assert_string_equal(body, "{\"execution_id\":\"mine\"}");
    assert_int_equal(fst_http(s, "GET", "/v1/boxes/box-1/executions/mine", NULL, buf, sizeof buf, &body, 2000), 200);
    assert_int_equal(fst_http(s, "POST", "/v1/boxes/box-1/exec", "{\"command\":\"x\"}", buf, sizeof buf, &body, 2000), 500);
    assert_string_equal(body, "{\"message\":\"boom\",\"error\":\"Internal Server Error\",\"statusCode\":500}");
}

static void scripted_probe_answers(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start_server(s, "{\"execution_id\":\"e-1\",\"probe\":["
                                          "{\"state\":\"completed\",\"exit_code\":7},"
                                          "{\"status\":404,\"body_form\":\"runner\",\"message\":\"gone\"},"
                                          "{\"status\":503,\"body_form\":\"empty\"},"
                                          "{\"body_raw\":\"{not json\"},"
                                          "{\"state\":\"weird\",\"repeat\":true}]}", 1, 1), 0);
    assert_int_equal(fst_http(s, "GET", PROBE, NULL, buf, sizeof buf, &body, 2000), 200);
    assert_string_equal(body, "{\"execution_id\":\"e-1\",\"status\":\"completed\",\"exit_code\":7}");
    assert_int_equal(fst_http(s, "GET", PROBE, NULL, buf, sizeof buf, &body, 2000), 404);
    assert_string_equal(body, "{\"error\":\"gone\"}");
    assert_int_equal(fst_http(s, "GET", PROBE, NULL, buf, sizeof buf, &body, 2000), 503);
    assert_string_equal(body, "");
    assert_non_null(strcasestr(buf, "content-length: 0\r\n"));
    assert_int_equal(fst_http(s, "GET", PROBE, NULL, buf, sizeof buf, &body, 2000), 200);
    assert_string_equal(body, "{not json");
    for (int i = 0; i < 2; i++) {
        assert_int_equal(fst_http(s, "GET", PROBE, NULL, buf, sizeof buf, &body, 2000), 200);
        assert_string_equal(body, "{\"execution_id\":\"e-1\",\"status\":\"weird\"}");
    }
    json_t *j = fst_journal(s);
    json_t *p = fst_find(j, "http_request", "call", "6", 1);
    assert_non_null(p);
    assert_string_equal(json_string_value(json_object_get(p, "endpoint")), "probe");
    /* The journal holds what each answer said: checks judge a probe by it. */
    json_t *r = fst_find(j, "http_response", "endpoint", "probe", 1);
    assert_string_equal(json_string_value(json_object_get(r, "body")),
                        "{\"execution_id\":\"e-1\",\"status\":\"completed\",\"exit_code\":7}");
    json_t *empty = fst_find(j, "http_response", "endpoint", "probe", 3);
    assert_int_equal(json_integer_value(json_object_get(empty, "status")), 503);
    assert_null(json_object_get(empty, "body"));
    json_decref(j);
}

static void probe_delayed_past_5s_at_scale(void **state) {
    fst_server *s = *state;
    /* 6 client seconds at K=20: 0.3 s real. */
    assert_int_equal(fst_start_server(s, "{\"execution_id\":\"e-1\",\"probe\":[{\"delay\":6}]}", 1, 20), 0);
    double t0 = fst_now();
    assert_int_equal(fst_http(s, "GET", PROBE, NULL, buf, sizeof buf, &body, 3000), 200);
    double took = fst_now() - t0;
    print_message("probe delay 6 s at K=20: %.4f s real\n", took);
    assert_true(took > 0.29 && took < 0.6);
    assert_non_null(strstr(body, "\"status\":\"running\""));
    /* the answer is journaled once its bytes left: maybe after we read them */
    json_t *j = fst_wait_event(s, "http_response", "fault", "delay", 3000);
    assert_non_null(j);
    json_t *r = fst_find(j, "http_response", "fault", "delay", 1);
    json_t *q = fst_find(j, "http_request", "endpoint", "probe", 1);
    assert_non_null(r);
    double dt = json_real_value(json_object_get(r, "t")) - json_real_value(json_object_get(q, "t"));
    assert_true(dt > 5.9 && dt < 8); /* the journal speaks client seconds */
    json_decref(j);
}

static void rest_hang_and_rst(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start_server(s, "{\"box\":[{\"hang\":4},{\"rst\":true}]}", 0, 20), 0);
    int fd = fst_connect(s);
    const char *req = "GET /v1/boxes/box-1 HTTP/1.1\r\nHost: x\r\n" FST_AUTH "\r\n";
    assert_int_equal(fst_send(fd, req, strlen(req)), 0);
    double t0 = fst_now();
    char b[256];
    assert_int_equal(fst_recv(fd, b, sizeof b, 2000), -1); /* nothing, then FIN */
    double took = fst_now() - t0;
    assert_true(took > 0.19 && took < 0.5);
    close(fd);
    fd = fst_connect(s);
    assert_int_equal(fst_send(fd, req, strlen(req)), 0);
    assert_int_equal(fst_recv(fd, b, sizeof b, 2000), -2);
    assert_int_equal(errno, ECONNRESET);
    close(fd);
    json_t *j = fst_wait_event(s, "tcp_close", "how", "rst", 2000);
    assert_non_null(j);
    assert_non_null(fst_find(j, "http_response", "fault", "hang", 1));
    assert_non_null(fst_find(j, "http_response", "fault", "rst", 1));
    assert_null(json_object_get(fst_find(j, "http_response", "fault", "hang", 1), "body"));
    json_decref(j);
}

static void probe_default_follows_the_execution(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start_server(s, "{\"execution_id\":\"e-1\",\"steps\":[{\"finish\":4}]}", 1, 1), 0);
    assert_int_equal(fst_http(s, "GET", PROBE, NULL, buf, sizeof buf, &body, 2000), 200);
    assert_string_equal(body, "{\"execution_id\":\"e-1\",\"status\":\"running\"}");
    assert_int_equal(fst_http(s, "GET", PROBE "/attach", NULL, buf, sizeof buf, &body, 2000), 400);
    assert_string_equal(body, "{\"error\":\"attach needs a WebSocket upgrade\"}");
    int fd;
    char head[2048];
    assert_int_equal(fst_ws_open(s, PROBE "/attach", &fd, head, sizeof head, 2000), 101);
    json_decref(fst_wait_event(s, "execution", "state", "completed", 2000));
    assert_int_equal(fst_http(s, "GET", PROBE, NULL, buf, sizeof buf, &body, 2000), 200);
    assert_string_equal(body, "{\"execution_id\":\"e-1\",\"status\":\"completed\",\"exit_code\":4}");
    close(fd);
}

static void keep_alive_requests_share_a_connection(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start_server(s, "{\"box\":[{\"delay\":2}]}", 0, 10), 0);
    int fd = fst_connect(s);
    const char *req = "GET /v1/boxes/box-1 HTTP/1.1\r\nHost: x\r\n" FST_AUTH "\r\n";
    double t0 = fst_now();
    assert_int_equal(fst_send(fd, req, strlen(req)), 0);
    assert_int_equal(fst_read_response(fd, buf, sizeof buf, &body, 2000), 200);
    assert_true(fst_now() - t0 > 0.19); /* 2 client s at K=10 */
    const char *head = "HEAD /v1/boxes/box-1 HTTP/1.1\r\nHost: x\r\n" FST_AUTH "\r\n";
    assert_int_equal(fst_send(fd, head, strlen(head)), 0);
    char b[1024];
    ssize_t n = fst_recv(fd, b, sizeof b - 1, 2000);
    assert_true(n > 0);
    b[n] = '\0';
    assert_int_equal(strncmp(b, "HTTP/1.1 200", 12), 0);
    assert_null(strstr(b, "box_id")); /* no body for HEAD */
    close(fd);
    json_t *j = fst_wait_event(s, "tcp_close", NULL, NULL, 2000);
    assert_non_null(j);
    assert_int_equal(fst_count(j, "tcp_open", NULL, NULL), 1);
    json_t *second = fst_find(j, "http_request", "method", "HEAD", 1);
    assert_int_equal(json_integer_value(json_object_get(second, "call")), 2);
    assert_int_equal(json_integer_value(json_object_get(second, "conn")), 1);
    assert_non_null(fst_find(j, "http_response", "fault", "delay", 1));
    json_decref(j);
}

/* Sends a POST exec whose JSON body is n bytes (padded with spaces) on a
 * fresh connection; the status that came back within timeout_ms. */
static int post_exec_of_size(fst_server *s, size_t n, int timeout_ms) {
    static const char json[] = "{\"command\":\"true\"}";
    char head[256];
    int h = snprintf(head, sizeof head, "POST /v1/boxes/box-1/exec HTTP/1.1\r\nHost: x\r\n" FST_AUTH
                     "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n", n);
    char *req = malloc((size_t)h + n);
    memcpy(req, head, (size_t)h);
    memcpy(req + h, json, sizeof json - 1);
    memset(req + h + sizeof json - 1, ' ', n - (sizeof json - 1));
    int fd = fst_connect(s);
    int status = 0;
    if (fst_send(fd, req, (size_t)h + n) == 0)
        status = fst_read_response(fd, buf, sizeof buf, &body, timeout_ms);
    close(fd);
    free(req);
    return status;
}

/* Bodies bigger than the socketpair's buffer reach the endpoint whole: the
 * tap keeps pumping them to libwebsockets after the client stopped sending
 * (a 1 MiB body used to stall until libwebsockets' 5 s timeout). */
static void large_bodies_are_read_whole(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start(s, NULL, 1), 0);
    assert_int_equal(post_exec_of_size(s, 1536 * 1024, 3000), 201);
    assert_int_equal(post_exec_of_size(s, 2 * 1024 * 1024 + 1, 3000), 413);
    assert_string_equal(body, "{\"error\":\"request body too large\"}");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(missing_token_is_observed_by_default, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(defaults_auth_and_unknown_routes, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(exec_body_is_validated, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(prefix_and_fixed_execution_id, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(scripted_exec_reply_creates_its_execution, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(scripted_probe_answers, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(probe_delayed_past_5s_at_scale, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(rest_hang_and_rst, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(probe_default_follows_the_execution, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(keep_alive_requests_share_a_connection, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(large_bodies_are_read_whole, fst_setup, fst_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
