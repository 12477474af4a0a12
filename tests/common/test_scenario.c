#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "scenario.h"
#include "scenario_parts.h" /* bc_path_climb */

#define GOOD(name) BC_FIXTURES "/good/" name ".json"
#define BAD(name) BC_FIXTURES "/bad/" name ".json"

static bc_scenario *load_good(const char *path) {
    bc_scenario *s = NULL;
    char err[1024] = "";
    int rc = bc_scenario_load(path, &s, err, sizeof err);
    if (rc != 0) print_error("%s\n", err);
    assert_int_equal(rc, 0);
    assert_non_null(s);
    return s;
}

static void assert_bytes(const bc_bytes *b, const char *data, size_t len) {
    assert_int_equal(b->len, len);
    assert_memory_equal(b->data, data, len);
}

/* ---- good files ----------------------------------------------------------- */

static void test_minimal_gets_every_default(void **state) {
    (void)state;
    bc_scenario *s = load_good(GOOD("minimal"));
    assert_string_equal(s->info.id, "minimal");
    assert_int_equal(s->info.contract_count, 1);
    assert_string_equal(s->info.contracts[0]->id, "WIRE-EXIT");
    assert_int_equal(s->info.keyword_count, 0);
    assert_string_equal(s->server.token, "boxconform-key");
    assert_string_equal(s->server.prefix, "");
    assert_string_equal(s->server.box_id, "box-1");
    assert_string_equal(s->server.box_status, "running");
    assert_null(s->server.execution_id);
    assert_true(s->server.ping_interval == 15);
    assert_true(s->server.replay);
    assert_false(s->server.echo_stdin);
    assert_false(s->server.has_exit_on_stdin_eof);
    assert_int_equal(s->server.steps.count, 1);
    assert_int_equal(s->server.steps.steps[0].action, BC_STEP_FRAME);
    assert_int_equal(s->server.steps.steps[0].frame.kind, BC_FRAME_EXIT);
    assert_true(s->server.steps.steps[0].frame.has_exit_code);
    assert_int_equal(s->server.steps.steps[0].frame.exit_code, 0);
    assert_true(s->server.steps.steps[0].frame.close);
    assert_int_equal(s->client.action, BC_ACTION_EXEC);
    assert_string_equal(s->client.command, "true");
    assert_int_equal(s->client.arg_count, 0);
    assert_false(s->client.has_timeout);
    assert_null(s->client.working_dir);
    assert_true(s->client.deadline == 400);
    assert_non_null(bc_scenario_verify(s, "WIRE-EXIT"));
    assert_null(bc_scenario_verify(s, "WIRE-EOF"));
    bc_scenario_free(s);
}

static void test_every_step_kind(void **state) {
    (void)state;
    bc_scenario *s = load_good(GOOD("every-step"));
    const bc_step *st = s->server.steps.steps;
    assert_int_equal(s->server.steps.count, 27);
    assert_int_equal(s->info.keyword_count, 2);
    assert_string_equal(s->info.keywords[1], "all");

    assert_int_equal(st[0].frame.kind, BC_FRAME_OUT);
    assert_bytes(&st[0].frame.bytes, "h\xc3\xa9\0", 4);
    assert_int_equal(st[0].line, 10);
    assert_int_equal(st[0].column, 7);
    assert_int_equal(st[1].frame.kind, BC_FRAME_OUT);
    assert_bytes(&st[1].frame.bytes, "\xff", 1);
    assert_int_equal(st[2].frame.kind, BC_FRAME_ERR);
    assert_bytes(&st[2].frame.bytes, "oops", 4);
    assert_int_equal(st[3].frame.kind, BC_FRAME_ERR);
    assert_int_equal(st[3].frame.bytes.len, 0);
    assert_int_equal(st[4].frame.kind, BC_FRAME_BINARY);
    assert_bytes(&st[4].frame.bytes, "\x03\x01", 2);
    assert_int_equal(st[5].frame.kind, BC_FRAME_TEXT);
    assert_bytes(&st[5].frame.bytes, "not json", 8);
    assert_int_equal(st[6].frame.kind, BC_FRAME_ERROR);
    assert_bytes(&st[6].frame.bytes, "transient", 9);
    assert_int_equal(st[7].frame.kind, BC_FRAME_EXIT);
    assert_false(st[7].frame.has_exit_code);
    assert_false(st[7].frame.close);
    assert_int_equal(st[8].frame.kind, BC_FRAME_PING);
    assert_bytes(&st[8].frame.bytes, "p1", 2);
    assert_int_equal(st[9].frame.kind, BC_FRAME_PONG);

    assert_int_equal(st[10].action, BC_STEP_WAIT);
    assert_true(st[10].seconds == 1.5);
    assert_int_equal(st[11].action, BC_STEP_SILENCE);
    assert_true(st[11].forever);
    assert_true(st[12].seconds == 2 && !st[12].forever);
    assert_int_equal(st[13].action, BC_STEP_WAIT_FOR_EOF);
    assert_true(st[13].forever);
    assert_int_equal(st[14].action, BC_STEP_WAIT_FOR_STDIN);
    assert_int_equal(st[14].byte_count, 4);
    assert_true(st[14].seconds == 3 && !st[14].forever);
    assert_int_equal(st[15].action, BC_STEP_CLOSE);
    assert_true(st[15].has_close_code);
    assert_int_equal(st[15].close_code, 4000);
    assert_string_equal(st[15].close_reason, "bye");
    assert_int_equal(st[16].action, BC_STEP_CLOSE);
    assert_false(st[16].has_close_code);
    assert_int_equal(st[17].action, BC_STEP_FIN);
    assert_int_equal(st[18].action, BC_STEP_RST);
    assert_int_equal(st[19].action, BC_STEP_HALF_OPEN);
    assert_true(st[19].forever);
    assert_true(st[20].seconds == 7);
    assert_int_equal(st[21].action, BC_STEP_CUT);
    assert_int_equal(st[21].frame.kind, BC_FRAME_EXIT);
    assert_int_equal(st[21].keep, 3);
    assert_int_equal(st[21].then, BC_THEN_HOLD);
    assert_int_equal(st[22].action, BC_STEP_DRIP);
    assert_int_equal(st[22].frame.kind, BC_FRAME_TEXT);
    assert_true(st[22].interval == 0.25);
    assert_int_equal(st[23].action, BC_STEP_FINISH);
    assert_int_equal(st[23].exit_code, 9);
    assert_int_equal(st[24].action, BC_STEP_FLOOD);
    assert_true(st[24].flood_bytes == 3000000000ULL);
    assert_int_equal(st[24].flood_frame, 65536);
    assert_int_equal(st[24].flood_channel, 1);
    assert_string_equal(bc_step_action_name(st[24].action), "flood");
    assert_int_equal(st[25].action, BC_STEP_FLOOD);
    assert_true(st[25].flood_bytes == 0);
    assert_int_equal(st[25].flood_frame, 1);
    assert_int_equal(st[25].flood_channel, 2);
    assert_int_equal(st[26].frame.exit_code, 2);
    assert_true(st[26].frame.close);

    json_t *tol = json_object_get(bc_scenario_verify(s, "WIRE-TOLERANT"), "tol");
    assert_true(json_real_value(tol) == 0.5);
    bc_scenario_free(s);
}

