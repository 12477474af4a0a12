/* router.c - path patterns against request paths, segment by segment. */
#include "router.h"

#include <string.h>

#include "pct.h"

/* A path's segments as sent and decoded on their own (a literal of a
 * pattern matches the first, a parameter takes the second, as in axum); a
 * segment too long or decoding to a NUL is marked and matches nothing. */
typedef struct segments {
    size_t n;
    char raw[FS_SEGMENTS_MAX][FS_PARAM_MAX];
    char s[FS_SEGMENTS_MAX][FS_PARAM_MAX];
    int unusable[FS_SEGMENTS_MAX];
} segments;

/* Splits text (segments separated by '/', no leading '/') onto out. 0, or
 * -1 when there are too many. */
static int split(const char *text, segments *out) {
    while (1) {
        size_t n = strcspn(text, "/");
        if (out->n == FS_SEGMENTS_MAX) return -1;
        int bad = n >= FS_PARAM_MAX;
        if (!bad) {
            memcpy(out->raw[out->n], text, n);
            out->raw[out->n][n] = '\0';
            bad = bc_pct_decode(text, n, 0, out->s[out->n]) != strlen(out->s[out->n]);
        }
        out->unusable[out->n++] = bad;
        if (!text[n]) return 0;
        text += n + 1;
    }
}

/* The prefix's segments (given without leading or trailing '/', or with). */
static void prefix_segments(const char *prefix, segments *out) {
    char trimmed[FS_PARAM_MAX];
    while (*prefix == '/') prefix++;
    size_t n = strlen(prefix);
    while (n > 0 && prefix[n - 1] == '/') n--;
    out->n = 0;
    if (n == 0 || n >= sizeof trimmed) return;
    memcpy(trimmed, prefix, n);
    trimmed[n] = '\0';
    if (split(trimmed, out) < 0) out->n = 0;
}

static int take_param(fs_params *p, const char *pattern, size_t plen, const char *value) {
    if (!*value || p->count == FS_PARAMS_MAX) return 0;
    p->items[p->count].name = pattern + 1;
    p->items[p->count].name_len = plen - 2;
    strcpy(p->items[p->count].value, value);
    p->count++;
    return 1;
}

static int literal_is(const segments *path, size_t at, const char *lit, size_t n) {
    return !path->unusable[at] && strlen(path->raw[at]) == n && !strncmp(path->raw[at], lit, n);
}

/* 1 when path is exactly "v1", then prefix (unless root), then the pattern. */
static int match_row(const fs_route *r, const segments *path, const segments *prefix,
                     fs_params *out) {
    fs_params p = {0};
    size_t at = 0;
    if (path->n < 1 || !literal_is(path, at++, "v1", 2)) return 0;
    for (size_t i = 0; !(r->flags & FS_ROUTE_ROOT) && i < prefix->n; i++)
        if (at >= path->n || !literal_is(path, at++, prefix->raw[i], strlen(prefix->raw[i])))
            return 0;
    for (const char *pat = r->pattern; *pat;) {
        if (*pat++ != '/' || at >= path->n) return 0;
        size_t plen = strcspn(pat, "/");
        if (*pat == '{') {
            if (path->unusable[at] || !take_param(&p, pat, plen, path->s[at])) return 0;
        } else if (!literal_is(path, at, pat, plen)) {
            return 0;
        }
        at++;
        pat += plen;
    }
    if (at != path->n) return 0;
    *out = p;
    return 1;
}

const fs_route *fs_router_match(const fs_route *table, size_t n, const char *prefix,
                                const char *method, const char *path, fs_params *params) {
    static segments segs, pre;
    int have_params = 0;
    params->count = 0;
    segs.n = 0;
    if (path[0] != '/' || split(path + 1, &segs) < 0) return NULL;
    prefix_segments(prefix, &pre);
    for (size_t i = 0; i < n; i++) {
        const fs_route *r = &table[i];
        fs_params p;
        if (!match_row(r, &segs, &pre, &p)) continue;
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
