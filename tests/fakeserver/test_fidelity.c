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

#include "fs_testlib.h"

#define EXEC_PATH "/v1/boxes/box-1/executions/e-1"
#define ATTACH EXEC_PATH "/attach"
#define JSON "application/json; charset=utf-8"
#define NO_LENGTH (-1)

/* What a runner-style answer is: status line, then Content-Type (if any),
 * Date, Content-Length (unless the status forbids a body), and the body. */
typedef struct want {
    const char *status_line;
    const char *ctype;          /* NULL: no Content-Type header */
    long length;                /* NO_LENGTH: no Content-Length header */
    const char *body;           /* NULL: not compared (HEAD: none read) */
} want;

static char head[4096];

/* "Sat, 05 Dec 2026 17:49:37 GMT", the only form RFC 9110 lets a server send. */
static void assert_imf_date(const char *v) {
    char day[4], mon[4];
    int d, y, h, m, sec, n = 0;
    assert_int_equal(sscanf(v, "%3[A-Za-z], %2d %3[A-Za-z] %4d %2d:%2d:%2d GMT%n", day, &d, mon,
                            &y, &h, &m, &sec, &n), 7);
    assert_int_equal((int)strlen(v), n);
    assert_int_equal((int)strlen(v), 29);
    assert_non_null(strstr("Mon Tue Wed Thu Fri Sat Sun", day));
    assert_non_null(strstr("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", mon));
}

/* Splits the head at CRLFs: lines[0] the status line; the count. */
static int head_lines(char *h, char *lines[], int max) {
    int n = 0;
    for (char *line = h, *crlf; n < max && (crlf = strstr(line, "\r\n")) && crlf != line;
         line = crlf + 2) {
        *crlf = '\0';
        lines[n++] = line;
    }
    return n;
}

static void assert_header(const char *line, const char *name, const char *value) {
    size_t n = strlen(name);
    assert_int_equal(strncasecmp(line, name, n), 0);
    assert_int_equal(line[n], ':');
    const char *v = line + n + 1;
    while (*v == ' ') v++;
    if (value) assert_string_equal(v, value);
    else assert_imf_date(v);
}

/* h: a whole head ending in CRLF CRLF (modified). */
static void assert_head(char *h, const want *w) {
    char *lines[16];
    int n = head_lines(h, lines, 16), at = 1;
    assert_string_equal(lines[0], w->status_line);
    if (w->ctype) assert_header(lines[at++], "Content-Type", w->ctype);
    assert_header(lines[at++], "Date", NULL);
    char len[32];
    snprintf(len, sizeof len, "%ld", w->length);
    if (w->length != NO_LENGTH) assert_header(lines[at++], "Content-Length", len);
    assert_int_equal(n, at); /* nothing else */
}

/* n bytes from fd, each read within 2 s. */
static void recv_exactly(int fd, void *buf, size_t n) {
    for (size_t have = 0; have < n;) {
        ssize_t r = fst_recv(fd, (char *)buf + have, n - have, 2000);
        assert_true(r > 0);
        have += (size_t)r;
    }
}

/* Reads one answer to request from a fresh connection: the head into head,
 * then Content-Length body bytes (none for HEAD). */
static void exchange(fst_server *s, const char *request, int with_body, char *body, size_t cap) {
    int fd = fst_connect(s);
    assert_true(fd >= 0);
    assert_int_equal(fst_send(fd, request, strlen(request)), 0);
    size_t got = 0;
    char *end = NULL;
    while (!(end = strstr(head, "\r\n\r\n"))) {
        ssize_t r = fst_recv(fd, head + got, 1, 2000); /* byte by byte: the body stays */
        assert_int_equal(r, 1);
        head[++got] = '\0';
    }
    const char *cl = strcasestr(head, "\ncontent-length:");
    size_t want_len = with_body && cl ? (size_t)atol(cl + 16) : 0;
    assert_true(want_len < cap);
    recv_exactly(fd, body, want_len);
    body[want_len] = '\0';
    close(fd);
}

static void check(fst_server *s, const char *method, const char *path, const char *req_body,
                  const want *w) {
    char request[1024], body[1024];
    snprintf(request, sizeof request, "%s %s HTTP/1.1\r\nHost: x\r\n" FST_AUTH
             "Content-Length: %zu\r\n\r\n%s", method, path, strlen(req_body), req_body);
    head[0] = '\0';
    exchange(s, request, strcmp(method, "HEAD"), body, sizeof body);
    print_message("%s %s\n", method, path);
    assert_head(head, w);
    if (w->body) assert_string_equal(body, w->body);
}

