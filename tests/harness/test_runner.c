/* The runner end to end: real fake server, real or stand-in adapters, and
 * how the adapter ends decides the verdict. Nothing may outlive a run. */
#include <dirent.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "profile.h"
#include "runner.h"

static bc_scenario *load(const char *id) {
    char path[512], err[512];
    bc_scenario *sc = NULL;
    snprintf(path, sizeof path, "%s/%s.json", SCENARIOS, id);
    if (bc_scenario_load(path, &sc, err, sizeof err) < 0) fail_msg("%s", err);
    return sc;
}

static size_t count_tmpdirs(void) {
    const char *base = getenv("TMPDIR");
    DIR *d = opendir(base && *base ? base : "/tmp");
    size_t n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (strncmp(e->d_name, "boxconform-", 11) == 0) n++;
    if (d) closedir(d);
    return n;
}

/* Run scenario id with an adapter command at the given speed-up. */
static json_t *run_at(const char *id, const char *cmd, bool direct, int speed) {
    bc_profile p;
    char err[512];
    if (bc_profile_from_cmd(direct ? REFCLIENT : cmd, &p, err, sizeof err) < 0)
        fail_msg("%s", err);
    bc_runcfg cfg = { FAKESERVER, FAKETIME_LIB, &p, speed, false, false };
    bc_scenario *sc = load(id);
    json_t *rec = bc_run_scenario(&cfg, sc);
    bc_scenario_free(sc);
    bc_profile_free(&p);
    return rec;
}

static json_t *run_with(const char *id, const char *cmd, bool direct) {
    return run_at(id, cmd, direct, 50);
}

/* Every verdict of rec is want, and every message holds why (NULL: any). */
static void assert_all_say(const json_t *rec, const char *want, const char *why) {
    size_t i;
    json_t *r;
    assert_true(json_array_size(json_object_get(rec, "results")) > 0);
    json_array_foreach(json_object_get(rec, "results"), i, r) {
        const char *v = json_string_value(json_object_get(r, "verdict"));
        const char *m = json_string_value(json_object_get(r, "message"));
        if (strcmp(v, want) != 0 || (why && !strstr(m, why)))
            fail_msg("%s: %s (%s), expected %s (%s)",
                     json_string_value(json_object_get(r, "contract")), v, m, want,
                     why ? why : "");
    }
}

static void assert_all(const json_t *rec, const char *want) {
    assert_all_say(rec, want, NULL);
}

static void refclient_passes_hello_exit(void **state) {
    (void)state;
    size_t before = count_tmpdirs();
    json_t *rec = run_with("hello-exit", NULL, true);
    assert_all(rec, "PASS");
    assert_int_equal(json_integer_value(json_object_get(rec, "adapter_exit")), 0);
    assert_int_equal(count_tmpdirs(), before);
    json_decref(rec);
}

static void wrong_output_fails(void **state) {
    (void)state;
    /* a stand-in adapter that reports a made-up result without talking to the server */
    json_t *rec = run_with("hello-exit", "printf '{\"event\":\"result\",\"exit_code\":3}\\n'", false);
    size_t i;
    json_t *r;
    int fails = 0;
    json_array_foreach(json_object_get(rec, "results"), i, r)
        fails += strcmp(json_string_value(json_object_get(r, "verdict")), "FAIL") == 0;
    assert_true(fails >= 2); /* WIRE-OUT (no output) and WIRE-AUTH (no request) */
    json_decref(rec);
}

static void exit_without_result_is_crashed(void **state) {
    (void)state;
    json_t *rec = run_with("hello-exit", "sh -c 'exit 3'", false);
    assert_all(rec, "CRASHED");
    json_decref(rec);
    rec = run_with("hello-exit", "sh -c 'kill -SEGV $$'", false);
    assert_all(rec, "CRASHED");
    assert_int_equal(json_integer_value(json_object_get(rec, "adapter_signal")), SIGSEGV);
    json_decref(rec);
}

#define SAY_UNSUPPORTED "echo {\\\"event\\\":\\\"unsupported\\\",\\\"reason\\\":\\\"no attach\\\"}"

/* 127 alone is how a shell says "not found": UNSUPPORTED takes the
 * adapter's "unsupported" event first, and then exit 127. */
