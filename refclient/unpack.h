/* unpack.h - copy-out's secure extraction of a tar read as a stream.
 *
 * libarchive's archive_write_disk does the writing, with
 * ARCHIVE_EXTRACT_SECURE_SYMLINKS | SECURE_NODOTDOT | SECURE_NOABSOLUTEPATHS
 * (an entry through a symlink, with "..", or absolute is refused), no
 * owners, setuid/setgid/sticky bits cleared; devices, fifos and sockets are
 * skipped. A refused or skipped entry is reported as a `log` event and the
 * extraction goes on. Where the tree lands (BoxLite's 0.10 line):
 *   - dest is a directory: the tree is extracted inside it;
 *   - otherwise the tree is extracted into a fresh directory beside dest;
 *     a tar of exactly one regular file then becomes dest itself (a file at
 *     dest is replaced), any other tree is renamed to dest (a file at dest
 *     is an error). A failure removes that directory: nothing is left. */
#ifndef RC_UNPACK_H
#define RC_UNPACK_H

#include <sys/types.h>

#include "errors.h"

/* Up to n bytes of the tar; 0 at its end, -1 with err. */
typedef ssize_t (*rc_unpack_reader)(void *user, void *buf, size_t n, struct rc_err *err);

int rc_unpack(rc_unpack_reader read, void *user, const char *dest, struct rc_err *err);

#endif
