/* lifecycle.c - the Lifecycle family: a box's info, its start and stop, its
 * metrics, and the control calls of a running execution.
 *
 * Each check compares what the adapter reported (value and error events)
 * with the answer the server sent as the journal holds it, field by field:
 * the expectation is read from that answer, never from the scenario. */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jbig.h"
#include "rest_error.h"
#include "suites.h"

#define BOX_ID_MAX 128          /* BoxLite's BoxID::MAX_LENGTH */

/* ---- events around an answer ----------------------------------------------- */

/* The first adapter event of that kind at or after t (NAN: any time). */
static const json_t *event_from(const bc_evidence *ev, const char *event, double t) {
    size_t i;
    json_t *e;
    json_array_foreach(ev->events, i, e)
        if (bc_ev_is(e, "event", event) && (isnan(t) || !(bc_ev_t(e) < t))) return e;
    return NULL;
}

/* The first value or error event: what the call came to. */
static const json_t *first_report(const bc_evidence *ev) {
    const json_t *v = event_from(ev, "value", NAN), *e = event_from(ev, "error", NAN);
    if (!v || !e) return v ? v : e;
    return bc_ev_t(e) < bc_ev_t(v) ? e : v;
}

/* The answer to the last call of endpoint made at or before t (NAN: the
 * last call). Reports are sought from a call's request on: the server
 * stamps it before it answers, while a quick client may report before the
 * server's stamp of its own answer. */
static const json_t *answer_before(const bc_evidence *ev, const char *endpoint, double t,
                                   double *asked) {
    const json_t *found = NULL;
    for (size_t n = 1; bc_ev_call(ev, endpoint, n); n++) {
        const json_t *rq = bc_ev_call(ev, endpoint, n);
        if (isnan(t) || !(bc_ev_t(rq) > t)) found = rq;
    }
    *asked = found ? bc_ev_t(found) : NAN;
    return found ? bc_ev_answer(ev, found) : NULL;
}

/* The answer the adapter's first report (value or error) is about: the
 * last call of endpoint before it. */
static const json_t *reported_answer(const bc_evidence *ev, const char *endpoint,
                                     double *asked) {
    const json_t *report = first_report(ev);
    return answer_before(ev, endpoint, report ? bc_ev_t(report) : NAN, asked);
}

static bool is_success(const json_t *response) {
    long status = bc_ev_int(response, "status", -1);
    return status >= 200 && status <= 299;
}

/* ---- a BoxResponse and the info a handle holds ------------------------------ */

typedef enum box_shape { BOX_VALID, BOX_INVALID } box_shape;

/* The statuses BoxLite's BoxStatus knows; any other is Unknown. */
static const char *const known_statuses[] = { "configured", "running", "stopping", "stopped",
                                              "paused" };

static bool known_status(const char *s) {
    for (size_t i = 0; i < sizeof known_statuses / sizeof known_statuses[0]; i++)
        if (!strcmp(s, known_statuses[i])) return true;
    return false;
}

static bool uint_at_most(const json_t *v, uint64_t max) {
    uint64_t n;
    return bc_ev_u64(v, &n) && n <= max;
}

static bool usable_box_id(const char *id) {
    size_t n = strlen(id);
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)id[i]) && id[i] != '-' && id[i] != '_') return false;
    return n > 0 && n <= BOX_ID_MAX;
}

/* Whether body is a BoxResponse a client must take (types.rs: the strings,
 * cpus a u8, memory_mib a u32, name a string or null, pid a u32 or null, a
 * usable box_id); why names the first flaw. */
