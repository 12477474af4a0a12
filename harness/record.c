#include "record.h"

#include <stdio.h>
#include <stdlib.h>

#include "jbig.h"

json_t *bc_record_lines(const char *path) {
    json_t *lines = json_array();
    FILE *f = fopen(path, "r");
    if (!f) return lines;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) >= 0) {
        json_t *v = bc_jbig_loads(line, 0, NULL);
        if (json_is_object(v)) json_array_append(lines, v);
        json_decref(v);
    }
    free(line);
    fclose(f);
    return lines;
}

void bc_record_add_evidence(json_t *rec, const char *journal_path, const char *events_path,
                            json_t *windows) {
    json_t *ev = json_pack("{s:o,s:o,s:o}", "journal", bc_record_lines(journal_path), "events",
                           bc_record_lines(events_path), "windows",
                           windows ? windows : json_array());
    json_object_set_new(rec, "evidence", ev);
}

void bc_record_add_observed(json_t *rec, const json_t *observed, bool lean) {
    json_t *evidence = json_object_get(rec, "evidence");
    json_object_set(rec, "confinement", json_object_get(observed, "confinement"));
    if (lean || !evidence) return;
    json_object_set(evidence, "sandbox", json_object_get(observed, "sandbox"));
    json_object_set(evidence, "memory", json_object_get(observed, "memory"));
}

json_t *bc_record_window(const char *contract, double from, double to, const char *label) {
    return json_pack("{s:s,s:f,s:f,s:s?}", "contract", contract, "from", from, "to", to,
                     "label", label);
}