static void test_every_reply_form(void **state) {
    (void)state;
    bc_scenario *s = load_good(GOOD("every-reply"));
    const bc_server *srv = &s->server;
    assert_string_equal(srv->token, "t0k");
    assert_string_equal(srv->prefix, "a/b");
    assert_string_equal(srv->execution_id, "e-7");
    assert_true(srv->ping_interval == 0);
    assert_false(srv->replay);
    assert_true(srv->echo_stdin);
    assert_true(srv->has_exit_on_stdin_eof);
    assert_int_equal(srv->exit_on_stdin_eof, 5);

    const bc_reply *r = bc_scenario_reply(s, BC_EP_CONFIG, 1);
    assert_int_equal(r->status, 0);
    assert_int_equal(r->body_kind, BC_BODY_JSON);
    assert_string_equal((char *)r->body.data, "{\"capabilities\":{\"snapshots_enabled\":true}}");
    r = bc_scenario_reply(s, BC_EP_BOX, 1);
    assert_int_equal(r->status, 404);
    assert_int_equal(r->body_kind, BC_BODY_FORM);
    assert_int_equal(r->form, BC_FORM_ENVELOPE);
    assert_string_equal(r->message, "no box");
    assert_int_equal(bc_scenario_reply(s, BC_EP_EXEC, 1)->form, BC_FORM_FLAT);
    r = bc_scenario_reply(s, BC_EP_EXEC, 2);
    assert_int_equal(r->form, BC_FORM_EMPTY);
    assert_null(r->message);

    r = bc_scenario_reply(s, BC_EP_PROBE, 1);
    assert_int_equal(r->body_kind, BC_BODY_PROBE_STATE);
    assert_string_equal(r->state, "completed");
    assert_true(r->has_exit_code && !r->exit_code_null);
    assert_int_equal(r->exit_code, 3);
    assert_string_equal(r->error_message, "m");
    r = bc_scenario_reply(s, BC_EP_PROBE, 2);
    assert_int_equal(r->body_kind, BC_BODY_RAW);
    assert_bytes(&r->body, "<html>", 6);
    r = bc_scenario_reply(s, BC_EP_PROBE, 3);
    assert_true(r->delay == 6);
    assert_null(r->error_message);
    assert_false(r->has_exit_code);
    r = bc_scenario_reply(s, BC_EP_PROBE, 4);
    assert_true(r->hang && !r->hang_forever && r->hang_seconds == 2);
    r = bc_scenario_reply(s, BC_EP_PROBE, 5);
    assert_true(r->hang && r->hang_forever);
    assert_true(bc_scenario_reply(s, BC_EP_PROBE, 6)->rst);
    r = bc_scenario_reply(s, BC_EP_PROBE, 7);
    assert_true(r->has_exit_code && r->exit_code_null);
    assert_null(bc_scenario_reply(s, BC_EP_PROBE, 8));

    assert_int_equal(bc_scenario_reply(s, BC_EP_KILL, 1)->status, 204);
    assert_int_equal(bc_scenario_reply(s, BC_EP_SIGNAL, 1)->form, BC_FORM_RUNNER);
    r = bc_scenario_reply(s, BC_EP_RESIZE, 1);
    assert_true(r->rst && r->delay == 1);
    bc_scenario_free(s);
}

static void test_per_call_lists_and_repeat(void **state) {
    (void)state;
    bc_scenario *s = load_good(GOOD("per-call-repeat"));
    const bc_attempt *a1 = bc_scenario_attempt(s, 1), *a2 = bc_scenario_attempt(s, 2),
                     *a3 = bc_scenario_attempt(s, 3);
    assert_null(bc_scenario_attempt(s, 0));
    assert_true(a1->has_steps);
    assert_int_equal(a1->script.count, 2);
    assert_ptr_equal(bc_scenario_script(s, a1), &a1->script);
    assert_true(bc_scenario_replays(s, a1));
    assert_null(a1->reject);
    assert_int_equal(a2->reject->status, 503);
    assert_true(a2->repeat);
    assert_true(a3->hang && a3->hang_seconds == 60);
    assert_false(bc_scenario_replays(s, a3));
    assert_ptr_equal(bc_scenario_script(s, a3), &s->server.steps);
    /* Past the end, the last entry with repeat answers every later attempt. */
    assert_ptr_equal(bc_scenario_attempt(s, 4), a2);
    assert_ptr_equal(bc_scenario_attempt(s, 40), a2);
    assert_null(bc_scenario_reply(s, BC_EP_ATTACH, 1));
    assert_ptr_equal(bc_scenario_reply(s, BC_EP_ATTACH, 2), a2->reject);
    assert_ptr_equal(bc_scenario_reply(s, BC_EP_ATTACH, 5), a2->reject);

    const bc_reply *p1 = bc_scenario_reply(s, BC_EP_PROBE, 1);
    assert_string_equal(p1->state, "running");
    assert_ptr_equal(bc_scenario_reply(s, BC_EP_PROBE, 9), p1);
    assert_int_equal(bc_scenario_reply(s, BC_EP_EXEC, 1)->status, 500);
    assert_null(bc_scenario_reply(s, BC_EP_EXEC, 2));
    assert_null(bc_scenario_reply(s, BC_EP_KILL, 1));
    assert_null(bc_scenario_reply(s, BC_EP_EXEC, 0));
    bc_scenario_free(s);
}