static box_shape box_shape_of(const json_t *body, char *why, size_t len) {
    static const char *const strings[] = { "box_id", "status", "created_at", "updated_at",
                                           "image" };
    const json_t *name = json_object_get(body, "name"), *pid = json_object_get(body, "pid");
    if (!json_is_object(body))
        return snprintf(why, len, "an answer that is no JSON object"), BOX_INVALID;
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) {
        const json_t *v = json_object_get(body, strings[i]);
        if (!json_is_string(v))
            return snprintf(why, len, "a BoxResponse whose `%s` %s", strings[i],
                            v ? "is not a string" : "is missing"), BOX_INVALID;
    }
    if (!uint_at_most(json_object_get(body, "cpus"), UINT8_MAX))
        return snprintf(why, len, "a BoxResponse whose `cpus` is no u8"), BOX_INVALID;
    if (!uint_at_most(json_object_get(body, "memory_mib"), UINT32_MAX))
        return snprintf(why, len, "a BoxResponse whose `memory_mib` is no u32"), BOX_INVALID;
    if (name && !json_is_null(name) && !json_is_string(name))
        return snprintf(why, len, "a BoxResponse whose `name` is no string"), BOX_INVALID;
    if (pid && !json_is_null(pid) && !uint_at_most(pid, UINT32_MAX))
        return snprintf(why, len, "a BoxResponse whose `pid` is no u32"), BOX_INVALID;
    if (!usable_box_id(bc_ev_str(body, "box_id")))
        return snprintf(why, len, "a BoxResponse whose `box_id` \"%.40s\" no path can carry",
                        bc_ev_str(body, "box_id")), BOX_INVALID;
    const char *status = bc_ev_str(body, "status");
    if (known_status(status)) snprintf(why, len, "a BoxResponse");
    else snprintf(why, len, "a BoxResponse with the unknown status \"%.40s\"", status);
    return BOX_VALID;
}

/* RFC 3339 date-time into seconds since 1970; false when it is none. */
static bool rfc3339_seconds(const char *s, double *out) {
    int y, mo, d, h, mi, sec, n = 0;
    if (!s || sscanf(s, "%4d-%2d-%2d%*1[Tt ]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 ||
        n != 19)
        return false;
    const char *p = s + n;
    double frac = 0;
    if (*p == '.') {
        char *end;
        frac = strtod(p, &end);
        p = end;
    }
    int off = 0, oh, om;
    if ((*p == 'Z' || *p == 'z') && !p[1]) off = 0;
    else if ((*p == '+' || *p == '-') && sscanf(p + 1, "%2d:%2d", &oh, &om) == 2 && strlen(p) == 6)
        off = (*p == '-' ? -1 : 1) * (oh * 3600 + om * 60);
    else return false;
    long yy = y - (mo <= 2), era = (yy >= 0 ? yy : yy - 399) / 400;  /* days from civil */
    long yoe = yy - era * 400, doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long days = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
    *out = (double)days * 86400 + h * 3600 + mi * 60 + sec + frac - off;
    return true;
}

/* The same instant: the server's text and the adapter's may be written
 * differently (Z or +00:00, with or without fractions). A timestamp the
 * server wrote as no RFC 3339 is not judged (BoxLite takes "now" for it). */
static bool same_instant(const json_t *sent, const json_t *held) {
    double a, b;
    if (!rfc3339_seconds(json_string_value(sent), &a)) return true;
    return rfc3339_seconds(json_string_value(held), &b) && fabs(a - b) < 1e-6;
}

static bool same_status(const char *sent, const char *held) {
    if (!held) return false;
    return !strcmp(sent, held) || (!known_status(sent) && !strcmp(held, "unknown"));
}

/* Does value (the info a handle holds) say what body (a valid BoxResponse)
 * said? why names the first field that differs. */
static bool box_info_matches(const json_t *value, const json_t *body, char *why, size_t len) {
    static const char *const exact[] = { "box_id", "image", "cpus", "memory_mib" };
    static const char *const times[] = { "created_at", "updated_at" };
    if (!json_is_object(value)) return snprintf(why, len, "the value is not an object"), false;
    for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++) {
        const json_t *s = json_object_get(body, exact[i]), *h = json_object_get(value, exact[i]);
        if (!h || !bc_ev_same_value(s, h)) {
            char *sent = json_dumps(s, JSON_ENCODE_ANY), *held = h ? json_dumps(h, JSON_ENCODE_ANY) : NULL;
            snprintf(why, len, "%s %s, the server sent %s", exact[i], held ? held : "missing", sent);
            free(sent);
            free(held);
            return false;
        }
    }
    const char *status = bc_ev_str(body, "status"), *held = bc_ev_str(value, "status");
    if (!same_status(status, held))
        return snprintf(why, len, "status %s, the server sent \"%s\"%s", held ? held : "missing",
                        status, known_status(status) ? "" : " (\"unknown\" or as sent)"), false;
    for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
        const json_t *s = json_object_get(body, times[i]), *h = json_object_get(value, times[i]);
        /* an SDK whose handle has no updated_at (BoxLite's Node SDK) leaves
         * the key out of the value: nothing to judge, not a wrong time */
        if (!h && !strcmp(times[i], "updated_at")) continue;
        if (!same_instant(s, h))
            return snprintf(why, len, "%s %s, the server sent %s", times[i],
                            json_is_string(h) ? json_string_value(h) : "missing",
                            json_string_value(s)), false;
    }
    const json_t *name = json_object_get(body, "name"), *hname = json_object_get(value, "name");
    bool no_name = !json_is_string(name);
    if (no_name ? hname && !json_is_null(hname) : !json_equal((json_t *)name, (json_t *)hname))
        return snprintf(why, len, "name %s, the server sent %s",
                        json_is_string(hname) ? json_string_value(hname) : "null",
                        no_name ? "none" : json_string_value(name)), false;
    snprintf(why, len, "status %s, updated_at %s", held,
             bc_ev_str_or(value, "updated_at", "not reported"));
    return true;
}

