/* reply.h - what the server answers: reply bodies (the endpoints' own and
 * the scenario's scripted REPLY forms), writing them as HTTP, and their
 * journal events (http_response; attach for an upgrade's outcome).
 *
 * A body is set first (fs_reply_json ...), then written by the request's
 * life (rest.c) or, for a refused upgrade, by fs_reply_refuse_upgrade. */
#ifndef FS_REPLY_H
#define FS_REPLY_H

#include <stddef.h>

#include <jansson.h>

#include "session.h"

void fs_reply_json(fs_session *s, int status, json_t *body);   /* steals body */
void fs_reply_bytes(fs_session *s, int status, const char *ctype, const void *p, size_t n);
void fs_reply_empty(fs_session *s, int status);                /* no body, no Content-Type */
void fs_reply_error(fs_session *s, int status, const char *message); /* {"error": message} */
/* A scenario REPLY: its status (0: default_status) and body (none: {"error":"scripted reply"}). */
void fs_reply_scripted(fs_session *s, const bc_reply *r, int default_status);

/* Status line, headers and (unless with_body is 0) the body; 0 on success. */
int fs_reply_write(fs_session *s, int with_body);
void fs_reply_journal(const fs_session *s, const char *fault); /* http_response (and body); fault or NULL */
/* The attach event: an upgrade request was decided (upgraded, hang, rejected). */
void fs_reply_journal_upgrade(const fs_session *s, const char *outcome);
/* Refuses an upgrade with the reply set: journaled, written; returns 1 for
 * LWS_CALLBACK_HTTP_CONFIRM_UPGRADE to return. */
int fs_reply_refuse_upgrade(fs_session *s);
void fs_reply_reset(fs_reply *rp);                             /* frees, cancels its timer */

#endif
