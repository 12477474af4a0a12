/* timing.c - the Timing family: when the client gives up on a connection. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"

/* Judge a measured interval, counted from anchor, against expected and its
 * window; the window is reported on the time axis for the timeline. */
static void judge_interval(bc_check_result *out, double anchor, double measured,
                           double expected, bc_window w, const char *what, const char *due) {
    bc_verdict v = bc_ev_in_window(measured, expected, w) ? BC_PASS : BC_FAIL;
    bc_check_measured(out, v, measured, "%s %.2f s; expected %g s -%.2f/+%.2f s", what,
                      measured, expected, w.early, w.late);
    bc_check_window(out, expected, anchor + expected - w.early, anchor + expected + w.late, due);
}

static bool need_attempt(const bc_evidence *ev, size_t k, bc_check_result *out) {
    if (bc_ev_attempt(ev, k)) return true;
    bc_check_set(out, BC_FAIL, "no attach attempt %zu (the client made %zu)", k,
                 bc_ev_attempt_count(ev));
    return false;
}

static bool need_drop(const bc_evidence *ev, size_t k, bc_check_result *out) {
    if (!isnan(bc_ev_dropped_at(ev, k))) return true;
    bc_check_set(out, BC_FAIL, "the client never dropped attempt %zu (the server ended it "
                 "or it was still open)", k);
    return false;
}

/* Drop time minus the upgrade of attempt k, against expected. */
static void judge_silent_attempt(const bc_evidence *ev, const json_t *params, size_t k,
                                 double expected, bc_check_result *out) {
    if (!need_attempt(ev, k, out) || !need_drop(ev, k, out)) return;
    double u = bc_ev_upgraded_at(ev, k);
    if (isnan(u)) {
        bc_check_set(out, BC_FAIL, "attempt %zu was not upgraded", k);
        return;
    }
    judge_interval(out, u, bc_ev_dropped_at(ev, k) - u, expected, bc_ev_window(params, expected),
                   "dropped the connection after the upgrade in", "drop after the upgrade");
}

/* D - L of attempt k against the watchdog. */
static void judge_watchdog(const bc_evidence *ev, const json_t *params, size_t k,
                           const char *what, bc_check_result *out) {
    if (!need_attempt(ev, k, out) || !need_drop(ev, k, out)) return;
    double l = bc_ev_last_frame_at(ev, k);
    if (isnan(l)) {
        bc_check_set(out, BC_FAIL, "no server frame on attempt %zu before the drop", k);
        return;
    }
    judge_interval(out, l, bc_ev_dropped_at(ev, k) - l, ev->k.watchdog,
                   bc_ev_window(params, ev->k.watchdog), what, "drop after the last frame");
}

/* TIME-FIRST: a silent attempt is dropped at the first-frame timeout. An
 * attempt whose first frame (a ping is one) came well within it has left
 * the first-frame state: it is dropped a watchdog after its last frame. */
void check_time_first(const bc_evidence *ev, const json_t *params, bc_check_result *out) {
    size_t k = bc_ev_param_attempt(params, 1);
    double u = bc_ev_upgraded_at(ev, k), f = bc_ev_first_frame_at(ev, k);
    double within = ev->k.first_frame - bc_ev_window(params, ev->k.first_frame).early;
    if (isnan(f) || f - u >= within) {
        judge_silent_attempt(ev, params, k, ev->k.first_frame, out);
        return;
    }
    char what[120];
    snprintf(what, sizeof what, "a frame came %.2f s after the upgrade, so on the watchdog: "
             "dropped the connection after the last frame in", f - u);
    judge_watchdog(ev, params, k, what, out);
}

/* TIME-STICKY: a silent reconnect after frames were seen gets the watchdog. */
void check_time_sticky(const bc_evidence *ev, const json_t *params, bc_check_result *out) {
    judge_silent_attempt(ev, params, bc_ev_param_attempt(params, 2), ev->k.watchdog, out);
}

/* Whether the server fell silent for a whole watchdog before the client's
 * drop on attempt k: a server slowed by load pings late, and a client that
 * then drops is right to. */
static bool server_went_quiet(const bc_evidence *ev, const json_t *params, size_t k) {
    double d = bc_ev_dropped_at(ev, k), l = bc_ev_last_frame_at(ev, k);
    return !isnan(l) && d - l >= ev->k.watchdog - bc_ev_window(params, ev->k.watchdog).early;
}

