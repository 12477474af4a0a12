/* config.h - GET /v1/config: the server's capabilities. */
#ifndef FS_CONFIG_H
#define FS_CONFIG_H

#include "session.h"

void fs_config_get(fs_session *s);      /* every capability off, as BoxLite's runner */

#endif
