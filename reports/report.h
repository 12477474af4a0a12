/* report.h - the reports made from a results document, for each audience.
 *
 * CI gating (JUnit XML, TAP 13), people on a PR (Markdown), people asking
 * "why" (one self-contained HTML file with a timeline per scenario). Every
 * format reads the document results.h describes (boxconform-results/1) and
 * these optional keys, which the harness or bc_merge may add; every report
 * does without them:
 *
 *   clients                     [client, ...]: the runs merged (merge.h)
 *   results[i].client           the client's name, when several were merged
 *   results[i].expected         the expected figure of a timing check (number)
 *   scenarios[i].client         as results[i].client
 *   scenarios[i].title          the scenario's info.title
 *   scenarios[i].evidence       what the timeline is drawn from:
 *     .journal  [object, ...]   the fake server's journal lines (docs/journal.md)
 *     .events   [object, ...]   the adapter's lines as stamped by the harness
 *                               ({"event",...,"t"}, and {"t","fed"} stdin feeds)
 *     .windows  [{"contract","from","to","label"?}, ...]: a check's expected
 *                               window in client seconds on the journal's axis
 *
 * Without evidence the HTML says so where the timeline would be; without
 * windows it marks where each client drop was expected from the profile's
 * constants. */
#ifndef BC_REPORT_H
#define BC_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

/* ---- one call for the CLI ------------------------------------------------ */

/* Write doc in format ("junit", "tap", "markdown", "html") to path ("-":
 * stdout). -1 with err for an unknown format or an unwritable file. */
int bc_report_write(const char *format, const json_t *doc, const char *path, char *err,
                    size_t errlen);

/* ---- the formats, one file each ---------------------------------------- */

int bc_report_junit(FILE *f, const json_t *doc);      /* junit.c */
int bc_report_tap(FILE *f, const json_t *doc);        /* tap.c */
int bc_report_markdown(FILE *f, const json_t *doc);   /* markdown.c */
int bc_report_html(FILE *f, const json_t *doc);       /* html.c */
/* One scenario's timeline as inline SVG (timeline.c); constants is the
 * profile's "constants" object or NULL. */
void bc_report_timeline(FILE *f, const json_t *scenario, const json_t *constants);

/* ---- reading a document (report.c) -------------------------------------- */

#define BC_REPORT_NVERDICTS 8
/* PASS FAIL NON-STRICT INFORMATIONAL UNSUPPORTED CRASHED HUNG ERROR */
extern const char *const bc_report_verdicts[BC_REPORT_NVERDICTS];

typedef struct bc_report_counts {
    size_t n[BC_REPORT_NVERDICTS];  /* per verdict, in bc_report_verdicts order */
    size_t other;                   /* verdicts this version does not know */
    size_t total;
} bc_report_counts;

int bc_report_verdict_index(const char *verdict);    /* -1 if unknown */
/* Severity for a headline: PASS < INFORMATIONAL < NON-STRICT < UNSUPPORTED
 * < FAIL < CRASHED < HUNG < ERROR (the order the session summary uses). */
int bc_report_severity(const char *verdict);
/* Count the results of client (NULL: all). */
void bc_report_count(const json_t *doc, const char *client, bc_report_counts *c);
/* obj[key] as a string, or dflt. */
const char *bc_report_str(const json_t *obj, const char *key, const char *dflt);
/* The name a result or scenario record is filed under: its "client", else
 * the document's client name, else "client". */
const char *bc_report_client(const json_t *doc, const json_t *rec);
/* The client names (new array of strings) in the order results name them. */
json_t *bc_report_clients(const json_t *doc);
/* Whether doc holds more than one client (a merged interop run). */
bool bc_report_multi_client(const json_t *doc);
/* The scenario record of id (and client, NULL: any), or NULL. */
const json_t *bc_report_scenario(const json_t *doc, const char *id, const char *client);
/* The expected figure of a result: "expected", else the number after
 * "expected " in its message; false if neither. */
bool bc_report_expected(const json_t *res, double *out);

/* ---- writing text safely ------------------------------------------------- */

/* XML/HTML text and attribute values: & < > " ' as entities; characters
 * XML 1.0 forbids (controls but tab/LF/CR) and invalid UTF-8 as U+FFFD, so
 * no payload or message can break the document. */
void bc_report_xml(FILE *f, const char *s);
/* A figure for people: 4 significant digits. */
void bc_report_figure(FILE *f, double v);

#endif
