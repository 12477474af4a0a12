/* executions.c - exec, probe, kill/signal/resize and the attach upgrade decision. */
#include "executions.h"

#include "exec_state.h"
#include "loop.h"
#include "reply.h"
#include "tap.h"

/* NULL if the exec body is acceptable, else what is wrong with it. */
static const char *exec_body_problem(json_t *b) {
    if (!json_is_object(b)) return "body must be a JSON object";
    if (!json_is_string(json_object_get(b, "command"))) return "command: expected a string";
    json_t *v;
    if ((v = json_object_get(b, "args")) && !json_is_null(v)) {
        if (!json_is_array(v)) return "args: expected an array of strings";
        size_t i;
        json_t *a;
        json_array_foreach(v, i, a) if (!json_is_string(a)) return "args: expected an array of strings";
    }
    if ((v = json_object_get(b, "env")) && !json_is_null(v)) {
        if (!json_is_object(v)) return "env: expected an object of strings";
        const char *k;
        json_t *a;
        json_object_foreach(v, k, a) if (!json_is_string(a)) return "env: expected an object of strings";
    }
    if ((v = json_object_get(b, "tty")) && !json_is_null(v) && !json_is_boolean(v)) return "tty: expected a boolean";
    if ((v = json_object_get(b, "timeout_seconds")) && !json_is_null(v) && !json_is_number(v))
        return "timeout_seconds: expected a number";
    if ((v = json_object_get(b, "working_dir")) && !json_is_null(v) && !json_is_string(v))
        return "working_dir: expected a string";
    return NULL;
}

void fs_executions_create(fs_session *s) {
    const fs_request *rq = &s->request;
    json_error_t jerr;
    json_t *b = rq->body ? json_loadb(rq->body, rq->body_len, 0, &jerr) : NULL;
    const char *problem = b ? exec_body_problem(b) : "body is not JSON";
    json_decref(b);
    if (problem) {
        fs_reply_error(s, 400, problem);
        return;
    }
    const char *fixed = fs_scenario->server.execution_id;
    fs_exec *e = fixed ? fs_exec_find(fixed) : NULL;
    if (!e) e = fs_exec_create(fixed);
    fs_reply_json(s, 201, json_pack("{s:s}", "execution_id", e->id));
}

/* Attaching to the execution a scripted success names must work. */
void fs_executions_adopt(fs_session *s) {
    const fs_reply *rp = &s->reply;
    if (rp->status < 200 || rp->status >= 300 || !rp->body) return;
    json_t *b = json_loadb(rp->body, rp->len, 0, NULL);
    const char *id = json_string_value(json_object_get(b, "execution_id"));
    if (id && !fs_exec_find(id)) fs_exec_create(id);
    json_decref(b);
}

void fs_executions_probe(fs_session *s) {
    const fs_exec *e = s->request.exec;
    json_t *o = json_pack("{s:s,s:s}", "execution_id", e->id, "status",
                          e->completed ? "completed" : "running");
    if (e->completed)
        json_object_set_new(o, "exit_code", e->has_exit_code ? json_integer(e->exit_code) : json_null());
    fs_reply_json(s, 200, o);
}

void fs_executions_control(fs_session *s) { fs_reply_empty(s, 204); }

int fs_executions_attach(fs_session *s) {
    fs_exec *e = s->request.exec;
    s->attempt = s->request.call;
    const bc_attempt *cfg = bc_scenario_attempt(fs_scenario, s->attempt);
    s->attempt_cfg = cfg;
    fs_tap *t = fs_tap_find(s->conn);
    if (cfg && cfg->reject) {
        fs_reply_scripted(s, cfg->reject, s->request.route->scripted_status);
        return fs_reply_refuse_upgrade(s);
    }
    if (cfg && cfg->hang) {
        fs_reply_journal_upgrade(s, "hang");
        if (t) fs_tap_hold(t, cfg->hang_forever ? -1 : fs_loop_us(cfg->hang_seconds));
        return 0;
    }
    if (e->attached_conn && fs_session_find(e->attached_conn)) {
        fs_reply_error(s, 409, "another client is attached");
        return fs_reply_refuse_upgrade(s);
    }
    e->attached_conn = s->conn;
    s->upgraded = 1;
    if (t) fs_tap_upgraded(t, s->attempt);
    fs_reply_journal_upgrade(s, "upgraded");
    return 0;
}
