/* html.c - one self-contained HTML file: summary, interop matrix,
 * and per scenario its verdicts, timeline (timeline.c) and wire log.
 *
 * Inline CSS and SVG only, no script and no external resource, so the file
 * can be archived as a CI artifact and opened anywhere. Everything that
 * comes from a run (ids, messages, payloads, stderr) goes through
 * bc_report_xml. Scenarios with a failure come first and open. */
#include "jbig.h"
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include <libwebsockets.h>

#define PREVIEW_B64 212 /* base64 shown per wire log line: whole groups, 159 bytes */

static const char css[] =
    "body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}"
    "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 6px;"
    "text-align:left;vertical-align:top}th{background:#f3f3f3}"
    ".v{font-weight:bold;padding:1px 5px;border-radius:3px;color:#fff;white-space:nowrap}"
    ".v0{background:#2e7d32}.v1{background:#c62828}.v2{background:#8d6e63}.v3{background:#5c6bc0}"
    ".v4{background:#9e9e9e}.v5,.v6,.v7,.vx{background:#6a1b9a}"
    "details.sc{border:1px solid #ddd;margin:.6em 0;padding:.3em .6em}summary{cursor:pointer}"
    "pre{background:#f7f7f7;padding:.5em;overflow:auto;max-height:20em}"
    ".log td{font:12px monospace}.noev{color:#777;font-style:italic}"
    "svg.timeline{font:11px sans-serif;background:#fff;border:1px solid #ddd;max-width:100%;"
    "height:auto}.lane{fill:#333;font-weight:bold}.tick{fill:#666}.grid{stroke:#eee}"
    ".window{fill:#fdd835;fill-opacity:.25;stroke:#f9a825}.wlabel{fill:#8d6e00}"
    ".rest rect{fill:#90a4ae}.probe rect{fill:#d81b60}.plabel{fill:#d81b60}"
    ".conn-up{fill:#e3f2fd;stroke:#90caf9}.conn-rejected{fill:#ffebee;stroke:#e57373}"
    ".conn-hang{fill:#fff8e1;stroke:#ffb300}"
    ".f-out{fill:#2e7d32}.f-err{fill:#ef6c00}.f-text{fill:#1565c0}.f-exit{fill:#6a1b9a}"
    ".f-close{fill:#c62828}.f-ctl{fill:#9e9e9e}"
    ".drop-client{stroke:#c62828;stroke-width:3}.drop-server{stroke:#37474f;stroke-width:3}"
    ".dlabel{fill:#c62828;font-weight:bold}.slabel{fill:#37474f}"
    ".silence{stroke:#c62828;stroke-dasharray:2 2}.silabel{fill:#c62828}"
    ".expect{stroke:#f9a825;stroke-width:2;stroke-dasharray:5 3}.elabel{fill:#8d6e00}"
    ".wait{stroke:#5c6bc0;stroke-width:2}.wlabel2{fill:#5c6bc0}"
    ".a-result{fill:#2e7d32}.a-error{fill:#c62828}.a-fed{fill:#00897b}.a-other{fill:#78909c}"
    ".alabel{fill:#222}.legend span{margin-right:1em}";

static void text(FILE *f, const char *s) {
    bc_report_xml(f, s);
}

static void badge(FILE *f, const char *verdict) {
    int v = bc_report_verdict_index(verdict);
    if (v < 0) fputs("<span class=\"v vx\">", f);
    else fprintf(f, "<span class=\"v v%d\">", v);
    text(f, verdict ? verdict : "?");
    fputs("</span>", f);
}

/* ---- summary and matrix ------------------------------------------------- */

static void summary(FILE *f, const json_t *doc, const json_t *names) {
    fputs("<table><tr><th>client</th>", f);
    for (int v = 0; v < BC_REPORT_NVERDICTS; v++) {
        fputs("<th>", f);
        badge(f, bc_report_verdicts[v]);
        fputs("</th>", f);
    }
    fputs("<th>total</th></tr>\n", f);
    size_t i;
    json_t *name;
    json_array_foreach(names, i, name) {
        bc_report_counts c;
        bc_report_count(doc, json_string_value(name), &c);
        fputs("<tr><td>", f);
        text(f, json_string_value(name));
        fputs("</td>", f);
        for (int v = 0; v < BC_REPORT_NVERDICTS; v++) fprintf(f, "<td>%zu</td>", c.n[v]);
        fprintf(f, "<td>%zu</td></tr>\n", c.total);
    }
    fputs("</table>\n", f);
}

/* The contract IDs in the order results name them (new array). */
static json_t *contract_ids(const json_t *doc) {
    json_t *ids = json_array(), *seen = json_object();
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(doc, "results"), i, r) {
        const char *c = bc_report_str(r, "contract", "?");
        if (json_object_get(seen, c)) continue;
        json_object_set_new(seen, c, json_true());
        json_array_append_new(ids, json_string(c));
    }
    json_decref(seen);
    return ids;
}