static void rest_answers_are_runner_answers(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start_server(s, "{\"execution_id\":\"e-1\",\"probe\":["
        "{\"status\":404,\"body_form\":\"runner\",\"message\":\"execution e-1 not found\"},"
        "{\"status\":500,\"body_form\":\"envelope\",\"message\":\"boom\"},"
        "{\"status\":409,\"body_form\":\"flat\",\"message\":\"busy\"},"
        "{\"status\":502,\"body_form\":\"empty\"}]}", 1, 1), 0);
    const want runner = {"HTTP/1.1 404 Not Found", JSON, 35, "{\"error\":\"execution e-1 not found\"}"};
    const want envelope = {"HTTP/1.1 500 Internal Server Error", JSON, 69,
                           "{\"error\":{\"message\":\"boom\",\"type\":\"InternalError\",\"code\":\"internal\"}}"};
    const want flat = {"HTTP/1.1 409 Conflict", JSON, 54,
                       "{\"message\":\"busy\",\"error\":\"Conflict\",\"statusCode\":409}"};
    const want empty = {"HTTP/1.1 502 Bad Gateway", NULL, 0, ""};
    const want probe = {"HTTP/1.1 200 OK", JSON, 41, "{\"execution_id\":\"e-1\",\"status\":\"running\"}"};
    check(s, "GET", EXEC_PATH, "", &runner);
    check(s, "GET", EXEC_PATH, "", &envelope);
    check(s, "GET", EXEC_PATH, "", &flat);
    check(s, "GET", EXEC_PATH, "", &empty);
    check(s, "GET", EXEC_PATH, "", &probe);

    const want created = {"HTTP/1.1 201 Created", JSON, 22, "{\"execution_id\":\"e-1\"}"};
    check(s, "POST", "/v1/boxes/box-1/exec", "{\"command\":\"true\"}", &created);
    const want no_content = {"HTTP/1.1 204 No Content", NULL, NO_LENGTH, ""};
    check(s, "DELETE", EXEC_PATH, "", &no_content);
    check(s, "POST", EXEC_PATH "/signal", "{\"signal\":15}", &no_content);
    check(s, "POST", EXEC_PATH "/resize", "{\"cols\":80,\"rows\":24}", &no_content);
    /* HEAD: the GET's length, no body */
    const want box_head = {"HTTP/1.1 200 OK", JSON, 174, NULL};
    check(s, "HEAD", "/v1/boxes/box-1", "", &box_head);
    const want no_route = {"HTTP/1.1 404 Not Found", "text/plain", 18, "404 page not found"};
    check(s, "GET", "/v2/nothing", "", &no_route);
    check(s, "DELETE", "/v1/config", "", &no_route);
    const want bad_exec = {"HTTP/1.1 400 Bad Request", JSON, 38, "{\"error\":\"body must be a JSON object\"}"};
    check(s, "POST", "/v1/boxes/box-1/exec", "[]", &bad_exec);
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
    const want wants[] = {
        {"HTTP/1.1 404 Not Found", JSON, 35, "{\"error\":\"execution e-1 not found\"}"},
        {"HTTP/1.1 409 Conflict", JSON, 42, "{\"error\":\"execution e-1 already attached\"}"},
        {"HTTP/1.1 410 Gone", JSON, 82,
         "{\"error\":{\"message\":\"reaped\",\"type\":\"SessionReapedError\",\"code\":\"session_reaped\"}}"},
        {"HTTP/1.1 503 Service Unavailable", NULL, 0, ""},
        {"HTTP/1.1 504 Gateway Timeout", JSON, 61,
         "{\"message\":\"slow\",\"error\":\"Gateway Timeout\",\"statusCode\":504}"},
    };
    for (size_t i = 0; i < sizeof wants / sizeof wants[0]; i++) {
        int fd;
        int status = fst_ws_open(s, ATTACH, &fd, head, sizeof head, 2000);
        print_message("attempt %zu: %d\n", i + 1, status);
        char body[512] = "";
        recv_exactly(fd, body, strlen(wants[i].body));
        close(fd);
        assert_head(head, &wants[i]);
        assert_string_equal(body, wants[i].body);
    }
    /* an unknown route is refused as gin refuses it, upgrade or not */
    int fd;
    assert_int_equal(fst_ws_open(s, "/v1/boxes/box-1/nothing/attach", &fd, head, sizeof head, 2000), 404);
    close(fd);
    const want no_route = {"HTTP/1.1 404 Not Found", "text/plain", 18, NULL};
    assert_head(head, &no_route);
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
    int n = head_lines(head, lines, 16);
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
    recv_exactly(fd, got, sizeof expected - 1);
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
