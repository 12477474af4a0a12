/* Every check on hand-told stories (fixtures/gen.py): at least one where the
 * client keeps the contract and one where it breaks it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <unistd.h>

#include <cmocka.h>

#include "contracts.h"

#include "suites.h"

typedef struct fixture_case {
    const char *fixture;        /* tests/suites/fixtures/<fixture>.{journal,events} */
    const char *id;             /* contract ID */
    const char *params;         /* verify parameters, JSON */
    bc_verdict want;
} fixture_case;

static const fixture_case cases[] = {
    { "clean", "WIRE-OUT", "{\"stdout\":\"hello\\n\",\"stderr\":\"oops\"}", BC_PASS },
    { "clean", "WIRE-OUT", "{\"stdout\":\"hellO\\n\"}", BC_FAIL },
    { "clean", "WIRE-OUT", "{\"stderr_b64\":\"b29wcyE=\"}", BC_FAIL },
    { "clean", "WIRE-BYTES", "{\"stdout_b64\":\"aGVsbG8K\"}", BC_PASS },
    { "clean", "WIRE-BYTES", "{\"stdout\":\"hello\"}", BC_NON_STRICT },
    { "clean", "WIRE-STDIN", "{\"stdin\":\"abc\"}", BC_PASS },
    { "clean", "WIRE-STDIN", "{\"stdin\":\"abd\"}", BC_FAIL },
    { "readonly-stdin", "WIRE-STDIN", "{\"stdin\":\"abc\"}", BC_FAIL },
    { "clean", "WIRE-EOF", "{}", BC_PASS },
    { "sloppy", "WIRE-EOF", "{}", BC_FAIL },
    { "clean", "WIRE-EXIT", "{\"exit_code\":0}", BC_PASS },
    { "clean", "WIRE-EXIT", "{\"exit_code\":3}", BC_FAIL },
    { "sloppy", "WIRE-EXIT", "{\"exit_code\":-1}", BC_FAIL },
    { "errframe-ok", "WIRE-ERRFRAME", "{\"exit_code\":7,\"error\":false}", BC_PASS },
    { "errframe-fatal", "WIRE-ERRFRAME", "{\"exit_code\":-1,\"error\":\"disk full\"}", BC_FAIL },
    { "errframe-ok", "WIRE-ERRFRAME", "{\"exit_code\":-1,\"error\":\"disk full\"}", BC_FAIL },
    { "clean", "WIRE-TOLERANT", "{\"exit_code\":0}", BC_PASS },
    { "sloppy", "WIRE-TOLERANT", "{\"exit_code\":-1}", BC_FAIL },
    { "clean", "WIRE-RFC", "{}", BC_PASS },
    { "alive", "WIRE-RFC", "{}", BC_PASS },
    { "sloppy", "WIRE-RFC", "{}", BC_FAIL },
    { "pongs-coalesced", "WIRE-RFC", "{}", BC_PASS },
    { "pong-wrong", "WIRE-RFC", "{}", BC_FAIL },
    { "clean", "WIRE-AUTH", "{}", BC_PASS },
    { "sloppy", "WIRE-AUTH", "{}", BC_FAIL },
    { "first-frame", "TIME-FIRST", "{}", BC_PASS },
    { "first-frame-late", "TIME-FIRST", "{}", BC_FAIL },
    { "first-ping", "TIME-FIRST", "{}", BC_PASS },
    { "first-ping-ignored", "TIME-FIRST", "{}", BC_FAIL },
    { "first-frame", "TIME-WATCHDOG", "{\"attempt\":2}", BC_PASS },
    { "sticky", "TIME-WATCHDOG", "{}", BC_PASS },
    { "sticky-bad", "TIME-WATCHDOG", "{}", BC_FAIL },
    { "first-frame", "TIME-WATCHDOG", "{\"attempt\":3}", BC_FAIL },
    { "alive", "TIME-WATCHDOG", "{\"alive\":120}", BC_PASS },
    { "sticky-bad", "TIME-WATCHDOG", "{\"alive\":120}", BC_FAIL },
    { "alive-server-quiet", "TIME-WATCHDOG", "{\"alive\":120}", BC_PASS },
    { "alive-server-quiet-early", "TIME-WATCHDOG", "{\"alive\":120}", BC_FAIL },
    { "sticky", "TIME-STICKY", "{\"attempt\":2}", BC_PASS },
    { "sticky-bad", "TIME-STICKY", "{\"attempt\":2}", BC_FAIL },
    { "handshake", "TIME-HANDSHAKE", "{}", BC_PASS },
    { "handshake-bad", "TIME-HANDSHAKE", "{}", BC_FAIL },
    { "hangup-bounded", "TIME-HANDSHAKE", "{\"attempt\":2}", BC_PASS },
    { "hangup-bounded", "RECOV-RECONNECT", "{}", BC_PASS },
    { "keepalive", "TIME-KEEPALIVE", "{}", BC_PASS },
    { "keepalive-catchup", "TIME-KEEPALIVE", "{}", BC_PASS },
    { "keepalive-one-late", "TIME-KEEPALIVE", "{}", BC_PASS },
    { "keepalive-slow", "TIME-KEEPALIVE", "{}", BC_INFORMATIONAL },
    { "clean", "TIME-KEEPALIVE", "{}", BC_INFORMATIONAL },
    { "first-frame", "RECOV-FALLBACK", "{\"exit_code\":0}", BC_PASS },
    { "first-frame-late", "RECOV-FALLBACK", "{\"exit_code\":0}", BC_FAIL },
    { "clean", "RECOV-FALLBACK", "{\"exit_code\":0}", BC_FAIL },
    { "terminal", "RECOV-FALLBACK", "{\"exit_code\":137}", BC_PASS },
    { "terminal-ignored", "RECOV-FALLBACK", "{\"exit_code\":137}", BC_FAIL },
    { "terminal-with-cause", "RECOV-FALLBACK", "{\"exit_code\":137}", BC_FAIL },
    { "terminal-with-cause", "RECOV-FALLBACK", "{\"exit_code\":137,\"error\":true}", BC_PASS },
    { "terminal-late", "RECOV-FALLBACK", "{\"exit_code\":137}", BC_PASS },
    { "gone", "RECOV-GONE", "{\"error\":true}", BC_PASS },
    { "gone-retry", "RECOV-GONE", "{}", BC_FAIL },
    { "first-frame", "RECOV-RECONNECT", "{}", BC_PASS },
    { "budget", "RECOV-RECONNECT", "{\"reconnects\":10}", BC_PASS },
    { "first-frame-late", "RECOV-RECONNECT", "{}", BC_FAIL },
    { "clean", "RECOV-RECONNECT", "{}", BC_FAIL },
    { "left-open", "RECOV-RECONNECT", "{}", BC_PASS },
    { "probe-given-up", "RECOV-RECONNECT", "{}", BC_PASS },
    { "probe-answered-late", "RECOV-RECONNECT", "{}", BC_PASS },
    { "idle-close", "RECOV-RECONNECT", "{}", BC_PASS },
    { "budget", "RECOV-BUDGET", "{\"exit_code\":-1,\"error\":true}", BC_PASS },
    { "budget-short", "RECOV-BUDGET", "{\"exit_code\":-1}", BC_FAIL },
    { "budget", "RECOV-REJECTED", "{\"exit_code\":-1}", BC_PASS },
    { "budget-short", "RECOV-REJECTED", "{\"exit_code\":-1}", BC_FAIL },
    { "stdin", "RECOV-STDIN", "{\"stdin\":\"abcd\"}", BC_PASS },
    { "stdin-doubled", "RECOV-STDIN", "{\"stdin\":\"abcd\"}", BC_FAIL },
    { "stdin-eof-first", "RECOV-STDIN", "{\"stdin\":\"abcd\"}", BC_FAIL },
    { "stdin", "WIRE-EOF", "{}", BC_PASS },
    { "stdin-eof-first", "WIRE-STDIN", "{\"stdin\":\"abcd\"}", BC_FAIL },
    { "stdin", "WIRE-STDIN", "{\"stdin\":\"abcd\"}", BC_PASS },
    { "stdin-eof-first", "WIRE-EOF", "{}", BC_FAIL },
    { "clean", "RECOV-ONE-RESULT", "{\"exit_code\":0,\"error\":false}", BC_PASS },
    { "sloppy", "RECOV-ONE-RESULT", "{}", BC_FAIL },
    { "late-output", "RECOV-ONE-RESULT", "{\"exit_code\":0}", BC_FAIL },
    /* every byte came: output after the result is RECOV-ONE-RESULT's alone */
    { "late-output", "WIRE-OUT", "{\"stdout\":\"hello\\n\",\"stderr\":\"oops\"}", BC_PASS },
    { "attach-gone", "ATTACH-GONE", "{}", BC_PASS },
    { "attach-busy", "ATTACH-GONE", "{}", BC_FAIL },
    { "attach-busy", "ATTACH-BUSY", "{}", BC_PASS },
    { "attach-gone", "ATTACH-BUSY", "{}", BC_FAIL },
    { "readonly", "ATTACH-READONLY", "{}", BC_PASS },
    { "readonly-lost", "ATTACH-READONLY", "{}", BC_FAIL },
    { "readonly-zero", "ATTACH-READONLY", "{}", BC_FAIL },
    { "clean", "ATTACH-READONLY", "{}", BC_FAIL },
};

