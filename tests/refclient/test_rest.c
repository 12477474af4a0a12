/* Error-body mapping, status kinds, probe verdicts (refclient/rest.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rest.h"

static void status_kinds(void **state)
{
    (void)state;
    assert_string_equal(rc_error_kind(400), "invalid_argument");
    assert_string_equal(rc_error_kind(422), "invalid_argument");
    assert_string_equal(rc_error_kind(401), "auth");
    assert_string_equal(rc_error_kind(403), "auth");
    assert_string_equal(rc_error_kind(404), "not_found");
    assert_string_equal(rc_error_kind(409), "conflict");
    assert_string_equal(rc_error_kind(410), "session_reaped");
    assert_string_equal(rc_error_kind(429), "exhausted");
    assert_string_equal(rc_error_kind(502), "network");
    assert_string_equal(rc_error_kind(503), "network");
    assert_string_equal(rc_error_kind(504), "network");
    assert_string_equal(rc_error_kind(500), "internal");
}

static void expect_message(long status, const char *body, const char *want)
{
    char *msg = rc_error_message(status, body, strlen(body));
    assert_string_equal(msg, want);
    free(msg);
}

static void four_error_body_forms(void **state)
{
    (void)state;
    expect_message(409, "{\"error\":\"another client is attached\"}",
                   "HTTP 409: another client is attached");
    expect_message(404, "{\"error\":{\"message\":\"no such box\",\"type\":\"NotFound\",\"code\":404}}",
                   "HTTP 404: no such box");
    expect_message(429, "{\"message\":\"slow down\",\"code\":429}", "HTTP 429: slow down");
    expect_message(502, "", "HTTP 502");
    expect_message(502, "<html>Bad gateway</html>", "HTTP 502");
}

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
    assert_string_equal(r.auth_header, "Authorization: Bearer k");
    rc_rest_free(&r);
    rc_rest_init(&r, "http://127.0.0.1:8080", "/tenant/a/", "k");
    assert_string_equal(r.base, "http://127.0.0.1:8080/v1/tenant/a");
    rc_rest_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(status_kinds),
        cmocka_unit_test(four_error_body_forms),
        cmocka_unit_test(probe_verdicts),
        cmocka_unit_test(base_url_with_and_without_prefix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
