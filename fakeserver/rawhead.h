/* rawhead.h - a request head as the client sent it, and percent-decoding.
 *
 * libwebsockets parses every request, but what it keeps has lost three
 * things the checks need: the request target as sent (lws decodes %2F to a
 * slash and + to a space in the path, and collapses dot segments), the names
 * of header fields it does not know, and their order. The tap catches each
 * head on the wire (fs_tap_take_head); lws has accepted it already, so here
 * it is only cut into its lines: the request line's three parts and each
 * field's name and value.
 *
 * Decoding follows BoxLite's servers (axum): a path is matched segment by
 * segment, each decoded on its own (%XX only: %2F stays inside its segment);
 * a query component also takes + as a space (common/pct.h). */
#ifndef FS_RAWHEAD_H
#define FS_RAWHEAD_H

#include <stddef.h>

#include <jansson.h>

typedef struct fs_rawhead {
    char *method;               /* "GET", ... */
    char *path;                 /* the target up to '?', as sent */
    char *query;                /* after '?', as sent; NULL when the target has none */
    json_t *fields;             /* [[name, value], ...] in arrival order (value null: not UTF-8) */
} fs_rawhead;

/* Cuts a head (request line, fields, blank line) into *out: 0, or -1 when
 * its first line is not "METHOD SP target SP version" (out left empty). */
int fs_rawhead_parse(const char *text, fs_rawhead *out);
void fs_rawhead_free(fs_rawhead *h);

/* The query's parameters, [[name, value], ...] in order, both decoded with
 * + as a space; "a" without '=' is ["a", ""]; a part that once decoded is
 * not UTF-8 text without NUL is null. */
json_t *fs_query_params(const char *query);

#endif
