/* rest_error.c - what an error answer said (see rest_error.h). */
#include "rest_error.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"

/* BoxLite's error codes, folded into the adapter's kinds (docs/adapter.md).
 * This table and the status mapping below repeat the reference client's
 * (refclient/errors.c) on purpose: a check that shared the judged client's
 * code would pass whatever that code got wrong. */
static const struct { const char *code, *kind; } code_kinds[] = {
    { "invalid_argument", "invalid_argument" },    { "unsupported", "unsupported" },
    { "unauthenticated", "auth" },                 { "permission_denied", "auth" },
    { "not_found", "not_found" },                  { "session_reaped", "session_reaped" },
    { "already_exists", "conflict" },              { "invalid_state", "conflict" },
    { "stopped", "conflict" },                     { "resource_exhausted", "exhausted" },
    { "network_unavailable", "network" },          { "runner_non_json_error", "network" },
    { "upstream_unavailable", "network" },         { "storage_error", "storage" },
    { "image_pull_failed", "internal" },           { "execution_failed", "internal" },
    { "engine_unavailable", "internal" },          { "database_error", "internal" },
    { "metadata_error", "internal" },              { "config_error", "internal" },
    { "timeout", "internal" },                     { "internal", "internal" },
};

static const char *const form_names[] = {
    "empty", "envelope", "flat", "runner", "json", "html", "text"
};

const char *bc_rest_error_form_name(bc_answer_form f) {
    return (unsigned)f < sizeof form_names / sizeof form_names[0] ? form_names[f] : "?";
}

const char *bc_rest_error_kind_of_code(const char *code) {
    for (size_t i = 0; code && i < sizeof code_kinds / sizeof code_kinds[0]; i++)
        if (!strcmp(code_kinds[i].code, code)) return code_kinds[i].kind;
    return NULL;
}

static char *dup_string(const json_t *v) {
    return json_is_string(v) ? strndup(json_string_value(v), json_string_length(v)) : NULL;
}

/* The form of a JSON body, its words and code. */
static bc_answer_form read_json(const json_t *root, char **text, char **code) {
    const json_t *err = json_object_get(root, "error");
    const json_t *message = json_object_get(root, "message");
    if (json_is_object(err) && json_is_string(json_object_get(err, "message"))) {
        *text = dup_string(json_object_get(err, "message"));
        *code = dup_string(json_object_get(err, "code"));
        return BC_ANSWER_ENVELOPE;
    }
    if (json_is_string(message)) {
        *text = dup_string(message);
        *code = dup_string(json_object_get(root, "code"));
        return BC_ANSWER_FLAT;
    }
    if (json_is_string(err)) {
        *text = dup_string(err);
        return BC_ANSWER_RUNNER;
    }
    return BC_ANSWER_JSON;
}

static const char *skip_space(const char *s) {
    while (isspace((unsigned char)*s)) s++;
    return s;
}

void bc_rest_error_read(const json_t *response, bc_rest_error *out) {
    size_t len = 0;
    unsigned char *body = bc_ev_body(response, &len);
    memset(out, 0, sizeof *out);
    out->status = json_is_integer(json_object_get(response, "status"))
                      ? (long)json_integer_value(json_object_get(response, "status")) : -1;
    out->body = body ? (char *)body : strdup("");
    json_t *root = len ? json_loadb(out->body, len, JSON_DECODE_ANY, NULL) : NULL;
    if (len == 0)
        out->form = BC_ANSWER_EMPTY;
    else if (root)
        out->form = read_json(root, &out->text, &out->code);
    else if (*skip_space(out->body) == '<')
        out->form = BC_ANSWER_HTML;
    else {
        out->form = BC_ANSWER_TEXT;
        out->text = strdup(out->body);
    }
    json_decref(root);
}

void bc_rest_error_free(bc_rest_error *e) {
    free(e->body);
    free(e->text);
    free(e->code);
    memset(e, 0, sizeof *e);
}

const char *bc_rest_error_kind_agreed(const bc_rest_error *e) {
    const char *by_code = e->form == BC_ANSWER_ENVELOPE ? bc_rest_error_kind_of_code(e->code) : NULL;
    if (by_code) return by_code;
    if (e->status == 404) return "not_found";
    if (e->status == 401 || e->status == 403) return "auth";
    return NULL;
}

const char *bc_rest_error_kind_fine(const bc_rest_error *e) {
    if (bc_rest_error_kind_of_code(e->code)) return NULL;
    switch (e->status) {
    case 400: case 422: return "invalid_argument";
    case 401: case 403: return "auth";
    case 404: return "not_found";
    case 409: return "conflict";
    case 429: return "exhausted";
    case 502: case 503: case 504: return "network";
    default: return "internal";
    }
}

bool bc_rest_error_message_has_text(const bc_rest_error *e, const char *message) {
    if (!e->text) return true;
    const char *from = skip_space(e->text);
    size_t n = strlen(from);
    while (n > 0 && isspace((unsigned char)from[n - 1])) n--;
    if (n == 0) return true;
    for (const char *p = message; p && *p; p++)
        if (!strncmp(p, from, n)) return true;
    return false;
}
