#include "catalog.h"

#include <dirent.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    c->items = NULL;
    c->count = 0;
    if (n < 0) {
        snprintf(err, errlen, "%s: cannot read the scenario directory: %m", dir);
        return -1;
    }
    c->items = calloc((size_t)n + 1, sizeof *c->items);
    int rc = 0;
    for (int i = 0; i < n; i++) {
        char path[1024];
        bc_scenario *s = NULL;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
        if (rc == 0 && bc_scenario_load(path, &s, err, errlen) < 0) rc = -1;
        if (s && bc_catalog_matches(s, glob)) c->items[c->count++] = s;
        else if (s) bc_scenario_free(s);
        free(names[i]);
    }
    free(names);
    if (rc < 0) bc_catalog_free(c);
    return rc;
}

void bc_catalog_free(bc_catalog *c) {
    for (size_t i = 0; i < c->count; i++) bc_scenario_free(c->items[i]);
    free(c->items);
    c->items = NULL;
    c->count = 0;
}
