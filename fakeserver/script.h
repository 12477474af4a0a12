/* script.h - the per-attach script runner (docs/scenario.md "Steps").
 *
 * One fs_attach per upgraded connection: it replays the backlog, then runs
 * the attempt's steps in order while a ping timer runs beside them. Frames
 * queue here and leave one per LWS_CALLBACK_SERVER_WRITEABLE; a step starts
 * only once the frames before it have been handed to lws, so byte-level
 * faults (cut, drip, FIN, RST) land after them on the wire. */
#ifndef FS_SCRIPT_H
#define FS_SCRIPT_H

#include <stddef.h>

#include "server.h"

/* Upgrade decision for CONFIRM_UPGRADE: 0 upgrade, 1 rejected (reply written). */
int fs_script_confirm_upgrade(fs_session *s);
void fs_script_start(fs_session *s);             /* LWS_CALLBACK_ESTABLISHED */
int fs_script_writeable(fs_session *s);          /* SERVER_WRITEABLE; <0 close */
void fs_script_receive(fs_session *s, const void *in, size_t len); /* RECEIVE */
void fs_script_tap_done(int conn);               /* a drip or cut finished */
void fs_script_end(fs_session *s);               /* the connection closed */

#endif
