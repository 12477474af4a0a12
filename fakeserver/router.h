/* router.h - the rows of a routing table and how a request's path finds one.
 *
 * A row is (method, path pattern, endpoint, handlers); api.c holds the table.
 * A pattern is written under /v1/{prefix} ("/boxes/{box}/executions/{exec}"):
 * a literal segment matches itself, "{name}" any non-empty segment shorter
 * than FS_PARAM_MAX bytes, kept as the path parameter `name`. A row flagged
 * FS_ROUTE_ROOT lives under /v1 itself and never takes the prefix.
 *
 * Paths are matched as sent: split at '/', then each segment decoded on its
 * own, as axum (boxlite serve) does, so a snapshot name "a/b" sent as a%2Fb
 * is one segment "a/b". A segment that decodes to a NUL matches nothing. */
#ifndef FS_ROUTER_H
#define FS_ROUTER_H

#include <stddef.h>

#include "scenario.h"

struct fs_session;

#define FS_PARAM_MAX 256            /* bytes of a path parameter, its NUL included */
#define FS_PARAMS_MAX 3             /* path parameters of one pattern */
#define FS_SEGMENTS_MAX 16          /* segments of a path a route can match */

typedef struct fs_params {
    size_t count;
    struct {
        const char *name;           /* into the row's pattern, not NUL-terminated */
        size_t name_len;
        char value[FS_PARAM_MAX];   /* the path segment, percent-decoded */
    } items[FS_PARAMS_MAX];
} fs_params;

enum {
    FS_ROUTE_ROOT = 1,              /* under /v1, never /v1/{prefix} (GET /v1/config) */
    FS_ROUTE_UPGRADE = 2,           /* a WebSocket upgrade: `upgrade` decides; plain HTTP gets 400 */
    FS_ROUTE_PER_EXEC = 4,          /* calls counted per execution ({exec}), not per server */
    FS_ROUTE_UPLOAD = 8,            /* a tar body up to FS_UPLOAD_MAX (PUT /files) */
};

typedef void fs_handler(struct fs_session *s);

typedef struct fs_route {
    const char *method;             /* "GET", "POST", ... */
    const char *pattern;            /* path under /v1[/{prefix}] */
    bc_endpoint ep;                 /* journaled `endpoint`; server.<its name> in the
                                       scenario scripts its calls (attach: server.attach) */
    int flags;                      /* FS_ROUTE_* */
    int scripted_status;            /* the status of a scripted reply that names none
                                       (attach: of its reject) */
    fs_handler *answer;             /* the default answer, a well-behaved runner's */
    fs_handler *on_scripted;        /* optional: what the resource takes from a scripted answer */
    int (*upgrade)(struct fs_session *s); /* FS_ROUTE_UPGRADE: 0 upgrade, 1 refused (written) */
} fs_route;

/* The row of table[0..n) for method and path (as sent, percent-encoded)
 * under /v1/prefix; NULL when no row takes both. *params gets the path parameters
 * of the row that matched, or else of the first row whose pattern matches
 * the path under another method (none when no pattern matches). */
const fs_route *fs_router_match(const fs_route *table, size_t n, const char *prefix,
                                const char *method, const char *path, fs_params *params);
const char *fs_params_get(const fs_params *p, const char *name); /* NULL if absent */

#endif
