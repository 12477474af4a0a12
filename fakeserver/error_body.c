#include "error_body.h"

#include "http_head.h"

/* The (type, code) pair BoxLite's servers put in an envelope for a status;
 * a client dispatches on the code. */
static const struct { int status; const char *type, *code; } envelope_codes[] = {
    {400, "InvalidArgumentError", "invalid_argument"},
    {401, "AuthError", "unauthenticated"},
    {403, "AuthError", "permission_denied"},
    {404, "NotFoundError", "not_found"},
    {409, "InvalidStateError", "invalid_state"},
    {410, "SessionReapedError", "session_reaped"},
    {413, "PayloadTooLargeError", "payload_too_large"},
    {422, "InvalidArgumentError", "invalid_argument"},
    {429, "ResourceExhaustedError", "resource_exhausted"},
    {503, "NetworkError", "network_unavailable"},
    {504, "TimeoutError", "timeout"},
};

static json_t *envelope(int status, const char *message) {
    const char *type = "InternalError", *code = "internal";
    for (size_t i = 0; i < sizeof envelope_codes / sizeof envelope_codes[0]; i++)
        if (envelope_codes[i].status == status) {
            type = envelope_codes[i].type;
            code = envelope_codes[i].code;
        }
    return json_pack("{s:{s:s,s:s,s:s}}", "error", "message", message, "type", type, "code", code);
}

json_t *fs_errbody_new(bc_body_form form, int status, const char *message) {
    switch (form) {
    case BC_FORM_RUNNER: return json_pack("{s:s}", "error", message);
    case BC_FORM_ENVELOPE: return envelope(status, message);
    case BC_FORM_FLAT:
        return json_pack("{s:s,s:s,s:i}", "message", message, "error", fs_http_reason(status),
                         "statusCode", status);
    case BC_FORM_EMPTY: break;
    }
    return NULL;
}
