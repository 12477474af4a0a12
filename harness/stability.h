/* stability.h - verdict stability over repeated runs (boxconform run --repeat N).
 *
 * A gate whose verdicts change between two runs of the same client is worse
 * than none: this tallies, per (scenario, contract), the verdicts of every
 * run and the spread of the measured figure, and says which flipped. */
#ifndef BC_STABILITY_H
#define BC_STABILITY_H

#include <stdio.h>

#include <jansson.h>

/* An empty tally; json_decref it. */
json_t *bc_stability_new(void);
/* Add one run's scenario records (bc_session_run) and its wall time. */
void bc_stability_add(json_t *tally, const json_t *records, double wall_s);
/* The tally as the results file's "repeat" object (docs/results.md):
 * {"runs","wall_s":[...],"flaky","scenarios":[{"id","stable","results":[{"contract",
 *  "stable","verdicts":{V:n},"measured":{"n","min","median","max"}?,
 *  "expected"?,"worst_error"?}]}]}, scenarios sorted by id. */
json_t *bc_stability_json(const json_t *tally);
/* One line per result, stable or FLAKY, then the totals. */
void bc_stability_print(FILE *out, const json_t *repeat);

#endif
