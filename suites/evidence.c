#include "evidence.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libwebsockets.h>

#include "jbig.h"

bc_constants bc_ev_production_constants(void) {
    return (bc_constants){ .first_frame = 10, .watchdog = 45, .probe_timeout = 5,
                           .backoff_initial = 15, .backoff_max = 30, .budget = 270,
                           .handshake = 30, .ping_interval = 15, .rest_timeout = 300 };
}

void bc_ev_init(bc_evidence *ev) {
    ev->journal = json_array();
    ev->events = json_array();
    ev->fed = json_array();
    ev->action = ev->sandbox = ev->memory = ev->confinement = NULL;
    ev->k = bc_ev_production_constants();
}

void bc_ev_free(bc_evidence *ev) {
    json_decref(ev->journal);
    json_decref(ev->events);
    json_decref(ev->fed);
    json_decref(ev->action);
    json_decref(ev->sandbox);
    json_decref(ev->memory);
    json_decref(ev->confinement);
    ev->journal = ev->events = ev->fed = NULL;
    ev->action = ev->sandbox = ev->memory = ev->confinement = NULL;
}

/* ---- loading ------------------------------------------------------------- */

/* A line that does not end in '\n' and is last was being written when its
 * writer died: it is not evidence, and not an error. */
static int load_lines(const char *path, int (*take)(void *, json_t *, const char *,
                                                    size_t, char *, size_t),
                      void *ctx, char *err, size_t errlen) {
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %m", path);
        return -1;
    }
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t n;
    int rc = 0;
    while (rc == 0 && (n = getline(&line, &cap, f)) > 0) {
        lineno++;
        bool torn = line[n - 1] != '\n';
        if (n == 1 && !torn) continue;
        json_error_t je;
        json_t *v = bc_jbig_loadb(line, (size_t)n, 0, &je);
        if (!v && torn) break;
        if (!v || !json_is_object(v)) {
            snprintf(err, errlen, "%s:%zu:%d: expected a JSON object per line%s%s",
                     path, lineno, v ? 1 : je.column, v ? "" : ": ", v ? "" : je.text);
            json_decref(v);
            rc = -1;
            break;
        }
        rc = take(ctx, v, path, lineno, err, errlen);
    }
    free(line);
    fclose(f);
    return rc;
}

static int take_journal(void *ctx, json_t *v, const char *path, size_t lineno,
                        char *err, size_t errlen) {
    bc_evidence *ev = ctx;
    if (!json_is_number(json_object_get(v, "t")) || !bc_ev_str(v, "ev")) {
        snprintf(err, errlen, "%s:%zu:1: expected a journal event with \"t\" and \"ev\"",
                 path, lineno);
        json_decref(v);
        return -1;
    }
    json_array_append_new(ev->journal, v);
    return 0;
}

static int take_event(void *ctx, json_t *v, const char *path, size_t lineno,
                      char *err, size_t errlen) {
    bc_evidence *ev = ctx;
    json_t *into = bc_ev_str(v, "event") ? ev->events : bc_ev_str(v, "fed") ? ev->fed : NULL;
    if (!into || !json_is_number(json_object_get(v, "t"))) {
        snprintf(err, errlen, "%s:%zu:1: expected a stamped line with \"t\" and "
                 "\"event\" or \"fed\"", path, lineno);
        json_decref(v);
        return -1;
    }
    json_array_append_new(into, v);
    return 0;
}

int bc_ev_load(bc_evidence *ev, const char *journal_path, const char *events_path,
               char *err, size_t errlen) {
    if (load_lines(journal_path, take_journal, ev, err, errlen) < 0) return -1;
    if (events_path && load_lines(events_path, take_event, ev, err, errlen) < 0) return -1;
    return 0;
}

/* What the harness observed, from o's "action", "sandbox", "memory",
 * "confinement". */
static void take_observed(bc_evidence *ev, const json_t *o) {
    json_t **into[] = { &ev->action, &ev->sandbox, &ev->memory, &ev->confinement };
    const char *keys[] = { "action", "sandbox", "memory", "confinement" };
    for (size_t i = 0; i < 4; i++) {
        json_t *v = json_object_get(o, keys[i]);
        json_decref(*into[i]);
        *into[i] = json_is_object(v) ? json_incref(v) : NULL;
    }
}

