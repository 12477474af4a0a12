/* Every action of the adapter protocol end to end: the runner hands the
 * reference client each scenario of scenarios-actions/, and what the checks
 * will read (suites/evidence.h) says the call was made and what it returned:
 * the value events, the requests as the server saw them, the sandbox's
 * changes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "evidence.h"
#include "profile.h"
#include "runner.h"

typedef struct action_run {
    json_t *rec;
    bc_evidence ev;
} action_run;

static void run_action(const char *id, action_run *out) {
    char path[512], err[512];
    bc_scenario *sc = NULL;
    bc_profile p;
    snprintf(path, sizeof path, "%s/%s.json", ACTIONS, id);
    if (bc_scenario_load(path, &sc, err, sizeof err) < 0) fail_msg("%s", err);
    if (bc_profile_from_cmd(REFCLIENT, &p, err, sizeof err) < 0) fail_msg("%s", err);
    bc_runcfg cfg = { FAKESERVER, FAKETIME_LIB, &p, 50, false, false };
    out->rec = bc_run_scenario(&cfg, sc);
    bc_scenario_free(sc);
    bc_profile_free(&p);
    const char *end = json_string_value(json_object_get(out->rec, "end"));
    if (!end || strcmp(end, "done")) fail_msg("%s ended %s", id, end ? end : "?");
    bc_ev_init(&out->ev);   /* what the checks read, from the record */
    assert_int_equal(bc_ev_from_record(&out->ev, json_object_get(out->rec, "evidence")), 0);
    assert_int_equal(bc_ev_count_events(&out->ev, "error"), 0);
}

static void done(action_run *r) {
    bc_ev_free(&r->ev);
    json_decref(r->rec);
}

static const char *value_str(const bc_evidence *ev, size_t n, const char *key) {
    const char *s = bc_ev_str(bc_ev_value(ev, n), key);
    if (!s) fail_msg("value %zu has no string %s", n, key);
    return s;
}

/* The one call of endpoint, and that it was made once. */
static const json_t *only_call(const bc_evidence *ev, const char *endpoint) {
    assert_int_equal(bc_ev_call_count(ev, endpoint), 1);
    const json_t *req = bc_ev_call(ev, endpoint, 1);
    assert_non_null(req);
    return req;
}

/* No change to the sandbox at all (an action that writes nothing). */
static void sandbox_untouched(const bc_evidence *ev) {
    const char *why = "x";
    assert_true(bc_ev_sandbox_seen(ev, &why));
    assert_null(why);
    assert_int_equal(bc_ev_sandbox_unasked(ev), 0);
    for (int kind = 0; kind < 3; kind++)
        assert_int_equal(bc_ev_sandbox_count(ev, BC_SB_DEST, (bc_sb_kind)kind), 0);
}