/* TIME-WATCHDOG with "alive": the client must outlast S seconds of pings. */
static void judge_alive(const bc_evidence *ev, const json_t *params, size_t k, double alive,
                        bc_check_result *out) {
    double u = bc_ev_upgraded_at(ev, k), d = bc_ev_dropped_at(ev, k);
    double e = bc_ev_ended_at(ev, k);
    if (isnan(u)) {
        bc_check_set(out, BC_FAIL, "attempt %zu was not upgraded", k);
    } else if (!isnan(d) && d - u < alive && server_went_quiet(ev, params, k)) {
        judge_watchdog(ev, params, k, "the server's pings stopped short of the time to "
                       "observe; dropped the connection after the last frame in", out);
    } else if (!isnan(d) && d - u < alive) {
        bc_check_measured(out, BC_FAIL, d - u, "dropped a pinged connection after %.2f s; "
                          "expected it kept for %g s", d - u, alive);
    } else if (!isnan(e) && e - u < alive) {
        bc_check_measured(out, BC_FAIL, e - u, "the server ended attempt %zu after %.2f s, "
                          "before the %g s to observe", k, e - u, alive);
    } else {
        double kept = isnan(e) ? alive : e - u;
        bc_check_measured(out, BC_PASS, kept, "kept a pinged idle connection %.2f s (>= %g s)",
                          kept, alive);
    }
}

/* TIME-WATCHDOG */
void check_time_watchdog(const bc_evidence *ev, const json_t *params, bc_check_result *out) {
    size_t k = bc_ev_param_attempt(params, 1);
    if (!need_attempt(ev, k, out)) return;
    json_t *alive = json_object_get(params, "alive");
    if (json_is_number(alive)) {
        judge_alive(ev, params, k, json_number_value(alive), out);
        return;
    }
    judge_watchdog(ev, params, k, "dropped the connection after the last frame in", out);
}


/* TIME-HANDSHAKE */
void check_time_handshake(const bc_evidence *ev, const json_t *params, bc_check_result *out) {
    size_t k = bc_ev_param_attempt(params, 1);
    if (!need_attempt(ev, k, out) || !need_drop(ev, k, out)) return;
    double r = bc_ev_requested_at(ev, k);
    judge_interval(out, r, bc_ev_dropped_at(ev, k) - r, ev->k.handshake,
                   bc_ev_window(params, ev->k.handshake), "gave up on the unanswered upgrade in",
                   "give up on the upgrade");
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* TIME-KEEPALIVE: client pings on attempt k, ping_interval apart. The
 * cadence is judged by the median gap (from the first server frame on): one
 * ping held back by the client's TCP stack (Nagle) is jitter, a client that
 * pings every 30 s or not at all is wrong. */
void check_time_keepalive(const bc_evidence *ev, const json_t *params, bc_check_result *out) {
    size_t k = bc_ev_param_attempt(params, 1);
    if (!need_attempt(ev, k, out)) return;
    long conn = bc_ev_conn(ev, k);
    double expected = ev->k.ping_interval, prev = NAN;
    bc_window w = bc_ev_window(params, expected);
    double *gaps = NULL;
    size_t i, pings = 0;
    json_t *e;
    json_array_foreach(ev->journal, i, e) {
        if (bc_ev_int(e, "conn", -2) != conn) continue;
        if (isnan(prev) && bc_ev_is(e, "ev", "frame_out")) prev = bc_ev_t(e);
        if (!bc_ev_is(e, "ev", "frame_in") || !bc_ev_is(e, "op", "ping") || isnan(prev)) continue;
        gaps = realloc(gaps, (pings + 1) * sizeof *gaps);
        gaps[pings++] = bc_ev_t(e) - prev;
        prev = bc_ev_t(e);
    }
    if (pings == 0) {
        bc_check_set(out, BC_FAIL, "the client sent no ping on attempt %zu", k);
        return;
    }
    qsort(gaps, pings, sizeof *gaps, by_value);
    double median = pings % 2 ? gaps[pings / 2] : (gaps[pings / 2 - 1] + gaps[pings / 2]) / 2;
    free(gaps);
    bc_verdict v = bc_ev_in_window(median, expected, w) ? BC_PASS : BC_FAIL;
    bc_check_measured(out, v, median, "%zu client pings, median spacing %.2f s; expected %g s "
                      "-%.2f/+%.2f s", pings, median, expected, w.early, w.late);
}