int bc_ev_load_observed(bc_evidence *ev, const char *path, char *err, size_t errlen) {
    json_error_t je;
    json_t *o = bc_jbig_load_file(path, 0, &je);
    if (!json_is_object(o)) {
        snprintf(err, errlen, "%s:%d:%d: expected the harness's observations (an object): %s",
                 path, je.line > 0 ? je.line : 1, je.column > 0 ? je.column : 1,
                 o ? "not an object" : je.text);
        json_decref(o);
        return -1;
    }
    take_observed(ev, o);
    json_decref(o);
    return 0;
}

int bc_ev_from_record(bc_evidence *ev, const json_t *evidence) {
    const json_t *journal = json_object_get(evidence, "journal");
    const json_t *events = json_object_get(evidence, "events");
    size_t i;
    json_t *line;
    if (!json_is_array(journal) || !json_is_array(events)) return -1;
    json_array_extend(ev->journal, (json_t *)journal);
    json_array_foreach(events, i, line)
        json_array_append(json_object_get(line, "fed") ? ev->fed : ev->events, line);
    take_observed(ev, evidence);
    return 0;
}

/* ---- helpers ------------------------------------------------------------- */

double bc_ev_t(const json_t *e) {
    json_t *t = e ? json_object_get(e, "t") : NULL;
    return json_is_number(t) ? json_number_value(t) : NAN;
}

const char *bc_ev_str(const json_t *e, const char *key) {
    return e ? json_string_value(json_object_get(e, key)) : NULL;
}

const char *bc_ev_str_or(const json_t *e, const char *key, const char *dflt) {
    const char *s = bc_ev_str(e, key);
    return s ? s : dflt;
}

const char *bc_ev_text(const json_t *s, const char *dflt) {
    return json_is_string(s) ? json_string_value(s) : dflt;
}

long bc_ev_int(const json_t *e, const char *key, long dflt) {
    json_t *v = e ? json_object_get(e, key) : NULL;
    return json_is_integer(v) ? (long)json_integer_value(v) : dflt;
}

bool bc_ev_is(const json_t *e, const char *key, const char *value) {
    const char *s = bc_ev_str(e, key);
    return s && strcmp(s, value) == 0;
}

const json_t *bc_ev_nth(const json_t *arr, const char *key, const char *value, size_t n) {
    size_t i, seen = 0;
    json_t *e;
    json_array_foreach(arr, i, e) if (bc_ev_is(e, key, value) && ++seen == n) return e;
    return NULL;
}

size_t bc_ev_count(const json_t *arr, const char *key, const char *value) {
    size_t i, n = 0;
    json_t *e;
    json_array_foreach(arr, i, e) if (bc_ev_is(e, key, value)) n++;
    return n;
}

unsigned char *bc_ev_b64(const char *b64, size_t *len) {
    size_t cap = strlen(b64) / 4 * 3 + 8;
    unsigned char *out = malloc(cap);
    int n = lws_b64_decode_string(b64, (char *)out, (int)cap);
    if (n < 0 || (n == 0 && *b64)) {
        free(out);
        return NULL;
    }
    out[n] = 0;
    *len = (size_t)n;
    return out;
}

/* Buffers built by append() start at calloc(1, 1) and are always sized to
 * the power of two above what they hold, so their capacity needs no field
 * and a flood of small chunks costs O(n), not O(n^2) copies. */
static size_t room_for(size_t bytes) {
    size_t c = 1;
    while (c < bytes) c <<= 1;
    return c;
}

static void append(unsigned char **buf, size_t *len, const unsigned char *p, size_t n) {
    size_t need = *len + n + 1;
    if (need > room_for(*len + 1)) *buf = realloc(*buf, room_for(need));
    memcpy(*buf + *len, p, n);
    *len += n;
    (*buf)[*len] = 0;
}

static void append_b64(unsigned char **buf, size_t *len, const char *b64) {
    size_t n = 0;
    unsigned char *p = b64 ? bc_ev_b64(b64, &n) : NULL;
    if (p) append(buf, len, p, n);
    free(p);
}

