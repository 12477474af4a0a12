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
 * scenario records in *records. A failure judged under load runs again
 * alone (pool.h) unless baseline (may be NULL) had that very verdict.
 * 0, or -1 when interrupted. */
int bc_session_run(const bc_runcfg *cfg, const bc_catalog *cat, int jobs,
                   const json_t *baseline, FILE *out, json_t **records);
/* Verdict counts per contract, then the totals. */
void bc_session_summary(FILE *out, const json_t *records, double wall_s);
/* One line: the verdict totals and the wall time. */
void bc_session_oneline(FILE *out, const json_t *records, double wall_s);
/* What decides the run's exit status, for the results file ("gate",
 * docs/results.md): {"status","baseline":bool,"results","judged","nothing",
 * "failing":[{"scenario","contract","verdict","baseline","message","why"}]}.
 * A result fails the run (why) as a "regression" against baseline (any
 * verdict but PASS the baseline did not have for it), without a baseline as
 * a "failure" (FAIL, CRASHED, HUNG), and as "undeclared" when UNSUPPORTED
 * where the profile does not declare it. Status 2 on any ERROR or when
 * nothing was judged (no result, or every one UNSUPPORTED or ERROR; then
 * "nothing" says which), else 1 when something fails the run, else 0. */
json_t *bc_session_gate(const json_t *records, const json_t *baseline);
/* The gate's status; its regressions and undeclared UNSUPPORTED results
 * listed on out, "nothing was judged" on stderr. */
int bc_session_exit_status(FILE *out, const json_t *records, const json_t *baseline);

#endif