static void run_case(void **state) {
    const fixture_case *c = *state;
    char journal[512], events[512], err[512];
    snprintf(journal, sizeof journal, "%s/%s.journal", FIXTURES, c->fixture);
    snprintf(events, sizeof events, "%s/%s.events", FIXTURES, c->fixture);
    bc_evidence ev;
    bc_ev_init(&ev);
    int rc = bc_ev_load(&ev, journal, events, err, sizeof err);
    if (rc != 0) fail_msg("%s", err);
    json_t *params = json_loads(c->params, 0, NULL);
    assert_non_null(params);
    bc_check_result r;
    bc_suite_judge(c->id, &ev, params, &r);
    if (r.verdict != c->want)
        fail_msg("%s on %s %s: %s (%s), expected %s", c->id, c->fixture, c->params,
                 bc_verdict_name(r.verdict), r.message, bc_verdict_name(c->want));
    assert_true(strlen(r.message) > 0);
    json_decref(params);
    bc_ev_free(&ev);
}

/* Every contract of the table has a check, and every check passes and fails
 * somewhere above. */
static void every_contract_is_covered(void **state) {
    (void)state;
    for (size_t i = 0; i < bc_contract_count(); i++) {
        const char *id = bc_contract_at(i)->id;
        assert_non_null(bc_suite_find(id));
        int passes = 0, fails = 0;
        for (size_t j = 0; j < sizeof cases / sizeof cases[0]; j++) {
            if (strcmp(cases[j].id, id) != 0) continue;
            if (cases[j].want == BC_PASS) passes++;
            else fails++;
        }
        if (!passes || !fails) fail_msg("%s: %d passing and %d failing fixtures", id, passes, fails);
    }
}

