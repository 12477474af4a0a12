#include "jfield.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libwebsockets.h>

void bc_jctx_key(bc_jctx *c, const char *key) {
    if (c->depth < BC_JPOS_MAX_DEPTH)
        c->at[c->depth] = (bc_jpos_step){ .key = key };
    c->depth++;
}

void bc_jctx_index(bc_jctx *c, size_t index) {
    if (c->depth < BC_JPOS_MAX_DEPTH)
        c->at[c->depth] = (bc_jpos_step){ .key = NULL, .index = index };
    c->depth++;
}

void bc_jctx_up(bc_jctx *c) {
    if (c->depth) c->depth--;
}

int bc_jctx_fail(bc_jctx *c, bc_jpos_what what, const char *fmt, ...) {
    int line = 1, column = 1;
    size_t depth = c->depth < BC_JPOS_MAX_DEPTH ? c->depth : BC_JPOS_MAX_DEPTH;
    bc_jpos_find(c->text, c->len, c->at, depth, what, &line, &column);
    int n = snprintf(c->err, c->errlen, "%s:%d:%d: ", c->file, line, column);
    if (n >= 0 && (size_t)n < c->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

const char *bc_jdescribe(const json_t *v, char *buf, size_t n) {
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_TRUE: return "true";
    case JSON_FALSE: return "false";
    case JSON_NULL: return "null";
    case JSON_INTEGER:
        snprintf(buf, n, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return buf;
    case JSON_REAL:
        snprintf(buf, n, "%g", json_real_value(v));
        return buf;
    case JSON_STRING: break;
    }
    /* Long strings are cut: the position already says where the value is. */
    char *dump = json_dumps(v, JSON_ENCODE_ANY);
    if (dump && strlen(dump) > 40) strcpy(dump + 36, "...\"");
    snprintf(buf, n, "%s", dump ? dump : "a string");
    free(dump);
    return buf;
}

int bc_jctx_expected(bc_jctx *c, const char *expected, const json_t *v) {
    char buf[64];
    return bc_jctx_fail(c, BC_JPOS_VALUE, "expected %s, got %s", expected,
                        bc_jdescribe(v, buf, sizeof buf));
}

static int listed(const char *const *list, const char *key) {
    for (; *list; list++)
        if (strcmp(*list, key) == 0) return 1;
    return 0;
}

void bc_jjoin_keys(const char *const *list, char *buf, size_t n) {
    size_t used = 0;
    buf[0] = '\0';
    for (; *list && used < n; list++) {
        int w = snprintf(buf + used, n - used, "%s%s", used ? ", " : "", *list);
        if (w < 0) break;
        used += (size_t)w;
    }
}

int bc_jctx_known_keys(bc_jctx *c, const json_t *obj, const char *what,
                       const char *const *allowed) {
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v) {
        if (listed(allowed, key)) continue;
        char keys[512], got[64];
        bc_jjoin_keys(allowed, keys, sizeof keys);
        json_t *k = json_string(key);
        bc_jdescribe(k, got, sizeof got);
        json_decref(k);
        bc_jctx_key(c, key);
        return bc_jctx_fail(c, BC_JPOS_KEY, "expected a key of %s (%s), got %s",
                            what, keys, got);
    }
    return 0;
}

int bc_jctx_need_object(bc_jctx *c, const json_t *v) {
    return json_is_object(v) ? 0 : bc_jctx_expected(c, "an object", v);
}

int bc_jctx_need_array(bc_jctx *c, const json_t *v) {
    return json_is_array(v) ? 0 : bc_jctx_expected(c, "an array", v);
}

int bc_jval_string(bc_jctx *c, const json_t *v, char **out) {
    if (!json_is_string(v)) return bc_jctx_expected(c, "a string", v);
    /* Only byte payloads may hold NUL; a C string would silently lose the rest. */
    if (strlen(json_string_value(v)) != json_string_length(v))
        return bc_jctx_expected(c, "a string without \\u0000", v);
    free(*out);
    *out = strdup(json_string_value(v));
    return 1;
}

int bc_jval_int(bc_jctx *c, const json_t *v, long long min, long long max, int *out) {
    json_int_t n = json_is_integer(v) ? json_integer_value(v) : 0;
    if (!json_is_integer(v) || n < min || n > max) {
        char expected[96];
        if (min <= -2147483647LL && max >= 2147483647LL)
            snprintf(expected, sizeof expected, "an integer");
        else if (max >= 2147483647LL)
            snprintf(expected, sizeof expected, "an integer >= %lld", min);
        else
            snprintf(expected, sizeof expected, "an integer from %lld to %lld", min, max);
        return bc_jctx_expected(c, expected, v);
    }
    *out = (int)n;
    return 1;
}

int bc_jval_seconds(bc_jctx *c, const json_t *v, bool null_ok, double *secs,
                    bool *forever) {
    if (null_ok && json_is_null(v)) {
        *secs = 0;
        *forever = true;
        return 1;
    }
    double d = json_is_number(v) ? json_number_value(v) : -1;
    if (!json_is_number(v) || d < 0 || !isfinite(d))
        return bc_jctx_expected(c, null_ok ? "seconds (a number >= 0) or null"
                                           : "seconds (a number >= 0)", v);
    *secs = d;
    if (forever) *forever = false;
    return 1;
}

int bc_jval_count(bc_jctx *c, const json_t *v, unsigned long long min,
                  unsigned long long max, const char *what, unsigned long long *out) {
    json_int_t n = json_is_integer(v) ? json_integer_value(v) : -1;
    if (n < 0 || (unsigned long long)n < min || (unsigned long long)n > max) {
        char expected[128];
        snprintf(expected, sizeof expected, "%s (an integer from %llu to %llu)", what, min, max);
        return bc_jctx_expected(c, expected, v);
    }
    *out = (unsigned long long)n;
    return 1;
}

/* Offset of the first character that breaks standard padded base64, or -1. */
static long b64_bad_at(const char *s, size_t len) {
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t pad = 0;
    while (pad < 2 && pad < len && s[len - 1 - pad] == '=') pad++;
    for (size_t i = 0; i < len - pad; i++)
        if (!s[i] || !strchr(alphabet, s[i])) return (long)i;
    return len % 4 ? (long)len : -1;
}

int bc_jval_b64(bc_jctx *c, const json_t *v, bc_bytes *out) {
    if (!json_is_string(v)) return bc_jctx_expected(c, "a base64 string", v);
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    long bad = b64_bad_at(s, len);
    if (bad >= 0) {
        char got[64], why[48];
        if ((size_t)bad < len)
            snprintf(why, sizeof why, "bad character at %ld", bad + 1);
        else
            snprintf(why, sizeof why, "length %zu", len);
        return bc_jctx_fail(c, BC_JPOS_VALUE,
                            "expected base64 (A-Z a-z 0-9 + /, padded with = to a "
                            "multiple of 4), got %s (%s)",
                            bc_jdescribe(v, got, sizeof got), why);
    }
    unsigned char *data = malloc(len + 4);
    int n = len ? lws_b64_decode_string_len(s, (int)len, (char *)data, (int)len + 4) : 0;
    if (n < 0) {
        free(data);
        return bc_jctx_expected(c, "decodable base64", v);
    }
    data[n] = '\0';
    free(out->data);
    *out = (bc_bytes){ .data = data, .len = (size_t)n };
    return 1;
}

/* Runs read on member key of obj, with the path pointing at it. */
#define MEMBER(c, obj, key, read)                   \
    do {                                            \
        json_t *v_ = json_object_get((obj), (key)); \
        if (!v_) return 0;                          \
        bc_jctx_key((c), (key));                    \
        int rc_ = (read);                           \
        if (rc_ < 0) return -1;                     \
        bc_jctx_up(c);                              \
        return 1;                                   \
    } while (0)

int bc_jget_string(bc_jctx *c, const json_t *obj, const char *key, char **out) {
    MEMBER(c, obj, key, bc_jval_string(c, v_, out));
}

static int read_bool(bc_jctx *c, const json_t *v, bool *out) {
    if (!json_is_boolean(v)) return bc_jctx_expected(c, "true or false", v);
    *out = json_is_true(v);
    return 1;
}

int bc_jget_bool(bc_jctx *c, const json_t *obj, const char *key, bool *out) {
    MEMBER(c, obj, key, read_bool(c, v_, out));
}

static int read_true(bc_jctx *c, const json_t *v) {
    return json_is_true(v) ? 1 : bc_jctx_expected(c, "true", v);
}

int bc_jget_true(bc_jctx *c, const json_t *obj, const char *key) {
    MEMBER(c, obj, key, read_true(c, v_));
}

int bc_jget_int(bc_jctx *c, const json_t *obj, const char *key, long long min,
                long long max, int *out) {
    MEMBER(c, obj, key, bc_jval_int(c, v_, min, max, out));
}

int bc_jget_seconds(bc_jctx *c, const json_t *obj, const char *key, bool null_ok,
                    double *secs, bool *forever) {
    MEMBER(c, obj, key, bc_jval_seconds(c, v_, null_ok, secs, forever));
}

static int read_text(bc_jctx *c, const json_t *v, bc_bytes *out) {
    if (!json_is_string(v)) return bc_jctx_expected(c, "a string", v);
    size_t len = json_string_length(v);
    unsigned char *data = malloc(len + 1);
    memcpy(data, json_string_value(v), len + 1);
    free(out->data);
    *out = (bc_bytes){ .data = data, .len = len };
    return 1;
}

static int get_text(bc_jctx *c, const json_t *obj, const char *key, bc_bytes *out) {
    MEMBER(c, obj, key, read_text(c, v_, out));
}

static int get_b64(bc_jctx *c, const json_t *obj, const char *key, bc_bytes *out) {
    MEMBER(c, obj, key, bc_jval_b64(c, v_, out));
}

int bc_jget_bytes(bc_jctx *c, const json_t *obj, const char *text_key,
                  const char *b64_key, bc_bytes *out) {
    if (text_key && b64_key && json_object_get(obj, text_key) &&
        json_object_get(obj, b64_key)) {
        bc_jctx_key(c, b64_key);
        return bc_jctx_fail(c, BC_JPOS_KEY, "expected either \"%s\" or \"%s\", got both",
                            text_key, b64_key);
    }
    int rc = text_key ? get_text(c, obj, text_key, out) : 0;
    if (rc == 0 && b64_key) rc = get_b64(c, obj, b64_key, out);
    return rc;
}

int bc_jget_required(bc_jctx *c, const json_t *obj, const char *key) {
    if (json_object_get(obj, key)) return 0;
    return bc_jctx_fail(c, BC_JPOS_VALUE, "expected key \"%s\", got an object without it",
                        key);
}

int bc_jctx_fail_key(bc_jctx *c, const char *key, const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    bc_jctx_key(c, key);
    return bc_jctx_fail(c, BC_JPOS_KEY, "%s", msg);
}

const char *bc_jfirst_of(const json_t *obj, const char *const *keys) {
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v) {
        if (listed(keys, key)) return key;
    }
    return NULL;
}

int bc_jctx_at_most_one(bc_jctx *c, const json_t *obj, const char *const *keys) {
    const char *first = bc_jfirst_of(obj, keys), *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v) {
        if (first && strcmp(key, first) != 0 && listed(keys, key))
            return bc_jctx_fail_key(c, key, "expected only one of these keys, got \"%s\" "
                                    "with \"%s\"", key, first);
    }
    return 0;
}

int bc_jval_strings(bc_jctx *c, const json_t *arr, char ***out, size_t *count) {
    if (bc_jctx_need_array(c, arr) < 0) return -1;
    *out = calloc(json_array_size(arr) + 1, sizeof **out);
    *count = json_array_size(arr);
    for (size_t i = 0; i < *count; i++) {
        bc_jctx_index(c, i);
        if (bc_jval_string(c, json_array_get(arr, i), &(*out)[i]) < 0) return -1;
        bc_jctx_up(c);
    }
    return 1;
}
