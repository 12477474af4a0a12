/* hostfs.h - the few host filesystem steps copy-out and export share:
 * parents made, work done beside the target, then moved into place. */
#ifndef RC_HOSTFS_H
#define RC_HOSTFS_H

#include "errors.h"

/* mkdir -p dir (0777 less the umask); -1 with a `storage` err. */
int rc_mkdirs(const char *dir, struct rc_err *err);
/* The directory part of path ("." when none); malloc'd. */
char *rc_dirname(const char *path);
/* A new empty file beside target (same directory, hidden name); its fd,
 * *tmp its path (malloc'd); -1 with a `storage` err. */
int rc_temp_file_beside(const char *target, char **tmp, struct rc_err *err);
/* A new empty directory beside target, mode 0777 less the umask. */
char *rc_temp_dir_beside(const char *target, struct rc_err *err);
/* rm -r path, never following a symlink. */
void rc_remove_tree(const char *path);

#endif
