/* test_faults.c - every attach fault primitive, observed from a real client
 * socket, and the journal lines that record it. Timed faults run at K=10 or
 * more and are judged by measured gaps with tolerances. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "fs_testlib.h"
#include "../late_rule.h"

#define ATTACH "/v1/boxes/box-1/executions/e-1/attach"

static char head[4096];
static fst_frame frame;

/* Starts a server whose attach attempts follow attach_json, attaches once. */
static int start_and_attach(fst_server *s, const char *server_json, double k, int *fd) {
    assert_int_equal(fst_start_server(s, server_json, 1, k), 0);
    return fst_ws_open(s, ATTACH, fd, head, sizeof head, 2000);
}

static json_t *event_on(fst_server *s, const char *ev, int timeout_ms) {
    json_t *j = fst_wait_event(s, ev, NULL, NULL, timeout_ms);
    assert_non_null(j);
    return j;
}

static void reject_with_status_and_body_forms(void **state) {
    fst_server *s = *state;
    int fd;
    assert_int_equal(start_and_attach(s, "{\"execution_id\":\"e-1\",\"attach\":["
                                         "{\"reject\":{\"status\":503,\"body_form\":\"envelope\",\"message\":\"busy\"}},"
                                         "{\"reject\":{\"status\":502,\"body_form\":\"empty\"}},"
                                         "{\"reject\":{\"status\":410,\"body_raw\":\"<html>gone</html>\"}}]}",
                                     1, &fd), 503);
    char body[512] = "";
    ssize_t n = fst_recv(fd, body, sizeof body - 1, 1000);
    assert_true(n > 0);
    body[n] = '\0';
    assert_string_equal(body, "{\"error\":{\"message\":\"busy\",\"type\":\"NetworkError\",\"code\":\"network_unavailable\"}}");
    close(fd);
    assert_int_equal(fst_ws_open(s, ATTACH, &fd, head, sizeof head, 2000), 502);
    assert_non_null(strcasestr(head, "content-length: 0\r\n"));
    close(fd);
    assert_int_equal(fst_ws_open(s, ATTACH, &fd, head, sizeof head, 2000), 410);
    n = fst_recv(fd, body, sizeof body - 1, 1000);
    assert_int_equal(n, 17);
    close(fd);
    json_t *j = fst_journal(s);
    assert_int_equal(fst_count(j, "attach", "outcome", "rejected"), 3);
    assert_non_null(fst_find(j, "http_response", "status", "502", 1));
    json_decref(j);
}

static void hung_handshake_sends_nothing_then_fin(void **state) {
    fst_server *s = *state;
    int fd;
    double t0 = fst_now();
    /* 3 client seconds at K=10: 0.3 s real of nothing, then FIN. */
    assert_int_equal(start_and_attach(s, "{\"execution_id\":\"e-1\",\"attach\":[{\"hang\":3}]}", 10, &fd), 0);
    char b[64];
    ssize_t n = fst_recv(fd, b, sizeof b, 2000);
    double took = fst_now() - t0;
    assert_int_equal(n, -1);
    bc_assert_within(took, 0.28, 0.8, "FIN after 3 client s of hung handshake at K=10");
    close(fd);
    json_t *j = event_on(s, "tcp_close", 2000);
    assert_non_null(fst_find(j, "attach", "outcome", "hang", 1));
    json_t *c = fst_find(j, "tcp_close", NULL, NULL, 1);
    assert_string_equal(json_string_value(json_object_get(c, "by")), "server");
    assert_string_equal(json_string_value(json_object_get(c, "how")), "fin");
    json_decref(j);
}

static void client_leaving_a_hung_handshake_is_journaled(void **state) {
    fst_server *s = *state;
    int fd;
    assert_int_equal(start_and_attach(s, "{\"execution_id\":\"e-1\",\"attach\":[{\"hang\":null}]}", 1, &fd), 0);
    shutdown(fd, SHUT_WR);
    json_t *j = fst_wait_event(s, "tcp_close", "by", "client", 2000);
    assert_non_null(j);
    json_t *c = fst_find(j, "tcp_close", NULL, NULL, 1);
    assert_string_equal(json_string_value(json_object_get(c, "how")), "fin");
    json_decref(j);
    char b[8];
    assert_int_equal(fst_recv(fd, b, sizeof b, 1000), -1); /* the server let go too */
    close(fd);
}

