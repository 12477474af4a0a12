/* test_stream.c - answers that are not small JSON: bodies made as they are
 * sent (a 2 GiB one read whole, the server's memory measured), chunked,
 * nested JSON, endless bodies and heads cut by the client, dripped bodies
 * timed, uploads over the bound refused. Each prints what it measured. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../case_filter.h"

#include "fs_curl.h"
#include "fs_testlib.h"

#define BOX "/v1/boxes/box-1"
#define GIB (1024ULL * 1024 * 1024)
#define MIB (1024ULL * 1024)
/* What a streamed answer may add to the server's peak memory, whatever its
 * size: a piece or two of it and lws's buffers (measured: README). Under
 * ASan, freed memory waits in its quarantine (256 MiB by default) before it
 * is reused, so the peak grows by that much more: still far from 2 GiB. */
#ifdef __SANITIZE_ADDRESS__
#define GROWTH_MAX_KIB ((32 + 256) * 1024)
#else
#define GROWTH_MAX_KIB (32 * 1024)
#endif

static fsc_result res;

static void get(fst_server *s, const char *path, unsigned long long stop_after, long timeout_ms) {
    char url[256];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", s->port, path);
    fsc_opts o = {.auth = 1, .stop_after = stop_after, .timeout_ms = timeout_ms};
    fsc_fetch(url, &o, &res);
}

/* The http_response of endpoint ep once journaled (the journal in *j). */
static json_t *response(fst_server *s, json_t **j, const char *ep) {
    *j = fst_wait_event(s, "http_response", "endpoint", ep, 3000);
    assert_non_null(*j);
    return fst_find(*j, "http_response", "endpoint", ep, 1);
}

static long long num(json_t *e, const char *key) { return json_integer_value(json_object_get(e, key)); }

/* The server still answers after the fault. */
static void still_serves(fst_server *s) {
    get(s, "/v1/config", 0, 3000);
    assert_int_equal(res.status, 200);
}

static void two_gib_stream_in_bounded_memory(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start_file(s, FS_SCENARIOS "/two-gib-answer.json", 1, NULL), 0);
    long before = fst_proc_kib(s, "VmRSS");
    get(s, BOX "/snapshots", 0, 120000);
    long peak = fst_proc_kib(s, "VmHWM");
    print_message("2 GiB answer: %.2f s, %.0f MiB/s; server VmRSS before %ld KiB, VmHWM after %ld KiB "
                  "(+%ld KiB)\n", res.seconds, 2048 / res.seconds, before, peak, peak - before);
    assert_int_equal(res.rc, 0);
    assert_true(res.total == 2 * GIB);
    assert_true(res.pattern_bad == 0);
    assert_true(peak - before < GROWTH_MAX_KIB);
    json_t *j;
    json_t *e = response(s, &j, "snapshot_list");
    assert_true(num(e, "body_len") == (long long)(2 * GIB));
    assert_null(json_object_get(e, "fault"));
    json_decref(j);
}

static void chunked_and_nested_bodies(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start_server(s, "{\"metrics\":[{\"bytes\":1048577,\"content_length\":false},"
                                         "{\"json_depth\":20000},{\"bytes\":0,\"content_length\":false}]}",
                                      0, 1), 0);
    get(s, BOX "/metrics", 0, 10000);
    assert_int_equal(res.rc, 0);
    assert_true(res.total == 1048577 && res.pattern_bad == 0);
    assert_non_null(strcasestr(res.head, "transfer-encoding: chunked"));
    get(s, BOX "/metrics", 0, 10000);
    assert_true(res.total == 40000);
    assert_true(res.kept == 40000);
    for (size_t i = 0; i < 40000; i++) assert_int_equal(res.body[i], i < 20000 ? '[' : ']');
    assert_non_null(strcasestr(res.head, "content-length: 40000"));
    get(s, BOX "/metrics", 0, 10000);  /* an empty chunked body: just the last chunk */
    assert_int_equal(res.rc, 0);
    assert_true(res.total == 0);
    json_t *j;
    assert_non_null(response(s, &j, "metrics"));
    json_t *e = fst_find(j, "http_response", "endpoint", "metrics", 1);
    assert_true(json_is_true(json_object_get(e, "chunked")));
    json_decref(j);
}

static void endless_body_is_cut_by_the_client(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start_server(s, "{\"files_get\":[{\"endless\":true}]}", 0, 1), 0);
    long before = fst_proc_kib(s, "VmRSS");
    get(s, BOX "/files?path=/x", 256 * MIB, 60000);
    long peak = fst_proc_kib(s, "VmHWM");
    print_message("endless answer cut after %llu MiB in %.2f s; server +%ld KiB\n",
                  res.total / MIB, res.seconds, peak - before);
    assert_true(res.total >= 256 * MIB);
    assert_true(res.pattern_bad == 0);
    assert_true(peak - before < GROWTH_MAX_KIB);
    json_t *j = fst_wait_event(s, "http_response", "complete", "false", 3000);
    assert_non_null(j);
    json_t *e = fst_find(j, "http_response", "endpoint", "files_get", 1);
    assert_string_equal(json_string_value(json_object_get(e, "fault")), "endless");
    assert_true(num(e, "body_len") >= (long long)(256 * MIB));
    json_decref(j);
    still_serves(s);
}