static void matrix_cell(FILE *f, const json_t *doc, const char *client, const char *contract) {
    const char *worst = NULL;
    size_t i, n = 0, pass = 0;
    json_t *r;
    json_array_foreach(json_object_get(doc, "results"), i, r) {
        if (strcmp(bc_report_client(doc, r), client) || strcmp(bc_report_str(r, "contract", ""),
                                                               contract)) continue;
        const char *v = bc_report_str(r, "verdict", "?");
        n++;
        pass += !strcmp(v, "PASS");
        if (!worst || bc_report_severity(v) > bc_report_severity(worst)) worst = v;
    }
    fputs("<td>", f);
    if (worst) {
        badge(f, worst);
        fprintf(f, " %zu/%zu", pass, n);
    } else {
        fputs("&#8212;", f);
    }
    fputs("</td>", f);
}

static void matrix(FILE *f, const json_t *doc, const json_t *names) {
    json_t *ids = contract_ids(doc), *id, *name;
    size_t i, j;
    fputs("<h2>Contracts x clients</h2>\n<p>Worst verdict, and scenarios passed of those "
          "judging the contract.</p>\n<table><tr><th>contract</th>", f);
    json_array_foreach(names, j, name) {
        fputs("<th>", f);
        text(f, json_string_value(name));
        fputs("</th>", f);
    }
    fputs("</tr>\n", f);
    json_array_foreach(ids, i, id) {
        fputs("<tr><th>", f);
        text(f, json_string_value(id));
        fputs("</th>", f);
        json_array_foreach(names, j, name)
            matrix_cell(f, doc, json_string_value(name), json_string_value(id));
        fputs("</tr>\n", f);
    }
    fputs("</table>\n", f);
    json_decref(ids);
}

/* ---- per scenario ---------------------------------------------------------- */

static const char *headline(const json_t *doc, const json_t *sc) {
    const char *worst = "PASS", *id = bc_report_str(sc, "id", ""), *client = bc_report_client(doc, sc);
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(doc, "results"), i, r)
        if (!strcmp(bc_report_str(r, "scenario", ""), id) && !strcmp(bc_report_client(doc, r), client) &&
            bc_report_severity(bc_report_str(r, "verdict", "?")) > bc_report_severity(worst))
            worst = bc_report_str(r, "verdict", "?");
    return worst;
}

static void verdict_rows(FILE *f, const json_t *doc, const json_t *sc) {
    const char *id = bc_report_str(sc, "id", ""), *client = bc_report_client(doc, sc);
    fputs("<table><tr><th>contract</th><th>verdict</th><th>measured</th><th>expected</th>"
          "<th>explanation</th></tr>\n", f);
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(doc, "results"), i, r) {
        if (strcmp(bc_report_str(r, "scenario", ""), id) || strcmp(bc_report_client(doc, r), client))
            continue;
        double e;
        const json_t *m = json_object_get(r, "measured");
        fputs("<tr><td>", f);
        text(f, bc_report_str(r, "contract", "?"));
        fputs("</td><td>", f);
        badge(f, bc_report_str(r, "verdict", "?"));
        fputs("</td><td>", f);
        if (json_is_number(m)) bc_report_figure(f, json_number_value(m));
        fputs("</td><td>", f);
        if (bc_report_expected(r, &e)) bc_report_figure(f, e);
        fputs("</td><td>", f);
        text(f, bc_report_str(r, "message", ""));
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
}

/* ---- the wire log: journal and adapter lines merged on their time axis ---- */

typedef struct wire_line {
    double t;
    size_t order;
    const char *source;
    const json_t *line;
} wire_line;