static void upgrade_then_silence_sends_no_byte(void **state) {
    fst_server *s = *state;
    int fd;
    assert_int_equal(start_and_attach(s, "{\"execution_id\":\"e-1\",\"ping_interval\":1,"
                                         "\"steps\":[{\"silence\":null}]}", 10, &fd), 101);
    char b[64];
    /* Pings would be due every 0.1 s real; silence holds them too, and the
     * client's own ping gets no pong. */
    assert_int_equal(fst_ws_send(fd, FS_WS_PING, "are you there", 13), 0);
    assert_int_equal(fst_recv(fd, b, sizeof b, 500), 0);
    close(fd);
    json_t *j = event_on(s, "tcp_close", 2000);
    assert_non_null(fst_find(j, "frame_in", "op", "ping", 1));
    assert_int_equal(fst_count(j, "frame_out", NULL, NULL), 0);
    json_decref(j);
}

static void silence_ends_and_held_echo_follows(void **state) {
    fst_server *s = *state;
    int fd;
    assert_int_equal(start_and_attach(s, "{\"execution_id\":\"e-1\",\"echo_stdin\":true,\"ping_interval\":0,"
                                         "\"steps\":[{\"silence\":10},{\"out\":\"after\"}]}", 20, &fd), 101);
    assert_int_equal(fst_ws_send(fd, FS_WS_PING, "p", 1), 0);
    assert_int_equal(fst_ws_send(fd, FS_WS_BINARY, "e", 1), 0);
    double t0 = fst_now();
    assert_int_equal(fst_ws_read(fd, &frame, 2000), 1);
    double waited = fst_now() - t0;
    /* Nothing during the 0.5 s real silence: then the echo, then the script. */
    assert_true(waited > 0.45);
    assert_int_equal(frame.opcode, FS_WS_BINARY);
    assert_memory_equal(frame.data, "\x01" "e", 2);
    assert_int_equal(fst_ws_read(fd, &frame, 2000), 1);
    assert_memory_equal(frame.data, "\x01" "after", 6);
    close(fd);
}

static void frames_then_stall_for_a_measured_time(void **state) {
    fst_server *s = *state;
    int fd;
    assert_int_equal(start_and_attach(s, "{\"execution_id\":\"e-1\",\"steps\":["
                                         "{\"out\":\"x\"},{\"silence\":10},{\"exit\":0}]}", 50, &fd), 101);
    assert_int_equal(fst_ws_read(fd, &frame, 1000), 1);
    double t_out = fst_now();
    assert_memory_equal(frame.data, "\x01x", 2);
    assert_int_equal(fst_ws_read(fd, &frame, 2000), 1);
    double gap = fst_now() - t_out;
    assert_int_equal(frame.opcode, FS_WS_TEXT);
    /* 10 client seconds at K=50 is 0.2 s real. */
    print_message("silence 10 s at K=50: %.4f s real\n", gap);
    bc_assert_within(gap, 0.19, 0.35, "10 client s of silence at K=50");
    close(fd);
}

static void close_frame_without_exit(void **state) {
    fst_server *s = *state;
    int fd;
    assert_int_equal(start_and_attach(s, "{\"execution_id\":\"e-1\",\"steps\":["
                                         "{\"close\":4000,\"reason\":\"bye\"}]}", 1, &fd), 101);
    assert_int_equal(fst_ws_read(fd, &frame, 2000), 1);
    assert_int_equal(frame.opcode, FS_WS_CLOSE);
    assert_int_equal((frame.data[0] << 8) | frame.data[1], 4000);
    assert_memory_equal(frame.data + 2, "bye", 3);
    assert_int_equal(fst_ws_send(fd, FS_WS_CLOSE, frame.data, 2), 0);
    close(fd);
    json_t *j = event_on(s, "tcp_close", 2000);
    assert_int_equal(fst_count(j, "frame_out", "op", "text"), 0);
    json_t *c = fst_find(j, "tcp_close", NULL, NULL, 1);
    assert_string_equal(json_string_value(json_object_get(c, "close_frame_by")), "server");
    assert_string_equal(json_string_value(json_object_get(c, "how")), "close_frame");
    json_decref(j);
}

/* A client that never answers the close frame is let go after 5 client
 * seconds, whatever the scale (here x10: 0.5 s real), not lws's 5 real s. */
static void unanswered_close_frame_ends_in_client_time(void **state) {
    fst_server *s = *state;
    int fd;
    assert_int_equal(start_and_attach(s, "{\"execution_id\":\"e-1\",\"steps\":["
                                         "{\"close\":1001}]}", 10, &fd), 101);
    assert_int_equal(fst_ws_read(fd, &frame, 2000), 1);
    assert_int_equal(frame.opcode, FS_WS_CLOSE);
    double sent = fst_now();
    char b[16];
    assert_int_equal(fst_recv(fd, b, sizeof b, 3000), -1); /* FIN, no more bytes */
    double waited = fst_now() - sent;
    bc_assert_within(waited, 0.4, 1.5, "an unanswered close let go after 5 client s at K=10");
    close(fd);
}

