/* scenario_parts.h - how the scenario loader's files share the work.
 *
 * scenario_load.c reads the file, info, client and verify; it hands the
 * server part to scenario_server.c, which hands every REST reply to
 * scenario_reply.c, every script to scenario_script.c and every tar spec to
 * scenario_tar.c. Not for users of the model: include scenario.h. */
#ifndef BC_SCENARIO_PARTS_H
#define BC_SCENARIO_PARTS_H

#include "jfield.h"
#include "scenario.h"

/* The well-behaved runner of docs/scenario.md (steps [{"exit": 0}]). */
void bc_scenario_server_defaults(bc_server *srv);
/* The "server" object (the current value of c) over the defaults in srv. */
int bc_scenario_load_server(bc_jctx *c, const json_t *obj, bc_server *srv);
/* The "client" object (the current value of c) over the defaults in cl
 * (scenario_client.c); srv is the server part already read. 0 or -1. */
int bc_scenario_load_client(bc_jctx *c, const json_t *obj, const bc_server *srv,
                            bc_client *cl);
/* With an export in the client's chain: every box name the scenario makes
 * (server.box_info, box/start/stop/clone reply bodies, a clone's name)
 * climbs at most BC_TAR_CLIMB_MAX levels. root is the file; c at the root. */
int bc_scenario_check_export_names(bc_jctx *c, const json_t *root, const bc_client *cl);
void bc_scenario_free_client(bc_client *cl);
void bc_scenario_free_strings(char **v, size_t n);   /* n strings and the vector */
/* A steps array (the current value of c); 1, or -1 with err set. */
int bc_scenario_read_script(bc_jctx *c, const json_t *arr, bc_script *out);

/* One REPLY object (the current value of c) for endpoint ep; reject: the
 * reject of an attach attempt (fewer keys, status required). 0 or -1. */
int bc_scenario_read_reply(bc_jctx *c, const json_t *obj, bc_endpoint ep, bool reject,
                           bc_reply *r);
/* A per-call list of REPLY objects (the current value of c). 0 or -1. */
int bc_scenario_read_replies(bc_jctx *c, const json_t *arr, bc_endpoint ep,
                             bc_reply_list *out);

/* A tar spec (the current value of c): an array of entries or
 * {"entries", "truncate"}, checked against the host-safety rule. 1 or -1. */
int bc_scenario_read_tar(bc_jctx *c, const json_t *v, bc_tar_spec *out);
/* How many directory levels path p rises above where it starts (0 if never):
 * walking its components, the lowest point of names minus "..". What the
 * host-safety rule adds up, and what a sandbox path of the client section
 * may be held to as well. */
unsigned bc_path_climb(const char *p);

void bc_scenario_free_reply(bc_reply *r);
void bc_scenario_free_tar(bc_tar_spec *t);

#endif
