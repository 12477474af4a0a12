/* tar_load.c - the tar code, handed over or loaded (see tar.h). */
#include "tar.h"

#include "module.h"

static const struct rc_tar_ops *tar_ops;

void rc_tar_use(const struct rc_tar_ops *ops) {
    tar_ops = ops;
}

const struct rc_tar_ops *rc_tar(void) {
    if (!tar_ops) tar_ops = bc_module_symbol("refclient-tar.so", "rc_tar_module");
    return tar_ops;
}