/* BOX-INFO */
void check_box_info(const bc_evidence *ev, const json_t *params, bc_check_result *out) {
    (void)params;
    double asked;
    const json_t *answer = reported_answer(ev, "box", &asked);
    if (!answer) {
        bc_check_set(out, BC_FAIL, "no GET /boxes/{id} was answered; expected the box's info");
        return;
    }
    if (!is_success(answer)) {
        bc_check_set(out, BC_ERROR, "the box was answered %ld: an error answer is REST-ERRORS' "
                     "to judge", bc_ev_int(answer, "status", -1));
        return;
    }
    json_t *body = bc_ev_body_json(answer);
    char shape[160], why[200];
    box_shape verdict = box_shape_of(body, shape, sizeof shape);
    const json_t *value = event_from(ev, "value", NAN), *error = event_from(ev, "error", NAN);
    const char *message = bc_ev_str(error, "message");
    if (verdict == BOX_INVALID && value)
        bc_check_set(out, BC_FAIL, "%s was accepted; expected a clear error, no handle", shape);
    else if (verdict == BOX_INVALID && (!message || !*message))
        bc_check_set(out, BC_FAIL, "%s; expected an error with a message, got %s", shape,
                     error ? "one without" : "none");
    else if (verdict == BOX_INVALID)
        bc_check_set(out, BC_PASS, "%s: refused (%s)", shape, bc_ev_str(error, "kind"));
    else if (!value)
        bc_check_set(out, BC_FAIL, "%s was refused (%s: %.80s); expected the box's info", shape,
                     error ? bc_ev_str(error, "kind") : "no event", message ? message : "");
    else if (!box_info_matches(bc_ev_value(ev, 1), body, why, sizeof why))
        bc_check_set(out, BC_FAIL, "after %s the handle holds %s", shape, why);
    else
        bc_check_set(out, BC_PASS, "%s taken as sent: %s", shape, why);
    json_decref(body);
}

/* ---- BOX-LIFECYCLE ---------------------------------------------------------------- */

/* One start or stop call: POST, answered with a valid box its value holds. */
/* An SDK that keeps no box info fetches it again (GET /boxes/{id}) after a
 * start or stop: a value that holds such a later answer, made between the
 * call and the value, holds the server's word too. */
static bool holds_a_later_get(const bc_evidence *ev, const json_t *request, const json_t *value) {
    double from = bc_ev_t(request), to = bc_ev_t(value);
    const json_t *get;
    char why[200];
    for (size_t n = 1; (get = bc_ev_call(ev, "box", n)); n++) {
        if (bc_ev_t(get) < from || bc_ev_t(get) > to) continue;
        const json_t *answer = bc_ev_answer(ev, get);
        json_t *body = answer && is_success(answer) ? bc_ev_body_json(answer) : NULL;
        bool held = body && box_info_matches(json_object_get(value, "value"), body, why, sizeof why);
        json_decref(body);
        if (held) return true;
    }
    return false;
}

static bool lifecycle_call_ok(const bc_evidence *ev, const json_t *request, bc_check_result *out) {
    const char *endpoint = bc_ev_str(request, "endpoint"), *method = bc_ev_str(request, "method");
    const json_t *answer = bc_ev_answer(ev, request);
    char shape[160], why[200];
    if (!method || strcmp(method, "POST")) {
        bc_check_set(out, BC_FAIL, "%s sent as %s; expected POST", endpoint, method);
        return false;
    }
    json_t *body = answer && is_success(answer) ? bc_ev_body_json(answer) : NULL;
    bool valid = body && box_shape_of(body, shape, sizeof shape) == BOX_VALID;
    const json_t *value = valid ? event_from(ev, "value", bc_ev_t(request)) : NULL;
    bool ok = !valid;            /* an answer no handle can take is not this check's */
    if (valid && !value)
        bc_check_set(out, BC_FAIL, "%s answered %s; the client reported no box after it",
                     endpoint, shape);
    else if (valid && !box_info_matches(json_object_get(value, "value"), body, why, sizeof why) &&
             !holds_a_later_get(ev, request, value))
        bc_check_set(out, BC_FAIL, "after %s the handle holds %s", endpoint, why);
    else
        ok = true;
    json_decref(body);
    return ok;
}

