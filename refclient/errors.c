/* errors.c - error kinds and messages (see errors.h). */
#include "errors.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mutant.h"
#include "strf.h"

#define RC_MESSAGE_MAX 4096  /* server text kept in a message, as BoxLite's preview */

/* BoxLite's variants by envelope code, folded into the adapter's kinds. */
static const struct { const char *code, *kind; } code_kinds[] = {
    { "invalid_argument", "invalid_argument" },
    { "unsupported", "unsupported" },
    { "unauthenticated", "auth" },
    { "permission_denied", "auth" },
    { "not_found", "not_found" },
    { "session_reaped", "session_reaped" },
    { "already_exists", "conflict" },
    { "invalid_state", "conflict" },
    { "stopped", "conflict" },
    { "resource_exhausted", "exhausted" },
    { "network_unavailable", "network" },
    { "runner_non_json_error", "network" },
    { "upstream_unavailable", "network" },
    { "storage_error", "storage" },
    { "image_pull_failed", "internal" },
    { "execution_failed", "internal" },
    { "engine_unavailable", "internal" },
    { "database_error", "internal" },
    { "metadata_error", "internal" },
    { "config_error", "internal" },
    { "timeout", "internal" },
    { "internal", "internal" },
};

const char *rc_kind_of_code(const char *code)
{
    if (!code || rc_mutant_is(RC_MUT_ERRORS_STATUS_ONLY))
        return NULL;
    for (size_t i = 0; i < sizeof(code_kinds) / sizeof(code_kinds[0]); i++)
        if (strcmp(code_kinds[i].code, code) == 0)
            return code_kinds[i].kind;
    return NULL;
}

/* The 0.9.5 line knew only these; errors-coarse plays it. */
static const char *coarse_kind(long status)
{
    if (status == 404)
        return "not_found";
    if (status == 401 || status == 403)
        return "auth";
    return "internal";
}

const char *rc_kind_of_status(long status)
{
    if (rc_mutant_is(RC_MUT_ERRORS_COARSE))
        return coarse_kind(status);
    switch (status) {
    case 400: case 422: return "invalid_argument";
    case 401: case 403: return "auth";
    case 404: return "not_found";
    case 409: return "conflict";
    case 429: return "exhausted";
    case 502: case 503: case 504: return "network";
    default: return "internal";
    }
}

/* Length of the valid UTF-8 sequence at s (0 when invalid). */
static size_t utf8_len(const unsigned char *s, size_t avail)
{
    size_t n = s[0] < 0x80 ? 1 : s[0] >= 0xc2 && s[0] < 0xe0 ? 2
             : s[0] >= 0xe0 && s[0] < 0xf0 ? 3 : s[0] >= 0xf0 && s[0] < 0xf5 ? 4 : 0;
    if (n == 0 || n > avail)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    uint32_t cp = n == 1 ? s[0] : n == 2 ? (s[0] & 0x1fu) : n == 3 ? (s[0] & 0x0fu) : (s[0] & 0x07u);
    for (size_t i = 1; i < n; i++)
        cp = cp << 6 | (s[i] & 0x3fu);
    bool overlong = (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000);
    bool surrogate = cp >= 0xd800 && cp <= 0xdfff;
    return overlong || surrogate || cp > 0x10ffff ? 0 : n;
}

char *rc_text_preview(const char *s, size_t len, size_t max)
{
    struct rc_buf out = { 0 };
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < len && out.len < max) {
        size_t n = utf8_len(u + i, len - i);
        if (n == 0)
            rc_buf_append(&out, "\xef\xbf\xbd", 3);
        else if (u[i] == 0)
            rc_buf_append(&out, " ", 1);
        else
            rc_buf_append(&out, u + i, n);
        i += n ? n : 1;
    }
    if (i < len)
        rc_buf_append(&out, "...", 3);
    return rc_buf_take(&out);
}

void rc_err_clear(struct rc_err *e)
{
    free(e->message);
    e->message = NULL;
    e->kind = NULL;
}

void rc_err_set(struct rc_err *e, const char *kind, const char *fmt, ...)
{
    char *raw = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&raw, fmt, ap) < 0)
        raw = NULL;
    va_end(ap);
    rc_err_clear(e);
    e->kind = kind;
    e->message = raw ? rc_text_preview(raw, strlen(raw), 3 * RC_MESSAGE_MAX) : strdup("");
    free(raw);
}

/* A NestJS gateway's `message` may be a list of strings: joined by "; ". */
static char *text_of(const json_t *v)
{
    if (json_is_string(v))
        return strndup(json_string_value(v), json_string_length(v));
    if (!json_is_array(v) || json_array_size(v) == 0)
        return NULL;
    struct rc_buf joined = { 0 };
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item) {
        if (!json_is_string(item))
            continue;
        if (joined.len)
            rc_buf_append(&joined, "; ", 2);
        rc_buf_append(&joined, json_string_value(item), json_string_length(item));
    }
    return rc_buf_take(&joined);
}

/* The text and code of an error body. Forms: envelope {"error":{"message",
 * "code"}}, flat {"message","code"?} (a gateway adds "error","statusCode"),
 * runner {"error":"text"}; anything else (empty, truncated, HTML) is its
 * own text and has no code. *code points into root. */
static char *parse_error_body(json_t *root, const char *body, size_t len, const char **code)
{
    json_t *err = json_object_get(root, "error");
    json_t *message = json_object_get(root, "message");
    *code = NULL;
    if (json_is_object(err) && json_object_get(err, "message")) {
        *code = json_string_value(json_object_get(err, "code"));
        return text_of(json_object_get(err, "message"));
    }
    if (message) {
        *code = json_string_value(json_object_get(root, "code"));
        return text_of(message);
    }
    if (json_is_string(err))
        return text_of(err);
    return len ? strndup(body, len) : NULL;
}

static char *format_message(long status, const char *text)
{
    if (!text || !*text)
        return rc_strf("HTTP %ld", status);
    char *clean = rc_text_preview(text, strlen(text), RC_MESSAGE_MAX);
    char *msg = rc_strf("HTTP %ld: %s", status, clean);
    free(clean);
    return msg;
}

void rc_err_http(struct rc_err *e, long status, const char *body, size_t len)
{
    const char *code;
    json_t *root = len ? json_loadb(body, len, JSON_ALLOW_NUL, NULL) : NULL;
    char *text = parse_error_body(root, body, len, &code);
    const char *kind = rc_kind_of_code(code);
    rc_err_clear(e);
    e->kind = kind ? kind : rc_kind_of_status(status);
    e->message = format_message(status, text);
    free(text);
    json_decref(root);
}
