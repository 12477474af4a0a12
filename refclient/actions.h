/* actions.h - the action table: one row per BOXCONFORM_ACTION name
 * (docs/adapter.md), each run on a box handle got first with GET
 * /boxes/{id} (attach excepted: it joins an execution by id).
 *
 * A call's outcome is one `value` event (or an `error` event); exec and
 * attach report through the pump instead. An action refclient does not
 * know writes an `unsupported` event and the process exits 127. */
#ifndef RC_ACTIONS_H
#define RC_ACTIONS_H

#include "adapter.h"
#include "config.h"
#include "pump.h"
#include "rest.h"

#define RC_EXIT_UNSUPPORTED 127

struct rc_ctx {                 /* what every action may use */
    struct rc_rest rest;
    struct rc_caps caps;        /* /v1/config, cached once it answered */
    struct rc_timing timing;
    const char *api_key;
};

/* Runs a top-level action; the process's exit status (0 or 127). */
int rc_actions_run(struct rc_ctx *ctx, const struct rc_action *a);

#endif
