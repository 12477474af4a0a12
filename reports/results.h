/* results.h - the results file (boxconform-results/1), written and read back.
 *
 * {"schema":"boxconform-results/1","time_scale":K,"client":{...},
 *  "results":[{"scenario","contract","verdict","message","measured"}...],
 *  "scenarios":[{"id","wall_s","adapter_exit","adapter_signal","end","stderr",...}]}
 * Read back as a baseline or by diff: a result regressed when its verdict is
 * any but PASS that the earlier run did not already have for it. */
#ifndef BC_RESULTS_H
#define BC_RESULTS_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#define BC_RESULTS_SCHEMA "boxconform-results/1"

/* The document from the runner's scenario records (each with "results"). */
json_t *bc_results_doc(double scale, json_t *client, const json_t *scenario_records);
int bc_results_write(const char *path, const json_t *doc, char *err, size_t errlen);
/* Load a results file; -1 with err "file:line:column: ..." if it is not one. */
int bc_results_load(const char *path, json_t **doc, char *err, size_t errlen);
/* Whether verdict counts against the run (FAIL, CRASHED, HUNG). */
bool bc_results_is_failure(const char *verdict);
/* Whether verdict judged the client at all: any but UNSUPPORTED and ERROR. */
bool bc_results_is_judged(const char *verdict);
/* Whether a result now new_verdict, the earlier run's being old_verdict
 * (NULL: it had no such result), regressed: new_verdict is not PASS and not
 * what the earlier run had. A move from PASS to UNSUPPORTED, NON-STRICT,
 * INFORMATIONAL or ERROR counts as much as one to FAIL: a gate must not
 * turn green because a client stopped being tested. */
bool bc_results_regressed(const char *old_verdict, const char *new_verdict);
/* The verdict doc gives (scenario, contract), any client; NULL if none. */
const char *bc_results_verdict_of(const json_t *doc, const char *scenario,
                                  const char *contract);

#endif
