/* tar.h - copy-in's packing and copy-out's unpacking, the only code of
 * refclient that needs libarchive: it is a module, refclient-tar.so beside
 * the executable, opened at the first copy (common/module.h says why). */
#ifndef RC_TAR_H
#define RC_TAR_H

#include "buf.h"
#include "errors.h"
#include "unpack.h"

struct rc_tar_ops {
    int (*pack)(const char *src, struct rc_buf *out, struct rc_err *err);        /* pack.h */
    int (*unpack)(rc_unpack_reader read, void *user, const char *dest,
                  struct rc_err *err);                                          /* unpack.h */
};

/* What the module exports (tar_module.c): rc_pack and rc_unpack. */
extern const struct rc_tar_ops rc_tar_module;

/* A program that links the tar code in (the unit tests) hands it over:
 * rc_tar_use(&rc_tar_module). Else the module is loaded (tar_load.c). */
void rc_tar_use(const struct rc_tar_ops *ops);
const struct rc_tar_ops *rc_tar(void);

#endif
