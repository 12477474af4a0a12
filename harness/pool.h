/* pool.h - scenarios in parallel, one forked worker each, as many at once
 * as the machine takes.
 *
 * Jobs start costliest first (the long ones must not be the tail of a run)
 * and are admitted by load: always up to a floor of four per core (the
 * fixed default of old), past it one per 20 ms tick while fewer run than the
 * target load.h steers by the CPU, the timers' lateness and the memory, never
 * more than the cap (-j N, else BC_POOL_PER_CPU per core). A worker runs one
 * scenario (runner.h) and leaves its record as JSON in the run's temp dir;
 * a worker that dies anyway costs that scenario an ERROR, never the run. A
 * failure judged while the machine made timers late runs again alone at the
 * end (bc_pool_suspect_fn), so load cannot flip a verdict to FAIL. On
 * SIGINT/SIGTERM every worker is told to stop (each kills its own children
 * and temp dir) and the pool returns -1. */
#ifndef BC_POOL_H
#define BC_POOL_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "runner.h"

#define BC_POOL_PER_CPU 32      /* default cap: a scenario mostly sleeps */

typedef struct bc_job {
    const bc_runcfg *cfg;       /* the client and the scale it runs at */
    const bc_scenario *sc;
    double cost;                /* expected duration (cost.h): longest first */
} bc_job;

/* Called in the parent as job jobs[index] finishes (record owned by callee). */
typedef void (*bc_pool_done_fn)(void *ctx, size_t index, json_t *record);

/* Whether a record's verdicts would be wrong if load made the client late
 * (a FAIL where the caller expects none). A yes counts for records judged
 * while the pool's timer woke BC_POOL_SUSPECT_LATE_CLIENT_S late or worse,
 * while the load average exceeded the cores, or with a result the check
 * called doubtful (a server answer set aside as late is itself load); it
 * runs the job again, alone, once the queue drained, at BC_POOL_ALONE_NICE
 * when allowed, and that attempt is the one reported (the first one's
 * verdicts kept under "run_again"). */
typedef bool (*bc_pool_suspect_fn)(void *ctx, size_t index, const json_t *record);

/* 0.2 client s, under every tolerance: 4 ms at x50, 10 ms at x20 */
#define BC_POOL_SUSPECT_LATE_CLIENT_S 0.2
/* $BOXCONFORM_RUN_AGAIN: "load" (the default, as above), "never" or "always"
 * (any record the caller distrusts, loaded or not: for tests). */
#define BC_POOL_ALONE_NICE (-10)

/* How a pool ran, for benchmarks and logs. */
typedef struct bc_pool_stats {
    size_t peak;                /* most jobs running at once */
    double mean;                /* jobs running, averaged over the ticks */
} bc_pool_stats;

/* Run every job; at most max_jobs at once (0: the default cap); suspect and
 * stats may be NULL. 0, or -1 when interrupted. */
int bc_pool_run(const bc_job *jobs, size_t n, int max_jobs, bc_pool_done_fn done,
                bc_pool_suspect_fn suspect, void *ctx, bc_pool_stats *stats);

#endif
