/* record.h - what a scenario record carries for the reports besides its
 * verdicts (reports/report.h): the scenario's title and the evidence the
 * timeline is drawn from, read from the run's temp dir before it goes. */
#ifndef BC_RECORD_H
#define BC_RECORD_H

#include <stdbool.h>

#include <jansson.h>

/* The JSON lines of path as a new array; lines that are not JSON objects (a
 * journal torn by a killed server) are left out. Empty when path is missing. */
json_t *bc_record_lines(const char *path);
/* rec.evidence = {"journal":[...],"events":[...],"windows":windows}; steals
 * windows (NULL: none). */
void bc_record_add_evidence(json_t *rec, const char *journal_path, const char *events_path,
                            json_t *windows);
/* What the harness observed (observe.h): rec.confinement always, and
 * unless lean rec.evidence.sandbox and rec.evidence.memory. */
void bc_record_add_observed(json_t *rec, const json_t *observed, bool lean);
/* A window entry for evidence.windows: {"contract","from","to","label"?}. */
json_t *bc_record_window(const char *contract, double from, double to, const char *label);

#endif
