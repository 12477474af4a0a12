/* test_attach.c - the well-behaved attach: exit, close, pings, backlog
 * replay, 409 on a second attach, stdin, and how the journal records them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fs_testlib.h"

#define ATTACH "/v1/boxes/box-1/executions/e-1/attach"
#define PROBE "/v1/boxes/box-1/executions/e-1"

static char head[4096];
static fst_frame frame;

static void exec_then_attach_gets_exit_and_close_1000(void **state) {
    fst_server *s = *state;
    char buf[4096], path[256];
    const char *body;
    assert_int_equal(fst_start(s, NULL, 1), 0);
    assert_int_equal(fst_http(s, "POST", "/v1/boxes/box-1/exec", "{\"command\":\"true\"}", buf,
                              sizeof buf, &body, 2000), 201);
    json_t *r = json_loads(body, 0, NULL);
    const char *eid = json_string_value(json_object_get(r, "execution_id"));
    assert_non_null(eid);
    assert_int_equal(strlen(eid), 36);
    snprintf(path, sizeof path, "/v1/boxes/box-1/executions/%s/attach", eid);
    int fd;
    assert_int_equal(fst_ws_open(s, path, &fd, head, sizeof head, 2000), 101);
    assert_int_equal(fst_ws_read(fd, &frame, 2000), 1);
    assert_int_equal(frame.opcode, FS_WS_TEXT);
    assert_false(frame.masked);
    assert_memory_equal(frame.data, "{\"exit_code\":0,\"type\":\"exit\"}", frame.len);
    assert_int_equal(fst_ws_read(fd, &frame, 2000), 1);
    assert_int_equal(frame.opcode, FS_WS_CLOSE);
    assert_int_equal((frame.data[0] << 8) | frame.data[1], 1000);
    close(fd);
    snprintf(path, sizeof path, "/v1/boxes/box-1/executions/%s", eid);
    assert_int_equal(fst_http(s, "GET", path, NULL, buf, sizeof buf, &body, 2000), 200);
    assert_non_null(strstr(body, "\"status\":\"completed\""));
    assert_non_null(strstr(body, "\"exit_code\":0"));
    json_decref(r);
    json_t *j = fst_wait_event(s, "tcp_close", "conn", "2", 2000);
    assert_non_null(j);
    json_t *a = fst_find(j, "attach", "outcome", "upgraded", 1);
    assert_non_null(a);
    assert_int_equal(json_integer_value(json_object_get(a, "attempt")), 1);
    json_t *c = fst_find(j, "frame_out", "op", "close", 1);
    assert_non_null(c);
    assert_int_equal(json_integer_value(json_object_get(c, "code")), 1000);
    assert_non_null(fst_find(j, "execution", "state", "completed", 1));
    json_decref(j);
}

static void client_frames_are_journaled_with_mask_bit(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start_server(s, "{\"execution_id\":\"e-1\",\"steps\":["
                                          "{\"wait_for\":\"stdin_eof\",\"max\":30},{\"exit\":3}]}",
                                      1, 1),
                     0);
    int fd;
    assert_int_equal(fst_ws_open(s, ATTACH, &fd, head, sizeof head, 2000), 101);
    assert_int_equal(fst_ws_send(fd, FS_WS_BINARY, "abc", 3), 0);
    assert_int_equal(fst_ws_send(fd, FS_WS_TEXT, "{\"type\":\"stdin_eof\"}", 20), 0);
    assert_int_equal(fst_ws_read(fd, &frame, 2000), 1);
    assert_memory_equal(frame.data, "{\"exit_code\":3,\"type\":\"exit\"}", frame.len);
    close(fd);
    json_t *j = fst_wait_event(s, "tcp_close", "conn", "1", 2000);
    assert_non_null(j);
    json_t *in = fst_find(j, "frame_in", "op", "binary", 1);
    assert_non_null(in);
    assert_true(json_is_true(json_object_get(in, "masked")));
    assert_string_equal(json_string_value(json_object_get(in, "data_b64")), "YWJj");
    assert_non_null(fst_find(j, "frame_in", "text", "{\"type\":\"stdin_eof\"}", 1));
    json_decref(j);

    /* An unmasked client frame is visible as such. */
    assert_int_equal(fst_stop(s), 0);
    assert_int_equal(fst_start_server(s, "{\"execution_id\":\"e-1\",\"steps\":[{\"silence\":null}]}", 1, 1), 0);
    assert_int_equal(fst_ws_open(s, ATTACH, &fd, head, sizeof head, 2000), 101);
    uint8_t raw[8];
    size_t n = fs_wsframe_encode(raw, sizeof raw, 1, FS_WS_BINARY, (const uint8_t *)"zz", 2, NULL);
    assert_int_equal(fst_send(fd, raw, n), 0);
    j = fst_wait_event(s, "frame_in", "masked", "false", 2000);
    assert_non_null(j);
    assert_non_null(fst_find(j, "protocol_error", "what", "unmasked client frame", 1));
    json_decref(j);
    close(fd);
}

