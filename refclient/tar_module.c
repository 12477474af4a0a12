/* tar_module.c - what refclient-tar.so exports (see tar.h). */
#include "pack.h"
#include "tar.h"

const struct rc_tar_ops rc_tar_module = { rc_pack, rc_unpack };
