/* conntab.h - a table indexed by connection number.
 *
 * Connection numbers grow from 1 and are never reused, so a slot per number
 * in a growing array finds a connection's tap or session in O(1); a stale
 * number finds NULL. */
#ifndef FS_CONNTAB_H
#define FS_CONNTAB_H

#include <stddef.h>

typedef struct fs_conntab {
    void **slots;               /* slots[conn]; NULL where none */
    size_t cap;                 /* slots allocated */
} fs_conntab;

void *fs_conntab_get(const fs_conntab *t, int conn);  /* NULL if none */
void fs_conntab_put(fs_conntab *t, int conn, void *v); /* grows as needed */
void fs_conntab_free(fs_conntab *t);                   /* the table, not the values */

#endif
