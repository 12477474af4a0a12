/* timeline.c - one scenario on one time axis, as inline SVG.
 *
 * Rows, top to bottom: REST calls (probes stand out), one row per attach
 * attempt (its connection as a bar, server frames above the midline,
 * client frames below, who ended it and how at its end), the reconnect
 * waits between attempts, and what the adapter reported. Expected windows
 * are shaded across every row; without them (results without
 * evidence.windows) each client drop gets a dashed mark where the profile's
 * first-frame timeout or watchdog said it should have come, and the silence
 * before it is measured: a watchdog that fired late is then visible as a
 * drop far right of its mark. Every mark has a <title>, so hovering tells
 * the details without script. */
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define W 1100.0        /* drawing width */
#define LEFT 150.0      /* lane labels */
#define RIGHT 30.0
#define ROW 26.0
#define TOP 22.0        /* window labels */
#define AXIS 28.0

typedef struct conn_row {
    long conn;
    long attempt;           /* 0: refused before an attempt */
    const char *outcome;    /* upgraded / rejected / hang */
    double req_t, up_t, close_t, last_out_t;
    bool has_up, closed, has_out, frames_before; /* frames_before: seen on an earlier attempt */
    const char *by, *how;
} conn_row;

typedef struct tl {
    FILE *f;
    const json_t *journal, *events, *windows, *constants;
    double t0, t1;
    conn_row *rows;
    size_t nrows;
    double height;
} tl;

static double x_of(const tl *t, double at) {
    return LEFT + (at - t->t0) / (t->t1 - t->t0) * (W - LEFT - RIGHT);
}

static double row_y(size_t row) {
    return TOP + (double)row * ROW;
}

static double num(const json_t *o, const char *key) {
    return json_number_value(json_object_get(o, key));
}

/* ---- gathering --------------------------------------------------------- */

static void span_of(tl *t, const json_t *lines) {
    size_t i;
    json_t *e;
    json_array_foreach(lines, i, e) {
        if (!json_is_number(json_object_get(e, "t"))) continue;
        double at = num(e, "t");
        if (at > t->t1) t->t1 = at;
    }
}

static conn_row *row_for(tl *t, long conn) {
    for (size_t i = 0; i < t->nrows; i++)
        if (t->rows[i].conn == conn) return &t->rows[i];
    return NULL;
}

static conn_row *add_row(tl *t, long conn, double at) {
    t->rows = realloc(t->rows, (t->nrows + 1) * sizeof *t->rows);
    conn_row *r = &t->rows[t->nrows++];
    memset(r, 0, sizeof *r);
    r->conn = conn;
    r->req_t = at;
    return r;
}

static void note(tl *t, const json_t *e, bool *frames_seen) {
    const char *ev = bc_report_str(e, "ev", "");
    long conn = (long)json_integer_value(json_object_get(e, "conn"));
    double at = num(e, "t");
    conn_row *r = row_for(t, conn);
    if (!strcmp(ev, "http_request") && !strcmp(bc_report_str(e, "endpoint", ""), "attach")) {
        r = add_row(t, conn, at);
        r->frames_before = *frames_seen;
    }
    if (!r) return;
    if (!strcmp(ev, "attach")) {
        r->attempt = (long)json_integer_value(json_object_get(e, "attempt"));
        r->outcome = bc_report_str(e, "outcome", "");
        r->has_up = !strcmp(r->outcome, "upgraded");
        r->up_t = at;
    } else if (!strcmp(ev, "frame_out") && !r->closed) {
        r->last_out_t = at;
        r->has_out = *frames_seen = true;
    } else if (!strcmp(ev, "tcp_close") && !r->closed) {
        r->closed = true;
        r->close_t = at;
        r->by = bc_report_str(e, "by", "?");
        r->how = bc_report_str(e, "how", "?");
    }
}

static void gather(tl *t) {
    span_of(t, t->journal);
    span_of(t, t->events);
    size_t i;
    json_t *w;
    json_array_foreach(t->windows, i, w) if (num(w, "to") > t->t1) t->t1 = num(w, "to");
    bool frames_seen = false;
    json_t *e;
    json_array_foreach(t->journal, i, e) note(t, e, &frames_seen);
    t->t1 = t->t1 <= t->t0 ? t->t0 + 1 : t->t1 * 1.03;
    t->height = row_y(t->nrows + 3) + AXIS;
}

/* ---- primitives ----------------------------------------------------------- */