static void exit_127_needs_an_unsupported_event(void **state) {
    (void)state;
    json_t *rec = run_with("hello-exit", "sh -c 'exit 127'", false);
    assert_all_say(rec, "CRASHED", "exited 127 without a result or an \"unsupported\" event");
    json_decref(rec);
    rec = run_with("hello-exit", "sh -c '" SAY_UNSUPPORTED "; exit 127'", false);
    assert_all_say(rec, "UNSUPPORTED", "the adapter cannot do this: no attach");
    assert_false(json_is_true(json_object_get(json_array_get(json_object_get(rec, "results"), 0),
                                              "declared")));
    json_decref(rec);
    rec = run_with("hello-exit", "sh -c '" SAY_UNSUPPORTED "; exit 0'", false);
    assert_all_say(rec, "CRASHED", "said \"unsupported\" (no attach) but exited 0, not 127");
    json_decref(rec);
}

/* The profile's "unsupported" list marks the results it declares. */
static void declared_unsupported_is_marked(void **state) {
    (void)state;
    bc_profile p;
    char err[512];
    if (bc_profile_from_cmd("sh -c '" SAY_UNSUPPORTED "; exit 127'", &p, err, sizeof err) < 0)
        fail_msg("%s", err);
    p.unsupported = calloc(2, sizeof *p.unsupported);
    p.unsupported[p.unsupported_count++] = strdup("WIRE-E*");
    bc_runcfg cfg = { FAKESERVER, FAKETIME_LIB, &p, 50, false, false };
    bc_scenario *sc = load("hello-exit");
    json_t *rec = bc_run_scenario(&cfg, sc);
    assert_all(rec, "UNSUPPORTED");
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(rec, "results"), i, r)
        assert_true(json_is_true(json_object_get(r, "declared")));
    json_decref(rec);
    bc_scenario_free(sc);
    bc_profile_free(&p);
}

/* Run the scenario with file (mode, text) as the adapter command. */
static json_t *run_file(const char *id, const char *text, mode_t mode, const char *args) {
    char path[512], cmd[700];
    snprintf(path, sizeof path, "%s/adapter-under-test", getenv("TMPDIR"));
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    chmod(path, mode);
    snprintf(cmd, sizeof cmd, "%s%s", path, args);
    json_t *rec = run_with(id, cmd, false);
    unlink(path);
    return rec;
}

/* What `boxconform run` refuses before it starts (main.c) is also caught
 * when it happens: the exec's errno (missing, not executable, a #! naming a
 * missing interpreter) and env's 127 for a program not in PATH are ERRORs
 * naming the command, never UNSUPPORTED or CRASHED. */
static void cannot_start_is_an_error_naming_the_command(void **state) {
    (void)state;
    json_t *rec = run_with("hello-exit", "/nonexistent/client --flag", false);
    assert_all_say(rec, "ERROR", "cannot start the adapter: /nonexistent/client: no such file");
    assert_true(json_is_null(json_object_get(rec, "adapter_exit")));
    json_decref(rec);
    rec = run_file("hello-exit", "#!/nonexistent/interpreter\n", 0755, "");
    assert_all_say(rec, "ERROR", "adapter-under-test (#!/nonexistent/interpreter): "
                                 "/nonexistent/interpreter: no such file");
    json_decref(rec);
    rec = run_file("hello-exit", "#!/bin/sh\nexit 0\n", 0644, "");
    assert_all_say(rec, "ERROR", "adapter-under-test: not executable (mode 0644)");
    json_decref(rec);
    rec = run_file("hello-exit", "#!/usr/bin/env -S boxconform-no-such-node --flag\n", 0755, "");
    assert_all_say(rec, "ERROR", "/usr/bin/env: boxconform-no-such-node: not found in PATH");
    assert_int_equal(json_integer_value(json_object_get(rec, "adapter_exit")), 127); /* env ran */
    json_decref(rec);
}

static void silent_adapter_is_hung_and_its_group_killed(void **state) {
    (void)state;
    char marker[64], cmd[256], check[160];
    snprintf(marker, sizeof marker, "bc-hung-%d", (int)getpid());
    /* a child that outlives its parent shell: the whole group must die. It
     * says it started, so the deadline counts at once (no start-up grace). */
    snprintf(cmd, sizeof cmd, "sh -c 'echo {\\\"event\\\":\\\"started\\\"}; "
             "sh -c \"sleep 300; : %s\" & exec sleep 300'", marker);
    size_t before = count_tmpdirs();
    json_t *rec = run_with("quick-deadline", cmd, false);
    assert_all(rec, "HUNG");
    double wall = json_number_value(json_object_get(rec, "wall_s"));
    assert_true(wall < 3.0); /* deadline 20 client s = 0.4 s real at x50 */
    snprintf(check, sizeof check, "pgrep -f '[b]%s' >/dev/null", marker + 1);
    assert_int_not_equal(system(check), 0);
    assert_int_equal(count_tmpdirs(), before);
    json_decref(rec);
}

