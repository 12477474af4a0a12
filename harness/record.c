#include "record.h"

#include <stdio.h>
#include <stdlib.h>

json_t *bc_record_lines(const char *path) {
    json_t *lines = json_array();
    FILE *f = fopen(path, "r");
    if (!f) return lines;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) >= 0) {
        json_t *v = json_loads(line, 0, NULL);
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

json_t *bc_record_window(const char *contract, double from, double to, const char *label) {
    return json_pack("{s:s,s:f,s:f,s:s?}", "contract", contract, "from", from, "to", to,
                     "label", label);
}