static void title(FILE *f, const char *text) {
    fputs("<title>", f);
    bc_report_xml(f, text);
    fputs("</title>", f);
}

static void label(FILE *f, double x, double y, const char *cls, const char *text) {
    bool right = x > W - 220;
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"%s\" text-anchor=\"%s\">", right ? x - 4 : x + 4,
            y, cls, right ? "end" : "start");
    bc_report_xml(f, text);
    fputs("</text>\n", f);
}

static void lane_label(FILE *f, size_t row, const char *text) {
    fprintf(f, "<text x=\"6\" y=\"%.1f\" class=\"lane\">", row_y(row) + ROW / 2 + 4);
    bc_report_xml(f, text);
    fputs("</text>\n", f);
}

/* ---- the axis and windows --------------------------------------------- */

static double nice_step(double span) {
    double raw = span / 10, mag = pow(10, floor(log10(raw)));
    static const double m[] = { 1, 2, 5, 10 };
    for (int i = 0; i < 4; i++)
        if (m[i] * mag >= raw) return m[i] * mag;
    return 10 * mag;
}

static void axis(const tl *t) {
    double step = nice_step(t->t1 - t->t0), bottom = t->height - AXIS;
    for (double at = ceil(t->t0 / step) * step; at <= t->t1; at += step) {
        double x = x_of(t, at);
        fprintf(t->f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>"
                "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" text-anchor=\"middle\">%g s</text>\n",
                x, TOP, x, bottom, x, bottom + 16, at);
    }
}

static void windows(const tl *t) {
    size_t i;
    json_t *w;
    json_array_foreach(t->windows, i, w) {
        double a = x_of(t, num(w, "from")), b = x_of(t, num(w, "to"));
        char text[200];
        snprintf(text, sizeof text, "%s expected %.3g..%.3g s", bc_report_str(w, "contract", "?"),
                 num(w, "from"), num(w, "to"));
        fprintf(t->f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" class=\"window\">",
                a, TOP, b - a < 2 ? 2 : b - a, t->height - AXIS - TOP);
        title(t->f, text);
        fputs("</rect>\n", t->f);
        label(t->f, a, TOP - 6, "wlabel",
              bc_report_str(w, "label", bc_report_str(w, "contract", "?")));
    }
}

/* ---- REST calls --------------------------------------------------------- */

static void rest_call(const tl *t, const json_t *req, const json_t *resp) {
    const char *ep = bc_report_str(req, "endpoint", "?");
    bool probe = !strcmp(ep, "probe");
    double a = x_of(t, num(req, "t")), b = resp ? x_of(t, num(resp, "t")) : a;
    double y = row_y(0) + ROW / 2;
    char text[300];
    snprintf(text, sizeof text, "%s %s -> %s at %.3f s", bc_report_str(req, "method", "?"),
             bc_report_str(req, "path", "?"),
             !resp ? "no answer" : json_is_integer(json_object_get(resp, "status"))
                 ? "answered" : bc_report_str(resp, "fault", "no status"), num(req, "t"));
    fprintf(t->f, "<g class=\"%s\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"10\"/>",
            probe ? "probe" : "rest", a, y - 5, b - a < 3 ? 3 : b - a);
    title(t->f, text);
    fputs("</g>\n", t->f);
    if (!probe) return;
    char status[48];
    const json_t *st = json_object_get(resp, "status");
    if (json_is_integer(st))
        snprintf(status, sizeof status, "probe %lld", (long long)json_integer_value(st));
    else
        snprintf(status, sizeof status, "probe %s",
                 resp ? bc_report_str(resp, "fault", "?") : "unanswered");
    label(t->f, b, y - 6, "plabel", status);
}

static const json_t *response_to(const tl *t, const json_t *req) {
    size_t i;
    json_t *e;
    json_array_foreach(t->journal, i, e)
        if (!strcmp(bc_report_str(e, "ev", ""), "http_response") &&
            json_equal(json_object_get(e, "req"), json_object_get(req, "req")))
            return e;
    return NULL;
}

static void rest_lane(const tl *t) {
    lane_label(t->f, 0, "REST / probes");
    size_t i;
    json_t *e;
    json_array_foreach(t->journal, i, e)
        if (!strcmp(bc_report_str(e, "ev", ""), "http_request") &&
            strcmp(bc_report_str(e, "endpoint", ""), "attach") != 0)
            rest_call(t, e, response_to(t, e));
}

