/* pack.h - the tar copy-in uploads, built with libarchive from a host path.
 *
 * A directory goes in as its contents: an entry "." for the directory
 * itself, then its tree under relative names ("a.txt", "d", "d/b.txt"), as
 * BoxLite's tar builder names them. A single file goes in under its base
 * name. Modes (executable bits included) and mtimes are kept, owners are
 * numeric; a symlink inside the tree stays a symlink (never followed, so
 * nothing outside the source is read); the source path itself is followed. */
#ifndef RC_PACK_H
#define RC_PACK_H

#include "buf.h"
#include "errors.h"

/* The tar of src (pax restricted: ustar unless a name needs more) into out. */
int rc_pack(const char *src, struct rc_buf *out, struct rc_err *err);

#endif