static void test_client_chain(void **state) {
    (void)state;
    bc_scenario *s = load_good(GOOD("client-chain"));
    const bc_client *cl = &s->client;
    assert_int_equal(cl->action, BC_ACTION_CLONE);
    assert_string_equal(cl->name, "copy");
    assert_non_null(cl->then);
    assert_int_equal(cl->then->action, BC_ACTION_COPY_OUT);
    assert_string_equal(cl->then->src, "/var/log/a b+c");
    assert_string_equal(cl->then->dst, "a/b/c/d/dest");  /* normalized */
    assert_string_equal(bc_client_dest(cl), "a/b/c/d/dest");
    assert_null(cl->then->then);
    assert_int_equal(cl->sandbox_count, 4);
    assert_int_equal(cl->sandbox[0].mode, 04755);
    assert_bytes(&cl->sandbox[0].data, "alpha", 5);
    assert_int_equal(cl->sandbox[1].type, BC_SANDBOX_DIR);
    assert_int_equal(cl->sandbox[1].mode, 0700);
    assert_string_equal(cl->sandbox[2].target, "${SANDBOX}/host/src/a.txt");
    assert_int_equal(cl->sandbox[3].mode, -1);
    assert_true(cl->deadline == 30);
    assert_string_equal(bc_action_name(cl->then->action), "copy_out");
    bc_scenario_free(s);
}

static void test_attach_action_and_client(void **state) {
    (void)state;
    bc_scenario *s = load_good(GOOD("attach-action"));
    const bc_client *cl = &s->client;
    assert_int_equal(cl->action, BC_ACTION_ATTACH);
    assert_true(cl->readonly);
    assert_int_equal(cl->stdin_count, 3);
    assert_bytes(&cl->stdin_plan[0].bytes, "hi", 2);
    assert_bytes(&cl->stdin_plan[1].bytes, "\0\1", 2);
    assert_true(cl->stdin_plan[2].op == BC_FEED_CLOSE && cl->stdin_plan[2].at == 2.5);
    assert_int_equal(cl->stdin_plan[2].bytes.len, 0);
    assert_true(cl->deadline == 90);
    assert_true(bc_scenario_replays(s, bc_scenario_attempt(s, 1)));
    bc_scenario_free(s);
}

static void test_box_surface(void **state) {
    (void)state;
    bc_scenario *s = load_good(GOOD("box-surface"));
    const bc_server *srv = &s->server;
    assert_string_equal(json_string_value(json_object_get(srv->box_info, "name")), "weird/../name");
    assert_int_equal(json_integer_value(json_object_get(srv->metrics_info,
                                                        "commands_executed_total")),
                     9007199254740993LL);
    assert_true(srv->caps.present);
    assert_int_equal(srv->caps.snapshots, BC_CAP_ON);
    assert_int_equal(srv->caps.clone, BC_CAP_OFF);
    assert_int_equal(srv->caps.export_, BC_CAP_ABSENT);
    assert_int_equal(srv->caps.import, BC_CAP_OFF); /* not named: off, as by default */
    /* a name becomes a whole SnapshotResponse of the box; an object stays as given */
    json_t *s1 = json_array_get(srv->snapshots, 0), *s2 = json_array_get(srv->snapshots, 1);
    assert_string_equal(json_string_value(json_object_get(s1, "name")), "nightly/1");
    assert_string_equal(json_string_value(json_object_get(s1, "box_id")), "b-9");
    assert_true(json_is_integer(json_object_get(s1, "size_bytes")));
    assert_string_equal(json_string_value(json_object_get(s2, "size_bytes")), "big");

    const bc_tar_spec *t = &srv->files;
    assert_int_equal(t->count, 8);
    assert_true(t->truncated && t->truncate == 700);
    assert_true(t->uses_sandbox);
    assert_true(bc_scenario_uses_sandbox(s));
    assert_int_equal(t->entries[0].type, BC_TAR_FILE);
    assert_int_equal(t->entries[0].mode, 0755);
    assert_bytes(&t->entries[0].data, "hi\n", 3);
    assert_int_equal(t->entries[1].type, BC_TAR_DIR);
    assert_int_equal(t->entries[1].mode, 0755);
    assert_int_equal(t->entries[2].type, BC_TAR_SYMLINK);
    assert_string_equal(t->entries[2].target, "../../up");
    assert_int_equal(t->entries[2].mode, 0777);
    assert_int_equal(t->entries[3].mode, 04755);
    assert_bytes(&t->entries[3].data, "\0\1", 2);
    assert_int_equal(t->entries[4].type, BC_TAR_HARDLINK);
    assert_int_equal(t->entries[5].type, BC_TAR_FIFO);
    assert_int_equal(t->entries[5].mtime, 5);
    assert_int_equal(t->entries[6].mtime, BC_TAR_MTIME);
    assert_true(t->entries[7].patterned && t->entries[7].size == 100000);
    assert_string_equal(bc_tar_type_name(t->entries[6].type), "chardev");

    const bc_reply *r = bc_scenario_reply(s, BC_EP_START, 1);
    assert_int_equal(r->header_count, 2);
    assert_string_equal(r->headers[1].name, "Retry-After");
    assert_string_equal(r->headers[1].value, "2");
    r = bc_scenario_reply(s, BC_EP_STOP, 1);
    assert_int_equal(r->body_kind, BC_BODY_REDIRECT);
    assert_int_equal(r->redirect.status, 308);
    assert_false(r->redirect.other);
    assert_string_equal(r->redirect.path, "/v1/boxes/b-9/stop?x=1");
    r = bc_scenario_reply(s, BC_EP_METRICS, 1);
    assert_int_equal(r->body_kind, BC_BODY_JSON_DEPTH);
    assert_true(r->count == 100000 && r->chunked);
    r = bc_scenario_reply(s, BC_EP_METRICS, 2);
    assert_true(r->redirect.status == 307 && r->redirect.other && !r->redirect.path);
    r = bc_scenario_reply(s, BC_EP_FILES_PUT, 1);
    assert_int_equal(r->body_kind, BC_BODY_NONE);
    assert_true(r->drip == 0.5);
    r = bc_scenario_reply(s, BC_EP_FILES_GET, 1);
    assert_int_equal(r->body_kind, BC_BODY_TAR);
    assert_string_equal(r->tar.entries[0].path, "../../../../x");
    assert_false(r->tar.uses_sandbox);
    r = bc_scenario_reply(s, BC_EP_FILES_GET, 2);
    assert_true(r->body_kind == BC_BODY_ENDLESS && r->chunked);
    r = bc_scenario_reply(s, BC_EP_SNAPSHOT_CREATE, 1);
    assert_true(r->body_kind == BC_BODY_HEADER_ENDLESS && r->drip == 0.25);
    r = bc_scenario_reply(s, BC_EP_SNAPSHOT_LIST, 1);
    assert_true(r->body_kind == BC_BODY_BYTES && r->count == 2147483648ULL && !r->chunked);
    assert_ptr_equal(bc_scenario_reply(s, BC_EP_SNAPSHOT_GET, 7),
                     bc_scenario_reply(s, BC_EP_SNAPSHOT_GET, 1));
    assert_true(bc_scenario_reply(s, BC_EP_SNAPSHOT_RESTORE, 1)->rst);
    assert_string_equal(bc_endpoint_name(BC_EP_SNAPSHOT_RESTORE), "snapshot_restore");
    assert_string_equal(bc_endpoint_name(BC_EP_EXPORT), "export");
    assert_true(bc_scenario_reply(s, BC_EP_EXPORT, 1)->tar.uses_sandbox);
    bc_scenario_free(s);
}

