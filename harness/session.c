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
    json_array_foreach(json_object_get(rec, "results"), i, r)
        if (strcmp(json_string_value(json_object_get(r, "verdict")), "PASS") != 0)
            fprintf(out, "    %s: %s\n", json_string_value(json_object_get(r, "contract")),
                    json_string_value(json_object_get(r, "message")));
    fflush(out);
}

typedef struct collector {
    FILE *out;
    json_t *records;
} collector;

static void on_done(void *ctx, size_t index, json_t *rec) {
    (void)index;
    collector *c = ctx;
    if (c->out) progress(c->out, rec);
    json_array_append_new(c->records, rec);
}

int bc_session_run(const bc_runcfg *cfg, const bc_catalog *cat, int jobs, FILE *out,
                   json_t **records) {
    collector c = { out, json_array() };
    bc_job *list = bc_catalog_jobs(cat, cfg);
    int rc = bc_pool_run(list, cat->count, jobs, on_done, &c, NULL);
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

int bc_session_exit_status(FILE *out, const json_t *records, const json_t *baseline) {
    int status = 0;
    size_t i, j;
    json_t *rec, *r;
    json_array_foreach(records, i, rec) json_array_foreach(json_object_get(rec, "results"), j, r) {
        const char *s = json_string_value(json_object_get(r, "scenario"));
        const char *c = json_string_value(json_object_get(r, "contract"));
        const char *v = json_string_value(json_object_get(r, "verdict"));
        if (strcmp(v, "ERROR") == 0) status = 2;
        if (!bc_results_is_failure(v)) continue;
        if (baseline && bc_results_known_failure(baseline, s, c)) continue;
        if (baseline) fprintf(out, "regression: %s %s %s\n", s, c, v);
        if (status == 0) status = 1;
    }
    return status;
}
