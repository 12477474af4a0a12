/* tar_load.c - the tar code, handed over or loaded (see tarball.h). */
#include "tarball.h"

#include "module.h"

static const struct fs_tar_ops *tar_ops;

void fs_tar_use(const struct fs_tar_ops *ops) {
    tar_ops = ops;
}

const struct fs_tar_ops *fs_tar(void) {
    if (!tar_ops) tar_ops = bc_module_symbol("fakeserver-tar.so", "fs_tar_module");
    return tar_ops;
}
