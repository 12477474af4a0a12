/* config.c - GET /v1/config. */
#include "config.h"

#include "reply.h"

void fs_config_get(fs_session *s) {
    fs_reply_json(s, 200, json_pack("{s:{s:b,s:b,s:b,s:b}}", "capabilities", "snapshots_enabled", 0,
                                    "clone_enabled", 0, "export_enabled", 0, "import_enabled", 0));
}