static void close_frame_without_status(void **state) {
    fst_server *s = *state;
    int fd;
    assert_int_equal(start_and_attach(s, "{\"execution_id\":\"e-1\",\"steps\":[{\"close\":null}]}", 1, &fd), 101);
    assert_int_equal(fst_ws_read(fd, &frame, 2000), 1);
    assert_int_equal(frame.opcode, FS_WS_CLOSE);
    assert_int_equal(frame.len, 0);
    assert_int_equal(fst_ws_send(fd, FS_WS_CLOSE, "", 0), 0);
    close(fd);
    json_t *j = event_on(s, "tcp_close", 2000);
    assert_int_equal(fst_count(j, "frame_out", "op", "close"), 1);
    assert_non_null(fst_find(j, "frame_in", "op", "close", 1));
    json_decref(j);
}

static void fin_without_close_frame(void **state) {
    fst_server *s = *state;
    int fd;
    assert_int_equal(start_and_attach(s, "{\"execution_id\":\"e-1\",\"steps\":["
                                         "{\"out\":\"x\"},{\"fin\":true}]}", 1, &fd), 101);
    assert_int_equal(fst_ws_read(fd, &frame, 2000), 1);
    char b[16];
    assert_int_equal(fst_recv(fd, b, sizeof b, 2000), -1); /* EOF, no close frame */
    close(fd);
    json_t *j = event_on(s, "tcp_close", 2000);
    json_t *c = fst_find(j, "tcp_close", NULL, NULL, 1);
    assert_string_equal(json_string_value(json_object_get(c, "by")), "server");
    assert_string_equal(json_string_value(json_object_get(c, "how")), "fin");
    assert_null(json_object_get(c, "close_frame_by"));
    json_decref(j);
}

static void rst_resets_the_connection(void **state) {
    fst_server *s = *state;
    int fd;
    assert_int_equal(start_and_attach(s, "{\"execution_id\":\"e-1\",\"steps\":[{\"rst\":true}]}", 1, &fd), 101);
    char b[16];
    assert_int_equal(fst_recv(fd, b, sizeof b, 2000), -2);
    assert_int_equal(errno, ECONNRESET);
    close(fd);
    json_t *j = event_on(s, "tcp_close", 2000);
    json_t *c = fst_find(j, "tcp_close", NULL, NULL, 1);
    assert_string_equal(json_string_value(json_object_get(c, "how")), "rst");
    assert_string_equal(json_string_value(json_object_get(c, "by")), "server");
    json_decref(j);
}

static void half_open_keeps_the_socket_silent_and_open(void **state) {
    fst_server *s = *state;
    int fd;
    assert_int_equal(start_and_attach(s, "{\"execution_id\":\"e-1\",\"ping_interval\":1,\"echo_stdin\":true,"
                                         "\"steps\":[{\"half_open\":null}]}", 10, &fd), 101);
    assert_int_equal(fst_ws_send(fd, FS_WS_BINARY, "hi", 2), 0);
    char b[16];
    assert_int_equal(fst_recv(fd, b, sizeof b, 500), 0); /* no echo, no ping, no EOF */
    json_t *j = fst_journal(s);
    assert_int_equal(fst_count(j, "frame_in", NULL, NULL), 0); /* the server stopped reading */
    assert_int_equal(fst_count(j, "tcp_close", NULL, NULL), 0);
    json_decref(j);
    close(fd);
}

static void half_open_frees_the_execution_after_the_read_deadline(void **state) {
    fst_server *s = *state;
    int fd, fd2;
    /* 45 client seconds at K=100: 0.45 s real. */
    assert_int_equal(start_and_attach(s, "{\"execution_id\":\"e-1\",\"attach\":["
                                         "{\"steps\":[{\"half_open\":null}]},{\"steps\":[{\"exit\":0}]}]}",
                                     100, &fd), 101);
    assert_int_equal(fst_ws_open(s, ATTACH, &fd2, head, sizeof head, 2000), 409);
    close(fd2);
    usleep(600000);
    assert_int_equal(fst_ws_open(s, ATTACH, &fd2, head, sizeof head, 2000), 101);
    assert_int_equal(fst_ws_read(fd2, &frame, 2000), 1);
    assert_int_equal(frame.opcode, FS_WS_TEXT);
    close(fd2);
    /* The half-open client socket itself stayed open and silent. */
    char b[8];
    assert_int_equal(fst_recv(fd, b, sizeof b, 100), 0);
    close(fd);
}

