/* session.h - a whole suite against one client: progress lines as
 * scenarios finish, the summary table, the records for the results file. */
#ifndef BC_SESSION_H
#define BC_SESSION_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#include "catalog.h"
#include "runner.h"

/* Run every scenario of cat; print progress to out (NULL: silent). The
 * scenario records in *records. 0, or -1 when interrupted. */
int bc_session_run(const bc_runcfg *cfg, const bc_catalog *cat, int jobs, FILE *out,
                   json_t **records);
/* Verdict counts per contract, then the totals. */
void bc_session_summary(FILE *out, const json_t *records, double wall_s);
/* One line: the verdict totals and the wall time. */
void bc_session_oneline(FILE *out, const json_t *records, double wall_s);
/* Exit status: 0 when no FAIL/CRASHED/HUNG beyond baseline (may be NULL),
 * 2 on any ERROR, else 1. Lists the regressions on out. */
int bc_session_exit_status(FILE *out, const json_t *records, const json_t *baseline);

#endif
