/* stability.c - verdicts and measured figures tallied over repeated runs.
 *
 * The tally is plain JSON: {"runs":N,"wall_s":[s...],"scenarios":{ID:{CONTRACT:
 * {"verdicts":{V:n},"measured":[x...],"expected":x}}}}; jansson keeps insertion order, so
 * contracts stay in the order the scenario lists them. */
#include "stability.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

json_t *bc_stability_new(void) {
    return json_pack("{s:i,s:[],s:o}", "runs", 0, "wall_s", "scenarios", json_object());
}

static json_t *child(json_t *parent, const char *key) {
    json_t *c = json_object_get(parent, key);
    if (!c) json_object_set_new(parent, key, c = json_object());
    return c;
}

static void tally_result(json_t *slot, const json_t *r) {
    const char *v = json_string_value(json_object_get(r, "verdict"));
    json_t *verdicts = child(slot, "verdicts");
    json_object_set_new(verdicts, v,
                        json_integer(json_integer_value(json_object_get(verdicts, v)) + 1));
    const json_t *measured = json_object_get(r, "measured");
    if (json_is_number(measured)) {
        json_t *list = json_object_get(slot, "measured");
        if (!list) json_object_set_new(slot, "measured", list = json_array());
        json_array_append_new(list, json_real(json_number_value(measured)));
    }
    const json_t *expected = json_object_get(r, "expected");
    if (json_is_number(expected)) json_object_set(slot, "expected", (json_t *)expected);
}

