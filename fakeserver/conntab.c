#include "conntab.h"

#include <stdlib.h>
#include <string.h>

void *fs_conntab_get(const fs_conntab *t, int conn) {
    if (conn <= 0 || (size_t)conn >= t->cap) return NULL;
    return t->slots[conn];
}

void fs_conntab_put(fs_conntab *t, int conn, void *v) {
    if (conn <= 0) return;
    if ((size_t)conn >= t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        while (cap <= (size_t)conn) cap *= 2;
        t->slots = realloc(t->slots, cap * sizeof *t->slots);
        memset(t->slots + t->cap, 0, (cap - t->cap) * sizeof *t->slots);
        t->cap = cap;
    }
    t->slots[conn] = v;
}

void fs_conntab_free(fs_conntab *t) {
    free(t->slots);
    t->slots = NULL;
    t->cap = 0;
}
