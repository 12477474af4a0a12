/* markdown.c - a summary for a PR comment or a CI step summary.
 *
 * What a reviewer needs without opening anything: did it pass, what failed
 * the gate first (results that moved away from PASS against the baseline,
 * UNSUPPORTED the profile does not declare, a run that judged nothing:
 * the document's "gate"), the counts, each failure with its explanation,
 * and the timing figures measured against what was expected. Text from the
 * run (messages, ids) is escaped so that a message cannot open a table
 * cell, a link or an HTML tag. */
#include "report.h"

#include <math.h>
#include <string.h>

static void md_text(FILE *f, const char *s) {
    for (; s && *s; s++) {
        if (*s == '<') fputs("&lt;", f);
        else if (*s == '>') fputs("&gt;", f);
        else if (*s == '&') fputs("&amp;", f);
        else if (*s == '\n' || *s == '\r') fputc(' ', f);
        else if (strchr("\\`*_[]|#~!", *s)) fprintf(f, "\\%c", *s);
        else fputc(*s, f);
    }
}

static size_t failing(const bc_report_counts *c) {
    return c->n[1] + c->n[5] + c->n[6] + c->n[7] + c->other; /* FAIL CRASHED HUNG ERROR */
}

static void counts_row(FILE *f, const char *label, const bc_report_counts *c) {
    fputs("| ", f);
    md_text(f, label);
    for (int v = 0; v < BC_REPORT_NVERDICTS; v++) fprintf(f, " | %zu", c->n[v]);
    fprintf(f, " | %zu |\n", c->total);
}

static void counts_table(FILE *f, const json_t *doc, const json_t *names) {
    fputs("| client", f);
    for (int v = 0; v < BC_REPORT_NVERDICTS; v++) fprintf(f, " | %s", bc_report_verdicts[v]);
    fputs(" | total |\n|---", f);
    for (int v = 0; v <= BC_REPORT_NVERDICTS; v++) fputs("|--:", f);
    fputs("|\n", f);
    size_t i;
    json_t *name;
    json_array_foreach(names, i, name) {
        bc_report_counts c;
        bc_report_count(doc, json_string_value(name), &c);
        counts_row(f, json_string_value(name), &c);
    }
    fputc('\n', f);
}

static void figure_pair(FILE *f, const json_t *res) {
    const json_t *m = json_object_get(res, "measured");
    double expected;
    if (!json_is_number(m)) return;
    fputs(" (measured ", f);
    bc_report_figure(f, json_number_value(m));
    if (bc_report_expected(res, &expected)) {
        fputs(", expected ", f);
        bc_report_figure(f, expected);
    }
    fputc(')', f);
}

/* "client / scenario" (the client only when runs are merged). */
static void md_where(FILE *f, const json_t *doc, const json_t *res) {
    if (bc_report_multi_client(doc)) {
        md_text(f, bc_report_client(doc, res));
        fputs(" / ", f);
    }
    md_text(f, bc_report_str(res, "scenario", "?"));
}

static void result_line(FILE *f, const json_t *doc, const json_t *res) {
    fprintf(f, "- **%s** ", bc_report_str(res, "verdict", "?"));
    md_where(f, doc, res);
    fputs(" **", f);
    md_text(f, bc_report_str(res, "contract", "?"));
    fputs("**: ", f);
    md_text(f, bc_report_str(res, "message", ""));
    figure_pair(f, res);
    fputc('\n', f);
}

/* Lines for results of severity in [lo, hi]; how many were written. */
static size_t result_lines(FILE *f, const json_t *doc, int lo, int hi) {
    size_t i, n = 0;
    json_t *r;
    json_array_foreach(json_object_get(doc, "results"), i, r) {
        int sev = bc_report_severity(bc_report_str(r, "verdict", NULL));
        if (sev < lo || sev > hi) continue;
        result_line(f, doc, r);
        n++;
    }
    return n;
}

static bool is_timing(const json_t *res) {
    double expected;
    return json_is_number(json_object_get(res, "measured")) && bc_report_expected(res, &expected);
}

