/* config.h - the server's capabilities (GET {url}/v1/config, never
 * prefixed) and the gate in front of snapshot, clone and export calls.
 *
 * A successful answer is cached for the life of the process; a failed one
 * is not (the next gated call asks again). A gated call is refused, without
 * calling its endpoint, with kind `unsupported` when the capability is off
 * or not advertised, and with the config call's own error when it failed. */
#ifndef RC_CONFIG_H
#define RC_CONFIG_H

#include <jansson.h>
#include <stdbool.h>

#include "errors.h"
#include "rest.h"

enum rc_cap { RC_CAP_SNAPSHOTS, RC_CAP_CLONE, RC_CAP_EXPORT, RC_CAP_IMPORT, RC_CAP_COUNT };

enum rc_cap_state { RC_CAP_UNADVERTISED = 0, RC_CAP_OFF, RC_CAP_ON };

struct rc_caps {
    bool cached;                     /* a successful answer is held */
    enum rc_cap_state state[RC_CAP_COUNT];
};

/* A /v1/config body into *c (pure); -1 with err when it is malformed. */
int rc_caps_parse(const json_t *body, struct rc_caps *c, struct rc_err *err);
/* 0 when cap is on; else -1 with err (unsupported, or the config call's). */
int rc_caps_require(const struct rc_rest *r, struct rc_caps *c, enum rc_cap cap,
                    struct rc_err *err);

#endif
