/* recovery.c - the Recovery family: probe, reconnect, budget, one result. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"

static bool result_ok(const bc_evidence *ev, const json_t *params, bc_check_result *out) {
    char why[200];
    if (bc_ev_result_matches(bc_ev_result(ev), params, why, sizeof why)) return true;
    bc_check_set(out, BC_FAIL, "result: %s", why);
    return false;
}

/* The first attempt that ended without an exit frame: 0 if none. */
static size_t first_cut_attempt(const bc_evidence *ev) {
    for (size_t k = 1; k <= bc_ev_attempt_count(ev); k++)
        if (!isnan(bc_ev_ended_at(ev, k)) && !bc_ev_saw_exit_frame(ev, k) &&
            bc_ev_is(bc_ev_attempt(ev, k), "outcome", "upgraded"))
            return k;
    return 0;
}

/* A terminal status ends the execution: nothing may reconnect after it. */
static bool no_upgrade_after_terminal(const bc_evidence *ev, bc_check_result *out) {
    const json_t *terminal = bc_ev_probe_answer_after(ev, -INFINITY, bc_ev_said_terminal);
    double t = bc_ev_t(terminal), again = bc_ev_request_after(ev, "attach", t);
    if (!terminal || isnan(again)) return true;
    char status[64];
    bc_check_measured(out, BC_FAIL, again - t, "upgrade requested again %.2f s after the "
                      "probe answered %s", again - t,
                      bc_ev_probe_status(terminal, status, sizeof status));
    return false;
}

/* A terminal answer the client evidently read, however late it left: the
 * result came after it with its exit code (-1 when it gave none), and no
 * upgrade was requested in between (a client that gave up on the probe
 * reconnects; from -1 alone the two would look the same). */
static bool result_took(const bc_evidence *ev, const json_t *answer) {
    const json_t *result = bc_ev_result(ev);
    if (!answer || !result || !bc_ev_said_terminal(answer) || bc_ev_t(result) < bc_ev_t(answer) ||
        bc_ev_request_after(ev, "attach", bc_ev_t(answer)) < bc_ev_t(result))
        return false;
    json_t *body = bc_ev_body_json(answer);
    json_t *code = json_object_get(body, "exit_code");
    json_int_t said = json_is_integer(code) ? json_integer_value(code) : -1;
    bool took = bc_ev_int(result, "exit_code", -2) == said;
    json_decref(body);
    return took;
}

/* The result against verify; when the first probe answer after the cut
 * (at end) was terminal, its exit code comes with no error message unless
 * verify says otherwise. A terminal answer that left close to the probe
 * timeout (a server slowed by load) counts when the client took it. */
static bool fallback_result_ok(const bc_evidence *ev, const json_t *params, double end,
                               bc_check_result *out) {
    const json_t *terminal = bc_ev_probe_answer_after(ev, end, bc_ev_said_terminal);
    const json_t *first = bc_ev_response_event_after(ev, "probe", -1, end);
    bool first_probe_terminal = first && (first == terminal || result_took(ev, first));
    json_t *want = json_deep_copy(params);
    if (first_probe_terminal && !json_object_get(want, "error"))
        json_object_set_new(want, "error", json_false());
    bool ok = result_ok(ev, want, out);
    json_decref(want);
    return ok;
}

/* RECOV-FALLBACK */
void check_recov_fallback(const bc_evidence *ev, const json_t *params, bc_check_result *out) {
    size_t k = first_cut_attempt(ev);
    out->doubtful = bc_ev_probe_answer_set_aside(ev, bc_ev_said_terminal) != NULL;
    if (k == 0) {
        bc_check_set(out, BC_FAIL, "no connection ended without an exit frame");
        return;
    }
    double end = bc_ev_ended_at(ev, k), probe = bc_ev_request_after(ev, "probe", end);
    double next = bc_ev_attempt(ev, k + 1) ? bc_ev_requested_at(ev, k + 1) : INFINITY;
    if (isnan(probe) || probe > next) {
        bc_check_set(out, BC_FAIL, "no status probe after attempt %zu ended at %.2f s%s", k,
                     end, isinf(next) ? "" : " and before the reconnect");
        return;
    }
    if (!no_upgrade_after_terminal(ev, out) || !fallback_result_ok(ev, params, end, out))
        return;
    bc_check_measured(out, BC_PASS, probe - end, "probed %.2f s after the cut; result as "
                      "expected", probe - end);
}

