/* refclient/rest.c: probe verdicts, URLs (calls against a server: test_calls.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rest.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(probe_verdicts),
        cmocka_unit_test(base_url_with_and_without_prefix),
        cmocka_unit_test(escaping_matches_boxlite),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
