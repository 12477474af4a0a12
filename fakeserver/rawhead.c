/* rawhead.c - request heads as sent: lines, fields, percent-decoding. */
#include "rawhead.h"

#include <stdlib.h>
#include <string.h>

#include "pct.h"

/* A query component decoded, or null when that is not UTF-8 text without
 * NUL (a journal reader may refuse \u0000). */
static json_t *decoded(const char *src, size_t n) {
    char *buf = malloc(n + 1);
    size_t len = bc_pct_decode(src, n, 1, buf);
    json_t *v = memchr(buf, 0, len) ? NULL : json_stringn(buf, len);
    free(buf);
    return v ? v : json_null();
}

json_t *fs_query_params(const char *query) {
    json_t *params = json_array();
    while (query && *query) {
        size_t n = strcspn(query, "&");
        const char *eq = memchr(query, '=', n);
        size_t name_len = eq ? (size_t)(eq - query) : n;
        if (n > 0) {
            json_t *pair = json_array();
            json_array_append_new(pair, decoded(query, name_len));
            json_array_append_new(pair, eq ? decoded(eq + 1, n - name_len - 1) : json_string(""));
            json_array_append_new(params, pair);
        }
        query += n;
        if (*query == '&') query++;
    }
    return params;
}

/* ---- the head ------------------------------------------------------------------ */

/* The request line "METHOD SP target SP version" into h. 0 or -1. */
static int request_line(const char *line, size_t n, fs_rawhead *h) {
    const char *sp1 = memchr(line, ' ', n), *sp2 = NULL;
    for (const char *p = line + n; p > line; p--)
        if (p[-1] == ' ') {
            sp2 = p - 1;
            break;
        }
    if (!sp1 || sp2 <= sp1 + 1 || sp1 == line) return -1;
    const char *target = sp1 + 1, *q = memchr(target, '?', (size_t)(sp2 - target));
    h->method = strndup(line, (size_t)(sp1 - line));
    h->path = strndup(target, (size_t)((q ? q : sp2) - target));
    if (q) h->query = strndup(q + 1, (size_t)(sp2 - q - 1));
    return 0;
}

static const char *trim(const char *p, const char *end, const char **stop) {
    while (p < end && (*p == ' ' || *p == '\t')) p++;
    while (end > p && (end[-1] == ' ' || end[-1] == '\t')) end--;
    *stop = end;
    return p;
}

/* One field line "name: value" (an obs-fold line continues the last one). */
static void field_line(const char *line, size_t n, json_t *fields) {
    const char *end = line + n, *vend;
    json_t *last = json_array_get(fields, json_array_size(fields) - 1);
    if ((line[0] == ' ' || line[0] == '\t') && last && json_is_string(json_array_get(last, 1))) {
        const char *v = trim(line, end, &vend);
        char *joined = NULL;
        if (asprintf(&joined, "%s %.*s", json_string_value(json_array_get(last, 1)),
                     (int)(vend - v), v) >= 0) {
            json_t *j = json_string(joined);
            json_array_set_new(last, 1, j ? j : json_null());
        }
        free(joined);
        return;
    }
    const char *colon = memchr(line, ':', n);
    if (!colon) return;
    const char *v = trim(colon + 1, end, &vend);
    json_t *name = json_stringn(line, (size_t)(colon - line));
    json_t *value = json_stringn(v, (size_t)(vend - v));
    json_array_append_new(fields, json_pack("[oo]", name ? name : json_null(),
                                            value ? value : json_null()));
}

int fs_rawhead_parse(const char *text, fs_rawhead *out) {
    memset(out, 0, sizeof *out);
    const char *eol = strstr(text, "\r\n");
    if (!eol || request_line(text, (size_t)(eol - text), out) < 0) {
        fs_rawhead_free(out);
        return -1;
    }
    out->fields = json_array();
    for (const char *line = eol + 2; (eol = strstr(line, "\r\n")) && eol != line; line = eol + 2)
        field_line(line, (size_t)(eol - line), out->fields);
    return 0;
}

void fs_rawhead_free(fs_rawhead *h) {
    free(h->method);
    free(h->path);
    free(h->query);
    json_decref(h->fields);
    memset(h, 0, sizeof *h);
}