/* Without the keys: capabilities all false, no snapshots, hello.txt. */
static void test_box_defaults(void **state) {
    (void)state;
    bc_scenario *s = load_good(GOOD("minimal"));
    const bc_server *srv = &s->server;
    assert_null(srv->box_info);
    assert_null(srv->metrics_info);
    assert_true(srv->caps.present);
    assert_int_equal(srv->caps.snapshots, BC_CAP_OFF);
    assert_int_equal(srv->caps.import, BC_CAP_OFF);
    assert_int_equal(json_array_size(srv->snapshots), 0);
    assert_int_equal(srv->files.count, 1);
    assert_string_equal(srv->files.entries[0].path, "hello.txt");
    assert_bytes(&srv->files.entries[0].data, "hello\n", 6);
    assert_false(bc_scenario_uses_sandbox(s));
    bc_scenario_free(s);
}

static void test_path_climb(void **state) {
    (void)state;
    assert_int_equal(bc_path_climb("a/b"), 0);
    assert_int_equal(bc_path_climb("../x"), 1);
    assert_int_equal(bc_path_climb("a/../../../x/y"), 2);
    assert_int_equal(bc_path_climb("./.././/..//"), 2);
    assert_int_equal(bc_path_climb("a/b/../../../../.."), 3);
    assert_int_equal(bc_path_climb(".."), 1);
    assert_int_equal(bc_path_climb("..."), 0);   /* a name, not a climb */
}

static void test_default_scenario(void **state) {
    (void)state;
    bc_scenario *s = bc_scenario_default();
    assert_non_null(s);
    assert_string_equal(s->server.box_id, "box-1");
    assert_null(bc_scenario_attempt(s, 1));
    assert_ptr_equal(bc_scenario_script(s, NULL), &s->server.steps);
    assert_true(bc_scenario_replays(s, NULL));
    for (int ep = 0; ep < BC_EP_COUNT; ep++)
        assert_null(bc_scenario_reply(s, (bc_endpoint)ep, 1));
    bc_scenario_free(s);
}

/* ---- bad files: exact position and wording -------------------------------- */

#define SERVER_KEYS "token, auth, prefix, box_id, box_status, execution_id, ping_interval, " \
    "replay, echo_stdin, exit_on_stdin_eof, box_info, metrics_info, capabilities, snapshots, " \
    "files, steps, attach, probe, exec, box, kill, signal, resize, config, start, stop, " \
    "metrics, files_put, files_get, snapshot_create, snapshot_list, snapshot_get, " \
    "snapshot_remove, snapshot_restore, clone, export"
#define REPLY_TAIL "bytes, endless, json_depth, redirect, header_endless, content_length, " \
    "drip, headers, delay, hang, rst, repeat"

static const struct { const char *name, *message; } bad_cases[] = {
    { "syntax-error", "2:57: expected '}', got '\"contracts\"'" },
    { "trailing-garbage", "5:1: expected end of file, got '}'" },
    { "duplicate-key", "3:37: expected valid JSON, got duplicate object key near '\"replay\"'" },
    { "unknown-top-key", "3:3: expected a key of a scenario (info, server, client, verify), got \"sever\"" },
    { "unknown-server-key", "4:14: expected a key of server (" SERVER_KEYS "), got \"stal\"" },
    { "unknown-endpoint", "3:14: expected a key of server (" SERVER_KEYS "), got \"probes\"" },
    { "unknown-step-key", "4:35: expected a key of a \"wait\" step (wait), got \"reason\"" },
    { "wrong-type", "3:24: expected true or false, got \"yes\"" },
    { "negative-duration", "3:33: expected seconds (a number >= 0), got -0.5" },
    { "unknown-step-action", "3:25: expected a step action key (out, out_b64, err, err_b64, "
      "binary_b64, text, error, exit, ping, pong, wait, silence, wait_for, close, fin, rst, "
      "half_open, cut, drip, finish, flood), got \"sleep\"" },
    { "two-actions", "3:37: expected one action key per step, got \"err\" after \"out\"" },
    { "reject-with-steps", "3:53: expected no \"steps\" with \"reject\", got them" },
    { "bad-base64", "3:36: expected base64 (A-Z a-z 0-9 + /, padded with = to a multiple of 4), "
      "got \"aGVsbG8==\" (length 9)" },
    { "unknown-endpoint-key", "4:24: expected a key of a reply to probe (status, body, body_raw, "
      "body_form, message, state, exit_code, error_message, " REPLY_TAIL "), got \"stauts\"" },
    { "state-outside-probe", "3:24: expected a key of a reply to exec (status, body, body_raw, "
      "body_form, message, " REPLY_TAIL "), got \"state\"" },
    { "stdin-without-at", "3:49: expected key \"at\", got an object without it" },
    { "id-mismatch", "2:18: expected \"id-mismatch\" (the file's name without .json), got \"id-mismatch-2\"" },
    { "utf8-column", "3:41: expected true or false, got \"\xc3\xbc\"" },
    { "attach-without-execution-id", "3:24: expected \"server.execution_id\" (the execution to "
      "attach to) with action \"attach\", got none" },
    { "cut-without-then", "3:24: expected key \"then\", got an object without it" },
    { "long-ping", "3:33: expected a control frame payload of at most 125 bytes, got 130 bytes" },
    { "unknown-contract", "3:39: expected a contract ID of docs/contract.md, got \"WIRE-NOPE\"" },
    { "verify-extra", "4:14: expected only contracts listed in info.contracts, got \"WIRE-EOF\"" },
    { "verify-missing", "3:13: expected a key \"WIRE-EOF\" (listed in info.contracts), got none" },
    { "verify-unknown-param", "3:43: expected a key of verify \"TIME-FIRST\" (exit_code, error, "
      "tol, attempt), got \"stdout\"" },
    { "verify-bad-tol", "3:36: expected seconds (a number > 0), got 0" },
    { "missing-info", "2:11: expected key \"contracts\", got an object without it" },
    { "flood-frame-too-big", "4:33: expected an integer from 1 to 16777216, got 16777217" },
    /* the client section's actions, host paths, control ops and sandbox */
    { "client-bad-mode",
      "3:76: expected a mode (an integer from 0 to 4095, or octal digits in a string such as \"0644\"), got \"0999\"" },
    { "client-dest-shallow",
      "3:58: expected a path at least 4 directories deep (the destination sits 5 levels below the sandbox root, so whatever a hostile answer climbs stays inside), got \"out/here\"" },
    { "client-export-name-climbs",
      "3:27: expected a box name that climbs at most 4 levels (an export joins it to its destination), got \"../../../../../../x\"" },
    { "client-key-of-other-action",
      "3:35: expected a key of client with action \"metrics\" (action, stdin, deadline, sandbox), got \"src\"" },
    { "client-link-climbs",
      "3:99: expected a target relative to the link, or starting with ${SANDBOX}/, without \"..\" (a link leads no higher than itself: a hostile tar could climb on from where it leads), got \"../../etc\"" },
    { "client-missing-name",
      "3:13: expected key \"name\", got an object without it" },
    { "client-resize-zero",
      "3:53: expected an integer from 1 to 65535, got 0" },
    { "client-sandbox-twice",
      "3:70: expected each path once, got \"a\" again" },
    { "client-signal-range",
      "3:44: expected an integer from 1 to 64, got 65" },
    { "client-src-climbs",
      "3:42: expected a path relative to the sandbox's host area (not absolute, no \"..\", not empty), got \"src/../../x\"" },
    { "client-stdin-without-exec",
      "3:33: expected no \"stdin\" with action \"start\" (only an exec or an attach has an execution to feed), got one" },
    { "client-then-attach",
      "3:52: expected an action on the clone's handle (any but attach), got \"attach\"" },
};