/* RECOV-GONE */
void check_recov_gone(const bc_evidence *ev, const json_t *params, bc_check_result *out) {
    double gone = bc_ev_t(bc_ev_probe_answer_after(ev, -INFINITY, bc_ev_said_gone));
    /* A 404 that left too late to count, then a reconnect: the client gave
     * up on the probe, or read the 404 and wrongly went on. */
    out->doubtful = bc_ev_probe_answer_set_aside(ev, bc_ev_said_gone) != NULL;
    if (isnan(gone)) {
        bc_check_set(out, BC_FAIL, "no probe was answered 404 within the probe timeout: "
                     "nothing to judge");
        return;
    }
    double again = bc_ev_request_after(ev, "attach", gone);
    if (!isnan(again)) {
        bc_check_measured(out, BC_FAIL, again - gone, "upgrade requested again %.2f s after "
                          "the probe's 404", again - gone);
        return;
    }
    json_t *want = json_pack("{s:i,s:O}", "exit_code", -1, "error",
                             json_object_get(params, "error") ? json_object_get(params, "error")
                                                              : json_true());
    bool ok = result_ok(ev, want, out);
    json_decref(want);
    if (!ok) return;
    double after = bc_ev_t(bc_ev_result(ev)) - gone;
    double limit = ev->k.probe_timeout + bc_ev_window(params, ev->k.probe_timeout).late;
    bc_check_measured(out, after <= limit ? BC_PASS : BC_FAIL, after, "result -1 %.2f s after "
                      "the 404; expected within %.2f s", after, limit);
    bc_check_window(out, ev->k.probe_timeout, gone, gone + limit, "result after the 404");
}

static bool same_target(const bc_evidence *ev, size_t k, bc_check_result *out) {
    const json_t *first = bc_ev_request(ev, 1), *req = bc_ev_request(ev, k);
    const char *p1 = bc_ev_str(first, "path"), *q1 = bc_ev_str(first, "query");
    const char *pk = bc_ev_str(req, "path"), *qk = bc_ev_str(req, "query");
    bool same = p1 && pk && strcmp(p1, pk) == 0 && strcmp(q1 ? q1 : "", qk ? qk : "") == 0;
    if (!same)
        bc_check_set(out, BC_FAIL, "attempt %zu went to %s?%s; the first to %s?%s", k,
                     pk ? pk : "?", qk ? qk : "", p1 ? p1 : "?", q1 ? q1 : "");
    return same;
}

/* When attempt k's upgrade request was due: the wait starts where the
 * measured one started (R_k minus the wait). */
static void wait_window(const bc_evidence *ev, const json_t *params, size_t k,
                        bc_check_result *out) {
    double x = bc_ev_expected_wait_before(ev, k);
    double start = bc_ev_requested_at(ev, k) - bc_ev_wait_before(ev, k);
    bc_window win = bc_ev_window(params, x);
    if (!isnan(start)) bc_check_window(out, x, start + x - win.early, start + x + win.late,
                                       "reconnect request");
}

/* RECOV-RECONNECT */
void check_recov_reconnect(const bc_evidence *ev, const json_t *params, bc_check_result *out) {
    size_t n = bc_ev_attempt_count(ev);
    long want = bc_ev_int(params, "reconnects", 1);
    if ((long)n - 1 < want) {
        bc_check_measured(out, BC_FAIL, (double)n - 1, "%zu reconnects; expected at least %ld",
                          n ? n - 1 : 0, want);
        return;
    }
    double worst = 0;
    size_t worst_k = 2;
    for (size_t k = 2; k <= n; k++) {
        double w = bc_ev_wait_before(ev, k), x = bc_ev_expected_wait_before(ev, k);
        bc_window win = bc_ev_window(params, x);
        if (fabs(w - x) > fabs(worst)) worst = w - x, worst_k = k;
        if (!bc_ev_in_window(w, x, win)) {
            bc_check_measured(out, BC_FAIL, w, "waited %.2f s before attempt %zu; expected "
                              "%g s -%.2f/+%.2f s", w, k, x, win.early, win.late);
            wait_window(ev, params, k, out);
            return;
        }
        if (!same_target(ev, k, out)) return;
    }
    bc_check_measured(out, BC_PASS, worst, "%zu reconnects to the same path, waits within "
                      "%+.2f s of the backoff", n - 1, worst);
    wait_window(ev, params, worst_k, out);
    out->expected = 0;  /* what passes is measured as the worst deviation, ideally none */
}

/* The last probe request after the last attempt ended, NAN if none. */
static double final_probe(const bc_evidence *ev) {
    size_t n = bc_ev_attempt_count(ev);
    return n ? bc_ev_request_after(ev, "probe", bc_ev_ended_at(ev, n)) : NAN;
}