unsigned char *bc_ev_param_bytes(const json_t *params, const char *text_key,
                                 const char *b64_key, size_t *len, bool *present) {
    const char *text = bc_ev_str(params, text_key);
    const char *b64 = bc_ev_str(params, b64_key);
    unsigned char *out = calloc(1, 1);
    *len = 0;
    *present = text || b64;
    if (text) append(&out, len, (const unsigned char *)text, strlen(text));
    else if (b64) append_b64(&out, len, b64);
    return out;
}

bc_window bc_ev_window(const json_t *params, double expected) {
    json_t *tol = json_object_get(params, "tol");
    if (json_is_number(tol)) return (bc_window){ json_number_value(tol), json_number_value(tol) };
    return (bc_window){ 0.02 * fabs(expected) + 0.25, 0.05 * fabs(expected) + 1.0 };
}

bool bc_ev_in_window(double measured, double expected, bc_window w) {
    return measured >= expected - w.early && measured <= expected + w.late;
}

size_t bc_ev_param_attempt(const json_t *params, size_t dflt) {
    long a = bc_ev_int(params, "attempt", (long)dflt);
    return a > 0 ? (size_t)a : dflt;
}

/* ---- attempts ------------------------------------------------------------ */

size_t bc_ev_attempt_count(const bc_evidence *ev) {
    return bc_ev_count(ev->journal, "ev", "attach");
}

const json_t *bc_ev_attempt(const bc_evidence *ev, size_t k) {
    return bc_ev_nth(ev->journal, "ev", "attach", k);
}

const char *bc_ev_outcome(const bc_evidence *ev, size_t k) {
    return bc_ev_str(bc_ev_attempt(ev, k), "outcome");
}

long bc_ev_conn(const bc_evidence *ev, size_t k) {
    return bc_ev_int(bc_ev_attempt(ev, k), "conn", -1);
}

/* The http_request an event with "conn" and "req" belongs to, NULL if none. */
static const json_t *request_of(const bc_evidence *ev, const json_t *of) {
    long conn = bc_ev_int(of, "conn", -1), req = bc_ev_int(of, "req", -1);
    size_t i;
    json_t *e;
    json_array_foreach(ev->journal, i, e)
        if (bc_ev_is(e, "ev", "http_request") && bc_ev_int(e, "conn", -2) == conn &&
            bc_ev_int(e, "req", -2) == req)
            return e;
    return NULL;
}

const json_t *bc_ev_request(const bc_evidence *ev, size_t k) {
    const json_t *a = bc_ev_attempt(ev, k);
    return a ? request_of(ev, a) : NULL;
}

double bc_ev_requested_at(const bc_evidence *ev, size_t k) {
    const json_t *r = bc_ev_request(ev, k);
    return r ? bc_ev_t(r) : bc_ev_t(bc_ev_attempt(ev, k));
}

double bc_ev_upgraded_at(const bc_evidence *ev, size_t k) {
    const json_t *a = bc_ev_attempt(ev, k);
    return bc_ev_is(a, "outcome", "upgraded") ? bc_ev_t(a) : NAN;
}

/* The latest an event can have happened: its "t_max" when the server could
 * only bound it (a hang-up among several at once), else its t. */
static double t_max(const json_t *e) {
    json_t *v = json_object_get(e, "t_max");
    return json_is_number(v) ? json_number_value(v) : bc_ev_t(e);
}

/* When the first event on conn_k from R_k on that satisfies pred happened:
 * the earliest it can have (t), or with latest the latest it can have
 * (the first of them came no later than any one's t_max). */
static double first_on_conn(const bc_evidence *ev, size_t k,
                            bool (*pred)(const json_t *, long req), bool latest) {
    long conn = bc_ev_conn(ev, k), req = bc_ev_int(bc_ev_attempt(ev, k), "req", -1);
    double from = bc_ev_requested_at(ev, k), first = NAN;
    size_t i;
    json_t *e;
    json_array_foreach(ev->journal, i, e) {
        if (bc_ev_int(e, "conn", -2) != conn || bc_ev_t(e) < from || !pred(e, req)) continue;
        double t = latest ? t_max(e) : bc_ev_t(e);
        if (isnan(first) || t < first) first = t;
    }
    return first;
}