static void test_bad_files(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        char path[512], want[1024], err[1024] = "";
        bc_scenario *s = (bc_scenario *)&err;   /* must be reset to NULL */
        snprintf(path, sizeof path, BC_FIXTURES "/bad/%s.json", bad_cases[i].name);
        snprintf(want, sizeof want, "%s:%s", path, bad_cases[i].message);
        assert_int_equal(bc_scenario_load(path, &s, err, sizeof err), -1);
        assert_null(s);
        if (strcmp(err, want) != 0) print_error("%s\n   want %s\n", err, want);
        assert_string_equal(err, want);
    }
}

static void test_missing_file(void **state) {
    char err[256];
    bc_scenario *s;
    (void)state;
    assert_int_equal(bc_scenario_load(BAD("no-such-file"), &s, err, sizeof err), -1);
    assert_null(s);
    assert_string_equal(err, BAD("no-such-file") ":1:1: expected a readable scenario file, "
                        "got No such file or directory");
}

/* Rules checked on text in memory, one line each. The error must point at
 * the first occurrence of `at` in body (so the column is counted here by
 * strstr, independently of jpos). */
static void expect_text_error(const char *body, const char *at, const char *message) {
    static const char head[] =
        "{\"info\": {\"id\": \"t\", \"title\": \"t\", \"contracts\": [\"WIRE-EXIT\"]},"
        " \"verify\": {\"WIRE-EXIT\": {}}, ";
    char text[1024], err[1024], want[1024];
    bc_scenario *s;
    const char *where = strstr(body, at);
    assert_non_null(where);
    snprintf(text, sizeof text, "%s%s}", head, body);
    snprintf(want, sizeof want, "dir/t.json:1:%zu: %s",
             strlen(head) + (size_t)(where - body) + 1, message);
    assert_int_equal(bc_scenario_load_text("dir/t.json", text, strlen(text), &s, err,
                                           sizeof err), -1);
    assert_null(s);
    if (strcmp(err, want) != 0) print_error("%s\n   want %s\n", err, want);
    assert_string_equal(err, want);
}

