/* stub_client.h - a refclient REST handle pointed at a test stub. */
#ifndef SC_STUB_CLIENT_H
#define SC_STUB_CLIENT_H

#include <stdio.h>

#include "rest.h"

static inline struct rc_rest sc_rest(int port)
{
    struct rc_rest r;
    char url[64];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
    rc_rest_init(&r, url, NULL, "test-key");
    return r;
}

#endif
