/* tap.c - TAP version 13, one test point per scenario x contract.
 *
 * FAIL, CRASHED, HUNG and ERROR are "not ok"; UNSUPPORTED is "ok # SKIP";
 * NON-STRICT and INFORMATIONAL are "not ok # TODO": a check that is not met
 * and must not fail the run, which is exactly what TODO means to a TAP
 * harness. Every point that is not a PASS carries a YAML block with the
 * verdict, the explanation and the measured figure; strings are written as
 * JSON strings, which YAML reads as double-quoted scalars. */
#include "report.h"

#include <stdlib.h>
#include <string.h>

/* A test line's text may not hold a line break (or any control byte a
 * reader could take for one) or a '#' that starts another directive. */
static void directive_text(FILE *f, const char *s) {
    for (; *s; s++) fputc((unsigned char)*s < 0x20 || *s == 0x7F ? ' ' : *s == '#' ? '_' : *s, f);
}

static void yaml_string(FILE *f, const char *key, const char *value) {
    json_t *s = json_string(value);
    char *text = s ? json_dumps(s, JSON_ENCODE_ANY | JSON_ENSURE_ASCII) : NULL;
    fprintf(f, "  %s: %s\n", key, text ? text : "\"\"");
    free(text);
    json_decref(s);
}

static void diagnostics(FILE *f, const json_t *doc, const json_t *res) {
    const json_t *m = json_object_get(res, "measured");
    double expected;
    fputs("  ---\n", f);
    yaml_string(f, "verdict", bc_report_str(res, "verdict", "?"));
    yaml_string(f, "message", bc_report_str(res, "message", ""));
    if (json_is_number(m)) fprintf(f, "  measured: %.6g\n", json_number_value(m));
    if (bc_report_expected(res, &expected)) fprintf(f, "  expected: %.6g\n", expected);
    if (bc_report_multi_client(doc)) yaml_string(f, "client", bc_report_client(doc, res));
    fputs("  ...\n", f);
}

static void point(FILE *f, const json_t *doc, size_t n, const json_t *res) {
    const char *v = bc_report_str(res, "verdict", "?");
    int sev = bc_report_severity(v);
    bool todo = !strcmp(v, "NON-STRICT") || !strcmp(v, "INFORMATIONAL");
    bool ok = !strcmp(v, "PASS") || !strcmp(v, "UNSUPPORTED");
    fprintf(f, "%s %zu - ", ok ? "ok" : "not ok", n);
    if (bc_report_multi_client(doc)) fprintf(f, "%s ", bc_report_client(doc, res));
    directive_text(f, bc_report_str(res, "scenario", "?"));
    fputc(' ', f);
    directive_text(f, bc_report_str(res, "contract", "?"));
    if (todo || !strcmp(v, "UNSUPPORTED")) {
        fprintf(f, " # %s %s: ", todo ? "TODO" : "SKIP", v);
        directive_text(f, bc_report_str(res, "message", ""));
    }
    fputc('\n', f);
    if (sev > 0) diagnostics(f, doc, res);
}

int bc_report_tap(FILE *f, const json_t *doc) {
    const json_t *results = json_object_get(doc, "results");
    fprintf(f, "TAP version 13\n1..%zu\n", json_array_size(results));
    size_t i;
    json_t *r;
    json_array_foreach(results, i, r) point(f, doc, i + 1, r);
    return ferror(f) ? -1 : 0;
}