static void test_more_rules(void **state) {
    (void)state;
    expect_text_error("\"server\": {\"probe\": [{\"body\": 1, \"body_raw\": \"x\"}]}",
                      "\"body_raw\"", "expected only one of these keys, got \"body_raw\" with \"body\"");
    expect_text_error("\"server\": {\"box\": [{\"status\": 404, \"body_form\": \"runner\"}]}",
                      "\"runner\"", "expected a \"message\" with this body_form, got none");
    expect_text_error("\"server\": {\"box\": [{\"body_form\": \"empty\", \"message\": \"m\"}]}",
                      "\"message\"", "expected no \"message\" with body_form \"empty\", got one");
    expect_text_error("\"server\": {\"box\": [{\"message\": \"m\"}]}",
                      "\"message\"", "expected \"message\" only with \"body_form\", got it without");
    expect_text_error("\"server\": {\"probe\": [{\"exit_code\": 1}]}",
                      "\"exit_code\"", "expected \"exit_code\" only with \"state\", got it without");
    expect_text_error("\"server\": {\"box\": [{\"hang\": 3, \"status\": 500}]}",
                      "\"status\"", "expected no \"status\" with \"hang\", got one");
    expect_text_error("\"server\": {\"box\": [{\"rst\": true, \"body_raw\": \"x\"}]}",
                      "\"body_raw\"", "expected no \"body_raw\" with \"rst\", got one");
    expect_text_error("\"server\": {\"box\": [{\"rst\": false, \"status\": 99}]}",
                      "99", "expected an integer from 100 to 599, got 99");
    expect_text_error("\"server\": {\"attach\": [{\"reject\": {\"status\": 101}}]}",
                      "101", "expected an integer from 102 to 599, got 101");
    expect_text_error("\"server\": {\"attach\": [{\"reject\": {\"body_form\": \"empty\"}}]}",
                      "{\"body_form\"", "expected key \"status\", got an object without it");
    expect_text_error("\"server\": {\"attach\": [{\"hang\": 1, \"reject\": {\"status\": 404}}]}",
                      "\"reject\"", "expected only one of these keys, got \"reject\" with \"hang\"");
    expect_text_error("\"server\": {\"steps\": [{\"wait_for\": \"stdin_eof\", \"bytes\": 2}]}",
                      "\"bytes\"", "expected no \"bytes\" with \"wait_for\": \"stdin_eof\", got one");
    expect_text_error("\"server\": {\"steps\": [{\"wait_for\": \"stdin\"}]}",
                      "{\"wait_for\"", "expected key \"bytes\", got an object without it");
    expect_text_error("\"server\": {\"steps\": [{\"fin\": false}]}",
                      "false", "expected true, got false");
    expect_text_error("\"server\": {\"steps\": [{\"wait\": null}]}",
                      "null", "expected seconds (a number >= 0), got null");
    expect_text_error("\"server\": {\"steps\": [{\"close\": 70000}]}",
                      "70000", "expected an integer from 0 to 65535, got 70000");
    expect_text_error("\"server\": {\"steps\": [{\"exit\": 1, \"close\": 1000}]}",
                      "1000", "expected true or false, got 1000");
    expect_text_error("\"server\": {\"steps\": [{\"cut\": {\"wait\": 1}, \"keep\": 1, \"then\": \"fin\"}]}",
                      "\"wait\"", "expected a frame key (out, out_b64, err, err_b64, binary_b64, "
                      "text, error, exit, ping, pong), got \"wait\"");
    expect_text_error("\"server\": {\"steps\": [{\"cut\": {\"out\": \"a\"}, \"keep\": 1, \"then\": \"close\"}]}",
                      "\"close\"", "expected \"fin\", \"rst\" or \"hold\", got \"close\"");
    expect_text_error("\"server\": {\"steps\": [{\"out\": \"a\", \"out_b64\": \"YQ==\"}]}",
                      "\"out_b64\"", "expected one action key per step, got \"out_b64\" after \"out\"");
    expect_text_error("\"server\": {\"steps\": [{\"flood\": -1, \"frame\": 64}]}",
                      "-1", "expected a byte count (an integer from 0 to 1099511627776), got -1");
    expect_text_error("\"server\": {\"steps\": [{\"flood\": 1.5, \"frame\": 64}]}",
                      "1.5", "expected a byte count (an integer from 0 to 1099511627776), got 1.5");
    expect_text_error("\"server\": {\"steps\": [{\"flood\": 1024}]}",
                      "{\"flood\"", "expected key \"frame\", got an object without it");
    expect_text_error("\"server\": {\"steps\": [{\"flood\": 1024, \"frame\": 0}]}",
                      "0}", "expected an integer from 1 to 16777216, got 0");
    expect_text_error("\"server\": {\"steps\": [{\"flood\": 1024, \"frame\": 64, \"stream\": \"both\"}]}",
                      "\"both\"", "expected \"out\" or \"err\", got \"both\"");
    expect_text_error("\"server\": {\"steps\": [{\"flood\": 1024, \"frame\": 64, \"interval\": 1}]}",
                      "\"interval\"", "expected a key of a \"flood\" step (flood, frame, stream), got \"interval\"");
    expect_text_error("\"server\": {\"steps\": {}}",
                      "{}", "expected an array, got an object");
    expect_text_error("\"server\": {\"steps\": [{}]}",
                      "{}", "expected a step action key (out, out_b64, err, err_b64, binary_b64, "
                      "text, error, exit, ping, pong, wait, silence, wait_for, close, fin, rst, "
                      "half_open, cut, drip, finish, flood), got none");
    expect_text_error("\"client\": {\"stdin\": [{\"at\": 2, \"close\": true}, {\"at\": 1, \"write\": \"x\"}]}",
                      "1,", "expected \"at\" >= 2 (the previous entry's), got 1");
    expect_text_error("\"client\": {\"stdin\": [{\"at\": 2}]}",
                      "{\"at\"", "expected one of \"write\", \"write_b64\", \"close\", \"kill\", "
                      "\"signal\", \"resize\", got none");
    expect_text_error("\"client\": {\"deadline\": 0}",
                      "0", "expected seconds (a number > 0), got 0");
    expect_text_error("\"client\": {\"action\": \"run\"}",
                      "\"run\"", "expected an action (exec, attach, info, start, stop, metrics, copy_in, copy_out, "
                      "snapshot_create, snapshot_list, snapshot_get, snapshot_remove, "
                      "snapshot_restore, clone, export), got \"run\"");
    expect_text_error("\"server\": {\"prefix\": \"/a/b\"}",
                      "\"/a/b\"", "expected a path prefix without a leading or trailing /, "
                      "got \"/a/b\"");
    expect_text_error("\"client\": {\"command\": \"a\\u0000b\"}",
                      "\"a\\u0000b\"", "expected a string without \\u0000, got \"a\\u0000b\"");
    expect_text_error("\"client\": {\"env\": {\"A\": 1}}",
                      "1", "expected a string, got 1");
}

