/* test_flood.c - the flood step: exactly BYTES of the pattern in frames of
 * FRAME output bytes, then the exit frame; journaled one frame_out per frame
 * without its data; paced by the client's reading, not buffered. */
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
#include "scenario.h"

#define ATTACH "/v1/boxes/box-1/executions/e-1/attach"
#define PROBE "/v1/boxes/box-1/executions/e-1"

/* What the client saw of one attach. */
typedef struct seen {
    int channel;                /* expected channel byte */
    size_t frame;               /* expected output bytes per frame */
    size_t frames, bytes;       /* binary frames and output bytes so far */
    size_t odd_frames, odd_len; /* frames of another size, the last one's size */
    int bad_channel, bad_pattern, binary_after_exit;
    int exit_seen, close_seen;
    char exit_text[64];
} seen;

static void on_frame(void *user, const fs_wsframe *f) {
    seen *s = user;
    if (f->opcode == FS_WS_BINARY) {
        size_t n = f->len - 1;
        if (f->len < 1 || f->data[0] != s->channel) s->bad_channel++;
        size_t kept = f->kept > 1 ? f->kept - 1 : 0;
        if (!bc_flood_matches(f->data + 1, kept < n ? kept : n, s->bytes)) s->bad_pattern++;
        if (n != s->frame) {
            s->odd_frames++;
            s->odd_len = n;
        }
        if (s->exit_seen) s->binary_after_exit++;
        s->bytes += n;
        s->frames++;
    } else if (f->opcode == FS_WS_TEXT && f->kept < sizeof s->exit_text) {
        memcpy(s->exit_text, f->data, f->kept);
        s->exit_text[f->kept] = '\0';
        s->exit_seen = 1;
    } else if (f->opcode == FS_WS_CLOSE) {
        s->close_seen = 1;
    }
}

/* Reads frames in bulk (fst_ws_read goes byte by byte) until the close frame. */
static void read_all(int fd, seen *s) {
    static uint8_t buf[256 * 1024];
    fs_wsdec d;
    fs_wsdec_init(&d, 70000);
    while (!s->close_seen) {
        ssize_t n = fst_recv(fd, buf, sizeof buf, 5000);
        if (n <= 0) break;
        fs_wsdec_feed(&d, buf, (size_t)n, on_frame, s);
    }
    fs_wsdec_free(&d);
}

static long server_rss_kb(const fst_server *s) {
    char path[64], line[256];
    long kb = -1;
    snprintf(path, sizeof path, "/proc/%d/status", (int)s->pid);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld kB", &kb) == 1) break;
    fclose(f);
    return kb;
}

static int open_attach(const fst_server *s) {
    static char head[4096];
    int fd = -1;
    assert_int_equal(fst_ws_open(s, ATTACH, &fd, head, sizeof head, 2000), 101);
    return fd;
}

static void flood_sends_bytes_in_frames_then_exit(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start_server(s, "{\"execution_id\":\"e-1\",\"steps\":["
                                          "{\"flood\":1000000,\"frame\":65536},{\"exit\":0}]}", 1, 1), 0);
    int fd = open_attach(s);
    seen v = {.channel = 1, .frame = 65536};
    read_all(fd, &v);
    close(fd);
    assert_int_equal(v.bytes, 1000000);
    assert_int_equal(v.frames, 16);
    assert_int_equal(v.odd_frames, 1);          /* only the last is short */
    assert_int_equal(v.odd_len, 1000000 - 15 * 65536);
    assert_int_equal(v.bad_channel, 0);
    assert_int_equal(v.bad_pattern, 0);
    assert_int_equal(v.binary_after_exit, 0);
    assert_string_equal(v.exit_text, "{\"exit_code\":0,\"type\":\"exit\"}");
    assert_true(v.close_seen);

    char buf[512];
    const char *body;
    assert_int_equal(fst_http(s, "GET", PROBE, NULL, buf, sizeof buf, &body, 2000), 200);
    assert_non_null(strstr(body, "\"status\":\"completed\""));
    json_t *j = fst_wait_event(s, "tcp_close", "conn", "1", 2000);
    assert_non_null(j);
    assert_int_equal(fst_count(j, "frame_out", "flood", "true"), 16);
    json_t *f = fst_find(j, "frame_out", "flood", "true", 1);
    assert_int_equal(json_integer_value(json_object_get(f, "len")), 65537);
    assert_int_equal(json_integer_value(json_object_get(f, "channel")), 1);
    assert_null(json_object_get(f, "data_b64"));
    json_t *last = fst_find(j, "frame_out", "flood", "true", 16);
    assert_int_equal(json_integer_value(json_object_get(last, "len")), 1000000 - 15 * 65536 + 1);
    json_t *st = fst_find(j, "step", "do", "flood", 1);
    assert_non_null(st);
    assert_int_equal(json_integer_value(json_object_get(st, "index")), 0);
    json_decref(j);
}