/* BOX-LIFECYCLE */
void check_box_lifecycle(const bc_evidence *ev, const json_t *params, bc_check_result *out) {
    static const char *const verbs[] = { "start", "stop" };
    const char *asked = bc_ev_str(params, "endpoint");
    size_t calls = 0;
    for (size_t v = 0; v < 2; v++)
        for (size_t n = 1; bc_ev_call(ev, verbs[v], n); n++, calls++)
            if (!lifecycle_call_ok(ev, bc_ev_call(ev, verbs[v], n), out)) return;
    if (asked && !bc_ev_call(ev, asked, 1)) {
        bc_check_set(out, BC_FAIL, "no POST /boxes/{id}/%s; expected one", asked);
        return;
    }
    if (calls == 0) {
        bc_check_set(out, BC_FAIL, "no POST /boxes/{id}/start or /stop; expected one");
        return;
    }
    const json_t *last = event_from(ev, "value", NAN);
    bc_check_measured(out, BC_PASS, (double)calls, "%zu start/stop call%s, the handle holds the "
                      "server's answer (status %s)", calls, calls == 1 ? "" : "s",
                      bc_ev_str(json_object_get(last, "value"), "status"));
}

/* ---- METRICS-MAP ------------------------------------------------------------------- */

static const char *const metric_totals[] = {
    "commands_executed_total", "exec_errors_total", "bytes_sent_total", "bytes_received_total",
};
static const char *const metric_gauges[] = {
    "memory_bytes", "network_bytes_sent", "network_bytes_received", "network_tcp_connections",
    "network_tcp_errors",
};
static const char *const boot_stages[] = {
    "total_create_ms", "guest_boot_ms", "filesystem_setup_ms", "image_prepare_ms",
    "guest_rootfs_ms", "box_config_ms", "box_spawn_ms", "container_init_ms",
};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* How a comparison of the metrics went: the first real difference wins;
 * a big integer that came back rounded is only noted (strict part). */
typedef struct metrics_diff {
    char fail[200];             /* first difference; "" if none */
    char rounded[200];          /* first rounded big integer; "" if none */
} metrics_diff;

static bool absent(const json_t *v) {
    return !v || json_is_null(v);
}

/* The first note of its slot stays. */
static void note(char *slot, size_t len, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    if (!*slot) vsnprintf(slot, len, fmt, ap);
    va_end(ap);
}

/* A u64 field sent (NULL: absent, default dflt or none) against the one held. */
static void compare_u64(metrics_diff *d, const char *key, const json_t *sent, const json_t *held,
                        bool zero_default) {
    char *s = sent ? bc_jbig_dumps(sent, JSON_ENCODE_ANY) : strdup(zero_default ? "0" : "none");
    char *h = absent(held) ? strdup("none") : bc_jbig_dumps(held, JSON_ENCODE_ANY);
    uint64_t want = 0, got = 0;
    bool expected = sent || zero_default, whole = !absent(held) && bc_ev_u64(held, &got);
    if (sent) bc_ev_u64(sent, &want);
    if (!expected && !absent(held))
        note(d->fail, sizeof d->fail, "%s is %s; the server sent %s (absent stays absent)", key,
             h, s);
    else if (expected && absent(held))
        note(d->fail, sizeof d->fail, "%s is %s; the server sent %s", key, h, s);
    else if (expected && whole && got == want)
        ;
    else if (sent && bc_ev_rounded_u64(sent, held))
        note(d->rounded, sizeof d->rounded, "%s is %s; the server sent %s (rounded to a double)",
             key, h, s);
    else if (expected)
        note(d->fail, sizeof d->fail, "%s is %s; the server sent %s", key, h, s);
    free(s);
    free(h);
}

