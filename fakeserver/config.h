/* config.h - GET /v1/config: the server's capabilities. */
#ifndef FS_CONFIG_H
#define FS_CONFIG_H

#include "session.h"

/* {"capabilities": {...}} as server.capabilities says (default: every
 * capability false, as BoxLite's runner); a key set to null is left out,
 * "capabilities": null leaves out the whole object. */
void fs_config_get(fs_session *s);

#endif
