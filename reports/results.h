/* results.h - the results file (boxconform-results/1), written and read back.
 *
 * {"schema":"boxconform-results/1","time_scale":K,"client":{...},
 *  "results":[{"scenario","contract","verdict","message","measured"}...],
 *  "scenarios":[{"id","wall_s","adapter_exit","adapter_signal","end","stderr",...}]}
 * Read back as a baseline: its failures are known and not regressions. */
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
/* Whether doc lists (scenario, contract) as a failure. */
bool bc_results_known_failure(const json_t *doc, const char *scenario, const char *contract);

#endif
