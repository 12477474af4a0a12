/* evidence_host.c - what the harness saw around the adapter: the host
 * sandbox before and after, the adapter group's memory (evidence.h,
 * "the host"). The shapes are harness/observe.h's and harness/tree.h's. */
#include "evidence.h"

#include <math.h>
#include <string.h>

static const char *const area_names[] = { "dest", "host", "outside" };
static const char *const kind_names[] = { "created", "changed", "removed" };

static const json_t *changes(const bc_evidence *ev, bc_sb_area area, bc_sb_kind kind) {
    const json_t *all = json_object_get(ev->sandbox, "changes");
    return json_object_get(json_object_get(all, area_names[area]), kind_names[kind]);
}

bool bc_ev_sandbox_seen(const bc_evidence *ev, const char **why) {
    *why = ev->sandbox ? bc_ev_str(ev->sandbox, "scan_error") : "no sandbox was observed";
    return ev->sandbox != NULL;
}

const char *bc_ev_sandbox_dest(const bc_evidence *ev) {
    return bc_ev_str(ev->sandbox, "dest");
}

size_t bc_ev_sandbox_count(const bc_evidence *ev, bc_sb_area area, bc_sb_kind kind) {
    return json_array_size(changes(ev, area, kind));
}

const json_t *bc_ev_sandbox_change(const bc_evidence *ev, bc_sb_area area, bc_sb_kind kind,
                                   size_t n) {
    return n ? json_array_get(changes(ev, area, kind), n - 1) : NULL;
}

size_t bc_ev_sandbox_unasked(const bc_evidence *ev) {
    size_t n = 0;
    for (int area = BC_SB_HOST; area <= BC_SB_OUTSIDE; area++)
        for (int kind = 0; kind < 3; kind++)
            n += bc_ev_sandbox_count(ev, (bc_sb_area)area, (bc_sb_kind)kind);
    return n;
}

const json_t *bc_ev_sandbox_before(const bc_evidence *ev, const char *path) {
    return json_object_get(json_object_get(ev->sandbox, "before"), path);
}

/* The change of path in any area and kind, NULL when it did not change. */
static const json_t *change_of(const bc_evidence *ev, const char *path) {
    for (int area = 0; area < 3; area++)
        for (int kind = 0; kind < 3; kind++) {
            size_t i;
            json_t *c;
            json_array_foreach(changes(ev, (bc_sb_area)area, (bc_sb_kind)kind), i, c)
                if (bc_ev_is(c, "path", path)) return c;
        }
    return NULL;
}

const json_t *bc_ev_sandbox_after(const bc_evidence *ev, const char *path) {
    const json_t *c = change_of(ev, path);
    return c ? json_object_get(c, "after") : bc_ev_sandbox_before(ev, path);
}

const char *bc_ev_sandbox_in_dest(const bc_evidence *ev, const char *path) {
    const char *dest = bc_ev_sandbox_dest(ev);
    size_t n = dest ? strlen(dest) : 0;
    if (!dest || strncmp(path, dest, n)) return NULL;
    return path[n] == 0 ? "" : path[n] == '/' ? path + n + 1 : NULL;
}

/* ---- memory ------------------------------------------------------------------ */

bool bc_ev_memory_killed(const bc_evidence *ev, double *t, long long *held, long long *limit) {
    const json_t *m = ev->memory;
    bool killed = json_is_true(json_object_get(m, "exceeded"));
    json_t *at = json_object_get(m, "t");
    *t = killed && json_is_number(at) ? json_number_value(at) : NAN;
    *held = killed ? bc_ev_int(m, "rss", -1) : -1;
    *limit = bc_ev_int(m, "limit", 0);
    return killed;
}

long long bc_ev_memory_peak(const bc_evidence *ev) {
    return ev->memory ? bc_ev_int(ev->memory, "peak", -1) : -1;
}