static void pings_arrive_every_interval_and_pongs_are_seen(void **state) {
    fst_server *s = *state;
    /* 1 client second = 0.1 s real at K=10. */
    assert_int_equal(fst_start_server(s, "{\"execution_id\":\"e-1\",\"ping_interval\":1,"
                                          "\"steps\":[{\"wait\":100}]}", 1, 10), 0);
    int fd;
    assert_int_equal(fst_ws_open(s, ATTACH, &fd, head, sizeof head, 2000), 101);
    double t0 = fst_now(), first = 0;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(fst_ws_read(fd, &frame, 1000), 1);
        assert_int_equal(frame.opcode, FS_WS_PING);
        if (i == 0) first = fst_now();
        assert_int_equal(fst_ws_send(fd, FS_WS_PONG, frame.data, frame.len), 0);
    }
    /* First ping one interval after the upgrade, then two more intervals. */
    double span = fst_now() - first;
    assert_true(first - t0 > 0.08);
    assert_true(span > 0.17 && span < 0.6);
    close(fd);
    json_t *j = fst_wait_event(s, "tcp_close", NULL, NULL, 2000);
    assert_non_null(j);
    assert_true(fst_count(j, "frame_out", "op", "ping") >= 3);
    json_t *pong = fst_find(j, "frame_in", "op", "pong", 1);
    assert_non_null(pong);
    assert_true(json_is_true(json_object_get(pong, "masked")));
    json_decref(j);
}

static void reattach_replays_backlog_first(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start_server(s, "{\"execution_id\":\"e-1\",\"attach\":[{\"steps\":["
                                          "{\"out\":\"one\"},{\"err\":\"two\"},{\"fin\":true}]}]}",
                                      1, 1), 0);
    int fd;
    assert_int_equal(fst_ws_open(s, ATTACH, &fd, head, sizeof head, 2000), 101);
    assert_int_equal(fst_ws_read(fd, &frame, 2000), 1);
    assert_int_equal(fst_ws_read(fd, &frame, 2000), 1);
    assert_int_equal(fst_ws_read(fd, &frame, 2000), -1); /* FIN */
    close(fd);
    assert_int_equal(fst_ws_open(s, ATTACH, &fd, head, sizeof head, 2000), 101);
    assert_int_equal(fst_ws_read(fd, &frame, 2000), 1);
    assert_int_equal(frame.len, 4);
    assert_memory_equal(frame.data, "\x01one", 4);
    assert_int_equal(fst_ws_read(fd, &frame, 2000), 1);
    assert_memory_equal(frame.data, "\x02two", 4);
    assert_int_equal(fst_ws_read(fd, &frame, 2000), 1);
    assert_int_equal(frame.opcode, FS_WS_TEXT);
    close(fd);
    json_t *j = fst_wait_event(s, "tcp_close", "conn", "2", 2000);
    assert_non_null(j);
    json_t *rep = fst_find(j, "frame_out", "replay", "true", 1);
    assert_non_null(rep);
    assert_int_equal(json_integer_value(json_object_get(rep, "attempt")), 2);
    assert_int_equal(json_integer_value(json_object_get(rep, "channel")), 1);
    assert_int_equal(fst_count(j, "frame_out", "replay", "true"), 2);
    json_t *st = fst_find(j, "step", "do", "err", 1);
    assert_non_null(st);
    assert_int_equal(json_integer_value(json_object_get(st, "index")), 1);
    assert_non_null(fst_find(j, "step", "do", "fin", 1));
    json_decref(j);
}