/* cpu_percent is an f32: as close as a float holds it. */
static void compare_cpu(metrics_diff *d, const json_t *sent, const json_t *held) {
    char s[32] = "none", h[32] = "none";
    if (!absent(sent)) snprintf(s, sizeof s, "%g", json_number_value(sent));
    if (json_is_number(held)) snprintf(h, sizeof h, "%g", json_number_value(held));
    else if (!absent(held)) snprintf(h, sizeof h, "not a number");
    if (absent(sent) != absent(held) ||
        (!absent(sent) && (!json_is_number(held) ||
                           fabs(json_number_value(held) - json_number_value(sent)) >
                               1e-6 * fmax(1, fabs(json_number_value(sent))))))
        note(d->fail, sizeof d->fail, "%s is %s; the server sent %s", "cpu_percent", h, s);
}

/* A key held that the answer has no place for. */
static void compare_extra(metrics_diff *d, const json_t *held, const char *const *known,
                          size_t n) {
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)held, key, v) {
        bool listed = false;
        for (size_t i = 0; i < n && !listed; i++) listed = !strcmp(known[i], key);
        if (!listed && !absent(v)) note(d->fail, sizeof d->fail, "%s is held; the server "
                                        "sent no such field", key);
    }
}

static void compare_boot_timing(metrics_diff *d, const json_t *sent, const json_t *held) {
    if (absent(sent)) {
        if (!absent(held))
            note(d->fail, sizeof d->fail, "%s is %s; the server sent %s (every stage absent)",
                 "boot_timing", "an object", "none");
        return;
    }
    if (!json_is_object(held)) {
        note(d->fail, sizeof d->fail, "%s is %s; the server sent %s", "boot_timing",
             absent(held) ? "none" : "not an object", "an object");
        return;
    }
    for (size_t i = 0; i < COUNT(boot_stages); i++) {
        const json_t *s = json_object_get(sent, boot_stages[i]);
        compare_u64(d, boot_stages[i], absent(s) ? NULL : s,
                    json_object_get(held, boot_stages[i]), false);
    }
    compare_extra(d, held, boot_stages, COUNT(boot_stages));
}

static void compare_metrics(metrics_diff *d, const json_t *sent, const json_t *held) {
    static const char *const top[] = {
        "commands_executed_total", "exec_errors_total", "bytes_sent_total",
        "bytes_received_total", "cpu_percent", "memory_bytes", "network_bytes_sent",
        "network_bytes_received", "network_tcp_connections", "network_tcp_errors", "boot_timing",
    };
    for (size_t i = 0; i < COUNT(metric_totals); i++)
        compare_u64(d, metric_totals[i], json_object_get(sent, metric_totals[i]),
                    json_object_get(held, metric_totals[i]), true);
    compare_cpu(d, json_object_get(sent, "cpu_percent"), json_object_get(held, "cpu_percent"));
    for (size_t i = 0; i < COUNT(metric_gauges); i++) {
        const json_t *s = json_object_get(sent, metric_gauges[i]);
        compare_u64(d, metric_gauges[i], absent(s) ? NULL : s,
                    json_object_get(held, metric_gauges[i]), false);
    }
    compare_boot_timing(d, json_object_get(sent, "boot_timing"),
                        json_object_get(held, "boot_timing"));
    compare_extra(d, held, top, COUNT(top));
}

/* Whether the answer is a BoxMetricsResponse a client must take. */
static bool metrics_shape_ok(const json_t *body) {
    uint64_t n;
    if (!json_is_object(body)) return false;
    for (size_t i = 0; i < COUNT(metric_totals); i++) {
        const json_t *v = json_object_get(body, metric_totals[i]);
        if (v && !bc_ev_u64(v, &n)) return false;
    }
    const json_t *cpu = json_object_get(body, "cpu_percent"), *bt = json_object_get(body, "boot_timing");
    if (!absent(cpu) && !json_is_number(cpu)) return false;
    for (size_t i = 0; i < COUNT(metric_gauges); i++) {
        const json_t *v = json_object_get(body, metric_gauges[i]);
        if (!absent(v) && !bc_ev_u64(v, &n)) return false;
    }
    if (!absent(bt) && !json_is_object(bt)) return false;
    for (size_t i = 0; !absent(bt) && i < COUNT(boot_stages); i++) {
        const json_t *v = json_object_get(bt, boot_stages[i]);
        if (!absent(v) && !bc_ev_u64(v, &n)) return false;
    }
    return true;
}