/* The box resources: REPLY keys, tar specs and their host-safety rule. */
static void test_surface_rules(void **state) {
    (void)state;
#define R(body) "\"server\": {" body "}"
    expect_text_error(R("\"box\": [{\"tar\": []}]"), "\"tar\"",
                      "expected a key of a reply to box (status, body, body_raw, body_form, "
                      "message, " REPLY_TAIL "), got \"tar\"");
    expect_text_error(R("\"files_get\": [{\"tar\": [], \"bytes\": 3}]"), "\"bytes\"",
                      "expected only one of these keys, got \"bytes\" with \"tar\"");
    expect_text_error(R("\"files_get\": [{\"tar\": {\"entrys\": []}}]"), "\"entrys\"",
                      "expected a key of a tar spec (entries, truncate), got \"entrys\"");
    expect_text_error(R("\"files_get\": [{\"tar\": 5}]"), "5}",
                      "expected a tar spec (an array of entries, or an object with \"entries\"), got 5");
    expect_text_error(R("\"files\": [{\"path\": \"/etc/passwd\"}]"), "\"/etc",
                      "expected an absolute path starting with ${SANDBOX}/ (the run's sandbox), "
                      "got \"/etc/passwd\"");
    expect_text_error(R("\"files\": [{\"path\": \"l\", \"type\": \"symlink\", \"target\": \"/\"}]"),
                      "\"/\"", "expected an absolute path starting with ${SANDBOX}/ (the run's "
                      "sandbox), got \"/\"");
    expect_text_error(R("\"files\": [{\"path\": \"${SANDBOX}/a/../../x\"}]"), "\"${",
                      "expected a path that stays below ${SANDBOX}/, got \"${SANDBOX}/a/../../x\"");
    expect_text_error(R("\"files\": [{\"path\": \"${SANDBOX}/\"}]"), "\"${",
                      "expected a path that stays below ${SANDBOX}/, got \"${SANDBOX}/\"");
    /* one link through another: 3 + 3 levels, where each alone would do */
    expect_text_error(R("\"files\": [{\"path\": \"l\", \"type\": \"symlink\", \"target\": \"../../..\"},"
                        " {\"path\": \"l/m\", \"type\": \"symlink\", \"target\": \"../../../x\"}]"),
                      "\"../../../x\"", "expected the paths and link targets of a tar to climb at "
                      "most 4 levels in all (docs/scenario.md, host safety), got 6 with this one");
    expect_text_error(R("\"files\": [{\"path\": \"../../../../../x\"}]"), "\"../",
                      "expected the paths and link targets of a tar to climb at most 4 levels "
                      "in all (docs/scenario.md, host safety), got 5 with this one");
    /* an absolute path 2 deep costs 3: one more level above is too much */
    expect_text_error(R("\"files\": [{\"path\": \"${SANDBOX}/o/x\", \"type\": \"symlink\", "
                        "\"target\": \"../..\"}]"), "\"../..\"",
                      "expected the paths and link targets of a tar to climb at most 4 levels "
                      "in all (docs/scenario.md, host safety), got 5 with this one");
    expect_text_error(R("\"files\": [{\"path\": \"\"}]"), "\"\"}",
                      "expected a non-empty path, got \"\"");
    expect_text_error(R("\"files\": [{\"type\": \"dir\"}]"), "{\"type",
                      "expected key \"path\", got an object without it");
    expect_text_error(R("\"files\": [{\"path\": \"d\", \"type\": \"dir\", \"data\": \"x\"}]"),
                      "\"data\"", "expected a key of a \"dir\" tar entry (path, type, mode, mtime), "
                      "got \"data\"");
    expect_text_error(R("\"files\": [{\"path\": \"l\", \"type\": \"symlink\"}]"), "{\"path",
                      "expected key \"target\", got an object without it");
    expect_text_error(R("\"files\": [{\"path\": \"f\", \"type\": \"socket\"}]"), "\"socket\"",
                      "expected \"file\", \"dir\", \"symlink\", \"hardlink\", \"fifo\", "
                      "\"chardev\" or \"blockdev\", got \"socket\"");
    expect_text_error(R("\"files\": [{\"path\": \"f\", \"data\": \"x\", \"size\": 3}]"),
                      "\"size\"", "expected only one of these keys, got \"size\" with \"data\"");
    expect_text_error(R("\"files\": [{\"path\": \"f\", \"mode\": \"0999\"}]"), "\"0999\"",
                      "expected a mode (an integer from 0 to 4095, or octal digits in a string "
                      "such as \"0644\"), got \"0999\"");
    expect_text_error(R("\"files\": [{\"path\": \"f\", \"mode\": 4096}]"), "4096",
                      "expected a mode (an integer from 0 to 4095, or octal digits in a string "
                      "such as \"0644\"), got 4096");
    expect_text_error(R("\"files\": [{\"path\": \"f\", \"size\": 67108864},"
                        " {\"path\": \"g\", \"data\": \"x\"}]"), "{\"path\": \"g",
                      "expected at most 67108864 data bytes in a tar (it is built in memory), "
                      "got 67108865 with this entry");
    expect_text_error(R("\"files\": {\"entries\": [], \"truncate\": -1}"), "-1",
                      "expected a byte count (an integer from 0 to 1099511627776), got -1");
    expect_text_error(R("\"metrics\": [{\"endless\": true, \"content_length\": false}]"),
                      "\"content_length\"", "expected no \"content_length\" with \"endless\" "
                      "(always chunked), got one");
    expect_text_error(R("\"metrics\": [{\"header_endless\": true, \"content_length\": true}]"),
                      "\"content_length\"", "expected no \"content_length\" with \"header_endless\" "
                      "(no body follows the head), got one");
    expect_text_error(R("\"metrics\": [{\"endless\": false}]"), "false",
                      "expected true, got false");
    expect_text_error(R("\"start\": [{\"status\": 302, \"redirect\": {}}]"), "\"status\"",
                      "expected no \"status\" with \"redirect\" (it has its own), got one");
    expect_text_error(R("\"start\": [{\"redirect\": {\"status\": 200}}]"), "200",
                      "expected a redirect status (301, 302, 303, 307 or 308), got 200");
    expect_text_error(R("\"start\": [{\"redirect\": {\"to\": \"evil.example\"}}]"),
                      "\"evil", "expected \"other\" or \"same\", got \"evil.example\"");
    expect_text_error(R("\"start\": [{\"redirect\": {\"path\": \"x\"}}]"), "\"x\"",
                      "expected a path starting with /, got \"x\"");
    expect_text_error(R("\"start\": [{\"redirect\": {\"port\": 1}}]"), "\"port\"",
                      "expected a key of a redirect (status, to, path), got \"port\"");
    expect_text_error(R("\"stop\": [{\"headers\": {\"Bad Name\": \"x\"}}]"), "\"Bad Name\"",
                      "expected a header name (letters, digits and !#$%&'*+-.^_`|~), got \"Bad Name\"");
    expect_text_error(R("\"stop\": [{\"headers\": {\"content-length\": \"1\"}}]"),
                      "\"content-length\"", "expected a header the server does not frame the "
                      "body with (use \"content_length\"), got \"content-length\"");
    expect_text_error(R("\"stop\": [{\"headers\": {\"X\": \"a\\r\\nB: c\"}}]"), "\"a\\r",
                      "expected a header value without CR or LF, got \"a\\r\\nB: c\"");
    expect_text_error(R("\"stop\": [{\"drip\": 0}]"), "0}",
                      "expected seconds (a number > 0), got 0");
    expect_text_error(R("\"stop\": [{\"bytes\": -1}]"), "-1",
                      "expected a byte count (an integer from 0 to 1099511627776), got -1");
    expect_text_error(R("\"stop\": [{\"json_depth\": 0}]"), "0}",
                      "expected a nesting depth (an integer from 1 to 4294967296), got 0");
    expect_text_error(R("\"stop\": [{\"hang\": 1, \"drip\": 1}]"), "\"drip\"",
                      "expected no \"drip\" with \"hang\", got one");
    expect_text_error(R("\"stop\": [{\"rst\": true, \"bytes\": 1}]"), "\"bytes\"",
                      "expected no \"bytes\" with \"rst\", got one");
    expect_text_error(R("\"capabilities\": {\"snapshots\": 1}"), "1}",
                      "expected true, false or null (key absent), got 1");
    expect_text_error(R("\"capabilities\": {\"snapshot\": true}"), "\"snapshot\"",
                      "expected a key of capabilities (snapshots, clone, export, import), got \"snapshot\"");
    expect_text_error(R("\"snapshots\": [{\"id\": \"s\"}]"), "{\"id",
                      "expected a snapshot name, or a SnapshotResponse object with a string "
                      "\"name\", got an object");
    expect_text_error(R("\"box_info\": []"), "[]", "expected an object, got an array");
    expect_text_error(R("\"metrics_info\": 3"), "3}", "expected an object, got 3");
    expect_text_error(R("\"attach\": [{\"reject\": {\"status\": 409, \"drip\": 1}}]"), "\"drip\"",
                      "expected a key of a reject (status, body, body_raw, body_form, message, "
                      "delay), got \"drip\"");
#undef R
}

