/* reply.h - what the server answers: reply bodies (the endpoints' own and
 * the scenario's scripted REPLY forms), writing them as HTTP, and their
 * journal events (http_response; attach for an upgrade's outcome).
 *
 * A body is set first (fs_reply_json ...), the scenario's modifiers go on
 * top (fs_reply_modify), then it is written by the request's life (rest.c)
 * or, for a refused upgrade, by fs_reply_refuse_upgrade.
 *
 * Files: reply.c (bodies, scripted forms, journal), reply_send.c (writing:
 * all at once when small, else piece by piece from the writeable callback:
 * chunked, dripped, made as sent, endless). */
#ifndef FS_REPLY_H
#define FS_REPLY_H

#include <stddef.h>

#include <jansson.h>

#include "session.h"

void fs_reply_json(fs_session *s, int status, json_t *body);   /* steals body */
void fs_reply_bytes(fs_session *s, int status, const char *ctype, const void *p, size_t n);
void fs_reply_empty(fs_session *s, int status);                /* no body, no Content-Type */
void fs_reply_error(fs_session *s, int status, const char *message); /* {"error": message} */
/* An error in one of the forms of error_body.h ({"error": {...}} for the envelope). */
void fs_reply_form(fs_session *s, int status, bc_body_form form, const char *message);
/* count patterned bytes (the flood pattern), made as they are sent. */
void fs_reply_pattern(fs_session *s, int status, const char *ctype, unsigned long long count);
/* The tar of spec (${SANDBOX} resolved), Content-Type application/x-tar. */
void fs_reply_tar(fs_session *s, int status, const bc_tar_spec *spec);
/* A scenario REPLY: its status (0: default_status) and body (none: {"error":"scripted reply"}). */
void fs_reply_scripted(fs_session *s, const bc_reply *r, int default_status);
/* A REPLY's modifiers on whatever answer is set: chunked, drip, headers. */
void fs_reply_modify(fs_session *s, const bc_reply *r);

/* Writes the answer, or its next piece (HTTP_WRITEABLE); with_body 0 (HEAD)
 * sends the head only. 0 when it is all out, 1 when more follows (the reply
 * is due again by itself), -1 on error. */
int fs_reply_send(fs_session *s, int with_body);
/* http_response (and body); fault or NULL. complete 0: the connection went
 * while a streamed body was still being sent. */
void fs_reply_journal(const fs_session *s, const char *fault);
void fs_reply_journal_cut(const fs_session *s);
/* The attach event: an upgrade request was decided (upgraded, hang, rejected). */
void fs_reply_journal_upgrade(const fs_session *s, const char *outcome);
/* Refuses an upgrade with the reply set: journaled, written; returns 1 for
 * LWS_CALLBACK_HTTP_CONFIRM_UPGRADE to return. */
int fs_reply_refuse_upgrade(fs_session *s);
void fs_reply_reset(fs_reply *rp);                             /* frees, cancels its timer */

#endif
