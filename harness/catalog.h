/* catalog.h - the scenarios of a run: found in a directory, filtered, loaded.
 *
 * Every file is loaded and validated before anything runs, so one bad
 * scenario stops the run with its file:line:column and nothing started. */
#ifndef BC_CATALOG_H
#define BC_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "scenario.h"

typedef struct bc_catalog {
    bc_scenario **items;        /* sorted by file name */
    size_t count;
} bc_catalog;

/* Load the .json files of dir whose id, a keyword or a contract ID matches glob (NULL:
 * all). 0, or -1 with err. */
int bc_catalog_load(bc_catalog *c, const char *dir, const char *glob, char *err,
                    size_t errlen);
void bc_catalog_free(bc_catalog *c);
/* Whether glob (NULL: anything) matches s's id, a keyword or a contract ID. */
bool bc_catalog_matches(const bc_scenario *s, const char *glob);

#endif