/* ---- attach attempts --------------------------------------------------- */

static size_t row_index(const tl *t, long conn) {
    for (size_t i = 0; i < t->nrows; i++)
        if (t->rows[i].conn == conn) return i + 1;
    return 0;
}

static const char *frame_class(const json_t *e) {
    const char *op = bc_report_str(e, "op", "");
    if (!strcmp(op, "binary"))
        return json_integer_value(json_object_get(e, "channel")) == 2 ? "f-err" : "f-out";
    if (!strcmp(op, "text"))
        return strstr(bc_report_str(e, "text", ""), "\"exit\"") ? "f-exit" : "f-text";
    if (!strcmp(op, "close")) return "f-close";
    return "f-ctl"; /* ping, pong, continuation */
}

static void frame(const tl *t, const json_t *e, bool out) {
    size_t row = row_index(t, (long)json_integer_value(json_object_get(e, "conn")));
    if (!row) return;
    double x = x_of(t, num(e, "t")), y = row_y(row) + (out ? 3 : ROW / 2 + 1);
    char text[300];
    const char *body = bc_report_str(e, "text", bc_report_str(e, "data_b64", ""));
    snprintf(text, sizeof text, "%s %s %lld B at %.3f s%s %.120s",
             out ? "server -> client" : "client -> server", bc_report_str(e, "op", "?"),
             (long long)json_integer_value(json_object_get(e, "len")), num(e, "t"),
             json_is_true(json_object_get(e, "replay")) ? " (replay)" : "", body);
    fprintf(t->f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"3\" height=\"%.1f\" class=\"%s\">",
            x - 1.5, y, ROW / 2 - 4, frame_class(e));
    title(t->f, text);
    fputs("</rect>\n", t->f);
}

static void frames(const tl *t) {
    size_t i;
    json_t *e;
    json_array_foreach(t->journal, i, e) {
        const char *ev = bc_report_str(e, "ev", "");
        if (!strcmp(ev, "frame_out") || !strcmp(ev, "frame_in")) frame(t, e, ev[6] == 'o');
    }
}

static void conn_end(const tl *t, const conn_row *r, size_t row) {
    double x = x_of(t, r->close_t), y = row_y(row);
    bool client = !strcmp(r->by, "client");
    char text[120];
    snprintf(text, sizeof text, "%s %s at %.2f s", client ? "client dropped" : "server ended",
             r->how, r->close_t);
    fprintf(t->f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"%s\">", x,
            y + 1, x, y + ROW - 1, client ? "drop-client" : "drop-server");
    title(t->f, text);
    fputs("</line>\n", t->f);
    label(t->f, x, y + ROW / 2 + 4, client ? "dlabel" : "slabel", text);
}

/* The client dropped r: how long the server had been silent, and where the
 * profile's timeout said the drop should come. */
static void silence(const tl *t, const conn_row *r, size_t row) {
    bool watchdog = r->has_out || r->frames_before;
    double from = r->has_out ? r->last_out_t : r->up_t, y = row_y(row) + 2;
    fprintf(t->f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"silence\"/>\n",
            x_of(t, from), y, x_of(t, r->close_t), y);
    const char *key = watchdog ? "watchdog" : "first_frame";
    const json_t *k = json_object_get(t->constants, key);
    char text[160];
    snprintf(text, sizeof text, "silent %.2f s", r->close_t - from);
    label(t->f, x_of(t, from), y + 8, "silabel", text);
    if (!json_is_number(k) || json_array_size(t->windows)) return;
    double at = from + json_number_value(k), x = x_of(t, at);
    snprintf(text, sizeof text, "%s %g s: drop expected at %.2f s", watchdog ? "watchdog"
             : "first-frame", json_number_value(k), at);
    fprintf(t->f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"expect\">", x,
            row_y(row) - 2, x, row_y(row) + ROW + 2);
    title(t->f, text);
    fputs("</line>\n", t->f);
    label(t->f, x, row_y(row) - 1, "elabel", text);
}

static void attempt_row(const tl *t, const conn_row *r, size_t row) {
    char name[64];
    snprintf(name, sizeof name, r->attempt ? "attempt %ld (%s)" : "refused (conn %ld)",
             r->attempt ? r->attempt : r->conn, r->outcome ? r->outcome : "?");
    lane_label(t->f, row, name);
    double end = r->closed ? r->close_t : t->t1;
    fprintf(t->f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" class=\"conn-%s\"/>\n",
            x_of(t, r->req_t), row_y(row) + 2, x_of(t, end) - x_of(t, r->req_t), ROW - 4,
            r->has_up ? "up" : r->outcome && !strcmp(r->outcome, "hang") ? "hang" : "rejected");
    if (r->closed) conn_end(t, r, row);
    if (r->closed && r->has_up && !strcmp(r->by, "client")) silence(t, r, row);
}

