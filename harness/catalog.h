/* catalog.h - the scenarios of a run: found in a directory, filtered,
 * loaded, costed, sharded.
 *
 * Every file is loaded and validated before anything runs, so one bad
 * scenario stops the run with its file:line:column and nothing started. */
#ifndef BC_CATALOG_H
#define BC_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "pool.h"
#include "scenario.h"

typedef struct bc_catalog {
    bc_scenario **items;        /* sorted by file name */
    double *cost;               /* client seconds each takes: nominal (cost.h) or measured */
    size_t count;
} bc_catalog;

/* Load the .json files of dir whose id, a keyword or a contract ID matches glob (NULL:
 * all), each costed at its nominal duration against the production
 * constants. 0, or -1 with err. */
int bc_catalog_load(bc_catalog *c, const char *dir, const char *glob, char *err,
                    size_t errlen);
/* Cost each scenario a previous run measured (a results file: its wall_s
 * times its time_scale, in client seconds) at that figure instead. */
void bc_catalog_use_durations(bc_catalog *c, const json_t *results);
/* Keep shard index of count (1 <= index <= count): the scenarios are dealt,
 * costliest first, each to the shard with the least cost so far (the lower
 * shard on a tie), so the shards' totals are balanced, every scenario is in
 * exactly one shard, and every machine that loads the same scenarios deals
 * the same shards. */
void bc_catalog_shard(bc_catalog *c, int index, int count);
/* One job per scenario with cfg, for the pool (free() it). */
bc_job *bc_catalog_jobs(const bc_catalog *c, const bc_runcfg *cfg);
void bc_catalog_free(bc_catalog *c);
/* Whether glob (NULL: anything) matches s's id, a keyword or a contract ID. */
bool bc_catalog_matches(const bc_scenario *s, const char *glob);

#endif
