/* request.h - what the client asked: the request head as libwebsockets
 * parsed it and as it was sent (rawhead.h), its body (bounded), its path
 * and query parameters, its journal event. */
#ifndef FS_REQUEST_H
#define FS_REQUEST_H

#include <stddef.h>

#include "session.h"

/* Reads method, path, query, Content-Type and Authorization of the request
 * lws just parsed, checks the token, and takes the head the tap caught.
 * Returns 1 if a body follows. */
int fs_request_read_head(fs_session *s);
const char *fs_request_route_path(const fs_request *rq); /* what routing matches: as sent */
void fs_request_body(fs_session *s, const void *p, size_t n); /* one chunk of it */
const char *fs_request_param(const fs_session *s, const char *name); /* NULL if absent */
/* The first query parameter of that name, decoded; NULL if absent. */
const char *fs_request_query(const fs_session *s, const char *name);
/* The body read as a tar (tarball.h), read once: its entries; *error (the
 * request's, not to free) NULL when it read to its end. */
json_t *fs_request_tar(fs_session *s, const char **error);
const char *fs_request_endpoint(const fs_session *s); /* its endpoint's name, "unknown" */
void fs_request_journal(fs_session *s);              /* the http_request event */
void fs_request_reset(fs_request *rq);                /* forget it (keeps nothing) */

#endif
