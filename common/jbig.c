/* jbig.c - exact u64 integers in jansson trees (see jbig.h).
 *
 * Loading: jansson stops at the first integer it cannot hold and says where
 * it ends. That number is rewritten, in a copy of the text, into a string
 * *placeholder* ("\u0001jbigT:DIGITS", T a tag) and the parse goes on; once
 * the text parses, every placeholder string becomes a marker. A document
 * that holds a placeholder of its own (it would be taken for a number) is
 * parsed again with another tag. Dumping runs the same way backwards: the
 * markers become placeholders of a tag no string of the tree holds, jansson
 * writes the text, and each placeholder is replaced by its digits. */
#include "jbig.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define MARK_LEAD '\xC0'        /* never in UTF-8: a marker is this, then digits */
#define MAX_BIG 4096            /* big integers one document may hold */
#define MAX_TAGS 16             /* placeholder tags tried before giving up */

/* ---- markers --------------------------------------------------------------- */

static bool all_digits(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i])) return false;
    return n > 0;
}

static bool parse_u64(const char *digits, size_t n, uint64_t *out) {
    char tmp[24];
    if (n > 20 || !all_digits(digits, n)) return false;
    memcpy(tmp, digits, n);
    tmp[n] = '\0';
    errno = 0;
    unsigned long long v = strtoull(tmp, NULL, 10);
    if (errno == ERANGE) return false;
    *out = v;
    return true;
}

static json_t *marker_of_digits(const char *digits, size_t n) {
    char text[24];
    text[0] = MARK_LEAD;
    memcpy(text + 1, digits, n);
    return json_stringn_nocheck(text, n + 1);
}

bool bc_jbig_is_big(const json_t *v) {
    const char *s = json_string_value(v);
    return s && json_string_length(v) > 1 && s[0] == MARK_LEAD;
}

bool bc_jbig_u64(const json_t *v, uint64_t *out) {
    if (json_is_integer(v) && json_integer_value(v) >= 0) {
        *out = (uint64_t)json_integer_value(v);
        return true;
    }
    return bc_jbig_is_big(v) &&
           parse_u64(json_string_value(v) + 1, json_string_length(v) - 1, out);
}

json_t *bc_jbig_u64_new(uint64_t v) {
    char digits[24];
    if (v <= INT64_MAX) return json_integer((json_int_t)v);
    int n = snprintf(digits, sizeof digits, "%" PRIu64, v);
    return marker_of_digits(digits, (size_t)n);
}

/* ---- placeholders ------------------------------------------------------------ */

/* The placeholder prefix of tag as a string's bytes, and as jansson writes it. */
static size_t prefix_raw(int tag, char *buf, size_t len) {
    return (size_t)snprintf(buf, len, "\x01jbig%d:", tag);
}

static size_t prefix_dumped(int tag, char *buf, size_t len) {
    return (size_t)snprintf(buf, len, "\"\\u0001jbig%d:", tag);
}

/* Walks every string and key of v: fix replaces placeholders of tag by
 * markers (loading), else markers by placeholders (a copy, for dumping).
 * Returns how many it replaced, or -1 when some other string or key holds
 * the prefix (the tag is taken). */
static long swap_all(json_t *v, int tag, bool to_markers);

static json_t *swapped(json_t *item, int tag, bool to_markers, long *n) {
    char prefix[32];
    size_t plen = prefix_raw(tag, prefix, sizeof prefix);
    const char *s = json_string_value(item);
    if (!s) {
        long sub = swap_all(item, tag, to_markers);
        *n = sub < 0 ? -1 : *n + sub;
        return NULL;
    }
    size_t len = json_string_length(item);
    if (!to_markers && bc_jbig_is_big(item)) {
        char text[48];
        int k = snprintf(text, sizeof text, "%s%.*s", prefix, (int)(len - 1), s + 1);
        (*n)++;
        return json_stringn(text, (size_t)k);
    }
    if (!memmem(s, len, prefix, plen)) return NULL;
    if (to_markers && !strncmp(s, prefix, plen) && all_digits(s + plen, len - plen)) {
        (*n)++;
        return marker_of_digits(s + plen, len - plen);
    }
    *n = -1;
    return NULL;
}