static void second_concurrent_attach_gets_409(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start_server(s, "{\"execution_id\":\"e-1\",\"steps\":[{\"silence\":null}]}", 1, 1), 0);
    int fd1, fd2;
    assert_int_equal(fst_ws_open(s, ATTACH, &fd1, head, sizeof head, 2000), 101);
    assert_int_equal(fst_ws_open(s, ATTACH, &fd2, head, sizeof head, 2000), 409);
    char body[512];
    const char *b = strstr(head, "\r\n\r\n");
    ssize_t n = fst_recv(fd2, body, sizeof body - 1, 1000);
    assert_true(n > 0);
    body[n] = '\0';
    assert_non_null(b);
    assert_string_equal(body, "{\"error\":\"another client is attached\"}");
    close(fd2);
    close(fd1);
    /* Once the first is gone the next attach is accepted. */
    json_decref(fst_wait_event(s, "tcp_close", "conn", "1", 2000));
    assert_int_equal(fst_ws_open(s, ATTACH, &fd1, head, sizeof head, 2000), 101);
    close(fd1);
    json_t *j = fst_journal(s);
    json_t *a = fst_find(j, "attach", "outcome", "rejected", 1);
    assert_non_null(a);
    assert_int_equal(json_integer_value(json_object_get(a, "attempt")), 2);
    json_decref(j);
}

static void unknown_execution_and_bad_token_are_refused(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start_server(s, "{\"auth\": \"enforce\"}", 0, 1), 0);
    int fd;
    assert_int_equal(fst_ws_open(s, "/v1/boxes/box-1/executions/nope/attach", &fd, head,
                                 sizeof head, 2000), 404);
    close(fd);
    fd = fst_connect(s);
    const char *req = "GET " ATTACH " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer wrong\r\n"
                      "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    assert_int_equal(fst_send(fd, req, strlen(req)), 0);
    char buf[2048];
    const char *body;
    assert_int_equal(fst_read_response(fd, buf, sizeof buf, &body, 2000), 401);
    close(fd);
}

static void echo_stdin_sends_it_back_as_stdout(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start_server(s, "{\"execution_id\":\"e-1\",\"echo_stdin\":true,"
                                          "\"exit_on_stdin_eof\":5,\"steps\":[]}", 1, 1), 0);
    int fd;
    assert_int_equal(fst_ws_open(s, ATTACH "?stdin=1&tty=0", &fd, head, sizeof head, 2000), 101);
    assert_int_equal(fst_ws_send(fd, FS_WS_BINARY, "ping me", 7), 0);
    assert_int_equal(fst_ws_read(fd, &frame, 2000), 1);
    assert_memory_equal(frame.data, "\x01ping me", 8);
    assert_int_equal(fst_ws_send(fd, FS_WS_TEXT, "{\"type\":\"stdin_eof\"}", 20), 0);
    assert_int_equal(fst_ws_read(fd, &frame, 2000), 1);
    assert_memory_equal(frame.data, "{\"exit_code\":5,\"type\":\"exit\"}", frame.len);
    close(fd);
    json_t *j = fst_journal(s);
    json_t *eof = fst_find(j, "frame_in", "op", "text", 1);
    assert_true(json_is_true(json_object_get(eof, "fin")));
    json_decref(j);

    /* The client closes first: its close frame is answered and journaled. */
    assert_int_equal(fst_ws_open(s, ATTACH, &fd, head, sizeof head, 2000), 101);
    assert_int_equal(fst_ws_send(fd, FS_WS_CLOSE, "\x03\xe8", 2), 0);
    do /* the backlog replay comes first */
        assert_int_equal(fst_ws_read(fd, &frame, 2000), 1);
    while (frame.opcode != FS_WS_CLOSE);
    close(fd);
    j = fst_wait_event(s, "tcp_close", "conn", "2", 2000);
    assert_non_null(j);
    json_t *in = fst_find(j, "frame_in", "op", "close", 1);
    assert_int_equal(json_integer_value(json_object_get(in, "code")), 1000);
    json_t *c = fst_find(j, "tcp_close", "conn", "2", 1);
    assert_string_equal(json_string_value(json_object_get(c, "close_frame_by")), "client");
    json_decref(j);
    j = fst_journal(s);
    json_t *a = fst_find(j, "attach", NULL, NULL, 1);
    assert_string_equal(json_string_value(json_object_get(a, "query")), "stdin=1&tty=0");
    json_decref(j);
}