static void box_calls(void **state) {
    (void)state;
    static const struct { const char *id, *endpoint, *status; } cases[] = {
        { "act-info", NULL, "running" },
        { "act-start", "start", "running" },
        { "act-stop", "stop", "stopped" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        action_run r;
        run_action(cases[i].id, &r);
        assert_int_equal(bc_ev_value_count(&r.ev), 1);
        assert_string_equal(value_str(&r.ev, 1, "status"), cases[i].status);
        assert_string_equal(value_str(&r.ev, 1, "box_id"), "box-1");
        assert_int_equal(bc_ev_call_count(&r.ev, "box"), 1); /* the handle first */
        if (cases[i].endpoint) {
            const json_t *req = only_call(&r.ev, cases[i].endpoint);
            assert_string_equal(bc_ev_str(req, "method"), "POST");
            assert_string_equal(bc_ev_str(req, "origin"), "main");
            assert_int_equal(bc_ev_int(bc_ev_answer(&r.ev, req), "status", 0), 200);
        }
        sandbox_untouched(&r.ev);
        done(&r);
    }
}

static void metrics_call(void **state) {
    (void)state;
    action_run r;
    run_action("act-metrics", &r);
    uint64_t n = 0;
    assert_true(bc_ev_u64(json_object_get(bc_ev_value(&r.ev, 1), "commands_executed_total"), &n));
    json_t *body = bc_ev_body_json(bc_ev_answer(&r.ev, only_call(&r.ev, "metrics")));
    assert_non_null(body);
    assert_true(bc_ev_same_value(json_object_get(body, "commands_executed_total"),
                                 json_object_get(bc_ev_value(&r.ev, 1), "commands_executed_total")));
    json_decref(body);
    done(&r);
}

static void copy_in_sends_the_sources(void **state) {
    (void)state;
    action_run r;
    run_action("act-copy-in", &r);
    assert_true(json_is_object(bc_ev_value(&r.ev, 1)));
    const json_t *req = only_call(&r.ev, "files_put");
    assert_string_equal(bc_ev_query_param(req, "path"), "/work/in dir");
    const json_t *b = bc_ev_tar_entry(req, "sub/b.txt");
    assert_non_null(b);
    assert_int_equal(bc_ev_int(b, "mode", 0), 0600);
    assert_non_null(bc_ev_header(req, "content-type"));
    sandbox_untouched(&r.ev); /* the sources are read, never written */
    done(&r);
}

static void copy_out_lands_in_the_destination(void **state) {
    (void)state;
    action_run r;
    run_action("act-copy-out", &r);
    const json_t *req = only_call(&r.ev, "files_get");
    assert_string_equal(bc_ev_query_param(req, "path"), "/var/log/a b+c");
    assert_string_equal(bc_ev_sandbox_dest(&r.ev), "host/a/b/c/d/dest");
    const json_t *hello = bc_ev_sandbox_after(&r.ev, "host/a/b/c/d/dest/hello.txt");
    assert_non_null(hello);
    assert_string_equal(bc_ev_str(hello, "sha256"),   /* sha256 of "hello\n" */
                        "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
    assert_null(bc_ev_sandbox_before(&r.ev, "host/a/b/c/d/dest/hello.txt"));
    assert_int_equal(bc_ev_sandbox_count(&r.ev, BC_SB_DEST, BC_SB_CREATED), 4);
    const json_t *c = bc_ev_sandbox_change(&r.ev, BC_SB_DEST, BC_SB_CREATED, 1);
    assert_string_equal(bc_ev_sandbox_in_dest(&r.ev, bc_ev_str(c, "path")), "");
    assert_int_equal(bc_ev_sandbox_unasked(&r.ev), 0);
    done(&r);
}

static void snapshot_calls(void **state) {
    (void)state;
    static const struct { const char *id, *endpoint, *name; } cases[] = {
        { "act-snapshot-create", "snapshot_create", "nightly" },
        { "act-snapshot-get", "snapshot_get", "nightly/1" },
        { "act-snapshot-list", "snapshot_list", NULL },
        { "act-snapshot-remove", "snapshot_remove", NULL },
        { "act-snapshot-restore", "snapshot_restore", NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        action_run r;
        run_action(cases[i].id, &r);
        assert_int_equal(bc_ev_value_count(&r.ev), 1);
        only_call(&r.ev, cases[i].endpoint);
        if (cases[i].name) assert_string_equal(value_str(&r.ev, 1, "name"), cases[i].name);
        if (!strcmp(cases[i].endpoint, "snapshot_list"))
            assert_int_equal(json_array_size(bc_ev_value(&r.ev, 1)), 2);
        if (!strcmp(cases[i].endpoint, "snapshot_get")) /* one segment, percent-encoded */
            assert_non_null(strstr(bc_ev_str(bc_ev_call(&r.ev, "snapshot_get", 1), "path_raw"),
                                   "nightly%2F1"));
        done(&r);
    }
}

static void clone_then_info(void **state) {
    (void)state;
    action_run r;
    run_action("act-clone", &r);
    assert_int_equal(bc_ev_value_count(&r.ev), 2);
    assert_string_equal(value_str(&r.ev, 1, "box_id"), "box-2");
    assert_string_equal(value_str(&r.ev, 1, "name"), "copy");
    assert_string_equal(value_str(&r.ev, 2, "box_id"), "box-2");
    assert_true(bc_ev_t(bc_ev_value_event(&r.ev, 1)) <= bc_ev_t(bc_ev_value_event(&r.ev, 2)));
    only_call(&r.ev, "clone");
    done(&r);
}

static void export_writes_the_archive(void **state) {
    (void)state;
    action_run r;
    run_action("act-export", &r);
    only_call(&r.ev, "export");
    const char *path = value_str(&r.ev, 1, "path");
    assert_non_null(strstr(path, "/host/a/b/c/d/box.tar"));
    assert_int_equal(bc_ev_sandbox_count(&r.ev, BC_SB_DEST, BC_SB_CREATED), 1);
    assert_int_equal(bc_ev_sandbox_unasked(&r.ev), 0);
    done(&r);
}

static void exec_control_ops(void **state) {
    (void)state;
    action_run r;
    run_action("act-exec-control", &r);
    assert_int_equal(bc_ev_value_count(&r.ev), 3);
    assert_non_null(bc_ev_result(&r.ev));
    const json_t *resize = bc_ev_fed(&r.ev, "resize", 1);
    assert_int_equal(bc_ev_int(resize, "cols", 0), 80);
    assert_int_equal(bc_ev_int(bc_ev_fed(&r.ev, "signal", 1), "signal", 0), 15);
    assert_non_null(bc_ev_fed(&r.ev, "kill", 1));
    assert_null(bc_ev_fed(&r.ev, "kill", 2));
    json_t *body = bc_ev_body_json(only_call(&r.ev, "signal"));
    assert_int_equal(json_integer_value(json_object_get(body, "signal")), 15);
    json_decref(body);
    only_call(&r.ev, "resize");
    only_call(&r.ev, "kill");
    assert_true(bc_ev_t(only_call(&r.ev, "resize")) >= bc_ev_t(resize));
    done(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(box_calls),
        cmocka_unit_test(metrics_call),
        cmocka_unit_test(copy_in_sends_the_sources),
        cmocka_unit_test(copy_out_lands_in_the_destination),
        cmocka_unit_test(snapshot_calls),
        cmocka_unit_test(clone_then_info),
        cmocka_unit_test(export_writes_the_archive),
        cmocka_unit_test(exec_control_ops),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