/* METRICS-MAP */
void check_metrics_map(const bc_evidence *ev, const json_t *params, bc_check_result *out) {
    (void)params;
    double asked;
    const json_t *answer = reported_answer(ev, "metrics", &asked);
    if (!answer || !is_success(answer)) {
        bc_check_set(out, answer ? BC_ERROR : BC_FAIL, answer ? "the metrics were answered %ld: "
                     "an error answer is REST-ERRORS' to judge" : "no GET /boxes/{id}/metrics "
                     "was answered%.0ld; expected one", bc_ev_int(answer, "status", 0));
        return;
    }
    json_t *body = bc_ev_body_json(answer);
    const json_t *value = event_from(ev, "value", asked);
    const json_t *error = event_from(ev, "error", asked);
    metrics_diff d = { "", "" };
    if (!metrics_shape_ok(body) && value)
        bc_check_set(out, BC_FAIL, "a malformed BoxMetricsResponse was accepted; expected a "
                     "clear error");
    else if (!metrics_shape_ok(body))
        bc_check_set(out, error ? BC_PASS : BC_FAIL, "a malformed BoxMetricsResponse: %s",
                     error ? "refused" : "no error reported; expected one");
    else if (!value)
        bc_check_set(out, BC_FAIL, "the metrics were refused (%s); expected every field",
                     error ? bc_ev_str(error, "message") : "no event");
    else {
        compare_metrics(&d, body, json_object_get(value, "value"));
        if (*d.fail) bc_check_set(out, BC_FAIL, "%s", d.fail);
        else if (*d.rounded)
            bc_check_set(out, BC_NON_STRICT, "%s: u64 above 2^53 exact is strict", d.rounded);
        else bc_check_set(out, BC_PASS, "every metrics field as the server sent it, absent ones "
                          "absent");
    }
    json_decref(body);
}

/* ---- EXEC-CONTROL ------------------------------------------------------------------- */

#define FED_STAMP_LAG 1.0       /* client s before a fed op's stamp that its listing covers */

/* Where the n-th op of its kind went, and whether it carried the fed values. */
static bool control_request_ok(const json_t *fed, const json_t *request, const char *eid,
                               bc_check_result *out) {
    const char *op = bc_ev_str(fed, "fed");
    const char *want = !strcmp(op, "kill") ? "DELETE" : "POST";
    const char *method = bc_ev_str(request, "method"), *id = bc_ev_str(request, "execution_id");
    if (strcmp(method ? method : "", want)) {
        bc_check_set(out, BC_FAIL, "%s sent as %s; expected %s", op, method, want);
        return false;
    }
    if (eid && (!id || strcmp(id, eid))) {
        bc_check_set(out, BC_FAIL, "%s sent to execution %s; expected %s", op, id ? id : "(none)",
                     eid);
        return false;
    }
    if (!strcmp(op, "kill")) return true;
    json_t *body = bc_ev_body_json(request);
    static const char *const keys[][2] = { { "signal", NULL }, { "cols", "rows" } };
    const char *const *k = keys[!strcmp(op, "resize")];
    bool ok = true;
    for (int i = 0; i < 2 && k[i] && ok; i++) {
        const json_t *got = json_object_get(body, k[i]);
        long want_n = bc_ev_int(fed, k[i], -1);
        ok = json_is_integer(got) && json_integer_value(got) == want_n;
        if (!ok) {
            char *text = bc_ev_str(request, "body") ? strdup(bc_ev_str(request, "body")) : NULL;
            bc_check_set(out, BC_FAIL, "%s body %s; expected %s %ld", op, text ? text : "(none)",
                         k[i], want_n);
            free(text);
        }
    }
    json_decref(body);
    return ok;
}

/* The requests to the execution after t, for a message: "POST .../x (404)". */
static void requests_after(const bc_evidence *ev, double t, const char *eid, char *buf,
                           size_t len) {
    size_t i, n = 0;
    json_t *e;
    buf[0] = '\0';
    json_array_foreach(ev->journal, i, e) {
        const char *path = bc_ev_str(e, "path");
        if (!bc_ev_is(e, "ev", "http_request") || bc_ev_t(e) < t || bc_ev_is(e, "endpoint", "probe") ||
            bc_ev_is(e, "endpoint", "attach") || !path || (eid && !strstr(path, eid)))
            continue;
        const json_t *a = bc_ev_answer(ev, e);
        size_t used = strlen(buf);
        snprintf(buf + used, len - used, "%s%s %s (%ld)", n++ ? ", " : "",
                 bc_ev_str(e, "method"), path, bc_ev_int(a, "status", -1));
    }
    if (!n) snprintf(buf, len, "none");
}