static void test_verify_parameters(void **state) {
    (void)state;
    char text[512], err[512];
    bc_scenario *s;
    static const struct { const char *id, *params, *message; } cases[] = {
        { "TIME-STICKY", "{\"attempt\": 1}", "expected an integer >= 2, got 1" },
        { "WIRE-EXIT", "{\"error\": 3}", "expected true, false or a string, got 3" },
        { "WIRE-OUT", "{\"stdout\": \"a\", \"stdout_b64\": \"YQ==\"}",
          "expected either \"stdout\" or \"stdout_b64\", got both" },
        { "WIRE-STDIN", "{\"stdin_b64\": \"Y$==\"}", "expected base64 (A-Z a-z 0-9 + /, "
          "padded with = to a multiple of 4), got \"Y$==\" (bad character at 2)" },
        { "RECOV-RECONNECT", "{\"reconnects\": -1}", "expected an integer >= 0, got -1" },
        { "TIME-WATCHDOG", "{\"attempt\": 2, \"alive\": 90}", NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(text, sizeof text, "{\"info\": {\"id\": \"v\", \"title\": \"t\", "
                 "\"contracts\": [\"%s\"]}, \"verify\": {\"%s\": %s}}",
                 cases[i].id, cases[i].id, cases[i].params);
        int rc = bc_scenario_load_text("v.json", text, strlen(text), &s, err, sizeof err);
        if (!cases[i].message) {
            assert_int_equal(rc, 0);
            bc_scenario_free(s);
            continue;
        }
        assert_int_equal(rc, -1);
        assert_non_null(strstr(err, cases[i].message));
        assert_non_null(strstr(err, "v.json:1:"));
    }
}

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[8192];
    *len = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[*len] = '\0';
    return buf;
}

/* Any damage to a good file gives either a model or a positioned error,
 * never a crash, a leak or a half-filled out (run under ASan to see). */
static void check_damaged(const char *name, const char *text, size_t len) {
    char err[1024] = "";
    bc_scenario *s = NULL;
    int rc = bc_scenario_load_text(name, text, len, &s, err, sizeof err);
    if (rc == 0) {
        assert_non_null(s);
        bc_scenario_free(s);
        return;
    }
    assert_int_equal(rc, -1);
    assert_null(s);
    assert_int_equal(strncmp(err, name, strlen(name)), 0);
    assert_non_null(strstr(err, ": expected "));
}

static void test_damaged_files_fail_cleanly(void **state) {
    static const char *const names[] = { "every-step", "every-reply", "per-call-repeat",
                                         "attach-action", "box-surface" };
    static const char damage[] = { 'x', '-', '"' };
    (void)state;
    for (size_t n = 0; n < sizeof names / sizeof names[0]; n++) {
        char path[256], copy[8192];
        size_t len;
        snprintf(path, sizeof path, BC_FIXTURES "/good/%s.json", names[n]);
        const char *text = slurp(path, &len);
        snprintf(path, sizeof path, "%s.json", names[n]);
        for (size_t cut = 0; cut < len; cut++) check_damaged(path, text, cut);
        for (size_t at = 0; at < len; at++)
            for (size_t d = 0; d < sizeof damage; d++) {
                memcpy(copy, text, len);
                copy[at] = damage[d];
                check_damaged(path, copy, len);
            }
    }
}

/* The flood pattern check: a match at any offset, a mismatch found past
 * the first chunk, and output one byte off its offset. */
static void test_flood_matches(void **state) {
    (void)state;
    static uint8_t out[10000];
    for (size_t i = 0; i < sizeof out; i++)
        out[i] = (uint8_t)BC_FLOOD_PATTERN[(i + 37) % BC_FLOOD_PERIOD];
    assert_int_equal(bc_flood_matches(out, sizeof out, 37), 1);
    assert_int_equal(bc_flood_matches(out + 100, 50, 137), 1);
    assert_int_equal(bc_flood_matches(out, 0, 5), 1);
    assert_int_equal(bc_flood_matches(out, sizeof out, 38), 0);
    out[9000] ^= 1;
    assert_int_equal(bc_flood_matches(out, sizeof out, 37), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_minimal_gets_every_default),
        cmocka_unit_test(test_every_step_kind),
        cmocka_unit_test(test_every_reply_form),
        cmocka_unit_test(test_per_call_lists_and_repeat),
        cmocka_unit_test(test_attach_action_and_client),
        cmocka_unit_test(test_client_chain),
        cmocka_unit_test(test_box_surface),
        cmocka_unit_test(test_box_defaults),
        cmocka_unit_test(test_path_climb),
        cmocka_unit_test(test_default_scenario),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_more_rules),
        cmocka_unit_test(test_surface_rules),
        cmocka_unit_test(test_verify_parameters),
        cmocka_unit_test(test_damaged_files_fail_cleanly),
        cmocka_unit_test(test_flood_matches),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
