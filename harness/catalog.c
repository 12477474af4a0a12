#include "catalog.h"

#include <dirent.h>
#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cost.h"

static int is_json(const struct dirent *d) {
    size_t n = strlen(d->d_name);
    return d->d_name[0] != '.' && n > 5 && strcmp(d->d_name + n - 5, ".json") == 0;
}

bool bc_catalog_matches(const bc_scenario *s, const char *glob) {
    if (!glob || fnmatch(glob, s->info.id, 0) == 0) return true;
    for (size_t i = 0; i < s->info.keyword_count; i++)
        if (fnmatch(glob, s->info.keywords[i], 0) == 0) return true;
    for (size_t i = 0; i < s->info.contract_count; i++)
        if (fnmatch(glob, s->info.contracts[i]->id, 0) == 0) return true;
    return false;
}

int bc_catalog_load(bc_catalog *c, const char *dir, const char *glob, char *err,
                    size_t errlen) {
    struct dirent **names;
    int n = scandir(dir, &names, is_json, alphasort);
    memset(c, 0, sizeof *c);
    if (n < 0) {
        snprintf(err, errlen, "%s: cannot read the scenario directory: %m", dir);
        return -1;
    }
    c->items = calloc((size_t)n + 1, sizeof *c->items);
    c->cost = calloc((size_t)n + 1, sizeof *c->cost);
    bc_constants production = bc_ev_production_constants();
    int rc = 0;
    for (int i = 0; i < n; i++) {
        char path[1024];
        bc_scenario *s = NULL;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
        if (rc == 0 && bc_scenario_load(path, &s, err, errlen) < 0) rc = -1;
        if (s && bc_catalog_matches(s, glob)) {
            c->cost[c->count] = bc_cost_nominal(s, &production);
            c->items[c->count++] = s;
        } else if (s) {
            bc_scenario_free(s);
        }
        free(names[i]);
    }
    free(names);
    if (rc < 0) bc_catalog_free(c);
    return rc;
}

void bc_catalog_use_durations(bc_catalog *c, const json_t *results) {
    double scale = json_number_value(json_object_get(results, "time_scale"));
    size_t i;
    json_t *rec;
    json_array_foreach(json_object_get(results, "scenarios"), i, rec) {
        const char *id = json_string_value(json_object_get(rec, "id"));
        double wall = json_number_value(json_object_get(rec, "wall_s"));
        for (size_t k = 0; id && wall > 0 && k < c->count; k++)
            if (!strcmp(c->items[k]->info.id, id)) c->cost[k] = wall * (scale > 0 ? scale : 1);
    }
}

/* Cost in whole milliseconds: the deal must not depend on how a machine
 * rounds doubles. */
static long long cost_ms(const bc_catalog *c, size_t i) {
    return llround(c->cost[i] * 1000);
}

static int by_cost(const void *a, const void *b, void *cat) {
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    long long cx = cost_ms(cat, x), cy = cost_ms(cat, y);
    if (cx != cy) return cx < cy ? 1 : -1;
    return x < y ? -1 : x > y;      /* file order */
}

void bc_catalog_shard(bc_catalog *c, int index, int count) {
    size_t *order = calloc(c->count + 1, sizeof *order);
    long long *total = calloc((size_t)count, sizeof *total);
    bool *keep = calloc(c->count + 1, sizeof *keep);
    for (size_t i = 0; i < c->count; i++) order[i] = i;
    qsort_r(order, c->count, sizeof *order, by_cost, c);
    for (size_t k = 0; k < c->count; k++) {
        int least = 0;
        for (int s = 1; s < count; s++)
            if (total[s] < total[least]) least = s;
        total[least] += cost_ms(c, order[k]);
        keep[order[k]] = least == index - 1;
    }
    size_t kept = 0;
    for (size_t i = 0; i < c->count; i++) {
        if (!keep[i]) {
            bc_scenario_free(c->items[i]);
            continue;
        }
        c->cost[kept] = c->cost[i];
        c->items[kept++] = c->items[i];
    }
    c->count = kept;
    free(keep);
    free(total);
    free(order);
}

bc_job *bc_catalog_jobs(const bc_catalog *c, const bc_runcfg *cfg) {
    bc_job *jobs = calloc(c->count + 1, sizeof *jobs);
    for (size_t i = 0; i < c->count; i++) jobs[i] = (bc_job){ cfg, c->items[i], c->cost[i] };
    return jobs;
}

void bc_catalog_free(bc_catalog *c) {
    for (size_t i = 0; i < c->count; i++) bc_scenario_free(c->items[i]);
    free(c->items);
    free(c->cost);
    memset(c, 0, sizeof *c);
}
