/* refclient/rest.c: probe verdicts, URLs (calls against a server: test_calls.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <sys/resource.h>
#include <time.h>

#include "buf.h"
#include "mutant.h"
#include "rest.h"
#include "rest_stub.h"

static void probe_verdicts(void **state)
{
    (void)state;
    int code = 99;
    const char *done = "{\"execution_id\":\"e\",\"status\":\"completed\",\"exit_code\":7}";
    assert_int_equal(rc_probe_judge(200, done, strlen(done), &code), RC_PROBE_TERMINAL);
    assert_int_equal(code, 7);
    const char *killed = "{\"execution_id\":\"e\",\"status\":\"killed\"}";
    assert_int_equal(rc_probe_judge(200, killed, strlen(killed), &code), RC_PROBE_TERMINAL);
    assert_int_equal(code, -1);
    const char *timed = "{\"status\":\"timed_out\",\"exit_code\":124}";
    assert_int_equal(rc_probe_judge(200, timed, strlen(timed), &code), RC_PROBE_TERMINAL);
    assert_int_equal(code, 124);
    const char *running = "{\"status\":\"running\"}", *odd = "{\"status\":\"paused\"}";
    assert_int_equal(rc_probe_judge(200, running, strlen(running), &code), RC_PROBE_RUNNING);
    assert_int_equal(rc_probe_judge(200, odd, strlen(odd), &code), RC_PROBE_RUNNING);
    assert_int_equal(rc_probe_judge(404, "", 0, &code), RC_PROBE_GONE);
    assert_int_equal(rc_probe_judge(503, "", 0, &code), RC_PROBE_UNAVAILABLE);
    assert_int_equal(rc_probe_judge(200, "{oops", 5, &code), RC_PROBE_UNAVAILABLE);
}

static void base_url_with_and_without_prefix(void **state)
{
    (void)state;
    struct rc_rest r;
    rc_rest_init(&r, "http://127.0.0.1:8080/", NULL, "k");
    assert_string_equal(r.base, "http://127.0.0.1:8080/v1");
    assert_string_equal(r.root, "http://127.0.0.1:8080/v1");
    assert_string_equal(r.auth_header, "Authorization: Bearer k");
    rc_rest_free(&r);
    rc_rest_init(&r, "http://127.0.0.1:8080", "/tenant/a/", "k");
    assert_string_equal(r.base, "http://127.0.0.1:8080/v1/tenant/a");
    assert_string_equal(r.root, "http://127.0.0.1:8080/v1");
    rc_rest_free(&r);
}

/* urlencoding::encode's set: all but A-Z a-z 0-9 - . _ ~ */
static void escaping_matches_boxlite(void **state)
{
    (void)state;
    char *e = rc_path_escape("/var/log/a b+c&d#e?f%g/\xc3\xa9~._-");
    assert_string_equal(e, "%2Fvar%2Flog%2Fa%20b%2Bc%26d%23e%3Ff%25g%2F%C3%A9~._-");
    free(e);
}

/* ---- against a stub server ---------------------------------------------- */

