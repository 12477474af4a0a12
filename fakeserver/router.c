/* router.c - path patterns against decoded request paths. */
#include "router.h"

#include <string.h>

/* The part of path after "/v1" and the prefix (given without leading or
 * trailing '/'), or NULL when path is not under them. */
static const char *after_prefix(const char *path, const char *prefix) {
    if (strncmp(path, "/v1", 3)) return NULL;
    path += 3;
    while (*prefix == '/') prefix++;
    size_t n = strlen(prefix);
    while (n > 0 && prefix[n - 1] == '/') n--;
    if (n == 0) return path;
    if (path[0] != '/' || strncmp(path + 1, prefix, n) || path[1 + n] != '/') return NULL;
    return path + 1 + n;
}

static int take_param(fs_params *p, const char *pattern, size_t plen, const char *seg, size_t n) {
    if (n == 0 || n >= FS_PARAM_MAX || p->count == FS_PARAMS_MAX) return 0;
    p->items[p->count].name = pattern + 1;
    p->items[p->count].name_len = plen - 2;
    memcpy(p->items[p->count].value, seg, n);
    p->items[p->count].value[n] = '\0';
    p->count++;
    return 1;
}

/* 1 when path (after the prefix) is exactly the pattern's segments. */
static int match_pattern(const char *pattern, const char *path, fs_params *out) {
    fs_params p = {0};
    while (*pattern) {
        if (*pattern++ != '/' || *path++ != '/') return 0;
        size_t plen = strcspn(pattern, "/"), n = strcspn(path, "/");
        if (*pattern == '{') {
            if (!take_param(&p, pattern, plen, path, n)) return 0;
        } else if (n != plen || strncmp(pattern, path, n)) {
            return 0;
        }
        pattern += plen;
        path += n;
    }
    if (*path) return 0;
    *out = p;
    return 1;
}

const fs_route *fs_router_match(const fs_route *table, size_t n, const char *prefix,
                                const char *method, const char *path, fs_params *params) {
    int have_params = 0;
    params->count = 0;
    for (size_t i = 0; i < n; i++) {
        const fs_route *r = &table[i];
        const char *rest = (r->flags & FS_ROUTE_ROOT) ? (strncmp(path, "/v1", 3) ? NULL : path + 3)
                                                      : after_prefix(path, prefix);
        fs_params p;
        if (!rest || !match_pattern(r->pattern, rest, &p)) continue;
        if (!strcmp(r->method, method)) {
            *params = p;
            return r;
        }
        if (!have_params++) *params = p;
    }
    return NULL;
}

const char *fs_params_get(const fs_params *p, const char *name) {
    size_t n = strlen(name);
    for (size_t i = 0; i < p->count; i++)
        if (p->items[i].name_len == n && !strncmp(p->items[i].name, name, n)) return p->items[i].value;
    return NULL;
}