static void timing_row(FILE *f, const json_t *doc, const json_t *res) {
    double m = json_number_value(json_object_get(res, "measured")), e = 0;
    bc_report_expected(res, &e);
    fputs("| ", f);
    md_where(f, doc, res);
    fputs(" | ", f);
    md_text(f, bc_report_str(res, "contract", "?"));
    fprintf(f, " | %s | ", bc_report_str(res, "verdict", "?"));
    bc_report_figure(f, m);
    fputs(" | ", f);
    bc_report_figure(f, e);
    fprintf(f, " | %+.2f |\n", fabs(m - e) < 0.005 ? 0.0 : m - e);
}

static void timing_table(FILE *f, const json_t *doc) {
    size_t i, n = 0;
    json_t *r;
    json_array_foreach(json_object_get(doc, "results"), i, r) {
        if (!is_timing(r)) continue;
        if (n++ == 0)
            fputs("\n#### Timing (client seconds)\n\n| scenario | contract | verdict | measured "
                  "| expected | off by |\n|---|---|---|--:|--:|--:|\n", f);
        timing_row(f, doc, r);
    }
}

/* One result the gate holds against the run: "PASS -> UNSUPPORTED" against
 * the baseline, or an UNSUPPORTED the profile does not declare. */
static void gate_line(FILE *f, const json_t *doc, const json_t *e) {
    const char *why = bc_report_str(e, "why", "");
    fputs("- **", f);
    if (!strcmp(why, "regression")) fprintf(f, "%s -> ", bc_report_str(e, "baseline", "(none)"));
    fprintf(f, "%s**%s ", bc_report_str(e, "verdict", "?"),
            !strcmp(why, "undeclared") ? " (not declared by the profile)" : "");
    md_where(f, doc, e);
    fputs(" **", f);
    md_text(f, bc_report_str(e, "contract", "?"));
    fputs("**: ", f);
    md_text(f, bc_report_str(e, "message", ""));
    fputc('\n', f);
}

/* What the gate holds against the run, first. */
static void gate_section(FILE *f, const json_t *doc) {
    const json_t *gate = json_object_get(doc, "gate");
    const char *nothing = bc_report_str(gate, "nothing", NULL);
    if (nothing) {
        fputs("**", f);
        md_text(f, nothing);
        fputs("**: this run tested nothing.\n\n", f);
    }
    size_t i, n = 0;
    json_t *e;
    json_array_foreach(json_object_get(gate, "failing"), i, e) {
        if (!strcmp(bc_report_str(e, "why", ""), "failure")) continue; /* under Failures */
        if (n++ == 0)
            fprintf(f, "#### %s\n\n", json_is_true(json_object_get(gate, "baseline"))
                                           ? "Regressions against the baseline"
                                           : "Undeclared UNSUPPORTED");
        gate_line(f, doc, e);
    }
    if (n) fputc('\n', f);
}

/* The gate's status when the run recorded one (its baseline forgives known
 * failures), else whether anything failed. */
static bool run_failed(const json_t *doc, size_t bad) {
    const json_t *status = json_object_get(json_object_get(doc, "gate"), "status");
    return status ? json_integer_value(status) != 0 : bad > 0;
}

int bc_report_markdown(FILE *f, const json_t *doc) {
    json_t *names = bc_report_clients(doc);
    bc_report_counts all;
    bc_report_count(doc, NULL, &all);
    size_t bad = failing(&all);
    fprintf(f, "### boxconform: %s\n\n", run_failed(doc, bad) ? "FAILED" : "passed");
    gate_section(f, doc);
    fprintf(f, "%zu of %zu checks failing (FAIL, CRASHED, HUNG, ERROR) across %zu client%s, "
               "time scale x%g.\n\n", bad, all.total, json_array_size(names),
            json_array_size(names) == 1 ? "" : "s",
            json_number_value(json_object_get(doc, "time_scale")));
    counts_table(f, doc, names);
    if (bad) fputs("#### Failures\n\n", f);
    result_lines(f, doc, 4, 7);
    bool notes = all.n[2] + all.n[3] + all.n[4] > 0;
    if (notes) fputs("\n<details><summary>Not counted: NON-STRICT, INFORMATIONAL, "
                     "UNSUPPORTED</summary>\n\n", f);
    result_lines(f, doc, 1, 3);
    if (notes) fputs("\n</details>\n", f);
    timing_table(f, doc);
    json_decref(names);
    return ferror(f) ? -1 : 0;
}