static void torn_last_line_is_ignored_bad_line_is_an_error(void **state) {
    (void)state;
    char path[] = "/tmp/bc_test_journal_XXXXXX", err[256];
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("{\"t\":1.5,\"ev\":\"listen\"}\n{\"t\":2,\"ev\":\"tcp_op", f);
    fclose(f);
    bc_evidence ev;
    bc_ev_init(&ev);
    assert_int_equal(bc_ev_load(&ev, path, NULL, err, sizeof err), 0);
    assert_int_equal(json_array_size(ev.journal), 1);
    bc_ev_free(&ev);
    f = fopen(path, "w");
    fputs("{\"t\":1.5,\"ev\":\"listen\"}\n[1,2]\n", f);
    fclose(f);
    bc_ev_init(&ev);
    assert_int_equal(bc_ev_load(&ev, path, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, ":2:1: expected a JSON object"));
    bc_ev_free(&ev);
    unlink(path);
}

/* Late is forgiven more than early: timers slip under load, never run fast. */
static void window_is_lopsided_and_tol_makes_it_symmetric(void **state) {
    (void)state;
    bc_window w = bc_ev_window(NULL, 45);
    assert_true(bc_ev_in_window(45 + 3.2, 45, w));     /* late by 3.2: 5 % + 1 = 3.25 */
    assert_false(bc_ev_in_window(45 + 3.3, 45, w));
    assert_true(bc_ev_in_window(45 - 1.1, 45, w));     /* early by 1.1: 2 % + 0.25 = 1.15 */
    assert_false(bc_ev_in_window(45 - 1.2, 45, w));
    assert_false(bc_ev_in_window(60, 45, w));          /* the watchdog-60 mutant */
    assert_false(bc_ev_in_window(5, 10, bc_ev_window(NULL, 10))); /* first-frame-half */
    json_t *p = json_pack("{s:f}", "tol", 0.5);
    w = bc_ev_window(p, 45);
    assert_true(bc_ev_in_window(45.5, 45, w) && bc_ev_in_window(44.5, 45, w));
    assert_false(bc_ev_in_window(45.6, 45, w) || bc_ev_in_window(44.4, 45, w));
    json_decref(p);
}

int main(void) {
    struct CMUnitTest tests[sizeof cases / sizeof cases[0] + 3];
    size_t n = 0;
    static char names[sizeof cases / sizeof cases[0]][128];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++, n++) {
        snprintf(names[i], sizeof names[i], "%s %s %s", cases[i].id, cases[i].fixture,
                 bc_verdict_name(cases[i].want));
        tests[n] = (struct CMUnitTest){ names[i], run_case, NULL, NULL, (void *)&cases[i] };
    }
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(every_contract_is_covered);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(window_is_lopsided_and_tol_makes_it_symmetric);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(torn_last_line_is_ignored_bad_line_is_an_error);
    return _cmocka_run_group_tests("checks", tests, n, NULL, NULL);
}
