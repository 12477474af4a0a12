#include "jpos.h"

#include <string.h>

#include <jansson.h>

/* The four JSON whitespace characters (RFC 8259), nothing else. */
static size_t skip_ws(const char *text, size_t len, size_t pos) {
    while (pos < len && strchr(" \t\r\n", text[pos]) && text[pos] != '\0')
        pos++;
    return pos;
}

/* Offset just past the JSON value starting at pos, or 0 if none parses. */
static size_t value_end(const char *text, size_t len, size_t pos) {
    json_error_t jerr;
    json_t *v = json_loadb(text + pos, len - pos,
                           JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK | JSON_ALLOW_NUL,
                           &jerr);
    if (!v) return 0;
    json_decref(v);
    return pos + (size_t)jerr.position;
}

/* Whether the string token at [pos, end) decodes to key. */
static int key_equals(const char *text, size_t pos, size_t end, const char *key) {
    json_t *k = json_loadb(text + pos, end - pos, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    int same = json_is_string(k) && json_string_length(k) == strlen(key) &&
               memcmp(json_string_value(k), key, strlen(key)) == 0;
    json_decref(k);
    return same;
}

/* pos is at '{'. Finds member key: *key_at and the value's offset. */
static int find_member(const char *text, size_t len, size_t pos, const char *key,
                       size_t *key_at, size_t *value_at) {
    pos = skip_ws(text, len, pos + 1);
    while (pos < len && text[pos] == '"') {
        size_t kend = value_end(text, len, pos);
        if (!kend) return -1;
        size_t colon = skip_ws(text, len, kend);
        if (colon >= len || text[colon] != ':') return -1;
        size_t vpos = skip_ws(text, len, colon + 1);
        if (key_equals(text, pos, kend, key)) {
            *key_at = pos;
            *value_at = vpos;
            return 0;
        }
        size_t vend = value_end(text, len, vpos);
        if (!vend) return -1;
        pos = skip_ws(text, len, vend);
        if (pos >= len || text[pos] != ',') return -1;
        pos = skip_ws(text, len, pos + 1);
    }
    return -1;
}

/* pos is at an array element: *next is the next element's offset, or the
 * closing ']' when this one was the last. -1 if the text says otherwise. */
static int skip_element(const char *text, size_t len, size_t pos, size_t *next) {
    size_t vend = value_end(text, len, pos);
    if (!vend) return -1;
    pos = skip_ws(text, len, vend);
    if (pos < len && text[pos] == ']') {
        *next = pos;
        return 0;
    }
    if (pos >= len || text[pos] != ',') return -1;
    *next = skip_ws(text, len, pos + 1);
    return 0;
}

/* pos is at '['. Finds element index's offset. */
static int find_element(const char *text, size_t len, size_t pos, size_t index,
                        size_t *value_at) {
    pos = skip_ws(text, len, pos + 1);
    for (size_t i = 0; pos < len && text[pos] != ']'; i++) {
        if (i == index) {
            *value_at = pos;
            return 0;
        }
        if (skip_element(text, len, pos, &pos) < 0) return -1;
    }
    return -1;
}

/* Moves *line and *column from byte *from on to byte to (to >= *from). */
static void advance(const char *text, size_t *from, size_t to, int *line, int *column) {
    for (size_t i = *from; i < to; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch == '\n') {
            ++*line;
            *column = 1;
        } else if ((ch & 0xC0) != 0x80) {
            ++*column;          /* continuation bytes belong to the previous char */
        }
    }
    *from = to;
}

void bc_jpos_line_col(const char *text, size_t offset, int *line, int *column) {
    size_t from = 0;
    *line = 1;
    *column = 1;
    advance(text, &from, offset, line, column);
}

/* Offset of the value at path[0..depth) in *at (*key_at: its member key's),
 * or -1 if there is none. */
static int locate(const char *text, size_t len, const bc_jpos_step *path, size_t depth,
                  size_t *at, size_t *key_at) {
    size_t pos = skip_ws(text, len, 0);
    *key_at = 0;
    for (size_t d = 0; d < depth; d++) {
        const bc_jpos_step *s = &path[d];
        if (pos >= len) return -1;
        int rc;
        if (s->key)
            rc = text[pos] == '{' ? find_member(text, len, pos, s->key, key_at, &pos) : -1;
        else
            rc = text[pos] == '[' ? find_element(text, len, pos, s->index, &pos) : -1;
        if (rc < 0) return -1;
    }
    *at = pos;
    return 0;
}

int bc_jpos_find(const char *text, size_t len, const bc_jpos_step *path,
                 size_t depth, bc_jpos_what what, int *line, int *column) {
    size_t pos, key_at;
    if (locate(text, len, path, depth, &pos, &key_at) < 0) return -1;
    int want_key = what == BC_JPOS_KEY && depth > 0 && path[depth - 1].key;
    bc_jpos_line_col(text, want_key ? key_at : pos, line, column);
    return 0;
}

int bc_jpos_elements(const char *text, size_t len, const bc_jpos_step *path,
                     size_t depth, bc_jpos_at *out, size_t n) {
    size_t pos, key_at, from = 0;
    int line = 1, column = 1;
    if (locate(text, len, path, depth, &pos, &key_at) < 0 || pos >= len || text[pos] != '[')
        return -1;
    pos = skip_ws(text, len, pos + 1);
    for (size_t i = 0; i < n; i++) {
        if (pos >= len || text[pos] == ']') return -1;
        advance(text, &from, pos, &line, &column);
        out[i] = (bc_jpos_at){ .line = line, .column = column };
        if (i + 1 < n && skip_element(text, len, pos, &pos) < 0) return -1;
    }
    return 0;
}
