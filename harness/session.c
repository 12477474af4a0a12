#include "session.h"

#include <stdlib.h>
#include <string.h>

#include "contracts.h"
#include "pool.h"
#include "results.h"
#include "suites.h"

/* Severity order for a scenario's headline verdict. */
static int severity(const char *v) {
    static const char *const order[] = { "PASS", "INFORMATIONAL", "NON-STRICT", "UNSUPPORTED",
                                         "FAIL", "CRASHED", "HUNG", "ERROR" };
    for (int i = 0; i < 8; i++)
        if (strcmp(order[i], v) == 0) return i;
    return 7;
}

static const char *headline(const json_t *rec) {
    const char *worst = "PASS";
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(rec, "results"), i, r) {
        const char *v = json_string_value(json_object_get(r, "verdict"));
        if (v && severity(v) > severity(worst)) worst = v;
    }
    return worst;
}

static void progress(FILE *out, const json_t *rec) {
    fprintf(out, "%-13s %-40s", headline(rec), json_string_value(json_object_get(rec, "id")));
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(rec, "results"), i, r)
        fprintf(out, " %s=%s", json_string_value(json_object_get(r, "contract")),
                json_string_value(json_object_get(r, "verdict")));
    fprintf(out, "  %.2f s\n", json_number_value(json_object_get(rec, "wall_s")));
    const json_t *again = json_object_get(rec, "run_again");
    if (again)
        fprintf(out, "    ran again alone: the first attempt failed while timers woke %.0f ms late\n",
                json_number_value(json_object_get(again, "late_ms")));
    json_array_foreach(json_object_get(rec, "results"), i, r)
        if (strcmp(json_string_value(json_object_get(r, "verdict")), "PASS") != 0)
            fprintf(out, "    %s: %s\n", json_string_value(json_object_get(r, "contract")),
                    json_string_value(json_object_get(r, "message")));
    fflush(out);
}

typedef struct collector {
    FILE *out;
    json_t *records;
    const json_t *baseline;     /* the verdicts known before the run, or NULL */
} collector;

static void on_done(void *ctx, size_t index, json_t *rec) {
    (void)index;
    collector *c = ctx;
    if (c->out) progress(c->out, rec);
    json_array_append_new(c->records, rec);
}

/* Under load, any failure is run again alone (pool.h), but for one that
 * repeats the verdict the baseline knows: load only makes a client late,
 * and alone the known failure would show again (a gated SDK's dozens of
 * known failures ran again one at a time: 87 s of the Node SDK's 141 s). */
static bool new_failure(void *ctx, size_t index, const json_t *rec) {
    (void)index;
    const collector *c = ctx;
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(rec, "results"), i, r) {
        const char *v = json_string_value(json_object_get(r, "verdict"));
        if (bc_verdict_is_failure(v) &&
            (!c->baseline || bc_results_regressed(bc_results_verdict_of(
                 c->baseline, json_string_value(json_object_get(r, "scenario")),
                 json_string_value(json_object_get(r, "contract"))), v)))
            return true;
    }
    return false;
}

int bc_session_run(const bc_runcfg *cfg, const bc_catalog *cat, int jobs,
                   const json_t *baseline, FILE *out, json_t **records) {
    collector c = { out, json_array(), baseline };
    bc_job *list = bc_catalog_jobs(cat, cfg);
    int rc = bc_pool_run(list, cat->count, jobs, on_done, new_failure, &c, NULL);
    free(list);
    *records = c.records;
    return rc;
}

static void count_for(const json_t *records, const char *contract, size_t counts[]) {
    size_t i, j;
    json_t *rec, *r;
    json_array_foreach(records, i, rec) json_array_foreach(json_object_get(rec, "results"), j, r) {
        const char *c = json_string_value(json_object_get(r, "contract"));
        int v = bc_verdict_parse(json_string_value(json_object_get(r, "verdict")));
        if (v >= 0 && (!contract || strcmp(c, contract) == 0)) counts[v]++;
    }
}

static void summary_row(FILE *out, const char *label, const size_t counts[]) {
    fprintf(out, "%-18s", label);
    for (int v = 0; v < BC_VERDICT_COUNT; v++) fprintf(out, " %8zu", counts[v]);
    fprintf(out, "\n");
}

