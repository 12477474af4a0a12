/* jpos.h - where a value sits in a JSON text (line and column).
 *
 * jansson keeps no positions per value, so error messages about a value that
 * parsed fine ("unknown key", "negative duration") need this. The text must
 * already be valid JSON. Only whitespace and the structural characters
 * , : { } [ ] are walked here; every key and skipped value is measured by
 * letting jansson parse it (json_error_t.position tells how far it went).
 *
 * Lines and columns are 1-based; a column counts UTF-8 characters, as
 * jansson's own error columns do. */
#ifndef BC_JPOS_H
#define BC_JPOS_H

#include <stddef.h>

#define BC_JPOS_MAX_DEPTH 32

typedef struct bc_jpos_step {
    const char *key;            /* object member name, or NULL for an array index */
    size_t index;               /* array index when key is NULL */
} bc_jpos_step;

typedef enum bc_jpos_what {
    BC_JPOS_VALUE,              /* the first character of the value */
    BC_JPOS_KEY                 /* the opening quote of the member's key (last step) */
} bc_jpos_what;

/* Locate path[0..depth) in text. 0 and *line, *column set, or -1 if the
 * path does not exist (or text is not valid JSON). */
int bc_jpos_find(const char *text, size_t len, const bc_jpos_step *path,
                 size_t depth, bc_jpos_what what, int *line, int *column);

typedef struct bc_jpos_at {
    int line, column;
} bc_jpos_at;

/* Lines and columns of the first n elements of the array at path[0..depth),
 * in one walk: bc_jpos_find per element walks every element before it again
 * (a script of 4000 steps took 13 s to load that way in the fuzz build).
 * 0, or -1 if the path is no array or the array has fewer than n elements. */
int bc_jpos_elements(const char *text, size_t len, const bc_jpos_step *path,
                     size_t depth, bc_jpos_at *out, size_t n);
/* Line and column of byte offset in text. */
void bc_jpos_line_col(const char *text, size_t offset, int *line, int *column);

#endif
