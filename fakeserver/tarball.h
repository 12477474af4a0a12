/* tarball.h - tars built and read with libarchive, never by hand: the body
 * of GET /files and of a scripted "tar" answer (from a tar spec of the
 * scenario), and the entries of an uploaded tar (PUT /files) as the journal
 * shows them.
 *
 * The only code of the server that needs libarchive, so it is a module,
 * fakeserver-tar.so beside the executable, opened at the first tar
 * (common/module.h says why): the server calls it through fs_tar(). */
#ifndef FS_TARBALL_H
#define FS_TARBALL_H

#include <stddef.h>

#include <jansson.h>

#include "scenario.h"

/* spec's tar in memory (pax restricted: ustar headers, pax records only
 * where ustar cannot hold a name), every leading ${SANDBOX}/ of a path or
 * link target replaced by sandbox + "/" (sandbox NULL: left as written),
 * cut after spec->truncate bytes when truncated. Device entries carry
 * /dev/null's numbers. malloc'd, *len set; NULL on a libarchive error. */
unsigned char *fs_tar_build(const bc_tar_spec *spec, const char *sandbox, size_t *len);
/* The entries of the tar p[0..n), in order: [{path (or path_b64 when not
 * UTF-8), type, mode, size, sha256 (regular files), target (links), rdev
 * ([major, minor], devices)}]. When
 * it does not read to its end, *error gets libarchive's message (malloc'd)
 * and the entries read so far are returned. */
json_t *fs_tar_entries(const void *p, size_t n, char **error);

struct fs_tar_ops {
    unsigned char *(*build)(const bc_tar_spec *spec, const char *sandbox, size_t *len);
    json_t *(*entries)(const void *p, size_t n, char **error);
};

/* What the module exports: the two functions above. */
extern const struct fs_tar_ops fs_tar_module;

/* A program that links tarball.c in (fuzz_http) hands it over:
 * fs_tar_use(&fs_tar_module). Else the module is loaded (tar_load.c). */
void fs_tar_use(const struct fs_tar_ops *ops);
const struct fs_tar_ops *fs_tar(void);

#endif