/* The wait before each attempt: from the end of the previous attempt or the
 * last REST answer after it, whichever came later, to this request. */
static void waits(const tl *t, size_t row) {
    lane_label(t->f, row, "reconnect waits");
    for (size_t i = 1; i < t->nrows; i++) {
        const conn_row *prev = &t->rows[i - 1], *r = &t->rows[i];
        double from = prev->closed ? prev->close_t : prev->req_t;
        size_t j;
        json_t *e;
        json_array_foreach(t->journal, j, e)
            if (!strcmp(bc_report_str(e, "ev", ""), "http_response") && num(e, "t") > from &&
                num(e, "t") < r->req_t)
                from = num(e, "t");
        double a = x_of(t, from), b = x_of(t, r->req_t), y = row_y(row) + ROW / 2;
        char text[80];
        snprintf(text, sizeof text, "wait %.2f s", r->req_t - from);
        fprintf(t->f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"wait\">", a,
                y, b, y);
        title(t->f, text);
        fputs("</line>\n", t->f);
        label(t->f, a, y - 3, "wlabel2", text);
    }
}

/* ---- the adapter ---------------------------------------------------------- */

static void adapter_event(const tl *t, const json_t *e, size_t row) {
    const char *ev = bc_report_str(e, "event", NULL), *fed = bc_report_str(e, "fed", NULL);
    double x = x_of(t, num(e, "t")), y = row_y(row) + ROW / 2;
    char text[300];
    if (fed) snprintf(text, sizeof text, "harness fed %s at %.3f s", fed, num(e, "t"));
    else if (ev && !strcmp(ev, "result"))
        snprintf(text, sizeof text, "result exit %lld%s%.200s", (long long)json_integer_value(
                 json_object_get(e, "exit_code")), json_is_string(json_object_get(e,
                 "error_message")) ? ": " : "", bc_report_str(e, "error_message", ""));
    else snprintf(text, sizeof text, "%s at %.3f s %.200s", ev ? ev : "?", num(e, "t"),
                  bc_report_str(e, "message", ""));
    const char *cls = fed ? "a-fed" : !ev ? "a-other" : !strcmp(ev, "result") ? "a-result"
                      : !strcmp(ev, "error") ? "a-error" : "a-other";
    fprintf(t->f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%d\" class=\"%s\">", x, y,
            !strcmp(cls, "a-result") || !strcmp(cls, "a-error") ? 6 : 3, cls);
    title(t->f, text);
    fputs("</circle>\n", t->f);
    if (!strcmp(cls, "a-result") || !strcmp(cls, "a-error")) label(t->f, x + 4, y + 4, "alabel", text);
}

static void adapter_lane(const tl *t, size_t row) {
    lane_label(t->f, row, "adapter");
    size_t i;
    json_t *e;
    json_array_foreach(t->events, i, e)
        if (json_is_number(json_object_get(e, "t"))) adapter_event(t, e, row);
}

void bc_report_timeline(FILE *f, const json_t *scenario, const json_t *constants) {
    const json_t *ev = json_object_get(scenario, "evidence");
    tl t = { .f = f, .journal = json_object_get(ev, "journal"),
             .events = json_object_get(ev, "events"), .windows = json_object_get(ev, "windows"),
             .constants = constants };
    if (!json_array_size(t.journal) && !json_array_size(t.events)) {
        fputs("<p class=\"noev\">No timeline: this results document carries no evidence "
              "for the scenario (scenarios[].evidence.journal/events).</p>\n", f);
        return;
    }
    gather(&t);
    fprintf(f, "<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f "
            "%.0f\" width=\"%.0f\" height=\"%.0f\" role=\"img\">\n", W, t.height, W, t.height);
    axis(&t);
    windows(&t);
    rest_lane(&t);
    for (size_t i = 0; i < t.nrows; i++) attempt_row(&t, &t.rows[i], i + 1);
    frames(&t);
    waits(&t, t.nrows + 1);
    adapter_lane(&t, t.nrows + 2);
    fputs("</svg>\n", f);
    free(t.rows);
}
