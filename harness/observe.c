#include "observe.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tree.h"

json_t *bc_observe_sandbox(const bc_sandbox *sb, json_t *before, const char *before_why) {
    const char *why = NULL;
    json_t *after = bc_tree_scan(sb->root, &why);
    json_t *diff = bc_tree_diff(before, after, sb->dest);
    json_object_set_new(diff, "root", json_string(sb->root));
    json_object_set_new(diff, "before", before);
    if (before_why || why)
        json_object_set_new(diff, "scan_error", json_string(before_why ? before_why : why));
    json_decref(after);
    return diff;
}

static json_t *bytes_or_null(long long n, bool known) {
    return known ? json_integer((json_int_t)n) : json_null();
}

json_t *bc_observe_memory(const bc_memwatch *m, double killed_at, long long at_kill) {
    bool killed = !isnan(killed_at);
    return json_pack("{s:o,s:I,s:I,s:b,s:o,s:o}", "limit", bytes_or_null(m->limit, m->limit > 0),
                     "peak", (json_int_t)m->peak, "samples", (json_int_t)m->samples,
                     "exceeded", killed, "t", killed ? json_real(killed_at) : json_null(),
                     "rss", bytes_or_null(at_kill, killed));
}

json_t *bc_observe_confinement(bool asked, const bc_child *adapter) {
    char why[256] = "not root: an unprivileged adapter can only change what its user owns";
    bool confined = asked && adapter->pid && adapter->confined == BC_CONFINE_DONE;
    if (asked && adapter->pid && !confined)
        snprintf(why, sizeof why, "%s: %s", bc_confine_step_name(adapter->confined),
                 strerror(adapter->confine_errno));
    else if (asked && !adapter->pid)
        snprintf(why, sizeof why, "the adapter did not start");
    return json_pack("{s:b,s:s?}", "confined", confined, "why", confined ? NULL : why);
}