static long swap_all(json_t *v, int tag, bool to_markers) {
    long n = 0;
    json_t *item, *with;
    if (json_is_object(v)) {
        char prefix[32];
        size_t plen = prefix_raw(tag, prefix, sizeof prefix);
        const char *key;
        json_object_foreach(v, key, item) {
            if (memmem(key, strlen(key), prefix, plen)) return -1;
            if ((with = swapped(item, tag, to_markers, &n))) json_object_set_new(v, key, with);
            if (n < 0) return -1;
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_array_foreach(v, i, item) {
            if ((with = swapped(item, tag, to_markers, &n))) json_array_set_new(v, i, with);
            if (n < 0) return -1;
        }
    }
    return n;
}

/* ---- loading ------------------------------------------------------------------- */

typedef struct text {
    char *data;
    size_t len;
    size_t added;               /* bytes inserted so far (all on the error's line or before) */
} text;

/* Rewrites the number that ends at pos into a placeholder string; -1 when it
 * is not an integer a u64 holds (negative, real, or above 2^64-1). */
static int mark_number(text *t, size_t pos, int tag) {
    size_t start = pos;
    uint64_t ignored;
    while (start > 0 && isdigit((unsigned char)t->data[start - 1])) start--;
    if ((start > 0 && strchr("-+.eE", t->data[start - 1])) ||
        !parse_u64(t->data + start, pos - start, &ignored))
        return -1;
    char prefix[32];
    size_t plen = prefix_dumped(tag, prefix, sizeof prefix), digits = pos - start;
    char *out = malloc(t->len + plen + 2);
    memcpy(out, t->data, start);
    memcpy(out + start, prefix, plen);
    memcpy(out + start + plen, t->data + start, digits);
    out[start + plen + digits] = '"';
    memcpy(out + start + plen + digits + 1, t->data + pos, t->len - pos);
    free(t->data);
    t->data = out;
    t->len += plen + 1;
    t->added += plen + 1;
    return 0;
}

/* Positions in an error refer to the rewritten text: move them back. */
static void unshift_error(json_error_t *error, const text *t) {
    if (error->position >= (int)t->added) error->position -= (int)t->added;
    if (error->column > (int)t->added) error->column -= (int)t->added;
}

/* One try with tag: the tree, or NULL with error (and *taken when the
 * document holds the tag's placeholder itself). */
static json_t *load_tagged(const char *src, size_t len, size_t flags, json_error_t *error,
                           int tag, bool *taken) {
    text t = { malloc(len + 1), len, 0 };
    memcpy(t.data, src, len);
    json_t *root = NULL;
    long marked = 0;
    for (;;) {
        root = json_loadb(t.data, t.len, flags, error);
        if (root || json_error_code(error) != json_error_numeric_overflow ||
            marked == MAX_BIG || mark_number(&t, (size_t)error->position, tag) < 0)
            break;
        marked++;
    }
    if (!root) unshift_error(error, &t);
    free(t.data);
    if (!root) return NULL;
    json_t *holder = json_array();      /* so a bare placeholder document is swapped too */
    json_array_append_new(holder, root);
    long swapped_n = swap_all(holder, tag, true);
    root = json_incref(json_array_get(holder, 0));
    json_decref(holder);
    if (swapped_n == marked) return root;
    json_decref(root);
    *taken = true;
    return NULL;
}

json_t *bc_jbig_loadb(const char *text, size_t len, size_t flags, json_error_t *error) {
    json_error_t local;
    json_error_t *e = error ? error : &local;
    flags |= JSON_ALLOW_NUL;    /* \u0000 is valid JSON: a message quoting NUL bytes */
    json_t *root = json_loadb(text, len, flags, e);
    if (root || json_error_code(e) != json_error_numeric_overflow) return root;
    for (int tag = 0; tag < MAX_TAGS; tag++) {
        bool taken = false;
        root = load_tagged(text, len, flags, e, tag, &taken);
        if (root || !taken) return root;
    }
    return NULL;
}

json_t *bc_jbig_loads(const char *text, size_t flags, json_error_t *error) {
    return bc_jbig_loadb(text, strlen(text), flags, error);
}

json_t *bc_jbig_load_file(const char *path, size_t flags, json_error_t *error) {
    FILE *f = fopen(path, "rb");
    if (!f) return json_load_file(path, flags, error); /* jansson's own message */
    char *buf = NULL;
    size_t cap = 0, len = 0, n;
    do {
        if (len + 65536 > cap) buf = realloc(buf, cap = 2 * cap + 65536);
        n = fread(buf + len, 1, cap - len, f);
        len += n;
    } while (n > 0);
    fclose(f);
    json_t *root = bc_jbig_loadb(buf, len, flags, error);
    if (!root && error) snprintf(error->source, sizeof error->source, "%s", path);
    free(buf);
    return root;
}

/* ---- dumping -------------------------------------------------------------------- */

/* Replaces each "\u0001jbigT:DIGITS" (quotes included) of dumped by DIGITS. */
static char *unplace(char *dumped, int tag) {
    char prefix[32];
    size_t plen = prefix_dumped(tag, prefix, sizeof prefix);
    char *out = malloc(strlen(dumped) + 1), *w = out;
    const char *p = dumped, *m;
    while ((m = strstr(p, prefix))) {
        const char *digits = m + plen;
        size_t n = strspn(digits, "0123456789");
        memcpy(w, p, (size_t)(m - p));
        w += m - p;
        memcpy(w, digits, n);
        w += n;
        p = digits + n + 1;             /* past the closing quote */
    }
    strcpy(w, p);
    free(dumped);
    return out;
}

static long count_big(const json_t *v) {
    long n = 0;
    const char *key;
    size_t i;
    json_t *item;
    if (bc_jbig_is_big(v)) return 1;
    if (json_is_object(v)) json_object_foreach((json_t *)v, key, item) n += count_big(item);
    else if (json_is_array(v)) json_array_foreach(v, i, item) n += count_big(item);
    return n;
}

char *bc_jbig_dumps(const json_t *v, size_t flags) {
    if (!count_big(v)) return json_dumps(v, flags);
    for (int tag = 0; tag < MAX_TAGS; tag++) {
        json_t *holder = json_pack("[O]", v);
        json_t *copy = json_deep_copy(holder);
        json_decref(holder);
        long n = swap_all(copy, tag, false);
        char *dumped = n < 0 ? NULL : json_dumps(json_array_get(copy, 0), flags);
        json_decref(copy);
        if (dumped) return unplace(dumped, tag);
    }
    return NULL;
}

int bc_jbig_dumpf(const json_t *v, FILE *f, size_t flags) {
    char *text = bc_jbig_dumps(v, flags);
    int rc = text && fputs(text, f) >= 0 ? 0 : -1;
    free(text);
    return rc;
}

int bc_jbig_dump_file(const json_t *v, const char *path, size_t flags) {
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    int rc = bc_jbig_dumpf(v, f, flags);
    return fclose(f) != 0 ? -1 : rc;
}