/* RECOV-BUDGET */
void check_recov_budget(const bc_evidence *ev, const json_t *params, bc_check_result *out) {
    double sum = bc_ev_total_waits(ev);
    bc_window w = bc_ev_window(params, ev->k.budget);
    if (sum > ev->k.budget + w.late) {
        bc_check_measured(out, BC_FAIL, sum, "reconnect waits add up to %.2f s; budget %g s "
                          "+%.2f s", sum, ev->k.budget, w.late);
        return;
    }
    if (sum < ev->k.budget - ev->k.backoff_max - w.early) {
        bc_check_measured(out, BC_FAIL, sum, "gave up after %.2f s of waits; budget %g s not "
                          "spent", sum, ev->k.budget);
        return;
    }
    if (isnan(final_probe(ev))) {
        bc_check_measured(out, BC_FAIL, sum, "no last status probe once the budget was spent");
        return;
    }
    if (!result_ok(ev, params, out)) return;
    bc_check_measured(out, BC_PASS, sum, "reconnect waits %.2f s of %g s budget, then a last "
                      "probe; result as expected", sum, ev->k.budget);
}

/* RECOV-REJECTED: a rejection is followed by another attempt while the
 * budget has room for the next wait. */
void check_recov_rejected(const bc_evidence *ev, const json_t *params, bc_check_result *out) {
    size_t n = bc_ev_attempt_count(ev), rejected = 0;
    for (size_t k = 2; k <= n; k++) {
        if (!bc_ev_is(bc_ev_attempt(ev, k), "outcome", "rejected")) continue;
        rejected++;
        if (k < n) continue;
        double spent = bc_ev_total_waits(ev);
        if (spent < ev->k.budget - ev->k.backoff_max - bc_ev_window(params, ev->k.budget).early) {
            bc_check_measured(out, BC_FAIL, spent, "stopped after rejected attempt %zu with "
                              "only %.2f s of the %g s budget spent", k, spent, ev->k.budget);
            return;
        }
    }
    if (rejected == 0) {
        bc_check_set(out, BC_FAIL, "no reconnect upgrade was rejected: nothing to judge");
        return;
    }
    if (!result_ok(ev, params, out)) return;
    bc_check_measured(out, BC_PASS, (double)rejected, "%zu rejected reconnects retried; "
                      "result as expected", rejected);
}

static bool got_eof(const bc_evidence *ev, long conn) {
    size_t i;
    json_t *e;
    json_array_foreach(ev->journal, i, e)
        if (bc_ev_int(e, "conn", -2) == conn && bc_ev_is_stdin_eof(e)) return true;
    return false;
}

/* RECOV-STDIN */
void check_recov_stdin(const bc_evidence *ev, const json_t *params, bc_check_result *out) {
    check_wire_stdin(ev, params, out);
    if (out->verdict != BC_PASS) return;
    double closed = bc_ev_stdin_closed_at(ev);
    for (size_t k = 1; !isnan(closed) && k <= bc_ev_attempt_count(ev); k++) {
        double u = bc_ev_upgraded_at(ev, k);
        if (isnan(u) || u < closed || got_eof(ev, bc_ev_conn(ev, k))) continue;
        bc_check_measured(out, BC_FAIL, u, "attempt %zu (upgraded %.2f s, after stdin was "
                          "closed) got no stdin_eof", k, u);
        return;
    }
    size_t n;
    free(bc_ev_stdin_bytes(ev, &n));
    bc_check_measured(out, BC_PASS, (double)n, "%zu stdin bytes exactly once across %zu "
                      "connections%s", n, bc_ev_attempt_count(ev),
                      isnan(closed) ? "" : "; stdin_eof re-sent on each");
}

/* Output events the adapter reported after its result. The result is what
 * wait() returned: a caller that reads output until then, or an SDK that
 * stops its callbacks there, never sees these (docs/checks.md). */
static size_t output_after_result(const bc_evidence *ev) {
    size_t i, n = 0;
    bool after = false;
    json_t *e;
    json_array_foreach(ev->events, i, e) {
        after = after || bc_ev_is(e, "event", "result");
        if (after && (bc_ev_is(e, "event", "stdout") || bc_ev_is(e, "event", "stderr"))) n++;
    }
    return n;
}

/* RECOV-ONE-RESULT: the execution ends with its one result: exactly one,
 * and nothing of its output after it. */
void check_recov_one_result(const bc_evidence *ev, const json_t *params, bc_check_result *out) {
    size_t n = bc_ev_count_events(ev, "result");
    if (n != 1) {
        bc_check_measured(out, BC_FAIL, (double)n, "%zu result events; expected exactly one", n);
        return;
    }
    size_t late = output_after_result(ev);
    if (late > 0) {
        bc_check_measured(out, BC_FAIL, (double)late, "%zu output event%s after the result: "
                          "output must reach the caller before wait() returns", late,
                          late == 1 ? "" : "s");
        return;
    }
    if (!result_ok(ev, params, out)) return;
    bc_check_measured(out, BC_PASS, 1, "exactly one result%s",
                      json_object_size(params) ? ", as expected" : "");
}