static bool server_ends(const json_t *e, long req) {
    if (bc_ev_is(e, "ev", "frame_out") && bc_ev_is(e, "op", "close")) return true;
    if (bc_ev_is(e, "ev", "tcp_close") && !bc_ev_is(e, "by", "client")) return true;
    /* a hung or reset answer has status null: it ended nothing by itself */
    long status = bc_ev_int(e, "status", 0);
    return bc_ev_is(e, "ev", "http_response") && bc_ev_int(e, "req", -2) == req && status >= 200;
}

/* A client's hang-up after the server's close frame closes what the server
 * began, it drops nothing. Its stamp may still come out a little before
 * that frame's: a hang-up's stamp errs early (fakeserver/tap_clock.c). */
static bool client_drops(const json_t *e, long req) {
    (void)req;
    if (bc_ev_is(e, "ev", "frame_in") && bc_ev_is(e, "op", "close")) return true;
    return bc_ev_is(e, "ev", "tcp_close") && bc_ev_is(e, "by", "client") &&
           !bc_ev_is(e, "close_frame_by", "server");
}

double bc_ev_server_end_at(const bc_evidence *ev, size_t k) {
    return bc_ev_attempt(ev, k) ? first_on_conn(ev, k, server_ends, false) : NAN;
}

/* Whether the client ended attempt k before the server did (earliest times). */
static bool client_ended_first(const bc_evidence *ev, size_t k) {
    double d = first_on_conn(ev, k, client_drops, false), s = bc_ev_server_end_at(ev, k);
    return !isnan(d) && !(s <= d);
}

double bc_ev_dropped_at(const bc_evidence *ev, size_t k) {
    if (!bc_ev_attempt(ev, k) || !client_ended_first(ev, k)) return NAN;
    return first_on_conn(ev, k, client_drops, true);
}

double bc_ev_ended_at(const bc_evidence *ev, size_t k) {
    if (!bc_ev_attempt(ev, k)) return NAN;
    return client_ended_first(ev, k) ? first_on_conn(ev, k, client_drops, false)
                                     : bc_ev_server_end_at(ev, k);
}

/* The first (or last) frame_out on conn_k between R_k and E_k, NAN if none. */
static double frame_out_at(const bc_evidence *ev, size_t k, bool last) {
    long conn = bc_ev_conn(ev, k);
    double from = bc_ev_requested_at(ev, k), until = bc_ev_ended_at(ev, k), found = NAN;
    size_t i;
    json_t *e;
    json_array_foreach(ev->journal, i, e) {
        double t = bc_ev_t(e);
        if (!bc_ev_is(e, "ev", "frame_out") || bc_ev_int(e, "conn", -2) != conn || t < from ||
            (!isnan(until) && t > until))
            continue;
        found = t;
        if (!last) break;
    }
    return found;
}

double bc_ev_last_frame_at(const bc_evidence *ev, size_t k) {
    return frame_out_at(ev, k, true);
}

double bc_ev_first_frame_at(const bc_evidence *ev, size_t k) {
    return frame_out_at(ev, k, false);
}

static bool is_exit_text(const json_t *e) {
    const char *text = bc_ev_str(e, "text");
    if (!bc_ev_is(e, "op", "text") || !text) return false;
    json_t *v = json_loads(text, 0, NULL);
    bool exit = bc_ev_is(v, "type", "exit");
    json_decref(v);
    return exit;
}

bool bc_ev_saw_exit_frame(const bc_evidence *ev, size_t k) {
    long conn = bc_ev_conn(ev, k);
    double from = bc_ev_requested_at(ev, k);
    size_t i;
    json_t *e;
    json_array_foreach(ev->journal, i, e)
        if (bc_ev_is(e, "ev", "frame_out") && bc_ev_int(e, "conn", -2) == conn &&
            bc_ev_t(e) >= from && is_exit_text(e))
            return true;
    return false;
}

/* ---- waits --------------------------------------------------------------- */

/* Whether a status probe on conn was still unanswered at time t: closing
 * the connection then means giving up on it. (A client also closes idle
 * keep-alive connections long after their probe was answered.) */
static bool probe_pending(const bc_evidence *ev, long conn, double t) {
    size_t i;
    json_t *e;
    bool pending = false;
    json_array_foreach(ev->journal, i, e) {
        if (bc_ev_int(e, "conn", -2) != conn || bc_ev_t(e) > t) continue;
        if (bc_ev_is(e, "ev", "http_request")) pending = bc_ev_is(e, "endpoint", "probe");
        else if (bc_ev_is(e, "ev", "http_response")) pending = false;
    }
    return pending;
}

