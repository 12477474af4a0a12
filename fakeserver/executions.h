/* executions.h - the executions of a box: POST /boxes/{box}/exec makes one,
 * GET .../executions/{exec} reports it, DELETE (kill), signal and resize are
 * accepted, and GET .../attach is decided here: upgrade, hang or refuse, as
 * the scenario's attach attempt says.
 *
 * What runs once upgraded is attach.c's; the executions themselves (ids,
 * state, output backlog, per-execution call counters) are exec_state.c's. */
#ifndef FS_EXECUTIONS_H
#define FS_EXECUTIONS_H

#include "session.h"

void fs_executions_create(fs_session *s);   /* POST exec: a valid body makes an execution */
void fs_executions_adopt(fs_session *s);    /* a scripted exec success names one: it exists */
void fs_executions_probe(fs_session *s);    /* GET .../executions/{exec}: its status */
void fs_executions_control(fs_session *s);  /* kill, signal, resize: 204, nothing changes */
/* GET .../attach as a WebSocket upgrade: 0 upgrade (or hang), 1 refused
 * (answer written). The attempt is the request's call number. */
int fs_executions_attach(fs_session *s);

#endif
