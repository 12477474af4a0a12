/* wire.c - the Wire family: what goes over the socket, byte for byte. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"

/* Index of the first differing byte, or -1 when equal. */
static long first_difference(const unsigned char *a, size_t alen, const unsigned char *b,
                             size_t blen) {
    size_t n = alen < blen ? alen : blen;
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i]) return (long)i;
    return alen == blen ? -1 : (long)n;
}

/* Compare one stream; true when it matches or is not asked for. */
static bool stream_matches(const bc_evidence *ev, const json_t *params, const char *name,
                           const char *b64_key, bc_check_result *out) {
    bool present;
    size_t want_len, got_len;
    unsigned char *want = bc_ev_param_bytes(params, name, b64_key, &want_len, &present);
    unsigned char *got = bc_ev_output(ev, name, &got_len);
    long at = present ? first_difference(got, got_len, want, want_len) : -1;
    if (at >= 0)
        bc_check_measured(out, BC_FAIL, (double)got_len,
                          "%s differs at byte %ld: got %zu bytes, expected %zu", name, at,
                          got_len, want_len);
    free(want);
    free(got);
    return at < 0;
}

static void check_output(const bc_evidence *ev, const json_t *params, bc_check_result *out) {
    if (!stream_matches(ev, params, "stdout", "stdout_b64", out)) return;
    if (!stream_matches(ev, params, "stderr", "stderr_b64", out)) return;
    size_t n;
    free(bc_ev_output(ev, "stdout", &n));
    bc_check_measured(out, BC_PASS, (double)n, "stdout and stderr arrived unchanged (%zu "
                      "stdout bytes)", n);
}

/* WIRE-OUT */
void check_wire_out(const bc_evidence *ev, const json_t *params, bc_check_result *out) {
    check_output(ev, params, out);
}

/* WIRE-BYTES: same measure; the tier makes a failure NON-STRICT. */
void check_wire_bytes(const bc_evidence *ev, const json_t *params, bc_check_result *out) {
    check_output(ev, params, out);
}

/* WIRE-STDIN */
void check_wire_stdin(const bc_evidence *ev, const json_t *params, bc_check_result *out) {
    bool present;
    size_t want_len, got_len;
    unsigned char *want = bc_ev_param_bytes(params, "stdin", "stdin_b64", &want_len, &present);
    unsigned char *got = bc_ev_stdin_bytes(ev, &got_len);
    long at = first_difference(got, got_len, want, want_len);
    if (at >= 0)
        bc_check_measured(out, BC_FAIL, (double)got_len, "stdin frames differ at byte %ld: "
                          "the command got %zu bytes, expected %zu%s", at, got_len, want_len,
                          bc_ev_stdin_after_eof(ev) ? " (stdin sent after stdin_eof is dropped)"
                                                    : "");
    else
        bc_check_measured(out, BC_PASS, (double)got_len, "server got the %zu stdin bytes "
                          "in order", got_len);
    free(want);
    free(got);
}

/* WIRE-EOF: a stdin_eof follows the last stdin byte, and no byte follows
 * a stdin_eof (the server closes the command's stdin at the first). Judged
 * in journal order: frames read in one go share a time stamp. */
void check_wire_eof(const bc_evidence *ev, const json_t *params, bc_check_result *out) {
    (void)params;
    const json_t *late = bc_ev_stdin_after_eof(ev), *eof = NULL;
    size_t i;
    json_t *e;
    json_array_foreach(ev->journal, i, e) if (bc_ev_is_stdin_eof(e)) eof = e;
    if (!eof)
        bc_check_set(out, BC_FAIL, "no {\"type\":\"stdin_eof\"} frame");
    else if (late)
        bc_check_measured(out, BC_FAIL, bc_ev_t(late), "a stdin frame of %ld bytes arrived "
                          "after stdin_eof (connection %ld, %.3f s)", bc_ev_int(late, "len", -1),
                          bc_ev_int(late, "conn", -1), bc_ev_t(late));
    else
        bc_check_measured(out, BC_PASS, bc_ev_t(eof), "stdin_eof arrived at %.3f s, after the "
                          "last stdin byte", bc_ev_t(eof));
}

