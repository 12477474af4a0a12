/* report_tool.c - the report functions from the command line, for the
 * tests that hand a report to xmllint or chromium:
 *   report_tool FORMAT IN.json OUT          one report
 *   report_tool merge FORMAT OUT IN.json... the merged runs' report */
#include <stdio.h>
#include <string.h>

#include "merge.h"
#include "report.h"
#include "results.h"

static int one(const char *format, const char *in, const char *out) {
    json_t *doc;
    char err[512];
    int rc = bc_results_load(in, &doc, err, sizeof err);
    if (rc == 0) rc = bc_report_write(format, doc, out, err, sizeof err);
    if (rc < 0) fprintf(stderr, "report_tool: %s\n", err);
    json_decref(doc);
    return rc < 0;
}

static int merged(const char *format, const char *out, int n, char **in) {
    json_t *docs[16] = { 0 };
    char err[512];
    int loaded = 0, rc = 0;
    for (; loaded < n && loaded < 16 && rc == 0; loaded++)
        rc = bc_results_load(in[loaded], &docs[loaded], err, sizeof err);
    if (rc < 0) loaded--;
    json_t *doc = rc == 0 ? bc_merge(docs, (size_t)loaded) : NULL;
    if (doc) rc = bc_report_write(format, doc, out, err, sizeof err);
    if (rc < 0) fprintf(stderr, "report_tool: %s\n", err);
    json_decref(doc);
    for (int i = 0; i < loaded; i++) json_decref(docs[i]);
    return rc < 0;
}

int main(int argc, char **argv) {
    if (argc >= 5 && !strcmp(argv[1], "merge")) return merged(argv[2], argv[3], argc - 4, argv + 4);
    if (argc == 4) return one(argv[1], argv[2], argv[3]);
    fprintf(stderr, "usage: report_tool FORMAT IN.json OUT | merge FORMAT OUT IN.json...\n");
    return 2;
}
