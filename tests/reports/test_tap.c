/* TAP 13, parsed back: the plan, one point per result, ok / not ok and the
 * SKIP / TODO directives as a TAP harness reads them, YAML blocks closed. */
#include "rt.h"

typedef struct tap_summary {
    int plan, points, ok, not_ok, skip, todo, yaml_open, yaml_blocks;
    bool version, numbered;
} tap_summary;

static void parse_line(tap_summary *s, const char *line) {
    int n;
    if (!strcmp(line, "TAP version 13")) s->version = true;
    else if (sscanf(line, "1..%d", &s->plan) == 1) return;
    else if (!strcmp(line, "  ---")) s->yaml_open++;
    else if (!strcmp(line, "  ...")) s->yaml_open--, s->yaml_blocks++;
    else if (sscanf(line, "not ok %d", &n) == 1 || sscanf(line, "ok %d", &n) == 1) {
        s->points++;
        s->numbered &= n == s->points;
        bool ok = line[0] == 'o';
        const char *hash = strstr(line, " # ");
        if (hash && !strncmp(hash, " # SKIP", 7)) s->skip++;
        else if (hash && !strncmp(hash, " # TODO", 7)) s->todo++;
        else if (ok) s->ok++;
        else s->not_ok++;
    } else if (strncmp(line, "  ", 2) != 0) fail_msg("not TAP: %s", line);
}

static tap_summary parse(char *text) {
    tap_summary s = { .numbered = true };
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) parse_line(&s, line);
    return s;
}

static void parsed_back(void **state) {
    (void)state;
    json_t *doc = rt_fixture("run-a.json");
    char *t = rt_render(bc_report_tap, doc);
    assert_non_null(strstr(t, "not ok 1 - fallback-after-watchdog TIME-WATCHDOG\n  ---\n"
                              "  verdict: \"FAIL\"\n"));
    assert_non_null(strstr(t, "  measured: 60.0556\n  expected: 45\n"));
    tap_summary s = parse(t);
    assert_true(s.version);
    assert_true(s.numbered);
    assert_int_equal(s.plan, 11);
    assert_int_equal(s.points, 11);
    assert_int_equal(s.ok, 4);      /* PASS */
    assert_int_equal(s.not_ok, 4);  /* FAIL CRASHED HUNG ERROR */
    assert_int_equal(s.skip, 1);    /* UNSUPPORTED */
    assert_int_equal(s.todo, 2);    /* NON-STRICT INFORMATIONAL */
    assert_int_equal(s.yaml_open, 0);
    assert_int_equal(s.yaml_blocks, 7);
    json_decref(doc);
    free(t);
}

static void yaml_strings_escaped(void **state) {
    (void)state;
    json_t *doc = rt_fixture("run-a.json");
    char *t = rt_render(bc_report_tap, doc);
    /* a message's quotes and control bytes stay inside its JSON string */
    assert_non_null(strstr(t, "\\\"quotes\\\" | pipe ]]> \\u0001 \\uFFFE end\"\n"));
    /* a directive's text has no '#' that would start another */
    assert_non_null(strstr(t, "# TODO NON-STRICT: stdout differs"));
    json_decref(doc);
    free(t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parsed_back), cmocka_unit_test(yaml_strings_escaped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
