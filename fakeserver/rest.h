/* rest.h - REST endpoints: routing, auth, the default BoxLite answers, the
 * scenario's scripted replies and their faults (delay, hang, RST). */
#ifndef FS_REST_H
#define FS_REST_H

#include "server.h"

struct fs_exec;

#define FS_BODY_MAX (2 * 1024 * 1024) /* request bodies kept, larger is 413 */

/* Reads method, path, query and auth of the request lws just parsed, and
 * routes it. Returns 1 if a body follows (wait for fs_rest_body_done). */
int fs_rest_begin(fs_session *s);
void fs_rest_body(fs_session *s, const void *p, size_t n);
void fs_rest_decide(fs_session *s);     /* journal the request, choose the reply */
int fs_rest_write(fs_session *s);       /* HTTP_WRITEABLE: send it; <0 close */
/* Writes s's prepared reply from CONFIRM_UPGRADE; the caller returns 1. */
void fs_rest_write_reject(fs_session *s);
void fs_rest_journal_request(fs_session *s);
/* Fills s's reply from a scenario REPLY (status 0: default_status). */
void fs_rest_set_reply(fs_session *s, const bc_reply *r, int default_status);
void fs_rest_set_error(fs_session *s, int status, const char *message); /* runner form */
void fs_rest_reset(fs_session *s);      /* forget the previous request */
/* Refusal before the endpoint (unknown route, token, box, execution): sets
 * the error reply and returns 1; else 0 with *exec set when the path names one. */
int fs_rest_refuse(fs_session *s, struct fs_exec **exec);

#endif
