/* rest.h - the life of one REST request, the same for every route:
 *
 *   read the head (request.c) and route it (api.c); once the body is in,
 *   refuse before the endpoint (unknown route, token, box, body size,
 *   execution, plain HTTP to an upgrade) or count the call, then play the
 *   scenario's entry for it: a fault (hang, RST), or an answer (scripted
 *   reply, else the row's handler) sent at once or after its delay.
 *
 * Answers leave from LWS_CALLBACK_HTTP_WRITEABLE (a delayed one after a
 * timer): the loop never blocks. Hangs and resets are the tap's work. An
 * upgrade request takes the same path up to its row's upgrade decision. */
#ifndef FS_REST_H
#define FS_REST_H

#include "session.h"

/* LWS_CALLBACK_HTTP: a new request. Returns 1 if a body follows (its chunks
 * go to fs_request_body, then fs_rest_decide at its end). */
int fs_rest_begin(fs_session *s);
void fs_rest_decide(fs_session *s);     /* the whole request is in: refuse, fault or answer */
int fs_rest_write(fs_session *s);       /* HTTP_WRITEABLE: send the answer if due; <0 close */
/* LWS_CALLBACK_HTTP_CONFIRM_UPGRADE: 0 upgrade (or hang), 1 refused (answer written). */
int fs_rest_upgrade(fs_session *s);
void fs_rest_reset(fs_session *s);      /* forget the request and its answer */

#endif
