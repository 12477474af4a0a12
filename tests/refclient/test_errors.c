/* refclient/errors.c: kinds by envelope code then status, the message out
 * of every body form, text made safe for a JSON event. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "errors.h"
#include "mutant.h"

static void status_kinds(void **state)
{
    (void)state;
    static const struct { long status; const char *kind; } rows[] = {
        { 400, "invalid_argument" }, { 422, "invalid_argument" }, { 401, "auth" },
        { 403, "auth" }, { 404, "not_found" }, { 409, "conflict" }, { 410, "internal" },
        { 429, "exhausted" }, { 502, "network" }, { 503, "network" }, { 504, "network" },
        { 500, "internal" }, { 418, "internal" }, { 200, "internal" },
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
        assert_string_equal(rc_kind_of_status(rows[i].status), rows[i].kind);
}

static void code_kinds(void **state)
{
    (void)state;
    static const struct { const char *code, *kind; } rows[] = {
        { "invalid_argument", "invalid_argument" }, { "unsupported", "unsupported" },
        { "unauthenticated", "auth" }, { "permission_denied", "auth" },
        { "not_found", "not_found" }, { "session_reaped", "session_reaped" },
        { "already_exists", "conflict" }, { "invalid_state", "conflict" },
        { "stopped", "conflict" }, { "resource_exhausted", "exhausted" },
        { "network_unavailable", "network" }, { "upstream_unavailable", "network" },
        { "storage_error", "storage" }, { "internal", "internal" }, { "timeout", "internal" },
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
        assert_string_equal(rc_kind_of_code(rows[i].code), rows[i].kind);
    assert_null(rc_kind_of_code("teapot_brewing_failed"));
    assert_null(rc_kind_of_code(NULL));
}

static void expect(long status, const char *body, const char *kind, const char *message)
{
    struct rc_err e = { 0 };
    rc_err_http(&e, status, body, strlen(body));
    assert_string_equal(e.kind, kind);
    assert_string_equal(e.message, message);
    rc_err_clear(&e);
}

/* The code decides, unknown codes fall back on the status, every form
 * gives its text, bodies that are no error form are their own text. */
static void every_body_form(void **state)
{
    (void)state;
    expect(409, "{\"error\":\"another client is attached\"}", "conflict",
           "HTTP 409: another client is attached");
    expect(500, "{\"error\":{\"message\":\"gone\",\"type\":\"NotFoundError\",\"code\":\"not_found\"}}",
           "not_found", "HTTP 500: gone");
    expect(400, "{\"error\":{\"message\":\"no\",\"type\":\"UnsupportedError\",\"code\":\"unsupported\"}}",
           "unsupported", "HTTP 400: no");
    expect(418, "{\"error\":{\"message\":\"brew\",\"type\":\"T\",\"code\":\"teapot\"}}", "internal",
           "HTTP 418: brew");
    expect(429, "{\"error\":{\"message\":\"old\",\"type\":\"T\",\"code\":429}}", "exhausted",
           "HTTP 429: old");
    expect(404, "{\"message\":\"Box not found\",\"error\":\"Not Found\",\"statusCode\":404}",
           "not_found", "HTTP 404: Box not found");
    expect(400, "{\"message\":[\"name must be a string\",\"cpus too big\"],\"error\":\"Bad Request\","
                "\"statusCode\":400}", "invalid_argument",
           "HTTP 400: name must be a string; cpus too big");
    expect(503, "{\"message\":\"busy\",\"code\":\"resource_exhausted\"}", "exhausted", "HTTP 503: busy");
    expect(502, "", "network", "HTTP 502");
    expect(500, "", "internal", "HTTP 500");
    expect(502, "<html>Bad gateway</html>", "network", "HTTP 502: <html>Bad gateway</html>");
    expect(500, "{\"error\":{\"message\":\"cut", "internal", "HTTP 500: {\"error\":{\"message\":\"cut");
    expect(401, "[1,2]", "auth", "HTTP 401: [1,2]");
}

static void mutants_break_the_mapping(void **state)
{
    (void)state;
    rc_mutant_select(RC_MUT_ERRORS_STATUS_ONLY);
    expect(500, "{\"error\":{\"message\":\"gone\",\"type\":\"T\",\"code\":\"not_found\"}}", "internal",
           "HTTP 500: gone");
    rc_mutant_select(RC_MUT_ERRORS_COARSE);
    expect(409, "{\"error\":\"busy\"}", "internal", "HTTP 409: busy");
    expect(404, "", "not_found", "HTTP 404");
    expect(500, "{\"error\":{\"message\":\"x\",\"type\":\"T\",\"code\":\"invalid_state\"}}", "conflict",
           "HTTP 500: x");
    rc_mutant_select(RC_MUT_NONE);
}

static void previews_are_utf8(void **state)
{
    (void)state;
    char *p = rc_text_preview("a\xff" "b\0c\xc3\xa9", 7, 100);
    assert_string_equal(p, "a\xef\xbf\xbd" "b c\xc3\xa9");
    free(p);
    p = rc_text_preview("abcdef", 6, 3);
    assert_string_equal(p, "abc...");
    free(p);
    p = rc_text_preview("\xed\xa0\x80", 3, 10);      /* a surrogate is no UTF-8 */
    assert_string_equal(p, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
    free(p);
    struct rc_err e = { 0 };
    rc_err_set(&e, "internal", "bad %s", "\xc3");
    assert_string_equal(e.message, "bad \xef\xbf\xbd");
    rc_err_clear(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(status_kinds),
        cmocka_unit_test(code_kinds),
        cmocka_unit_test(every_body_form),
        cmocka_unit_test(mutants_break_the_mapping),
        cmocka_unit_test(previews_are_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
