/* test_fidelity.c - the exact status line and header set of every kind of
 * answer the fake server writes itself, and the bytes of an exit frame and
 * the close frame behind it (docs/fidelity.md: what a BoxLite runner sends).
 * Each answer is compared line by line: a missing, extra or reordered
 * header, another HTTP version or reason phrase, fails it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cmocka.h>

#include "fs_head.h"
#include "fs_testlib.h"

#define EXEC_PATH "/v1/boxes/box-1/executions/e-1"
#define ATTACH EXEC_PATH "/attach"

static char head[4096];

static void rest_answers_are_runner_answers(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start_server(s, "{\"execution_id\":\"e-1\",\"probe\":["
        "{\"status\":404,\"body_form\":\"runner\",\"message\":\"execution e-1 not found\"},"
        "{\"status\":500,\"body_form\":\"envelope\",\"message\":\"boom\"},"
        "{\"status\":409,\"body_form\":\"flat\",\"message\":\"busy\"},"
        "{\"status\":502,\"body_form\":\"empty\"}]}", 1, 1), 0);
    const fsh_want runner = {"HTTP/1.1 404 Not Found", FSH_JSON, 35, "{\"error\":\"execution e-1 not found\"}"};
    const fsh_want envelope = {"HTTP/1.1 500 Internal Server Error", FSH_JSON, 69,
                           "{\"error\":{\"message\":\"boom\",\"type\":\"InternalError\",\"code\":\"internal\"}}"};
    const fsh_want flat = {"HTTP/1.1 409 Conflict", FSH_JSON, 54,
                       "{\"message\":\"busy\",\"error\":\"Conflict\",\"statusCode\":409}"};
    const fsh_want empty = {"HTTP/1.1 502 Bad Gateway", NULL, 0, ""};
    const fsh_want probe = {"HTTP/1.1 200 OK", FSH_JSON, 41, "{\"execution_id\":\"e-1\",\"status\":\"running\"}"};
    fsh_check(s, "GET", EXEC_PATH, "", &runner);
    fsh_check(s, "GET", EXEC_PATH, "", &envelope);
    fsh_check(s, "GET", EXEC_PATH, "", &flat);
    fsh_check(s, "GET", EXEC_PATH, "", &empty);
    fsh_check(s, "GET", EXEC_PATH, "", &probe);

    const fsh_want created = {"HTTP/1.1 201 Created", FSH_JSON, 22, "{\"execution_id\":\"e-1\"}"};
    fsh_check(s, "POST", "/v1/boxes/box-1/exec", "{\"command\":\"true\"}", &created);
    const fsh_want no_content = {"HTTP/1.1 204 No Content", NULL, FSH_NO_LENGTH, ""};
    fsh_check(s, "DELETE", EXEC_PATH, "", &no_content);
    fsh_check(s, "POST", EXEC_PATH "/signal", "{\"signal\":15}", &no_content);
    fsh_check(s, "POST", EXEC_PATH "/resize", "{\"cols\":80,\"rows\":24}", &no_content);
    /* HEAD: the GET's length, no body */
    const fsh_want box_head = {"HTTP/1.1 200 OK", FSH_JSON, 174, NULL};
    fsh_check(s, "HEAD", "/v1/boxes/box-1", "", &box_head);
    const fsh_want no_route = {"HTTP/1.1 404 Not Found", "text/plain", 18, "404 page not found"};
    fsh_check(s, "GET", "/v2/nothing", "", &no_route);
    fsh_check(s, "DELETE", "/v1/config", "", &no_route);
    const fsh_want bad_exec = {"HTTP/1.1 400 Bad Request", FSH_JSON, 38, "{\"error\":\"body must be a JSON object\"}"};
    fsh_check(s, "POST", "/v1/boxes/box-1/exec", "[]", &bad_exec);
}

