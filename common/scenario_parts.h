/* scenario_parts.h - how the scenario loader's files share the work.
 *
 * scenario_load.c reads the file, info, client and verify; it hands the
 * server part to scenario_server.c, which hands every script to
 * scenario_script.c. Not for users of the model: include scenario.h. */
#ifndef BC_SCENARIO_PARTS_H
#define BC_SCENARIO_PARTS_H

#include "jfield.h"
#include "scenario.h"

/* The well-behaved runner of docs/scenario.md (steps [{"exit": 0}]). */
void bc_scenario_server_defaults(bc_server *srv);
/* The "server" object (the current value of c) over the defaults in srv. */
int bc_scenario_load_server(bc_jctx *c, const json_t *obj, bc_server *srv);
/* A steps array (the current value of c); 1, or -1 with err set. */
int bc_scenario_read_script(bc_jctx *c, const json_t *arr, bc_script *out);

#endif
