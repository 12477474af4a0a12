/* config.c - GET /v1/config. */
#include "config.h"

#include "loop.h"
#include "reply.h"

static void set_cap(json_t *caps, const char *key, bc_cap value) {
    if (value != BC_CAP_ABSENT) json_object_set_new(caps, key, json_boolean(value == BC_CAP_ON));
}

void fs_config_get(fs_session *s) {
    const bc_capabilities *c = &fs_scenario->server.caps;
    json_t *body = json_object();
    if (c->present) {
        json_t *caps = json_object();
        set_cap(caps, "snapshots_enabled", c->snapshots);
        set_cap(caps, "clone_enabled", c->clone);
        set_cap(caps, "export_enabled", c->export_);
        set_cap(caps, "import_enabled", c->import);
        json_object_set_new(body, "capabilities", caps);
    }
    fs_reply_json(s, 200, body);
}
