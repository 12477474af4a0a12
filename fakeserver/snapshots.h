/* snapshots.h - /boxes/{box}/snapshots: each box keeps its SnapshotResponse
 * objects (box_state.h; the scenario's box starts with server.snapshots).
 * A name is the {name} path segment, percent-decoded on its own, so a name
 * holding '/' arrives whole when the client encodes it. */
#ifndef FS_SNAPSHOTS_H
#define FS_SNAPSHOTS_H

#include "session.h"

void fs_snapshots_create(fs_session *s);  /* POST {"name"}: 201 SnapshotResponse; 409 taken */
void fs_snapshots_list(fs_session *s);    /* GET: 200 {"snapshots": [...]} */
void fs_snapshots_get(fs_session *s);     /* GET .../{name}: 200, or 404 */
void fs_snapshots_remove(fs_session *s);  /* DELETE .../{name}: 204, or 404 */
void fs_snapshots_restore(fs_session *s); /* POST .../{name}/restore: 204, or 404 */

#endif
