#include "results.h"

#include <stdio.h>
#include <string.h>

json_t *bc_results_doc(double scale, json_t *client, const json_t *scenario_records) {
    json_t *results = json_array(), *scenarios = json_array();
    size_t i, j;
    json_t *rec, *res;
    json_array_foreach(scenario_records, i, rec) {
        json_t *summary = json_deep_copy(rec);
        json_object_del(summary, "results");
        json_array_append_new(scenarios, summary);
        json_array_foreach(json_object_get(rec, "results"), j, res)
            json_array_append(results, res);
    }
    return json_pack("{s:s,s:f,s:o,s:o,s:o}", "schema", BC_RESULTS_SCHEMA, "time_scale", scale,
                     "client", client, "results", results, "scenarios", scenarios);
}

int bc_results_write(const char *path, const json_t *doc, char *err, size_t errlen) {
    if (json_dump_file(doc, path, JSON_INDENT(1) | JSON_ENSURE_ASCII) == 0) return 0;
    snprintf(err, errlen, "%s: cannot write the results", path);
    return -1;
}

int bc_results_load(const char *path, json_t **doc, char *err, size_t errlen) {
    json_error_t je;
    *doc = json_load_file(path, 0, &je);
    if (!*doc) {
        snprintf(err, errlen, "%s:%d:%d: %s", path, je.line, je.column, je.text);
        return -1;
    }
    const char *schema = json_string_value(json_object_get(*doc, "schema"));
    if (!schema || strcmp(schema, BC_RESULTS_SCHEMA) != 0 ||
        !json_is_array(json_object_get(*doc, "results"))) {
        snprintf(err, errlen, "%s:1:1: expected a results file (schema \"%s\" and results)",
                 path, BC_RESULTS_SCHEMA);
        json_decref(*doc);
        *doc = NULL;
        return -1;
    }
    return 0;
}

bool bc_results_is_failure(const char *verdict) {
    return verdict && (strcmp(verdict, "FAIL") == 0 || strcmp(verdict, "CRASHED") == 0 ||
                       strcmp(verdict, "HUNG") == 0);
}

bool bc_results_is_judged(const char *verdict) {
    return verdict && strcmp(verdict, "UNSUPPORTED") != 0 && strcmp(verdict, "ERROR") != 0;
}

bool bc_results_regressed(const char *old_verdict, const char *new_verdict) {
    if (!new_verdict || !strcmp(new_verdict, "PASS")) return false;
    return !old_verdict || strcmp(old_verdict, new_verdict) != 0;
}

const char *bc_results_verdict_of(const json_t *doc, const char *scenario,
                                  const char *contract) {
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(doc, "results"), i, r) {
        const char *s = json_string_value(json_object_get(r, "scenario"));
        const char *c = json_string_value(json_object_get(r, "contract"));
        if (s && c && strcmp(s, scenario) == 0 && strcmp(c, contract) == 0)
            return json_string_value(json_object_get(r, "verdict"));
    }
    return NULL;
}