/* A refused upgrade is a REST answer too: same head, whatever the status. */
static void refused_upgrades_are_runner_answers(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start_server(s, "{\"execution_id\":\"e-1\",\"attach\":["
        "{\"reject\":{\"status\":404,\"body_form\":\"runner\",\"message\":\"execution e-1 not found\"}},"
        "{\"reject\":{\"status\":409,\"body_form\":\"runner\",\"message\":\"execution e-1 already attached\"}},"
        "{\"reject\":{\"status\":410,\"body_form\":\"envelope\",\"message\":\"reaped\"}},"
        "{\"reject\":{\"status\":503,\"body_form\":\"empty\"}},"
        "{\"reject\":{\"status\":504,\"body_form\":\"flat\",\"message\":\"slow\"}}]}", 1, 1), 0);
    const fsh_want wants[] = {
        {"HTTP/1.1 404 Not Found", FSH_JSON, 35, "{\"error\":\"execution e-1 not found\"}"},
        {"HTTP/1.1 409 Conflict", FSH_JSON, 42, "{\"error\":\"execution e-1 already attached\"}"},
        {"HTTP/1.1 410 Gone", FSH_JSON, 82,
         "{\"error\":{\"message\":\"reaped\",\"type\":\"SessionReapedError\",\"code\":\"session_reaped\"}}"},
        {"HTTP/1.1 503 Service Unavailable", NULL, 0, ""},
        {"HTTP/1.1 504 Gateway Timeout", FSH_JSON, 61,
         "{\"message\":\"slow\",\"error\":\"Gateway Timeout\",\"statusCode\":504}"},
    };
    for (size_t i = 0; i < sizeof wants / sizeof wants[0]; i++) {
        int fd;
        int status = fst_ws_open(s, ATTACH, &fd, head, sizeof head, 2000);
        print_message("attempt %zu: %d\n", i + 1, status);
        char body[512] = "";
        fsh_recv_exactly(fd, body, strlen(wants[i].body));
        close(fd);
        fsh_assert_head(head, &wants[i]);
        assert_string_equal(body, wants[i].body);
    }
    /* an unknown route is refused as gin refuses it, upgrade or not */
    int fd;
    assert_int_equal(fst_ws_open(s, "/v1/boxes/box-1/nothing/attach", &fd, head, sizeof head, 2000), 404);
    close(fd);
    const fsh_want no_route = {"HTTP/1.1 404 Not Found", "text/plain", 18, NULL};
    fsh_assert_head(head, &no_route);
}

/* The 101 carries exactly the three headers gorilla/websocket writes; after
 * the output, the exit frame has the keys sorted as Go marshals them, and
 * close 1000 without a reason follows at once. */
static void upgrade_exit_and_close_bytes(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start_server(s, "{\"execution_id\":\"e-1\",\"steps\":"
                                         "[{\"out\":\"hi\"},{\"exit\":3}]}", 1, 1), 0);
    int fd;
    assert_int_equal(fst_ws_open(s, ATTACH, &fd, head, sizeof head, 2000), 101);
    char *lines[16];
    int n = fsh_head_lines(head, lines, 16);
    assert_int_equal(n, 4);
    assert_string_equal(lines[0], "HTTP/1.1 101 Switching Protocols");
    assert_string_equal(lines[1], "Upgrade: websocket");
    assert_string_equal(lines[2], "Connection: Upgrade");
    /* RFC 6455's sample key and its accept value */
    assert_string_equal(lines[3], "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");

    static const uint8_t expected[] = "\x82\x03\x01hi"
                                      "\x81\x1d{\"exit_code\":3,\"type\":\"exit\"}"
                                      "\x88\x02\x03\xe8";
    uint8_t got[sizeof expected];
    fsh_recv_exactly(fd, got, sizeof expected - 1);
    assert_memory_equal(got, expected, sizeof expected - 1);
    close(fd);
}

/* The error frame's keys come sorted like the exit frame's. */
static void error_frame_bytes(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start_server(s, "{\"execution_id\":\"e-1\",\"steps\":"
                                         "[{\"error\":\"disk full\"},{\"exit\":0}]}", 1, 1), 0);
    int fd;
    assert_int_equal(fst_ws_open(s, ATTACH, &fd, head, sizeof head, 2000), 101);
    fst_frame f;
    assert_int_equal(fst_ws_read(fd, &f, 2000), 1);
    assert_int_equal(f.opcode, FS_WS_TEXT);
    static const char text[] = "{\"message\":\"disk full\",\"type\":\"error\"}";
    assert_int_equal(f.len, sizeof text - 1);
    assert_memory_equal(f.data, text, sizeof text - 1);
    close(fd);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(rest_answers_are_runner_answers, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(refused_upgrades_are_runner_answers, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(upgrade_exit_and_close_bytes, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(error_frame_bytes, fst_setup, fst_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
