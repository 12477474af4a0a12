/* files.h - copying files in and out of a box as tar (pack.h, unpack.h).
 *
 * The container path travels percent-encoded in the query (`?path=`), all
 * but A-Z a-z 0-9 - . _ ~ encoded, so `+`, `&`, `#`, `?`, `%`, spaces and
 * non-ASCII reach the server byte for byte. */
#ifndef RC_FILES_H
#define RC_FILES_H

#include "boxes.h"
#include "errors.h"
#include "rest.h"

/* "/boxes/{id}/files?path=<encoded container path>"; malloc'd (pure). */
char *rc_files_path(const char *box_id, const char *container_path);
/* PUT the tar of host src, Content-Type: application/x-tar, to dst. */
int rc_copy_in(const struct rc_rest *r, const struct rc_box *b, const char *src,
               const char *dst, struct rc_err *err);
/* GET src's tar (Accept: application/x-tar), extracted into host dst as
 * it streams in; a non-2xx answer writes nothing. */
int rc_copy_out(const struct rc_rest *r, const struct rc_box *b, const char *src,
                const char *dst, struct rc_err *err);

#endif
