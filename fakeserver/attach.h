/* attach.h - the per-attach script runner (docs/scenario.md "Steps").
 *
 * One fs_attach per upgraded connection (executions.c decided the upgrade):
 * it replays the backlog, then runs the attempt's steps in order while a
 * ping timer runs beside them. Frames queue here and leave one per
 * LWS_CALLBACK_SERVER_WRITEABLE; a step starts only once the frames before
 * it have been handed to lws, so byte-level faults (cut, drip, FIN, RST)
 * land after them on the wire. */
#ifndef FS_ATTACH_H
#define FS_ATTACH_H

#include <stddef.h>

#include "session.h"

void fs_attach_start(fs_session *s);             /* LWS_CALLBACK_ESTABLISHED */
int fs_attach_writeable(fs_session *s);          /* SERVER_WRITEABLE; <0 close */
void fs_attach_receive(fs_session *s, const void *in, size_t len); /* RECEIVE */
/* The tap's done callback (a drip or cut put its last byte on the wire):
 * the one call from the tap up into the script, registered by server.c. */
void fs_attach_tap_done(int conn);
void fs_attach_end(fs_session *s);               /* the connection closed */

#endif