/* The head goes at once, then a byte per interval: K=10, interval 1 client s. */
static void drip_spaces_body_bytes(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start_server(s, "{\"box\":[{\"drip\":1}]}", 0, 10), 0);
    int fd = fst_connect(s);
    const char req[] = "GET " BOX " HTTP/1.1\r\nHost: x\r\n" FST_AUTH "\r\n";
    assert_int_equal(fst_send(fd, req, sizeof req - 1), 0);
    char buf[4096];
    size_t have = 0;
    while (!memmem(buf, have, "\r\n\r\n", 4)) {
        ssize_t r = fst_recv(fd, buf + have, sizeof buf - have, 2000);
        assert_true(r > 0);
        have += (size_t)r;
    }
    double last = fst_now(), min_gap = 1e9, max_gap = 0;
    for (int i = 0; i < 5; i++) {
        char b;
        assert_int_equal(fst_recv(fd, &b, 1, 2000), 1);
        double now = fst_now(), gap = now - last;
        last = now;
        if (gap < min_gap) min_gap = gap;
        if (gap > max_gap) max_gap = gap;
    }
    print_message("drip 1 s at K=10: byte gaps %.4f..%.4f s real (0.1 expected)\n", min_gap, max_gap);
    assert_true(min_gap > 0.08 && max_gap < 0.5);
    close(fd);
    json_t *j = fst_wait_event(s, "http_response", "complete", "false", 3000);
    assert_non_null(j);
    json_t *e = fst_find(j, "http_response", "fault", "drip", 1);
    assert_non_null(e);
    assert_true(num(e, "body_len") >= 5 && num(e, "body_len") < 174);
    json_decref(j);
    still_serves(s);
}

static void endless_head_is_cut_by_the_client(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start_server(s, "{\"config\":[{\"header_endless\":true}]}", 0, 1), 0);
    long before = fst_proc_kib(s, "VmRSS");
    int fd = fst_connect(s);
    const char req[] = "GET /v1/config HTTP/1.1\r\nHost: x\r\n\r\n";
    assert_int_equal(fst_send(fd, req, sizeof req - 1), 0);
    static char buf[1 << 20];
    size_t have = 0;
    while (have < sizeof buf) {
        ssize_t r = fst_recv(fd, buf + have, sizeof buf - have, 2000);
        assert_true(r > 0);
        have += (size_t)r;
    }
    assert_null(memmem(buf, have, "\r\n\r\n", 4)); /* 1 MiB and the head goes on */
    assert_int_equal(memcmp(buf, "HTTP/1.1 200 OK\r\n", 17), 0);
    assert_non_null(memmem(buf, have, "\r\nX-Boxconform-Pad-000000000100: 0123", 36));
    close(fd);
    long peak = fst_proc_kib(s, "VmHWM");
    assert_true(peak - before < GROWTH_MAX_KIB);
    json_t *j = fst_wait_event(s, "http_response", "complete", "false", 3000);
    assert_non_null(j);
    json_t *e = fst_find(j, "http_response", "fault", "header_endless", 1);
    assert_non_null(e);
    assert_int_equal(num(e, "body_len"), 0);
    json_decref(j);
    still_serves(s);
}

/* An upload over 64 MiB is refused, as boxlite serve refuses it. */
static void upload_over_the_bound_is_413(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start(s, NULL, 1), 0);
    size_t n = 64 * MIB + 1;
    char *body = calloc(1, n);
    char url[256];
    snprintf(url, sizeof url, "http://127.0.0.1:%d" BOX "/files?path=/x", s->port);
    fsc_opts o = {.auth = 1, .method = "PUT", .body = body, .body_len = n, .timeout_ms = 60000,
                  .headers = (const char *const[]){"Content-Type: application/x-tar", "Expect:", NULL}};
    fsc_fetch(url, &o, &res);
    free(body);
    assert_int_equal(res.status, 413);
    assert_string_equal(res.body, "{\"error\":{\"message\":\"request body too large\",\"type\":"
                                  "\"PayloadTooLargeError\",\"code\":\"payload_too_large\"}}");
    json_t *j = fst_wait_event(s, "http_request", "endpoint", "files_put", 3000);
    assert_non_null(j);
    json_t *e = fst_find(j, "http_request", "endpoint", "files_put", 1);
    assert_int_equal(num(e, "call"), 0); /* refused before the endpoint */
    json_decref(j);
}

/* test_fs_stream [GLOB|-GLOB] (the ASan build leaves out the 2 GiB case). */
int main(int argc, char **argv) {
    bc_case_filter(argc > 1 ? argv[1] : NULL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(two_gib_stream_in_bounded_memory, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(chunked_and_nested_bodies, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(endless_body_is_cut_by_the_client, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(drip_spaces_body_bytes, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(endless_head_is_cut_by_the_client, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(upload_over_the_bound_is_413, fst_setup, fst_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