/* The run's time scale (the journal's listen line), 1 if it has none. */
static double time_scale(const bc_evidence *ev) {
    const json_t *listen = bc_ev_nth(ev->journal, "ev", "listen", 1);
    double scale = json_number_value(json_object_get(listen, "scale"));
    return scale > 0 ? scale : 1;
}

/* The latest the client can have dropped conn (close frame, FIN or RST),
 * NAN if it never did. A hang-up's stamp errs early (docs/journal.md: the
 * CPU time it takes off can be a scheduler tick stale) and one taken as
 * exact has no t_max: a client that hung up on reading a 404 was stamped up
 * to 126 us of real time before that 404 left, in 6 runs of 11. So the
 * latest is BC_EV_HANGUP_EARLY_S of real time past its t_max. */
static double client_left(const bc_evidence *ev, long conn) {
    size_t i;
    json_t *e;
    double left = NAN;
    json_array_foreach(ev->journal, i, e)
        if (bc_ev_int(e, "conn", -2) == conn && client_drops(e, -1) &&
            (isnan(left) || t_max(e) < left))
            left = t_max(e);
    return left + BC_EV_HANGUP_EARLY_S * time_scale(ev);
}

/* An answer the client can have read: it left before the client dropped its
 * connection (as far as the journal can tell). A server slowed by load
 * answers after the client gave up on it, and the client never learns of
 * that answer. */
static bool reached_client(const bc_evidence *ev, const json_t *response) {
    double left = client_left(ev, bc_ev_int(response, "conn", -2));
    return isnan(left) || bc_ev_t(response) < left;
}

/* Something the client reacts to by starting its backoff sleep: a probe
 * answered or given up on, or a reconnect upgrade refused. */
static bool wait_anchor(const bc_evidence *ev, const json_t *e) {
    if (bc_ev_is(e, "ev", "http_response"))
        return (bc_ev_is(e, "endpoint", "probe") ||
                (bc_ev_is(e, "endpoint", "attach") && bc_ev_int(e, "status", 0) >= 200)) &&
               reached_client(ev, e);
    return bc_ev_is(e, "ev", "tcp_close") && bc_ev_is(e, "by", "client") &&
           probe_pending(ev, bc_ev_int(e, "conn", -2), bc_ev_t(e));
}

/* The client's wait clock starts at the latest thing it reacted to before
 * attempt k: the end of the previous attempt, or a probe / rejected upgrade
 * answered since. A previous attempt the client left open past R_k (a dead
 * socket it never closed) is no anchor. */
double bc_ev_wait_before(const bc_evidence *ev, size_t k) {
    if (k < 2 || k > bc_ev_attempt_count(ev)) return NAN;
    double r = bc_ev_requested_at(ev, k), from = bc_ev_ended_at(ev, k - 1);
    if (!isnan(from) && from > r) from = NAN;
    size_t i;
    json_t *e;
    json_array_foreach(ev->journal, i, e) {
        double t = bc_ev_t(e);
        if (wait_anchor(ev, e) && t < r && (isnan(from) || t > from)) from = t;
    }
    return r - from;
}

/* Mirrors the reference client: a disconnect restarts the backoff at its
 * initial value, a failed attempt doubles it up to the cap, and no sleep is
 * longer than what is left of the budget the sleeps share. */
double bc_ev_expected_wait_before(const bc_evidence *ev, size_t k) {
    if (k < 2 || k > bc_ev_attempt_count(ev)) return NAN;
    double left = ev->k.budget, backoff = ev->k.backoff_initial, w = 0;
    for (size_t j = 2; j <= k; j++) {
        const char *prev = bc_ev_outcome(ev, j - 1);
        bool established = prev && strcmp(prev, "upgraded") == 0;
        if (established || j == 2) backoff = ev->k.backoff_initial;
        else backoff = fmin(2 * backoff, ev->k.backoff_max);
        w = fmin(backoff, left);
        left -= w;
    }
    return w;
}

