/* files.h - /boxes/{box}/files?path=: copying in (PUT, a tar body) and out
 * (GET, a tar answer), as BoxLite's runner serves them: a missing or empty
 * ?path= is 400, an upload that is not a tar is 400, a good one 204; a
 * download is the tar of server.files (default: hello.txt, "hello\n"),
 * whatever the path. Tars are libarchive's (tarball.h); the upload's
 * entries are in the request's journal event. */
#ifndef FS_FILES_H
#define FS_FILES_H

#include "session.h"

void fs_files_put(fs_session *s);       /* PUT: 204, or 400 */
void fs_files_get(fs_session *s);       /* GET: 200 application/x-tar, or 400 */

#endif