static void wait_for_stdin_bytes_or_its_max(void **state) {
    fst_server *s = *state;
    /* 2 client seconds of max at K=10: 0.2 s real. */
    assert_int_equal(fst_start_server(s, "{\"execution_id\":\"e-1\",\"ping_interval\":0,\"attach\":["
                                          "{\"steps\":[{\"wait_for\":\"stdin\",\"bytes\":4,\"max\":2},{\"exit\":null}]}]}",
                                      1, 10), 0);
    int fd;
    assert_int_equal(fst_ws_open(s, ATTACH, &fd, head, sizeof head, 2000), 101);
    double t0 = fst_now();
    assert_int_equal(fst_ws_send(fd, FS_WS_BINARY, "ab", 2), 0);
    assert_int_equal(fst_ws_read(fd, &frame, 2000), 1);
    double waited = fst_now() - t0;
    assert_true(waited > 0.18 && waited < 0.6); /* 2 bytes were not enough */
    assert_memory_equal(frame.data, "{\"type\":\"exit\"}", frame.len);
    close(fd);
    char buf[512];
    const char *body;
    assert_int_equal(fst_http(s, "GET", "/v1/boxes/box-1/executions/e-1", NULL, buf, sizeof buf, &body, 2000), 200);
    assert_string_equal(body, "{\"execution_id\":\"e-1\",\"status\":\"completed\",\"exit_code\":null}");

    /* Enough bytes end the wait at once. */
    assert_int_equal(fst_stop(s), 0);
    assert_int_equal(fst_start_server(s, "{\"execution_id\":\"e-1\",\"ping_interval\":0,\"steps\":["
                                          "{\"wait_for\":\"stdin\",\"bytes\":4},{\"exit\":6}]}", 1, 1), 0);
    assert_int_equal(fst_ws_open(s, ATTACH, &fd, head, sizeof head, 2000), 101);
    assert_int_equal(fst_ws_send(fd, FS_WS_BINARY, "ab", 2), 0);
    assert_int_equal(fst_ws_send(fd, FS_WS_BINARY, "cd", 2), 0);
    t0 = fst_now();
    assert_int_equal(fst_ws_read(fd, &frame, 2000), 1);
    assert_true(fst_now() - t0 < 0.5);
    assert_memory_equal(frame.data, "{\"exit_code\":6,\"type\":\"exit\"}", frame.len);
    close(fd);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(exec_then_attach_gets_exit_and_close_1000, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(client_frames_are_journaled_with_mask_bit, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(pings_arrive_every_interval_and_pongs_are_seen, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(reattach_replays_backlog_first, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(second_concurrent_attach_gets_409, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(unknown_execution_and_bad_token_are_refused, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(echo_stdin_sends_it_back_as_stdout, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(wait_for_stdin_bytes_or_its_max, fst_setup, fst_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
