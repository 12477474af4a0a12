#include "contracts.h"

#include <string.h>

const char *const bc_contract_common_params[] = {
    "exit_code", "error", "tol", "attempt", NULL
};

static const char *const out_params[] = {
    "stdout", "stdout_b64", "stderr", "stderr_b64", NULL
};
static const char *const stdin_params[] = { "stdin", "stdin_b64", NULL };
static const char *const watchdog_params[] = { "alive", NULL };
static const char *const reconnect_params[] = { "reconnects", NULL };
static const char *const endpoint_params[] = { "endpoint", NULL };

static const bc_contract contracts[] = {
    { "WIRE-OUT",         BC_FAMILY_WIRE,     BC_TIER_NORMAL,        out_params },
    { "WIRE-BYTES",       BC_FAMILY_WIRE,     BC_TIER_STRICT,        out_params },
    { "WIRE-STDIN",       BC_FAMILY_WIRE,     BC_TIER_NORMAL,        stdin_params },
    { "WIRE-EOF",         BC_FAMILY_WIRE,     BC_TIER_NORMAL,        NULL },
    { "WIRE-EXIT",        BC_FAMILY_WIRE,     BC_TIER_NORMAL,        NULL },
    { "WIRE-ERRFRAME",    BC_FAMILY_WIRE,     BC_TIER_NORMAL,        NULL },
    { "WIRE-TOLERANT",    BC_FAMILY_WIRE,     BC_TIER_NORMAL,        NULL },
    { "WIRE-RFC",         BC_FAMILY_WIRE,     BC_TIER_NORMAL,        NULL },
    { "WIRE-AUTH",        BC_FAMILY_WIRE,     BC_TIER_NORMAL,        NULL },
    { "TIME-FIRST",       BC_FAMILY_TIMING,   BC_TIER_NORMAL,        NULL },
    { "TIME-WATCHDOG",    BC_FAMILY_TIMING,   BC_TIER_NORMAL,        watchdog_params },
    { "TIME-STICKY",      BC_FAMILY_TIMING,   BC_TIER_NORMAL,        NULL },
    { "TIME-HANDSHAKE",   BC_FAMILY_TIMING,   BC_TIER_NORMAL,        NULL },
    { "TIME-KEEPALIVE",   BC_FAMILY_TIMING,   BC_TIER_INFORMATIONAL, NULL },
    { "RECOV-FALLBACK",   BC_FAMILY_RECOVERY, BC_TIER_NORMAL,        NULL },
    { "RECOV-GONE",       BC_FAMILY_RECOVERY, BC_TIER_NORMAL,        NULL },
    { "RECOV-RECONNECT",  BC_FAMILY_RECOVERY, BC_TIER_NORMAL,        reconnect_params },
    { "RECOV-BUDGET",     BC_FAMILY_RECOVERY, BC_TIER_NORMAL,        NULL },
    { "RECOV-REJECTED",   BC_FAMILY_RECOVERY, BC_TIER_NORMAL,        NULL },
    { "RECOV-STDIN",      BC_FAMILY_RECOVERY, BC_TIER_NORMAL,        stdin_params },
    { "RECOV-ONE-RESULT", BC_FAMILY_RECOVERY, BC_TIER_NORMAL,        NULL },
    { "ATTACH-GONE",      BC_FAMILY_ATTACH,   BC_TIER_NORMAL,        NULL },
    { "ATTACH-BUSY",      BC_FAMILY_ATTACH,   BC_TIER_NORMAL,        NULL },
    { "ATTACH-READONLY",  BC_FAMILY_ATTACH,   BC_TIER_NORMAL,        NULL },
    { "BOX-LIFECYCLE",    BC_FAMILY_LIFECYCLE, BC_TIER_NORMAL,       endpoint_params },
    { "BOX-INFO",         BC_FAMILY_LIFECYCLE, BC_TIER_NORMAL,       NULL },
    { "METRICS-MAP",      BC_FAMILY_LIFECYCLE, BC_TIER_NORMAL,       NULL },
    { "EXEC-CONTROL",     BC_FAMILY_LIFECYCLE, BC_TIER_NORMAL,       NULL },
    { "REST-ERRORS",      BC_FAMILY_ERRORS,    BC_TIER_NORMAL,       endpoint_params },
    { "REST-ERRORS-FINE", BC_FAMILY_ERRORS,    BC_TIER_INFORMATIONAL, endpoint_params },
    { "CAPS-GATE",        BC_FAMILY_SNAPSHOTS, BC_TIER_NORMAL,       NULL },
    { "SNAP-CRUD",        BC_FAMILY_SNAPSHOTS, BC_TIER_NORMAL,       NULL },
    { "CLONE-HANDLE",     BC_FAMILY_SNAPSHOTS, BC_TIER_NORMAL,       NULL },
    { "SEC-REDIRECT",     BC_FAMILY_SECURITY, BC_TIER_NORMAL,        NULL },
    { "FILES-IN",         BC_FAMILY_FILES,    BC_TIER_NORMAL,        NULL },
    { "FILES-OUT",        BC_FAMILY_FILES,    BC_TIER_NORMAL,        NULL },
    { "FILES-ENCODE",     BC_FAMILY_FILES,    BC_TIER_NORMAL,        NULL },
    { "EXPORT-FILE",      BC_FAMILY_SNAPSHOTS, BC_TIER_NORMAL,       NULL },
    { "SEC-TAR",          BC_FAMILY_SECURITY, BC_TIER_NORMAL,        NULL },
    { "SEC-EXPORT-NAME",  BC_FAMILY_SECURITY, BC_TIER_NORMAL,        NULL },
    { "SEC-LIMITS",       BC_FAMILY_SECURITY, BC_TIER_NORMAL,        NULL },
};

size_t bc_contract_count(void) {
    return sizeof contracts / sizeof contracts[0];
}

const bc_contract *bc_contract_at(size_t i) {
    return i < bc_contract_count() ? &contracts[i] : NULL;
}

const bc_contract *bc_contract_find(const char *id) {
    for (size_t i = 0; i < bc_contract_count(); i++)
        if (strcmp(contracts[i].id, id) == 0) return &contracts[i];
    return NULL;
}

static int in_list(const char *const *list, const char *key) {
    for (; list && *list; list++)
        if (strcmp(*list, key) == 0) return 1;
    return 0;
}

int bc_contract_takes(const bc_contract *c, const char *key) {
    return in_list(bc_contract_common_params, key) || in_list(c->params, key);
}

const char *bc_family_name(bc_family f) {
    switch (f) {
    case BC_FAMILY_WIRE: return "wire";
    case BC_FAMILY_TIMING: return "timing";
    case BC_FAMILY_RECOVERY: return "recovery";
    case BC_FAMILY_ATTACH: return "attach";
    case BC_FAMILY_LIFECYCLE: return "lifecycle";
    case BC_FAMILY_ERRORS: return "errors";
    case BC_FAMILY_FILES: return "files";
    case BC_FAMILY_SNAPSHOTS: return "snapshots";
    case BC_FAMILY_SECURITY: return "security";
    }
    return "?";
}

const char *bc_tier_name(bc_tier t) {
    switch (t) {
    case BC_TIER_NORMAL: return "normal";
    case BC_TIER_STRICT: return "strict";
    case BC_TIER_INFORMATIONAL: return "informational";
    }
    return "?";
}