static struct rc_rest rest_at(int port)
{
    struct rc_rest r;
    char url[64];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
    rc_rest_init(&r, url, NULL, "test-key");
    return r;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Same origin: followed with the token; the method and body go along. */
static void redirect_same_origin_keeps_token(void **state)
{
    (void)state;
    struct rs_reply replies[] = {
        { .method = "POST", .path = "/v1/a", .status = 307,
          .location = "http://127.0.0.1:%d/v1/b" },
        { .method = "POST", .path = "/v1/b", .status = 200, .body = "{\"ok\":true}" },
        { 0 },
    };
    int port;
    struct rs_stub *stub = rs_start(replies, &port);
    replies[0].location_port = port;
    struct rc_rest r = rest_at(port);
    struct rc_request q = { .method = "POST", .path = "/a", .json = "{\"x\":1}" };
    struct rc_err err = { 0 };
    json_t *v;
    assert_int_equal(rc_rest_json(&r, &q, &v, &err), 0);
    assert_true(json_is_true(json_object_get(v, "ok")));
    json_decref(v);
    struct rs_request seen[RS_MAX_REQUESTS];
    assert_int_equal(rs_requests(stub, seen), 2);
    assert_string_equal(seen[1].auth, "Bearer test-key");
    assert_int_equal(seen[1].body_len, 7);
    assert_memory_equal(seen[1].body, "{\"x\":1}", 7);
    rs_stop(stub);
    rc_rest_free(&r);
}

static void cross_origin(const char *mutant, const char *want_auth)
{
    struct rs_reply there[] = {
        { .method = "GET", .path = "/v1/b", .status = 200, .body = "{\"ok\":true}" }, { 0 },
    };
    struct rs_reply here[] = {
        { .method = "GET", .path = "/v1/a", .status = 308, .location = "http://127.0.0.1:%d/v1/b" },
        { 0 },
    };
    int other, port;
    struct rs_stub *b = rs_start(there, &other), *a = rs_start(here, &port);
    here[0].location_port = other;
    struct rc_rest r = rest_at(port);
    struct rc_request q = { .method = "GET", .path = "/a" };
    struct rc_err err = { 0 };
    json_t *v;
    if (mutant)
        rc_mutant_select(rc_mutant_by_name(mutant)->id);
    assert_int_equal(rc_rest_json(&r, &q, &v, &err), 0);
    rc_mutant_select(RC_MUT_NONE);
    json_decref(v);
    struct rs_request seen[RS_MAX_REQUESTS];
    assert_int_equal(rs_requests(a, seen), 1);
    assert_string_equal(seen[0].auth, "Bearer test-key");
    assert_int_equal(rs_requests(b, seen), 1);
    assert_string_equal(seen[0].auth, want_auth);
    rs_stop(a);
    rs_stop(b);
    rc_rest_free(&r);
}

static void redirect_cross_origin_drops_token(void **state)
{
    (void)state;
    cross_origin(NULL, "");
    cross_origin("redirect-keeps-token", "Bearer test-key");
}

/* 303 turns a POST into a body-less GET; a loop ends after 10 hops. */
static void redirect_303_and_loops(void **state)
{
    (void)state;
    struct rs_reply replies[] = {
        { .method = "POST", .path = "/v1/a", .status = 303, .location = "http://127.0.0.1:%d/v1/b" },
        { .method = "GET", .path = "/v1/b", .status = 204 },
        { .path = "/v1/loop", .status = 307, .location = "http://127.0.0.1:%d/v1/loop" },
        { 0 },
    };
    int port;
    struct rs_stub *stub = rs_start(replies, &port);
    replies[0].location_port = replies[2].location_port = port;
    struct rc_rest r = rest_at(port);
    struct rc_request q = { .method = "POST", .path = "/a", .json = "{}" };
    struct rc_err err = { 0 };
    assert_int_equal(rc_rest_none(&r, &q, &err), 0);
    assert_int_equal(rs_count(stub, "GET", "/v1/b"), 1);
    struct rc_request loop = { .method = "GET", .path = "/loop" };
    assert_int_equal(rc_rest_none(&r, &loop, &err), -1);
    assert_string_equal(err.kind, "network");
    assert_non_null(strstr(err.message, "more than 10 redirects"));
    assert_int_equal(rs_count(stub, "GET", "/v1/loop"), 11);
    rc_err_clear(&err);
    rs_stop(stub);
    rc_rest_free(&r);
}

static void expect_failure(int port, const struct rc_request *q, const char *kind, const char *text,
                           double within)
{
    struct rc_rest r = rest_at(port);
    struct rc_err err = { 0 };
    json_t *v = NULL;
    r.timeout = 1.0;
    double t0 = now_s();
    assert_int_equal(rc_rest_json(&r, q, &v, &err), -1);
    assert_true(now_s() - t0 < within);
    assert_null(v);
    assert_string_equal(err.kind, kind);
    if (!strstr(err.message, text))
        fail_msg("\"%s\" lacks \"%s\"", err.message, text);
    rc_err_clear(&err);
    rc_rest_free(&r);
}

/* SEC-LIMITS: each hostile answer ends in a clear error, in time. */
static void hostile_answers_end_in_errors(void **state)
{
    (void)state;
    static char deep[200001];
    memset(deep, '[', 100000);
    memset(deep + 100000, ']', 100000);
    struct rs_reply replies[] = {
        { .path = "/v1/big", .status = 200, .kind = RS_PATTERN, .size = (uint64_t)64 << 20 },
        { .path = "/v1/endless", .status = 200, .kind = RS_ENDLESS },
        { .path = "/v1/head", .status = 200, .kind = RS_HEAD_ENDLESS },
        { .path = "/v1/deep", .status = 200, .body = deep },
        { .path = "/v1/drip", .status = 200, .kind = RS_DRIP, .drip = 0.2,
          .body = "{\"box_id\":\"box-1\",\"status\":\"running\"}" },
        { .path = "/v1/silent", .status = 200, .kind = RS_SILENT },
        { .path = "/v1/cut", .status = 200, .body = "{\"box_id\":\"bo" },
        { .path = "/v1/empty", .status = 200, .body = "" },
        { .path = "/v1/html", .status = 200, .body = "<html>hi</html>" },
        { 0 },
    };
    int port;
    struct rs_stub *stub = rs_start(replies, &port);
    static const struct { const char *path, *kind, *text; double within; } rows[] = {
        { "/big", "internal", "body exceeds 16777216 bytes", 10 },
        { "/endless", "internal", "body exceeds 16777216 bytes", 10 },
        { "/head", "internal", "head exceeds 65536 bytes", 10 },
        { "/deep", "internal", "maximum parsing depth reached", 10 },
        { "/drip", "network", "timed out after 1 s", 3 },
        { "/silent", "network", "timed out after 1 s", 3 },
        { "/cut", "internal", "not JSON", 10 },
        { "/empty", "internal", "not JSON", 10 },
        { "/html", "internal", "<html>hi</html>", 10 },
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct rc_request q = { .method = "GET", .path = rows[i].path };
        expect_failure(port, &q, rows[i].kind, rows[i].text, rows[i].within);
    }
    rs_stop(stub);
}

static long max_rss_kib(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

/* A streamed body takes a fixed amount of memory, whatever its size, and
 * stops at its bound. */
static void streams_in_bounded_memory(void **state)
{
    (void)state;
    const uint64_t size = (uint64_t)96 << 20;
    struct rs_reply replies[] = {
        { .path = "/v1/tar", .status = 200, .kind = RS_PATTERN, .size = size }, { 0 },
    };
    int port;
    struct rs_stub *stub = rs_start(replies, &port);
    struct rc_rest r = rest_at(port);
    struct rc_request q = { .method = "GET", .path = "/tar" };
    struct rc_err err = { 0 };
    struct rc_stream *s;
    static char chunk[65536];
    long before = max_rss_kib();
    assert_int_equal(rc_stream_open(&r, &q, size, &s, &err), 0);
    assert_int_equal(rc_stream_status(s), 200);
    uint64_t total = 0;
    ssize_t n;
    while ((n = rc_stream_read(s, chunk, sizeof(chunk), &err)) > 0)
        total += (uint64_t)n;
    assert_int_equal(n, 0);
    assert_true(total == size);
    rc_stream_close(s);
    assert_true(max_rss_kib() - before < 32 * 1024);
    assert_int_equal(rc_stream_open(&r, &q, size / 2, &s, &err), 0);
    while ((n = rc_stream_read(s, chunk, sizeof(chunk), &err)) > 0)
        ;
    assert_int_equal(n, -1);
    assert_non_null(strstr(err.message, "body exceeds 50331648 bytes"));
    rc_stream_close(s);
    rc_err_clear(&err);
    rs_stop(stub);
    rc_rest_free(&r);
}

/* Headers each request carries: token, Accept, content type, no Expect. */
static void request_headers(void **state)
{
    (void)state;
    struct rs_reply replies[] = { { .status = 204 }, { 0 } };
    int port;
    struct rs_stub *stub = rs_start(replies, &port);
    struct rc_rest r = rest_at(port);
    struct rc_err err = { 0 };
    static char big[2 << 20];
    struct rc_request put = { .method = "PUT", .path = "/p", .data = big, .data_len = sizeof(big),
                              .content_type = "application/x-tar", .accept = "application/x-tar" };
    struct rc_request post = { .method = "POST", .path = "/e" };
    struct rc_request root = { .method = "GET", .path = "/config", .at_root = true };
    rc_rest_free(&r);
    char url[64];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
    rc_rest_init(&r, url, "tenant", "test-key");
    assert_int_equal(rc_rest_none(&r, &put, &err), 0);
    assert_int_equal(rc_rest_none(&r, &post, &err), 0);
    assert_int_equal(rc_rest_none(&r, &root, &err), 0);
    struct rs_request seen[RS_MAX_REQUESTS];
    assert_int_equal(rs_requests(stub, seen), 3);
    assert_string_equal(seen[0].path, "/v1/tenant/p");
    assert_string_equal(seen[0].content_type, "application/x-tar");
    assert_string_equal(seen[0].accept, "application/x-tar");
    assert_int_equal(seen[0].body_len, sizeof(big));
    assert_string_equal(seen[1].method, "POST");
    assert_string_equal(seen[1].content_type, "");
    assert_int_equal(seen[1].body_len, 0);
    assert_string_equal(seen[2].path, "/v1/config");
    for (int i = 0; i < 3; i++)
        assert_string_equal(seen[i].auth, "Bearer test-key");
    rs_stop(stub);
    rc_rest_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(probe_verdicts),
        cmocka_unit_test(base_url_with_and_without_prefix),
        cmocka_unit_test(escaping_matches_boxlite),
        cmocka_unit_test(redirect_same_origin_keeps_token),
        cmocka_unit_test(redirect_cross_origin_drops_token),
        cmocka_unit_test(redirect_303_and_loops),
        cmocka_unit_test(hostile_answers_end_in_errors),
        cmocka_unit_test(streams_in_bounded_memory),
        cmocka_unit_test(request_headers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
