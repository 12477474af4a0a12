/* api.h - the fake BoxLite API: one routing table (api.c) of every endpoint
 * the server answers, each row naming its handlers in its resource's file
 * (boxes.c, executions.c, files.c, snapshots.c, config.c). Adding an
 * endpoint is a row and a handler; the request's life around it (auth,
 * refusals, call counting, scripted faults, sending) is rest.c's, the same
 * for every row. */
#ifndef FS_API_H
#define FS_API_H

#include "session.h"

/* Finds the row for s's method and path: sets s->request.route (NULL: no
 * such route) and the path parameters. */
void fs_api_route(fs_session *s);

#endif
