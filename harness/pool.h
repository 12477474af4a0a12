/* pool.h - scenarios in parallel, one forked worker each.
 *
 * A worker runs one scenario (runner.h) and leaves its record as JSON in the
 * run's temp dir; a worker that dies anyway costs that scenario an ERROR,
 * never the run. On SIGINT/SIGTERM every worker is told to stop (each kills
 * its own children and temp dir) and the pool returns -1. */
#ifndef BC_POOL_H
#define BC_POOL_H

#include <stddef.h>

#include <jansson.h>

#include "runner.h"

/* Called in the parent as each scenario finishes (record owned by callee). */
typedef void (*bc_pool_done_fn)(void *ctx, const bc_scenario *sc, json_t *record);

/* Run every scenario with at most jobs at once. 0, or -1 when interrupted. */
int bc_pool_run(const bc_runcfg *cfg, bc_scenario *const *scs, size_t n, int jobs,
                bc_pool_done_fn done, void *ctx);

#endif