/* What the caller got for one control call: {} on success, else an error of
 * the kind every line agrees on. *cursor: where the next report is sought. */
static bool control_outcome_ok(const bc_evidence *ev, const char *op, const json_t *request,
                               double *cursor, bool *ended, bc_check_result *out) {
    const json_t *answer = bc_ev_answer(ev, request);
    double t = fmax(*cursor, bc_ev_t(request));
    const json_t *value = event_from(ev, "value", t), *error = event_from(ev, "error", t);
    if (is_success(answer)) {
        if (value && (!error || bc_ev_t(value) <= bc_ev_t(error))) {
            *cursor = bc_ev_t(value) + 1e-9;
            return true;
        }
        bc_check_set(out, BC_FAIL, "%s answered %ld; the caller got %s, expected success", op,
                     bc_ev_int(answer, "status", -1), error ? bc_ev_str(error, "message") : "nothing");
        return false;
    }
    bc_rest_error a;
    bc_rest_error_read(answer, &a);
    const char *want = bc_rest_error_kind_agreed(&a), *got = bc_ev_str(error, "kind");
    bool ok = error && (!want || (got && !strcmp(got, want)));
    if (!ok)
        bc_check_set(out, BC_FAIL, "%s answered %ld (%s body); the caller got %s%s, expected an "
                     "error%s%s", op, a.status, bc_rest_error_form_name(a.form),
                     error ? "an error of kind " : "no error", error ? (got ? got : "(none)") : "",
                     want ? " of kind " : "", want ? want : "");
    *ended = true;               /* an error ends the action */
    bc_rest_error_free(&a);
    return ok;
}

/* The execution the client started: the exec answer's id. */
static const char *started_execution(const bc_evidence *ev, char *buf, size_t len) {
    const json_t *exec = bc_ev_call(ev, "exec", 1);
    json_t *body = exec ? bc_ev_body_json(bc_ev_answer(ev, exec)) : NULL;
    const char *id = bc_ev_str(body, "execution_id");
    if (id) snprintf(buf, len, "%s", id);
    json_decref(body);
    return id ? buf : NULL;
}

/* EXEC-CONTROL */
void check_exec_control(const bc_evidence *ev, const json_t *params, bc_check_result *out) {
    (void)params;
    static const char *const ops[] = { "kill", "signal", "resize" };
    static const char *const calls[] = { "DELETE .../executions/{eid}",
                                         "POST .../executions/{eid}/signal",
                                         "POST .../executions/{eid}/resize" };
    size_t seen[3] = { 0 }, judged = 0, i;
    double cursor = -INFINITY;
    bool ended = false;
    char eid_buf[128], others[400];
    const char *eid = started_execution(ev, eid_buf, sizeof eid_buf);
    /* An op fed once the caller held the result (a loaded machine fed it
     * late) has no execution left to control: not judged. */
    double result_at = bc_ev_result(ev) ? bc_ev_t(bc_ev_result(ev)) : INFINITY;
    json_t *fed;
    json_array_foreach(ev->fed, i, fed) {
        size_t k = 0;
        while (k < 3 && !bc_ev_is(fed, "fed", ops[k])) k++;
        if (k == 3 || ended || bc_ev_t(fed) > result_at) continue;
        /* The n-th op of a kind is its n-th call, matched by count, not
         * by time. */
        const json_t *request = bc_ev_call(ev, ops[k], ++seen[k]);
        if (!request) {
            requests_after(ev, bc_ev_t(fed) - FED_STAMP_LAG, eid, others, sizeof others);
            bc_check_set(out, BC_FAIL, "%s fed at %.2f s: no %s; the client sent: %s", ops[k],
                         bc_ev_t(fed), calls[k], others);
            return;
        }
        if (!control_request_ok(fed, request, eid, out) ||
            !control_outcome_ok(ev, ops[k], request, &cursor, &ended, out))
            return;
        judged++;
    }
    if (!judged) {
        bc_check_set(out, BC_ERROR, "no kill, signal or resize was fed while the execution "
                     "ran: nothing to judge");
        return;
    }
    bc_check_measured(out, BC_PASS, (double)judged, "%zu control call%s sent as fed, each "
                      "outcome reported", judged, judged == 1 ? "" : "s");
}