double bc_ev_total_waits(const bc_evidence *ev) {
    double sum = 0;
    for (size_t k = 2; k <= bc_ev_attempt_count(ev); k++) sum += bc_ev_wait_before(ev, k);
    return sum;
}

/* ---- REST calls ---------------------------------------------------------- */

static const json_t *first_after(const bc_evidence *ev, const char *what, const char *endpoint,
                                 int status, double t) {
    size_t i;
    json_t *e;
    json_array_foreach(ev->journal, i, e)
        if (bc_ev_is(e, "ev", what) && bc_ev_is(e, "endpoint", endpoint) && bc_ev_t(e) > t &&
            (status < 0 || bc_ev_int(e, "status", -1) == status))
            return e;
    return NULL;
}

double bc_ev_request_after(const bc_evidence *ev, const char *endpoint, double t) {
    return bc_ev_t(first_after(ev, "http_request", endpoint, -1, t));
}

const json_t *bc_ev_response_event_after(const bc_evidence *ev, const char *endpoint, int status,
                                         double t) {
    return first_after(ev, "http_response", endpoint, status, t);
}

double bc_ev_response_after(const bc_evidence *ev, const char *endpoint, int status,
                            double t) {
    return bc_ev_t(bc_ev_response_event_after(ev, endpoint, status, t));
}

const char *bc_ev_probe_status(const json_t *response, char *buf, size_t len) {
    long status = bc_ev_int(response, "status", 0);
    const char *body = bc_ev_str(response, "body");
    if (status < 200 || status > 299 || !body) return NULL;
    json_t *v = json_loads(body, 0, NULL);
    const char *s = bc_ev_str(v, "status");
    bool found = s != NULL;
    if (found) snprintf(buf, len, "%s", s);
    json_decref(v);
    return found ? buf : NULL;
}

bool bc_ev_said_terminal(const json_t *response) {
    char buf[64];
    const char *status = bc_ev_probe_status(response, buf, sizeof buf);
    return status && (!strcmp(status, "completed") || !strcmp(status, "killed") ||
                      !strcmp(status, "timed_out"));
}

bool bc_ev_said_gone(const json_t *response) {
    return bc_ev_int(response, "status", 0) == 404;
}

/* A probe answer that said what said() looks for and reached the client
 * before it dropped the connection. */
static bool probe_said(const bc_evidence *ev, const json_t *e,
                       bool (*said)(const json_t *response)) {
    return bc_ev_is(e, "ev", "http_response") && bc_ev_is(e, "endpoint", "probe") && said(e) &&
           reached_client(ev, e);
}

/* An answer that left close to the probe timeout may have found the client
 * gone: only one well inside it, before the client dropped the connection,
 * surely counted. */
static bool in_time(const bc_evidence *ev, const json_t *answer) {
    double limit = ev->k.probe_timeout - bc_ev_window(NULL, ev->k.probe_timeout).early;
    return bc_ev_t(answer) - bc_ev_t(request_of(ev, answer)) < limit;
}

const json_t *bc_ev_probe_answer_after(const bc_evidence *ev, double t,
                                       bool (*said)(const json_t *response)) {
    size_t i;
    json_t *e;
    json_array_foreach(ev->journal, i, e)
        if (bc_ev_t(e) > t && probe_said(ev, e, said) && in_time(ev, e)) return e;
    return NULL;
}

const json_t *bc_ev_probe_answer_set_aside(const bc_evidence *ev,
                                           bool (*said)(const json_t *response)) {
    size_t i;
    json_t *e;
    json_array_foreach(ev->journal, i, e)
        if (probe_said(ev, e, said) && !in_time(ev, e)) return e;
    return NULL;
}

/* ---- the adapter's side --------------------------------------------------- */

size_t bc_ev_count_events(const bc_evidence *ev, const char *event) {
    return bc_ev_count(ev->events, "event", event);
}

const json_t *bc_ev_find_event(const bc_evidence *ev, const char *event) {
    return bc_ev_nth(ev->events, "event", event, 1);
}

const json_t *bc_ev_result(const bc_evidence *ev) {
    return bc_ev_find_event(ev, "result");
}

