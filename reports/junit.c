/* junit.c - JUnit XML as Jenkins, GitLab and GitHub read it (tests/reports/junit.xsd).
 *
 * One testsuite per client, one testcase per scenario x contract
 * (classname = scenario, name = contract ID). FAIL is a failure; CRASHED,
 * HUNG and ERROR are errors (the client or the harness broke, not a
 * contract); UNSUPPORTED is skipped; NON-STRICT and INFORMATIONAL pass with
 * their explanation in system-out, since they must not break a build. */
#include "report.h"

#include <string.h>

typedef struct tally {
    size_t tests, failures, errors, skipped;
    double time;
} tally;

static bool is_error(const char *v) {
    return !strcmp(v, "CRASHED") || !strcmp(v, "HUNG") || !strcmp(v, "ERROR") ||
           bc_report_verdict_index(v) < 0;
}

/* Results of scenario id under client: a scenario's wall time is shared by
 * its testcases, so the suite's time adds up to the run's. */
static size_t contracts_of(const json_t *doc, const char *client, const char *id) {
    size_t i, n = 0;
    json_t *r;
    json_array_foreach(json_object_get(doc, "results"), i, r)
        n += !strcmp(bc_report_client(doc, r), client) && !strcmp(bc_report_str(r, "scenario", ""), id);
    return n;
}

static double case_time(const json_t *doc, const char *client, const json_t *res) {
    const char *id = bc_report_str(res, "scenario", "");
    const json_t *sc = bc_report_scenario(doc, id, client);
    size_t n = contracts_of(doc, client, id);
    double wall = json_number_value(json_object_get(sc, "wall_s"));
    return n && wall > 0 ? wall / (double)n : 0;
}

static void tally_add(tally *t, const char *v, double time) {
    t->tests++;
    t->time += time;
    if (!strcmp(v, "FAIL")) t->failures++;
    else if (!strcmp(v, "UNSUPPORTED")) t->skipped++;
    else if (is_error(v)) t->errors++;
}

static void tally_client(const json_t *doc, const char *client, tally *t) {
    memset(t, 0, sizeof *t);
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(doc, "results"), i, r)
        if (!strcmp(bc_report_client(doc, r), client))
            tally_add(t, bc_report_str(r, "verdict", "?"), case_time(doc, client, r));
}

static void counts_attrs(FILE *f, const tally *t) {
    fprintf(f, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"%.3f\"",
            t->tests, t->failures, t->errors, t->skipped, t->time);
}

/* The failure/error text: the figure first, since that is what CI shows. */
static void outcome_body(FILE *f, const json_t *res) {
    const json_t *m = json_object_get(res, "measured");
    double expected;
    if (json_is_number(m)) {
        fputs("measured: ", f);
        bc_report_figure(f, json_number_value(m));
        if (bc_report_expected(res, &expected)) {
            fputs("; expected: ", f);
            bc_report_figure(f, expected);
        }
        fputc('\n', f);
    }
    bc_report_xml(f, bc_report_str(res, "message", ""));
}

static void outcome(FILE *f, const char *elem, const char *v, const json_t *res) {
    fprintf(f, "      <%s message=\"", elem);
    bc_report_xml(f, bc_report_str(res, "contract", "?"));
    fputs(": ", f);
    bc_report_xml(f, bc_report_str(res, "message", ""));
    fputs("\" type=\"", f);
    bc_report_xml(f, v);
    fputs("\">", f);
    outcome_body(f, res);
    fprintf(f, "</%s>\n", elem);
}

static void system_text(FILE *f, const char *elem, const char *label, const char *text) {
    fprintf(f, "      <%s>", elem);
    bc_report_xml(f, label);
    bc_report_xml(f, text);
    fprintf(f, "</%s>\n", elem);
}

static void testcase(FILE *f, const json_t *doc, const char *client, const json_t *res) {
    const char *v = bc_report_str(res, "verdict", "?");
    const char *scenario = bc_report_str(res, "scenario", "?");
    fputs("    <testcase classname=\"", f);
    bc_report_xml(f, scenario);
    fputs("\" name=\"", f);
    bc_report_xml(f, bc_report_str(res, "contract", "?"));
    fprintf(f, "\" time=\"%.3f\">\n", case_time(doc, client, res));
    if (!strcmp(v, "FAIL")) outcome(f, "failure", v, res);
    else if (is_error(v)) outcome(f, "error", v, res);
    else if (!strcmp(v, "UNSUPPORTED")) outcome(f, "skipped", v, res);
    if (strcmp(v, "PASS") != 0 && strcmp(v, "FAIL") != 0 && !is_error(v) &&
        strcmp(v, "UNSUPPORTED") != 0) {
        char label[64];
        snprintf(label, sizeof label, "%s: ", v);
        system_text(f, "system-out", label, bc_report_str(res, "message", ""));
    }
    const char *err = bc_report_str(bc_report_scenario(doc, scenario, client), "stderr", "");
    if (strcmp(v, "PASS") != 0 && *err) system_text(f, "system-err", "", err);
    fputs("    </testcase>\n", f);
}

static void testsuite(FILE *f, const json_t *doc, const char *client) {
    tally t;
    tally_client(doc, client, &t);
    fputs("  <testsuite name=\"", f);
    bc_report_xml(f, client);
    fputc('"', f);
    counts_attrs(f, &t);
    fputs(">\n", f);
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(doc, "results"), i, r)
        if (!strcmp(bc_report_client(doc, r), client)) testcase(f, doc, client, r);
    fputs("  </testsuite>\n", f);
}

int bc_report_junit(FILE *f, const json_t *doc) {
    json_t *names = bc_report_clients(doc);
    tally all = { 0 }, t;
    size_t i;
    json_t *name;
    json_array_foreach(names, i, name) {
        tally_client(doc, json_string_value(name), &t);
        all.tests += t.tests, all.failures += t.failures, all.errors += t.errors;
        all.skipped += t.skipped, all.time += t.time;
    }
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"boxconform\"", f);
    counts_attrs(f, &all);
    fputs(">\n", f);
    json_array_foreach(names, i, name) testsuite(f, doc, json_string_value(name));
    fputs("</testsuites>\n", f);
    json_decref(names);
    return ferror(f) ? -1 : 0;
}