/* A frame size off the pattern's period, stderr, and an empty flood. */
static void flood_on_stderr_keeps_the_pattern_across_frames(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start_server(s, "{\"execution_id\":\"e-1\",\"steps\":["
                                          "{\"flood\":0,\"frame\":10},"
                                          "{\"flood\":10000,\"frame\":100,\"stream\":\"err\"},"
                                          "{\"exit\":4}]}", 1, 1), 0);
    int fd = open_attach(s);
    seen v = {.channel = 2, .frame = 100};
    read_all(fd, &v);
    close(fd);
    assert_int_equal(v.bytes, 10000);
    assert_int_equal(v.frames, 100);
    assert_int_equal(v.odd_frames, 0);
    assert_int_equal(v.bad_channel, 0);
    assert_int_equal(v.bad_pattern, 0);
    assert_string_equal(v.exit_text, "{\"exit_code\":4,\"type\":\"exit\"}");
    json_t *j = fst_wait_event(s, "tcp_close", "conn", "1", 2000);
    assert_non_null(j);
    assert_int_equal(fst_count(j, "frame_out", "flood", "true"), 100);
    assert_int_equal(fst_count(j, "frame_out", "op", "binary"), 100);
    json_decref(j);
}

/* A reattach replays the flood's last 256 KiB as backlog (marked replay,
 * with data), then the attempt's own script. */
static void reattach_replays_the_flood_tail(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start_server(s, "{\"execution_id\":\"e-1\",\"attach\":["
                                          "{\"steps\":[{\"flood\":300000,\"frame\":1000},{\"fin\":true}]},"
                                          "{\"steps\":[{\"exit\":0}]}]}", 1, 1), 0);
    int fd = open_attach(s);
    seen v = {.channel = 1, .frame = 1000};
    read_all(fd, &v);
    close(fd);
    assert_int_equal(v.bytes, 300000);
    json_decref(fst_wait_event(s, "tcp_close", "conn", "1", 2000));
    fd = open_attach(s);
    /* 262 frames fit the 256 KiB backlog: output from byte 38000 on. */
    seen r = {.channel = 1, .frame = 1000, .bytes = 300000 - 262 * 1000};
    read_all(fd, &r);
    close(fd);
    assert_int_equal(r.frames, 262);
    assert_int_equal(r.bad_pattern, 0);
    assert_true(r.exit_seen);
    json_t *j = fst_wait_event(s, "tcp_close", "conn", "2", 2000);
    assert_non_null(j);
    assert_int_equal(fst_count(j, "frame_out", "replay", "true"), 262);
    assert_int_equal(fst_count(j, "frame_out", "flood", "true"), 300);
    json_t *rep = fst_find(j, "frame_out", "replay", "true", 1);
    assert_non_null(json_object_get(rep, "data_b64"));
    assert_null(json_object_get(rep, "flood"));
    json_decref(j);
}

/* A client that does not read holds the flood back: the server sends only
 * what the sockets take and its memory does not grow with the step. */
static void a_slow_reader_holds_the_flood_back(void **state) {
    fst_server *s = *state;
    const size_t total = 96u << 20;
    char server[256];
    snprintf(server, sizeof server, "{\"execution_id\":\"e-1\",\"ping_interval\":0,\"steps\":["
                                    "{\"flood\":%zu,\"frame\":65536},{\"exit\":0}]}", total);
    assert_int_equal(fst_start_server(s, server, 1, 1), 0);
    long before = server_rss_kb(s);
    int fd = open_attach(s);
    usleep(500 * 1000);
    long stalled = server_rss_kb(s);
    assert_true(before > 0 && stalled > 0);
    if (stalled - before >= 32 * 1024) print_error("RSS %ld kB -> %ld kB\n", before, stalled);
    assert_true(stalled - before < 32 * 1024);
    seen v = {.channel = 1, .frame = 65536};
    read_all(fd, &v);
    close(fd);
    assert_int_equal(v.bytes, total);
    assert_int_equal(v.odd_frames, 0);
    assert_int_equal(v.bad_pattern, 0);
    assert_true(v.exit_seen && v.close_seen);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(flood_sends_bytes_in_frames_then_exit, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(flood_on_stderr_keeps_the_pattern_across_frames, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(reattach_replays_the_flood_tail, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(a_slow_reader_holds_the_flood_back, fst_setup, fst_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