/* WIRE-EXIT: the exit frame's code, and no error message. */
void check_wire_exit(const bc_evidence *ev, const json_t *params, bc_check_result *out) {
    const json_t *result = bc_ev_result(ev);
    json_t *want = json_pack("{s:O?,s:b}", "exit_code", json_object_get(params, "exit_code"),
                             "error", 0);
    char why[200];
    if (bc_ev_result_matches(result, want, why, sizeof why))
        bc_check_measured(out, BC_PASS, (double)bc_ev_int(result, "exit_code", -1),
                          "result exit code %ld, no error message",
                          bc_ev_int(result, "exit_code", -1));
    else
        bc_check_set(out, BC_FAIL, "result: %s", why);
    json_decref(want);
}

/* Time of the first server error frame, NAN if none; its attempt in *k. */
static double error_frame_at(const bc_evidence *ev, size_t *k) {
    size_t i;
    json_t *e;
    json_array_foreach(ev->journal, i, e) {
        const char *text = bc_ev_str(e, "text");
        if (!bc_ev_is(e, "ev", "frame_out") || !bc_ev_is(e, "op", "text") || !text) continue;
        json_t *v = json_loads(text, 0, NULL);
        bool err = bc_ev_is(v, "type", "error");
        json_decref(v);
        if (!err) continue;
        *k = (size_t)bc_ev_int(e, "attempt", 1);
        return bc_ev_t(e);
    }
    return NAN;
}

/* WIRE-ERRFRAME: a drop soon after the error frame, not explained by a
 * timeout, means the client treated it as fatal. */
void check_wire_errframe(const bc_evidence *ev, const json_t *params, bc_check_result *out) {
    size_t k = 1;
    double te = error_frame_at(ev, &k);
    if (isnan(te)) {
        bc_check_set(out, BC_FAIL, "the server sent no error frame: nothing to judge");
        return;
    }
    double timeout = fmin(ev->k.first_frame, ev->k.watchdog);
    double d = bc_ev_dropped_at(ev, k);
    if (!isnan(d) && d - te < timeout - bc_ev_window(params, timeout).early) {
        bc_check_measured(out, BC_FAIL, d - te, "dropped the connection %.2f s after the "
                          "error frame", d - te);
        return;
    }
    char why[200];
    if (!bc_ev_result_matches(bc_ev_result(ev), params, why, sizeof why)) {
        bc_check_set(out, BC_FAIL, "session survived the error frame but result: %s", why);
        return;
    }
    bc_check_set(out, BC_PASS, "the error frame did not end the session; result as expected");
}

/* Time of the server's first exit frame, +inf if none. */
static double exit_frame_at(const bc_evidence *ev) {
    for (size_t k = 1; k <= bc_ev_attempt_count(ev); k++) {
        if (!bc_ev_saw_exit_frame(ev, k)) continue;
        return bc_ev_server_end_at(ev, k);
    }
    return INFINITY;
}

/* WIRE-TOLERANT */
void check_wire_tolerant(const bc_evidence *ev, const json_t *params, bc_check_result *out) {
    double exit_at = exit_frame_at(ev);
    for (size_t k = 1; k <= bc_ev_attempt_count(ev); k++) {
        double d = bc_ev_dropped_at(ev, k);
        if (!isnan(d) && d < exit_at) {
            bc_check_measured(out, BC_FAIL, d, "client dropped attempt %zu at %.3f s, before "
                              "the exit frame: an odd frame was fatal", k, d);
            return;
        }
    }
    json_t *want = json_pack("{s:O?,s:b}", "exit_code", json_object_get(params, "exit_code"),
                             "error", 0);
    char why[200];
    if (bc_ev_result_matches(bc_ev_result(ev), want, why, sizeof why))
        bc_check_set(out, BC_PASS, "odd frames ignored; result as expected");
    else
        bc_check_set(out, BC_FAIL, "result: %s", why);
    json_decref(want);
}

/* The server stops reading a connection at half_open or its end; a ping
 * sent too close to that cannot be answered and is not held against the
 * client. */
static double readable_until(const bc_evidence *ev, long conn) {
    size_t i;
    json_t *e;
    json_array_foreach(ev->journal, i, e)
        if (bc_ev_int(e, "conn", -2) == conn &&
            (bc_ev_is(e, "ev", "tcp_close") || (bc_ev_is(e, "ev", "step") && bc_ev_is(e, "do", "half_open"))))
            return bc_ev_t(e);
    return INFINITY;
}

