#include "catalog.h"

#include <dirent.h>
#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cost.h"

static bool is_json(const char *name) {
    size_t n = strlen(name);
    return name[0] != '.' && n > 5 && strcmp(name + n - 5, ".json") == 0;
}

/* The scenario files: paths of the .json files of dir and of its
 * subdirectories (scenarios/errors/...), any depth. */
typedef struct file_list {
    char **paths;
    size_t count, cap;
} file_list;

static int by_name(const struct dirent **a, const struct dirent **b) {
    return strcmp((*a)->d_name, (*b)->d_name);
}

static void add_path(file_list *l, char *path) {
    if (l->count == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->paths = realloc(l->paths, l->cap * sizeof *l->paths);
    }
    l->paths[l->count++] = path;
}

static int find_files(const char *dir, file_list *l, char *err, size_t errlen) {
    struct dirent **names;
    int n = scandir(dir, &names, NULL, by_name), rc = 0;
    if (n < 0) {
        snprintf(err, errlen, "%s: cannot read the scenario directory: %m", dir);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        char *path = NULL;
        struct stat st;
        if (names[i]->d_name[0] != '.' && asprintf(&path, "%s/%s", dir, names[i]->d_name) > 0) {
            if (rc == 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
                rc = find_files(path, l, err, errlen);
            else if (is_json(names[i]->d_name)) {
                add_path(l, path);
                path = NULL;
            }
        }
        free(path);
        free(names[i]);
    }
    free(names);
    return rc;
}

static const char *base_name(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static int by_base_name(const void *a, const void *b) {
    return strcmp(base_name(*(char *const *)a), base_name(*(char *const *)b));
}

/* Sorted by file name wherever each lives; a name twice is an error (the
 * id is the file's name, and ids name results, reports and filters). */
static int list_scenarios(const char *dir, file_list *l, char *err, size_t errlen) {
    memset(l, 0, sizeof *l);
    if (find_files(dir, l, err, errlen) < 0) return -1;
    if (l->count) qsort(l->paths, l->count, sizeof *l->paths, by_base_name);
    for (size_t i = 1; i < l->count; i++)
        if (!strcmp(base_name(l->paths[i - 1]), base_name(l->paths[i]))) {
            snprintf(err, errlen, "%s: expected each scenario file name once, got it also as %s",
                     l->paths[i], l->paths[i - 1]);
            return -1;
        }
    return 0;
}

static void free_list(file_list *l) {
    for (size_t i = 0; i < l->count; i++) free(l->paths[i]);
    free(l->paths);
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
    file_list files;
    memset(c, 0, sizeof *c);
    if (list_scenarios(dir, &files, err, errlen) < 0) {
        free_list(&files);
        return -1;
    }
    c->items = calloc(files.count + 1, sizeof *c->items);
    c->cost = calloc(files.count + 1, sizeof *c->cost);
    bc_constants production = bc_ev_production_constants();
    int rc = 0;
    for (size_t i = 0; i < files.count; i++) {
        bc_scenario *s = NULL;
        if (rc == 0 && bc_scenario_load(files.paths[i], &s, err, errlen) < 0) rc = -1;
        if (s && bc_catalog_matches(s, glob)) {
            c->cost[c->count] = bc_cost_nominal(s, &production);
            c->items[c->count++] = s;
        } else if (s) {
            bc_scenario_free(s);
        }
    }
    free_list(&files);
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

static int by_cost_ms(const void *a, const void *b, void *cat) {
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
    qsort_r(order, c->count, sizeof *order, by_cost_ms, c);
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