static const json_t *result_of(const json_t *rec, const char *contract) {
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(rec, "results"), i, r)
        if (!strcmp(json_string_value(json_object_get(r, "contract")), contract)) return r;
    fail_msg("no result for %s", contract);
    return NULL;
}

/* The reports draw from the record: title, the journal and stamped events,
 * and each timing check's window, on the axis the drop is journaled on. */
static void record_carries_evidence_and_windows(void **state) {
    (void)state;
    /* x10: this test asserts PASS on a timed check, and CI runs it under
     * ASan beside other tests; x50 leaves the client 65 ms of real slack */
    json_t *rec = run_at("watchdog-silence", NULL, true, 10);
    assert_all(rec, "PASS");
    assert_string_equal(json_string_value(json_object_get(rec, "title")),
                        "one frame, then silence: the client drops 45 s after it and reconnects");
    const json_t *ev = json_object_get(rec, "evidence");
    assert_true(json_array_size(json_object_get(ev, "journal")) > 5);
    const json_t *events = json_object_get(ev, "events"), *windows = json_object_get(ev, "windows");
    assert_string_equal(json_string_value(json_object_get(json_array_get(events, 0), "event")),
                        "started");
    assert_int_equal(json_array_size(windows), 1);
    const json_t *w = json_array_get(windows, 0);
    assert_string_equal(json_string_value(json_object_get(w, "contract")), "TIME-WATCHDOG");
    double from = json_number_value(json_object_get(w, "from"));
    double to = json_number_value(json_object_get(w, "to"));
    assert_true(from > 45 - 1.5 && from < to);
    assert_true(json_number_value(json_object_get(result_of(rec, "TIME-WATCHDOG"), "expected")) == 45);
    assert_null(json_object_get(result_of(rec, "RECOV-ONE-RESULT"), "expected"));
    /* the client's drop of the attach connection (its close frame, else its
     * FIN) lies inside the window it passed */
    size_t i;
    json_t *e;
    double drop = -1;
    json_int_t conn = -1;
    json_array_foreach(json_object_get(ev, "journal"), i, e) {
        const char *name = json_string_value(json_object_get(e, "ev"));
        if (!strcmp(name, "attach") && conn < 0)
            conn = json_integer_value(json_object_get(e, "conn"));
        if (json_integer_value(json_object_get(e, "conn")) != conn) continue;
        const char *op = json_string_value(json_object_get(e, "op"));
        const char *by = json_string_value(json_object_get(e, "by"));
        bool dropped = (!strcmp(name, "frame_in") && op && !strcmp(op, "close")) ||
                       (!strcmp(name, "tcp_close") && by && !strcmp(by, "client"));
        if (dropped && drop < 0) drop = json_number_value(json_object_get(e, "t"));
    }
    assert_true(drop >= from && drop <= to);
    json_decref(rec);
}

/* A crashed adapter's record still has the server's side of the story. */
static void crashed_record_keeps_the_journal(void **state) {
    (void)state;
    json_t *rec = run_with("hello-exit", "sh -c 'exit 3'", false);
    assert_all(rec, "CRASHED");
    const json_t *journal = json_object_get(json_object_get(rec, "evidence"), "journal");
    assert_string_equal(json_string_value(json_object_get(json_array_get(journal, 0), "ev")),
                        "listen");
    json_decref(rec);
}

int main(void) {
    /* a private TMPDIR: teammates' runs in /tmp must not disturb the count */
    char tmp[] = "/tmp/bc-test-runner-XXXXXX";
    if (!mkdtemp(tmp)) return 1;
    setenv("TMPDIR", tmp, 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(refclient_passes_hello_exit),
        cmocka_unit_test(wrong_output_fails),
        cmocka_unit_test(exit_without_result_is_crashed),
        cmocka_unit_test(exit_127_needs_an_unsupported_event),
        cmocka_unit_test(declared_unsupported_is_marked),
        cmocka_unit_test(cannot_start_is_an_error_naming_the_command),
        cmocka_unit_test(silent_adapter_is_hung_and_its_group_killed),
        cmocka_unit_test(record_carries_evidence_and_windows),
        cmocka_unit_test(crashed_record_keeps_the_journal),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    if (rmdir(tmp) != 0) {
        fprintf(stderr, "%s: not empty after the tests: a temp file outlived a run\n", tmp);
        failed++;
    }
    return failed;
}