static int by_time(const void *a, const void *b) {
    const wire_line *x = a, *y = b;
    if (x->t != y->t) return x->t < y->t ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static size_t collect(wire_line *out, size_t n, const json_t *lines, const char *source) {
    size_t i;
    json_t *e;
    json_array_foreach(lines, i, e) {
        const char *src = json_object_get(e, "fed") ? "harness" : source;
        out[n] = (wire_line){ json_number_value(json_object_get(e, "t")), n, src, e };
        n++;
    }
    return n;
}

/* Decoded payload bytes as text: printable ASCII as is, the rest \xNN. */
static void preview(FILE *f, const char *b64) {
    unsigned char buf[PREVIEW_B64 / 4 * 3 + 4];
    char enc[PREVIEW_B64 + 1];
    snprintf(enc, sizeof enc, "%.*s", PREVIEW_B64, b64);
    int n = lws_b64_decode_string(enc, (char *)buf, sizeof buf);
    for (int i = 0; i < n; i++) {
        char one[8];
        if (buf[i] >= 0x20 && buf[i] < 0x7F) snprintf(one, sizeof one, "%c", buf[i]);
        else snprintf(one, sizeof one, "\\x%02x", buf[i]);
        text(f, one);
    }
    if (strlen(b64) > PREVIEW_B64) fputs("&#8230;", f);
}

static void wire_row(FILE *f, const wire_line *w) {
    json_t *rest = json_deep_copy(w->line);
    const char *ev = bc_report_str(w->line, "ev", bc_report_str(w->line, "event", "fed"));
    const char *b64 = bc_report_str(w->line, "data_b64", NULL);
    json_object_del(rest, "t");
    json_object_del(rest, "ev");
    json_object_del(rest, "event");
    json_object_del(rest, "data_b64");
    char *details = bc_jbig_dumps(rest, JSON_COMPACT);
    fprintf(f, "<tr><td>%.3f</td><td>", w->t);
    text(f, w->source);
    fputs("</td><td>", f);
    text(f, ev);
    fputs("</td><td>", f);
    text(f, details ? details : "");
    fputs("</td><td>", f);
    if (b64) preview(f, b64);
    fputs("</td></tr>\n", f);
    free(details);
    json_decref(rest);
}

static void wire_log(FILE *f, const json_t *sc, bool open) {
    const json_t *ev = json_object_get(sc, "evidence");
    const json_t *journal = json_object_get(ev, "journal"), *events = json_object_get(ev, "events");
    size_t n = json_array_size(journal) + json_array_size(events);
    if (!n) return;
    wire_line *lines = calloc(n, sizeof *lines);
    n = collect(lines, collect(lines, 0, journal, "server"), events, "adapter");
    qsort(lines, n, sizeof *lines, by_time);
    fprintf(f, "<details%s><summary>Wire log (%zu lines)</summary>\n<table class=\"log\"><tr>"
            "<th>t (s)</th><th>who</th><th>event</th><th>details</th><th>payload</th></tr>\n",
            open ? " open" : "", n);
    for (size_t i = 0; i < n; i++) wire_row(f, &lines[i]);
    fputs("</table></details>\n", f);
    free(lines);
}

static void constants_of(const json_t *doc, const json_t *sc, const json_t **k) {
    const char *client = bc_report_client(doc, sc);
    size_t i;
    json_t *c;
    *k = json_object_get(json_object_get(doc, "client"), "constants");
    json_array_foreach(json_object_get(doc, "clients"), i, c)
        if (!strcmp(bc_report_str(c, "name", ""), client)) *k = json_object_get(c, "constants");
}

static void scenario(FILE *f, const json_t *doc, const json_t *sc, size_t index) {
    const char *head = headline(doc, sc);
    bool bad = bc_report_severity(head) >= 4;
    const json_t *k;
    constants_of(doc, sc, &k);
    fprintf(f, "<details class=\"sc\" id=\"s%zu\"%s><summary>", index, bad ? " open" : "");
    badge(f, head);
    fputs(" <b>", f);
    text(f, bc_report_str(sc, "id", "?"));
    fputs("</b>", f);
    if (bc_report_multi_client(doc)) {
        fputs(" on ", f);
        text(f, bc_report_client(doc, sc));
    }
    fprintf(f, " (%.2f s) ", json_number_value(json_object_get(sc, "wall_s")));
    text(f, bc_report_str(sc, "title", ""));
    fputs("</summary>\n", f);
    verdict_rows(f, doc, sc);
    bc_report_timeline(f, sc, k);
    wire_log(f, sc, false);
    const char *err = bc_report_str(sc, "stderr", "");
    if (*err) {
        fputs("<p>Adapter stderr:</p><pre>", f);
        text(f, err);
        fputs("</pre>\n", f);
    }
    fputs("</details>\n", f);
}

/* Failing scenarios first: they are what the reader came for. */
static void scenarios(FILE *f, const json_t *doc) {
    const json_t *all = json_object_get(doc, "scenarios");
    for (int pass = 0; pass < 2; pass++) {
        size_t i;
        json_t *sc;
        json_array_foreach(all, i, sc)
            if ((bc_report_severity(headline(doc, sc)) >= 4) == (pass == 0))
                scenario(f, doc, sc, i);
    }
}

static void legend(FILE *f) {
    fputs("<p class=\"legend\">Timeline: <span>bars = attach connections</span>"
          "<span style=\"color:#2e7d32\">stdout</span><span style=\"color:#ef6c00\">stderr"
          "</span><span style=\"color:#6a1b9a\">exit frame</span><span style=\"color:#1565c0\">"
          "text</span><span style=\"color:#9e9e9e\">ping/pong</span><span style=\"color:#c62828\">"
          "close / client drop</span><span style=\"color:#d81b60\">probe</span>"
          "<span style=\"color:#8d6e00\">expected (shaded / dashed)</span> (server frames above "
          "a bar's midline, client frames below; hover for details)</p>\n", f);
}

int bc_report_html(FILE *f, const json_t *doc) {
    json_t *names = bc_report_clients(doc);
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
          "<title>boxconform report</title><style>", f);
    fputs(css, f);
    fputs("</style></head><body>\n<h1>boxconform report</h1>\n", f);
    fprintf(f, "<p>Time scale x%g. Clients: ", json_number_value(json_object_get(doc, "time_scale")));
    size_t i;
    json_t *name;
    json_array_foreach(names, i, name) {
        if (i) fputs(", ", f);
        text(f, json_string_value(name));
    }
    fputs(".</p>\n", f);
    summary(f, doc, names);
    if (json_array_size(names) > 1) matrix(f, doc, names);
    fputs("<h2>Scenarios</h2>\n", f);
    legend(f);
    scenarios(f, doc);
    fputs("</body></html>\n", f);
    json_decref(names);
    return ferror(f) ? -1 : 0;
}