void bc_stability_add(json_t *tally, const json_t *records, double wall_s) {
    json_t *scenarios = json_object_get(tally, "scenarios");
    size_t i, j;
    json_t *rec, *r;
    json_array_foreach(records, i, rec) {
        json_t *sc = child(scenarios, json_string_value(json_object_get(rec, "id")));
        json_array_foreach(json_object_get(rec, "results"), j, r)
            tally_result(child(sc, json_string_value(json_object_get(r, "contract"))), r);
    }
    json_object_set_new(tally, "runs",
                        json_integer(json_integer_value(json_object_get(tally, "runs")) + 1));
    json_array_append_new(json_object_get(tally, "wall_s"), json_real(wall_s));
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int by_string(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* min/median/max of the figures; the worst error is the one farthest from
 * expected, sign kept (timers slip late, so a negative one is news). */
static void add_spread(json_t *row, const json_t *list, const json_t *expected) {
    size_t n = json_array_size(list);
    if (n == 0) return;
    double *xs = malloc(n * sizeof *xs);
    for (size_t i = 0; i < n; i++) xs[i] = json_number_value(json_array_get(list, i));
    qsort(xs, n, sizeof *xs, by_value);
    double median = n % 2 ? xs[n / 2] : (xs[n / 2 - 1] + xs[n / 2]) / 2;
    json_object_set_new(row, "measured", json_pack("{s:I,s:f,s:f,s:f}", "n", (json_int_t)n,
                                                   "min", xs[0], "median", median,
                                                   "max", xs[n - 1]));
    if (expected) {
        double e = json_number_value(expected), lo = xs[0] - e, hi = xs[n - 1] - e;
        json_object_set(row, "expected", (json_t *)expected);
        json_object_set_new(row, "worst_error", json_real(fabs(lo) > fabs(hi) ? lo : hi));
    }
    free(xs);
}

/* Stable: one verdict in every run, and the result was there in every run. */
static json_t *result_row(const char *contract, const json_t *slot, json_int_t runs) {
    const json_t *verdicts = json_object_get(slot, "verdicts");
    const char *v;
    json_t *n;
    json_int_t seen = 0;
    json_object_foreach((json_t *)verdicts, v, n) seen += json_integer_value(n);
    bool stable = json_object_size(verdicts) == 1 && seen == runs;
    json_t *row = json_pack("{s:s,s:b,s:O}", "contract", contract, "stable", stable,
                            "verdicts", verdicts);
    add_spread(row, json_object_get(slot, "measured"), json_object_get(slot, "expected"));
    return row;
}

static json_t *scenario_row(const char *id, const json_t *contracts, json_int_t runs) {
    json_t *results = json_array();
    bool stable = true;
    const char *contract;
    json_t *slot;
    json_object_foreach((json_t *)contracts, contract, slot) {
        json_t *row = result_row(contract, slot, runs);
        stable &= json_is_true(json_object_get(row, "stable"));
        json_array_append_new(results, row);
    }
    return json_pack("{s:s,s:b,s:o}", "id", id, "stable", stable, "results", results);
}

json_t *bc_stability_json(const json_t *tally) {
    const json_t *scenarios = json_object_get(tally, "scenarios");
    json_int_t runs = json_integer_value(json_object_get(tally, "runs"));
    size_t n = json_object_size(scenarios), k = 0, flaky = 0;
    const char **ids = malloc((n ? n : 1) * sizeof *ids);
    const char *id;
    json_t *contracts;
    json_object_foreach((json_t *)scenarios, id, contracts) ids[k++] = id;
    qsort(ids, n, sizeof *ids, by_string);
    json_t *rows = json_array();
    for (k = 0; k < n; k++) {
        json_t *row = scenario_row(ids[k], json_object_get(scenarios, ids[k]), runs);
        flaky += !json_is_true(json_object_get(row, "stable"));
        json_array_append_new(rows, row);
    }
    free(ids);
    return json_pack("{s:I,s:O,s:I,s:o}", "runs", runs, "wall_s", json_object_get(tally, "wall_s"),
                     "flaky", (json_int_t)flaky, "scenarios", rows);
}

static void print_verdicts(FILE *out, const json_t *verdicts) {
    char text[160] = "";
    const char *v;
    json_t *n;
    json_object_foreach((json_t *)verdicts, v, n) {
        size_t used = strlen(text);
        snprintf(text + used, sizeof text - used, "%s%s x%lld", used ? " " : "", v,
                 (long long)json_integer_value(n));
    }
    fprintf(out, " %-22s", text);
}

static void print_result(FILE *out, const char *scenario, const json_t *row) {
    fprintf(out, "%-7s %-44s %-20s", json_is_true(json_object_get(row, "stable")) ? "stable" : "FLAKY",
            scenario, json_string_value(json_object_get(row, "contract")));
    print_verdicts(out, json_object_get(row, "verdicts"));
    const json_t *m = json_object_get(row, "measured"), *e = json_object_get(row, "expected");
    if (m)
        fprintf(out, " %.2f / %.2f / %.2f", json_number_value(json_object_get(m, "min")),
                json_number_value(json_object_get(m, "median")),
                json_number_value(json_object_get(m, "max")));
    if (e)
        fprintf(out, " (expected %g, worst %+.2f)", json_number_value(e),
                json_number_value(json_object_get(row, "worst_error")));
    fprintf(out, "\n");
}

void bc_stability_print(FILE *out, const json_t *repeat) {
    json_int_t runs = json_integer_value(json_object_get(repeat, "runs"));
    fprintf(out, "\nstability over %lld runs: per result its verdicts, and the measured figure "
                 "min / median / max\n", (long long)runs);
    size_t i, j, results = 0, flaky_results = 0;
    json_t *sc, *row;
    const json_t *scenarios = json_object_get(repeat, "scenarios");
    json_array_foreach(scenarios, i, sc) json_array_foreach(json_object_get(sc, "results"), j, row) {
        print_result(out, json_string_value(json_object_get(sc, "id")), row);
        results++;
        flaky_results += !json_is_true(json_object_get(row, "stable"));
    }
    fprintf(out, "%zu of %zu results had one verdict in all %lld runs; %lld of %zu scenarios flaky\n",
            results - flaky_results, results, (long long)runs,
            (long long)json_integer_value(json_object_get(repeat, "flaky")),
            json_array_size(scenarios));
}
