/* action.h - what the adapter is told (docs/adapter.md): the action in
 * BOXCONFORM_ACTION, and each entry of the stdin plan as the line it gets
 * on its standard input and the line the events file keeps of it.
 *
 * One rule for every action: the scenario's client keys, as the adapter
 * protocol names them, host paths made absolute inside the run's sandbox. */
#ifndef BC_ACTION_H
#define BC_ACTION_H

#include <jansson.h>

#include "sandbox.h"
#include "scenario.h"

/* The BOXCONFORM_ACTION object for sc (new). */
json_t *bc_action_json(const bc_scenario *sc, const bc_sandbox *sb);
/* How many value events end the action of c's chain: one per REST call
 * (a clone and its then: two); 0 when a result ends it (exec, attach). An
 * error or unsupported event ends any action. */
size_t bc_action_values_due(const bc_client *c);
/* Entry e as the adapter's stdin line ({"op":...}, with its newline; new
 * string) and as the events file's record of it ({"fed": op, ...} without
 * "t"; new object). */
char *bc_feed_line(const bc_stdin_entry *e);
json_t *bc_feed_record(const bc_stdin_entry *e);

#endif