void bc_session_summary(FILE *out, const json_t *records, double wall_s) {
    fprintf(out, "\n%-18s", "contract");
    for (int v = 0; v < BC_VERDICT_COUNT; v++) fprintf(out, " %8.8s", bc_verdict_name(v));
    fprintf(out, "\n");
    for (size_t i = 0; i < bc_contract_count(); i++) {
        size_t counts[BC_VERDICT_COUNT] = { 0 }, any = 0;
        count_for(records, bc_contract_at(i)->id, counts);
        for (int v = 0; v < BC_VERDICT_COUNT; v++) any += counts[v];
        if (any) summary_row(out, bc_contract_at(i)->id, counts);
    }
    size_t total[BC_VERDICT_COUNT] = { 0 };
    count_for(records, NULL, total);
    summary_row(out, "total", total);
    fprintf(out, "%zu scenarios in %.1f s\n", json_array_size(records), wall_s);
}

void bc_session_oneline(FILE *out, const json_t *records, double wall_s) {
    size_t total[BC_VERDICT_COUNT] = { 0 }, n = 0;
    count_for(records, NULL, total);
    for (int v = 0; v < BC_VERDICT_COUNT; v++) n += total[v];
    fprintf(out, "%zu results:", n);
    for (int v = 0; v < BC_VERDICT_COUNT; v++)
        if (total[v]) fprintf(out, " %zu %s", total[v], bc_verdict_name(v));
    fprintf(out, "; %.1f s\n", wall_s);
    fflush(out);
}

static json_t *gate_entry(const json_t *r, const char *old, const char *why) {
    return json_pack("{s:O,s:O,s:O,s:s?,s:O,s:s}", "scenario", json_object_get(r, "scenario"),
                     "contract", json_object_get(r, "contract"), "verdict",
                     json_object_get(r, "verdict"), "baseline", old, "message",
                     json_object_get(r, "message"), "why", why);
}

/* Why result r fails the run, or NULL. */
static const char *fails_because(const json_t *r, const json_t *baseline, const char **old) {
    const char *v = json_string_value(json_object_get(r, "verdict"));
    *old = baseline ? bc_results_verdict_of(baseline,
                                            json_string_value(json_object_get(r, "scenario")),
                                            json_string_value(json_object_get(r, "contract")))
                    : NULL;
    if (baseline && bc_results_regressed(*old, v)) return "regression";
    if (!baseline && bc_results_is_failure(v)) return "failure";
    if (!strcmp(v, "UNSUPPORTED") && !json_is_true(json_object_get(r, "declared")))
        return "undeclared";
    return NULL;
}

json_t *bc_session_gate(const json_t *records, const json_t *baseline) {
    json_t *failing = json_array();
    size_t total = 0, judged = 0, i, j;
    bool error = false;
    json_t *rec, *r;
    json_array_foreach(records, i, rec) json_array_foreach(json_object_get(rec, "results"), j, r) {
        const char *v = json_string_value(json_object_get(r, "verdict")), *old;
        total++;
        judged += bc_results_is_judged(v);
        error |= !strcmp(v, "ERROR");
        const char *why = fails_because(r, baseline, &old);
        if (why) json_array_append_new(failing, gate_entry(r, old, why));
    }
    char nothing[160] = "";
    if (!total)
        snprintf(nothing, sizeof nothing, "no scenario was selected (see --filter, --scenarios)");
    else if (!judged)
        snprintf(nothing, sizeof nothing, "nothing was judged: all %zu results are UNSUPPORTED "
                 "or ERROR", total);
    int status = error || !judged ? 2 : json_array_size(failing) ? 1 : 0;
    return json_pack("{s:i,s:b,s:I,s:I,s:s?,s:o}", "status", status, "baseline", baseline != NULL,
                     "results", (json_int_t)total, "judged", (json_int_t)judged, "nothing",
                     *nothing ? nothing : NULL, "failing", failing);
}

int bc_session_exit_status(FILE *out, const json_t *records, const json_t *baseline) {
    json_t *gate = bc_session_gate(records, baseline), *e;
    size_t i;
    json_array_foreach(json_object_get(gate, "failing"), i, e) {
        const char *why = json_string_value(json_object_get(e, "why"));
        const char *s = json_string_value(json_object_get(e, "scenario"));
        const char *c = json_string_value(json_object_get(e, "contract"));
        if (!strcmp(why, "regression"))
            fprintf(out, "regression: %s %s %s -> %s\n", s, c,
                    json_is_string(json_object_get(e, "baseline"))
                        ? json_string_value(json_object_get(e, "baseline")) : "(none)",
                    json_string_value(json_object_get(e, "verdict")));
        else if (!strcmp(why, "undeclared"))
            fprintf(out, "undeclared UNSUPPORTED: %s %s: the profile's \"unsupported\" list "
                    "does not name %s\n", s, c, s);
    }
    const char *nothing = json_string_value(json_object_get(gate, "nothing"));
    if (nothing) fprintf(stderr, "boxconform: %s\n", nothing);
    int status = (int)json_integer_value(json_object_get(gate, "status"));
    json_decref(gate);
    return status;
}