static const char *payload_of(const json_t *frame) {
    const char *p = bc_ev_str(frame, "data_b64");
    return p ? p : "";
}

/* Whether the server sent a ping with this payload on conn between from and to. */
static bool pinged_between(const bc_evidence *ev, long conn, double from, double to,
                           const char *payload) {
    size_t i;
    json_t *e;
    json_array_foreach(ev->journal, i, e)
        if (bc_ev_is(e, "ev", "frame_out") && bc_ev_is(e, "op", "ping") && bc_ev_int(e, "conn", -2) == conn &&
            bc_ev_t(e) >= from && bc_ev_t(e) <= to && !strcmp(payload_of(e), payload))
            return true;
    return false;
}

/* A ping is answered by a later pong carrying its payload, or the payload of
 * a ping sent after it: RFC 6455 5.5.3 lets a client that has not yet
 * answered several pings answer only the most recent one. */
static bool pong_answers(const bc_evidence *ev, const json_t *ping) {
    long conn = bc_ev_int(ping, "conn", -1);
    size_t i;
    json_t *e;
    json_array_foreach(ev->journal, i, e)
        if (bc_ev_is(e, "ev", "frame_in") && bc_ev_is(e, "op", "pong") && bc_ev_int(e, "conn", -2) == conn &&
            bc_ev_t(e) >= bc_ev_t(ping) &&
            pinged_between(ev, conn, bc_ev_t(ping), bc_ev_t(e), payload_of(e)))
            return true;
    return false;
}

/* WIRE-RFC */
void check_wire_rfc(const bc_evidence *ev, const json_t *params, bc_check_result *out) {
    double grace = json_is_number(json_object_get(params, "tol"))
                       ? json_number_value(json_object_get(params, "tol")) : 2.0;
    size_t i, frames = 0, pings = 0;
    json_t *e;
    json_array_foreach(ev->journal, i, e) {
        if (bc_ev_is(e, "ev", "frame_in")) {
            frames++;
            if (!json_is_true(json_object_get(e, "masked"))) {
                bc_check_measured(out, BC_FAIL, bc_ev_t(e), "unmasked %s frame from the "
                                  "client at %.3f s", bc_ev_str(e, "op"), bc_ev_t(e));
                return;
            }
        }
        if (!bc_ev_is(e, "ev", "frame_out") || !bc_ev_is(e, "op", "ping")) continue;
        if (readable_until(ev, bc_ev_int(e, "conn", -1)) - bc_ev_t(e) < grace) continue;
        pings++;
        if (!pong_answers(ev, e)) {
            bc_check_measured(out, BC_FAIL, bc_ev_t(e), "server ping at %.3f s never got a "
                              "pong with its payload", bc_ev_t(e));
            return;
        }
    }
    bc_check_measured(out, BC_PASS, (double)pings, "%zu client frames all masked; %zu pings "
                      "answered with their payload", frames, pings);
}

/* WIRE-AUTH */
void check_wire_auth(const bc_evidence *ev, const json_t *params, bc_check_result *out) {
    (void)params;
    size_t i, n = 0;
    json_t *e;
    json_array_foreach(ev->journal, i, e) {
        if (!bc_ev_is(e, "ev", "http_request")) continue;
        n++;
        const char *path = bc_ev_str(e, "path");
        if (!json_is_true(json_object_get(e, "auth_ok"))) {
            bc_check_measured(out, BC_FAIL, (double)n, "%s %s without the bearer token",
                              bc_ev_str(e, "method"), path ? path : "?");
            return;
        }
        if (bc_ev_is(e, "endpoint", "unknown")) {
            bc_check_measured(out, BC_FAIL, (double)n, "%s %s is no route of the API "
                              "(prefix not honoured?)", bc_ev_str(e, "method"),
                              path ? path : "?");
            return;
        }
    }
    if (n == 0) {
        bc_check_set(out, BC_FAIL, "the client made no HTTP request at all");
        return;
    }
    bc_check_measured(out, BC_PASS, (double)n, "%zu requests, all authorised on known routes", n);
}
