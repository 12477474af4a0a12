/* exec.h - executions: start one (POST /boxes/{id}/exec) or join one
 * (attach), run it through the pump to its one result, and the control
 * calls a caller makes while it runs (the stdin plan's kill, signal and
 * resize ops). Each control call's success is a `value` event `{}`; its
 * failure an `error` event that ends the action (no result follows). */
#ifndef RC_EXEC_H
#define RC_EXEC_H

#include "adapter.h"
#include "errors.h"
#include "pump.h"
#include "rest.h"

/* DELETE /boxes/{id}/executions/{eid}. */
int rc_exec_kill(const struct rc_rest *r, const char *box_id, const char *eid, struct rc_err *err);
/* POST .../executions/{eid}/signal {"signal":N}. */
int rc_exec_signal(const struct rc_rest *r, const char *box_id, const char *eid, int signal,
                   struct rc_err *err);
/* POST .../executions/{eid}/resize {"cols":C,"rows":R}. */
int rc_exec_resize(const struct rc_rest *r, const char *box_id, const char *eid, int cols,
                   int rows, struct rc_err *err);

/* exec on box_id: `started`, output, one `result` (or an `error`). */
void rc_exec_run(const struct rc_rest *r, const struct rc_timing *t, const char *api_key,
                 const char *box_id, const struct rc_action *a);
/* attach to a->execution_id: the same events, `started` once upgraded. */
void rc_attach_run(const struct rc_rest *r, const struct rc_timing *t, const char *api_key,
                   const struct rc_action *a);

#endif