static bool error_matches(const json_t *want, const char *got, char *why, size_t whylen) {
    bool has = got && *got;
    if (json_is_false(want) && has) {
        snprintf(why, whylen, "error message \"%.80s\"; expected none", got);
        return false;
    }
    if (json_is_true(want) && !has) {
        snprintf(why, whylen, "no error message; expected one");
        return false;
    }
    if (json_is_string(want) && (!has || !strstr(got, json_string_value(want)))) {
        snprintf(why, whylen, "error message \"%.80s\"; expected one containing \"%s\"",
                 has ? got : "", json_string_value(want));
        return false;
    }
    return true;
}

bool bc_ev_result_matches(const json_t *result, const json_t *params, char *why,
                          size_t whylen) {
    if (!result) {
        snprintf(why, whylen, "no result event");
        return false;
    }
    json_t *want_code = json_object_get(params, "exit_code");
    json_t *got_code = json_object_get(result, "exit_code");
    if (want_code && !(json_is_integer(got_code) &&
                       json_integer_value(got_code) == json_integer_value(want_code))) {
        snprintf(why, whylen, "exit code %lld; expected %lld",
                 json_is_integer(got_code) ? json_integer_value(got_code) : -999LL,
                 json_integer_value(want_code));
        return false;
    }
    json_t *want_err = json_object_get(params, "error");
    return !want_err || error_matches(want_err, bc_ev_str(result, "error_message"), why,
                                      whylen);
}

unsigned char *bc_ev_output(const bc_evidence *ev, const char *event, size_t *len) {
    unsigned char *out = calloc(1, 1);
    size_t i;
    json_t *e;
    *len = 0;
    json_array_foreach(ev->events, i, e)
        if (bc_ev_is(e, "event", event)) append_b64(&out, len, bc_ev_str(e, "data_b64"));
    return out;
}

/* A query parameter stdin=false: the one form both BoxLite servers read as
 * read-only (the Go runner takes stdin=0 as a read-write attach). */
bool bc_ev_query_readonly(const char *query) {
    static const char param[] = "stdin=false";
    const size_t n = sizeof param - 1;
    for (const char *p = query; p && *p; p += strcspn(p, "&"), p += *p == '&')
        if (!strncmp(p, param, n) && (p[n] == '&' || p[n] == '\0')) return true;
    return false;
}

static bool readonly_conn(const bc_evidence *ev, long conn) {
    size_t i;
    json_t *e;
    json_array_foreach(ev->journal, i, e)
        if (bc_ev_is(e, "ev", "attach") && bc_ev_int(e, "conn", -2) == conn)
            return bc_ev_query_readonly(bc_ev_str(e, "query"));
    return false;
}

unsigned char *bc_ev_stdin_bytes(const bc_evidence *ev, size_t *len) {
    unsigned char *out = calloc(1, 1);
    size_t i;
    json_t *e;
    *len = 0;
    json_array_foreach(ev->journal, i, e) {
        if (bc_ev_is_stdin_eof(e)) break;
        if (bc_ev_is(e, "ev", "frame_in") && bc_ev_is(e, "op", "binary") &&
            !readonly_conn(ev, bc_ev_int(e, "conn", -1)))
            append_b64(&out, len, bc_ev_str(e, "data_b64"));
    }
    return out;
}

bool bc_ev_is_stdin_eof(const json_t *e) {
    const char *text = bc_ev_str(e, "text");
    if (!bc_ev_is(e, "ev", "frame_in") || !bc_ev_is(e, "op", "text") || !text) return false;
    json_t *v = json_loads(text, 0, NULL);
    bool eof = bc_ev_is(v, "type", "stdin_eof");
    json_decref(v);
    return eof;
}

const json_t *bc_ev_stdin_after_eof(const bc_evidence *ev) {
    bool eof_seen = false;
    size_t i;
    json_t *e;
    json_array_foreach(ev->journal, i, e) {
        if (eof_seen && bc_ev_is(e, "ev", "frame_in") && bc_ev_is(e, "op", "binary")) return e;
        eof_seen |= bc_ev_is_stdin_eof(e);
    }
    return NULL;
}

double bc_ev_stdin_closed_at(const bc_evidence *ev) {
    size_t i;
    json_t *e;
    json_array_foreach(ev->fed, i, e) if (bc_ev_is(e, "fed", "stdin_close")) return bc_ev_t(e);
    return NAN;
}