static void cut_mid_frame_then_fin(void **state) {
    fst_server *s = *state;
    int fd;
    assert_int_equal(start_and_attach(s, "{\"execution_id\":\"e-1\",\"steps\":["
                                         "{\"cut\":{\"out\":\"hello world\"},\"keep\":5,\"then\":\"fin\"}]}",
                                     1, &fd), 101);
    uint8_t b[64];
    size_t got = 0;
    for (;;) {
        ssize_t n = fst_recv(fd, b + got, sizeof b - got, 2000);
        if (n <= 0) {
            assert_int_equal(n, -1); /* FIN */
            break;
        }
        got += (size_t)n;
    }
    assert_int_equal(got, 5);
    /* The header promises 12 payload bytes; only 3 arrive. */
    assert_int_equal(b[0], 0x82);
    assert_int_equal(b[1], 12);
    assert_memory_equal(b + 2, "\x01he", 3);
    close(fd);
    json_t *j = event_on(s, "tcp_close", 2000);
    json_t *f = fst_find(j, "frame_out", "partial", "5", 1);
    assert_non_null(f);
    assert_int_equal(json_integer_value(json_object_get(f, "len")), 12);
    json_decref(j);
}

static void drip_spaces_each_byte(void **state) {
    fst_server *s = *state;
    int fd;
    /* 1 client second between bytes at K=20: 50 ms real. */
    assert_int_equal(start_and_attach(s, "{\"execution_id\":\"e-1\",\"steps\":["
                                         "{\"drip\":{\"out\":\"abc\"},\"interval\":1},{\"wait\":100}]}",
                                     20, &fd), 101);
    /* Big reads: bytes that arrived together would come out together. */
    uint8_t b[64];
    size_t got = 0;
    int reads = 0;
    double first = 0, last = 0;
    while (got < 6) {
        ssize_t n = fst_recv(fd, b + got, sizeof b - got, 2000);
        assert_true(n > 0);
        last = fst_now();
        if (reads++ == 0) first = last;
        got += (size_t)n;
    }
    assert_int_equal(got, 6);
    assert_memory_equal(b, "\x82\x04\x01" "abc", 6);
    print_message("drip: 6 bytes in %d reads over %.4f s (expected 6 reads, 0.25 s)\n", reads,
                  last - first);
    /* Five 50 ms pauses; a loaded machine may merge a read or two. */
    assert_true(reads >= 4);
    assert_true(last - first > 0.2);
    close(fd);
    json_t *j = event_on(s, "frame_out", 2000);
    assert_non_null(fst_find(j, "frame_out", "drip", "true", 1));
    json_decref(j);
}

static void scripted_ping_and_unsolicited_pong(void **state) {
    fst_server *s = *state;
    int fd;
    assert_int_equal(start_and_attach(s, "{\"execution_id\":\"e-1\",\"steps\":["
                                         "{\"pong\":\"pp\"},{\"ping\":\"qq\"},{\"wait\":100}]}", 1, &fd), 101);
    assert_int_equal(fst_ws_read(fd, &frame, 2000), 1);
    assert_int_equal(frame.opcode, FS_WS_PONG);
    assert_memory_equal(frame.data, "pp", 2);
    assert_int_equal(fst_ws_read(fd, &frame, 2000), 1);
    assert_int_equal(frame.opcode, FS_WS_PING);
    assert_memory_equal(frame.data, "qq", 2);
    close(fd);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(reject_with_status_and_body_forms, fst_setup, fst_teardown),
        /* bc_timed_*: the cases that bound a timing from above (tests/late_rule.h) */
        bc_timed_test_setup_teardown(hung_handshake_sends_nothing_then_fin, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(client_leaving_a_hung_handshake_is_journaled, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(upgrade_then_silence_sends_no_byte, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(silence_ends_and_held_echo_follows, fst_setup, fst_teardown),
        bc_timed_test_setup_teardown(frames_then_stall_for_a_measured_time, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(close_frame_without_exit, fst_setup, fst_teardown),
        bc_timed_test_setup_teardown(unanswered_close_frame_ends_in_client_time, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(close_frame_without_status, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(fin_without_close_frame, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(rst_resets_the_connection, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(half_open_keeps_the_socket_silent_and_open, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(half_open_frees_the_execution_after_the_read_deadline, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(cut_mid_frame_then_fin, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(drip_spaces_each_byte, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(scripted_ping_and_unsolicited_pong, fst_setup, fst_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
