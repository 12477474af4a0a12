/* config.c - capabilities and the gate (see config.h). */
#include "config.h"

#include "mutant.h"

static const char *const cap_keys[RC_CAP_COUNT] = {
    "snapshots_enabled", "clone_enabled", "export_enabled", "import_enabled",
};
static const char *const cap_names[RC_CAP_COUNT] = { "snapshots", "clone", "export", "import" };

int rc_caps_parse(const json_t *body, struct rc_caps *c, struct rc_err *err)
{
    json_t *caps = json_object_get(body, "capabilities");
    struct rc_caps parsed = { .cached = true };
    if (!json_is_object(body) || (caps && !json_is_null(caps) && !json_is_object(caps))) {
        rc_err_set(err, "internal", "/v1/config: not a ServerConfig (capabilities must be an object)");
        return -1;
    }
    for (int i = 0; i < RC_CAP_COUNT && json_is_object(caps); i++) {
        json_t *flag = json_object_get(caps, cap_keys[i]);
        if (flag && !json_is_null(flag) && !json_is_boolean(flag)) {
            rc_err_set(err, "internal", "/v1/config: capabilities.%s is not a boolean", cap_keys[i]);
            return -1;
        }
        parsed.state[i] = !flag || json_is_null(flag) ? RC_CAP_UNADVERTISED
                          : json_is_true(flag)       ? RC_CAP_ON : RC_CAP_OFF;
    }
    *c = parsed;
    return 0;
}

static int fetch(const struct rc_rest *r, struct rc_caps *c, struct rc_err *err)
{
    struct rc_request q = { .method = "GET", .path = "/config", .at_root = true };
    json_t *body;
    if (rc_rest_json(r, &q, &body, err) < 0)
        return -1;
    int rc = rc_caps_parse(body, c, err);
    json_decref(body);
    return rc;
}

int rc_caps_require(const struct rc_rest *r, struct rc_caps *c, enum rc_cap cap,
                    struct rc_err *err)
{
    if (rc_mutant_is(RC_MUT_CAPS_UNCHECKED))
        return 0;
    if (!c->cached && fetch(r, c, err) < 0)
        return -1;
    enum rc_cap_state s = c->state[cap];
    if (s == RC_CAP_ON || (s == RC_CAP_UNADVERTISED && rc_mutant_is(RC_MUT_CAPS_ABSENT_ON)))
        return 0;
    if (s == RC_CAP_OFF)
        rc_err_set(err, "unsupported", "Remote server does not support %s operations", cap_names[cap]);
    else
        rc_err_set(err, "unsupported", "Remote server did not advertise %s capability", cap_names[cap]);
    return -1;
}
