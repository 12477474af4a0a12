/* json.c - JSON with exact u64 (see json.h). */
#include "json.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

#define RC_MARK "\x01u64:"       /* a marker string: RC_MARK then decimal digits */
#define RC_MARK_LEN 5
#define RC_MARK_DUMPED "\"\\u0001u64:"
#define RC_BIG_MAX 64            /* big integers one body may hold */

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return n > 0;
}

static bool parse_u64(const char *digits, size_t n, uint64_t *out)
{
    char tmp[24];
    if (n == 0 || n > 20 || !all_digits(digits, n))
        return false;
    memcpy(tmp, digits, n);
    tmp[n] = '\0';
    errno = 0;
    unsigned long long v = strtoull(tmp, NULL, 10);
    if (errno == ERANGE)
        return false;
    *out = v;
    return true;
}

/* Markers found in v; -1 when a string merely contains the marker text. */
static long count_markers(const json_t *v)
{
    long n = 0, sub;
    const char *key;
    size_t i;
    json_t *item;
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        size_t len = json_string_length(v);
        if (!memmem(s, len, RC_MARK, RC_MARK_LEN))
            return 0;
        return strncmp(s, RC_MARK, RC_MARK_LEN) == 0 &&
               all_digits(s + RC_MARK_LEN, len - RC_MARK_LEN) ? 1 : -1;
    }
    if (json_is_object(v)) {
        json_object_foreach((json_t *)v, key, item) {
            if (strstr(key, RC_MARK) || (sub = count_markers(item)) < 0)
                return -1;
            n += sub;
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, item) {
            if ((sub = count_markers(item)) < 0)
                return -1;
            n += sub;
        }
    }
    return n;
}

/* Rewrites the too-big integer that ends at pos into a marker string. */
static int mark_big_integer(struct rc_buf *text, size_t pos)
{
    size_t start = pos;
    uint64_t ignored;
    while (start > 0 && isdigit(text->data[start - 1]))
        start--;
    bool signed_or_real = start > 0 && text->data[start - 1] && strchr("-+.eE", text->data[start - 1]);
    if (signed_or_real || !parse_u64((const char *)text->data + start, pos - start, &ignored))
        return -1;
    struct rc_buf out = { 0 };
    rc_buf_append(&out, text->data, start);
    rc_buf_append(&out, RC_MARK_DUMPED, sizeof(RC_MARK_DUMPED) - 1);
    rc_buf_append(&out, text->data + start, pos - start);
    rc_buf_append(&out, "\"", 1);
    rc_buf_append(&out, text->data + pos, text->len - pos);
    rc_buf_free(text);
    *text = out;
    return 0;
}

json_t *rc_json_load(const char *body, size_t len, char *why, size_t why_len)
{
    struct rc_buf text = { 0 };
    json_error_t e;
    json_t *root = NULL;
    long marked = 0;
    rc_buf_append(&text, body, len);
    for (;;) {
        root = json_loadb((const char *)text.data, text.len, JSON_ALLOW_NUL, &e);
        if (root || json_error_code(&e) != json_error_numeric_overflow || marked == RC_BIG_MAX ||
            mark_big_integer(&text, (size_t)e.position) < 0)
            break;
        marked++;
    }
    rc_buf_free(&text);
    if (!root) {
        snprintf(why, why_len, "%s at byte %d", e.text, e.position);
        return NULL;
    }
    if (count_markers(root) != marked) {
        snprintf(why, why_len, "a string holds refclient's private number marker");
        json_decref(root);
        return NULL;
    }
    return root;
}

bool rc_json_u64(const json_t *v, uint64_t *out)
{
    if (json_is_integer(v) && json_integer_value(v) >= 0) {
        *out = (uint64_t)json_integer_value(v);
        return true;
    }
    const char *s = json_string_value(v);
    return s && strncmp(s, RC_MARK, RC_MARK_LEN) == 0 &&
           parse_u64(s + RC_MARK_LEN, json_string_length(v) - RC_MARK_LEN, out);
}

json_t *rc_json_u64_new(uint64_t v)
{
    char text[32];
    if (v <= INT64_MAX)
        return json_integer((json_int_t)v);
    snprintf(text, sizeof(text), RC_MARK "%" PRIu64, v);
    return json_string(text);
}

char *rc_json_dump(const json_t *v)
{
    char *dumped = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    if (!dumped || !strstr(dumped, RC_MARK_DUMPED))
        return dumped;
    struct rc_buf out = { 0 };
    const char *p = dumped, *m;
    while ((m = strstr(p, RC_MARK_DUMPED))) {
        const char *digits = m + strlen(RC_MARK_DUMPED);
        size_t n = strspn(digits, "0123456789");
        rc_buf_append(&out, p, (size_t)(m - p));
        rc_buf_append(&out, digits, n);
        p = digits + n + 1;            /* past the closing quote */
    }
    rc_buf_append(&out, p, strlen(p));
    free(dumped);
    return rc_buf_take(&out);
}
