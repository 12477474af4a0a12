#include "diff.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "results.h"

static const char *tag(const json_t *res) {
    return bc_report_str(res, "client", "");
}

static const json_t *find(const json_t *doc, const json_t *res) {
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(doc, "results"), i, r)
        if (!strcmp(tag(r), tag(res)) &&
            !strcmp(bc_report_str(r, "scenario", ""), bc_report_str(res, "scenario", "")) &&
            !strcmp(bc_report_str(r, "contract", ""), bc_report_str(res, "contract", "")))
            return r;
    return NULL;
}

static json_t *entry(const json_t *old, const json_t *cur) {
    const json_t *any = cur ? cur : old;
    json_t *e = json_pack("{s:s,s:s,s:s?,s:s?,s:O?,s:O?,s:s}", "scenario",
                          bc_report_str(any, "scenario", "?"), "contract",
                          bc_report_str(any, "contract", "?"), "old",
                          bc_report_str(old, "verdict", NULL), "new",
                          bc_report_str(cur, "verdict", NULL), "old_measured",
                          json_object_get(old, "measured"), "new_measured",
                          json_object_get(cur, "measured"), "message",
                          bc_report_str(any, "message", ""));
    if (*tag(any)) json_object_set_new(e, "client", json_string(tag(any)));
    return e;
}

static bool drifted(const json_t *old, const json_t *cur, double tolerance) {
    const json_t *a = json_object_get(old, "measured"), *b = json_object_get(cur, "measured");
    return json_is_number(a) && json_is_number(b) &&
           fabs(json_number_value(b) - json_number_value(a)) > tolerance;
}

/* Which list a result present in the new run belongs to, or NULL. */
static const char *kind(const json_t *old, const json_t *cur) {
    const char *was = bc_report_str(old, "verdict", NULL), *now = bc_report_str(cur, "verdict", NULL);
    if (bc_results_regressed(was, now)) return "regressions";
    if (!old) return "added";
    return strcmp(was ? was : "", now ? now : "") != 0 ? "newly_passing" : NULL;
}

static size_t judged(const json_t *doc) {
    size_t i, n = 0;
    json_t *r;
    json_array_foreach(json_object_get(doc, "results"), i, r)
        n += bc_results_is_judged(bc_report_str(r, "verdict", NULL));
    return n;
}

json_t *bc_diff(const json_t *old, const json_t *new_doc, double tolerance) {
    json_t *rep = json_pack("{s:b,s:f,s:I,s:[],s:[],s:[],s:[],s:[]}", "regressed", 0,
                            "tolerance", tolerance, "judged", (json_int_t)judged(new_doc),
                            "regressions", "newly_passing", "drift", "added", "removed");
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(new_doc, "results"), i, r) {
        const json_t *before = find(old, r);
        const char *k = kind(before, r);
        if (k) json_array_append_new(json_object_get(rep, k), entry(before, r));
        if (before && drifted(before, r, tolerance))
            json_array_append_new(json_object_get(rep, "drift"), entry(before, r));
    }
    json_array_foreach(json_object_get(old, "results"), i, r)
        if (!find(new_doc, r)) json_array_append_new(json_object_get(rep, "removed"), entry(r, NULL));
    bool regressed = json_array_size(json_object_get(rep, "regressions")) > 0 ||
                     json_integer_value(json_object_get(rep, "judged")) == 0;
    json_object_set_new(rep, "regressed", json_boolean(regressed));
    return rep;
}

bool bc_diff_regressed(const json_t *report) {
    return json_is_true(json_object_get(report, "regressed"));
}

static void figure_or_dash(FILE *f, const json_t *v) {
    if (json_is_number(v)) bc_report_figure(f, json_number_value(v));
    else fputc('-', f);
}

static void text_entry(FILE *f, const char *label, const json_t *e) {
    fprintf(f, "%-14s ", label);
    if (json_object_get(e, "client")) fprintf(f, "%s / ", bc_report_str(e, "client", ""));
    fprintf(f, "%s %s: %s -> %s", bc_report_str(e, "scenario", "?"),
            bc_report_str(e, "contract", "?"), bc_report_str(e, "old", "(none)"),
            bc_report_str(e, "new", "(none)"));
    fputs(" (measured ", f);
    figure_or_dash(f, json_object_get(e, "old_measured"));
    fputs(" -> ", f);
    figure_or_dash(f, json_object_get(e, "new_measured"));
    fprintf(f, ") %s\n", bc_report_str(e, "message", ""));
}

void bc_diff_text(FILE *f, const json_t *report) {
    static const char *const lists[][2] = {
        { "regressions", "REGRESSION" }, { "newly_passing", "newly passing" },
        { "drift", "drift" }, { "added", "added" }, { "removed", "removed" } };
    for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++) {
        size_t i;
        json_t *e;
        json_array_foreach(json_object_get(report, lists[l][0]), i, e)
            text_entry(f, lists[l][1], e);
    }
    if (json_integer_value(json_object_get(report, "judged")) == 0)
        fputs("REGRESSION     the new run judged nothing: every result is UNSUPPORTED or "
              "ERROR, or it has none\n", f);
    fprintf(f, "%s: %zu regressions, %zu newly passing, %zu drifted beyond %g, %zu added, "
            "%zu removed\n",
            bc_diff_regressed(report) ? "REGRESSED" : "no regression",
            json_array_size(json_object_get(report, "regressions")),
            json_array_size(json_object_get(report, "newly_passing")),
            json_array_size(json_object_get(report, "drift")),
            json_number_value(json_object_get(report, "tolerance")),
            json_array_size(json_object_get(report, "added")),
            json_array_size(json_object_get(report, "removed")));
}

int bc_diff_files(const char *old_path, const char *new_path, double tolerance, FILE *out,
                  char *err, size_t errlen) {
    json_t *old = NULL, *cur = NULL;
    if (bc_results_load(old_path, &old, err, errlen) < 0) return 2;
    if (bc_results_load(new_path, &cur, err, errlen) < 0) {
        json_decref(old);
        return 2;
    }
    json_t *rep = bc_diff(old, cur, tolerance);
    bc_diff_text(out, rep);
    int status = bc_diff_regressed(rep) ? 1 : 0;
    json_decref(rep);
    json_decref(old);
    json_decref(cur);
    return status;
}
