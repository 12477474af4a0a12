/* jfield.h - typed reading of JSON members with positioned errors.
 *
 * The scenario loader reads every member through these so that any bad
 * value yields "file:line:column: expected ..., got ..." pointing at it.
 * A bc_jctx tracks the path of keys and indexes from the root to the value
 * being read; bc_jpos turns that path into a line and column only when an
 * error is reported.
 *
 * Readers return 1 when the member was read, 0 when it is absent (out left
 * untouched) and -1 on error (err filled). */
#ifndef BC_JFIELD_H
#define BC_JFIELD_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "jpos.h"
#include "scenario.h"

typedef struct bc_jctx {
    const char *file;           /* file name for messages */
    const char *text;           /* the whole file text */
    size_t len;
    bc_jpos_step at[BC_JPOS_MAX_DEPTH]; /* path to the value being read */
    size_t depth;
    char *err;                  /* where the message goes */
    size_t errlen;
} bc_jctx;

void bc_jctx_key(bc_jctx *c, const char *key);   /* descend into member key */
void bc_jctx_index(bc_jctx *c, size_t index);    /* descend into element */
void bc_jctx_up(bc_jctx *c);                     /* back to the parent */

/* Report at the current value (or its key); always returns -1. */
int bc_jctx_fail(bc_jctx *c, bc_jpos_what what, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* "expected <expected>, got <v described>" at the current value. */
int bc_jctx_expected(bc_jctx *c, const char *expected, const json_t *v);
/* Short description of a value for messages ("string \"x\"", "-1", "an object"). */
const char *bc_jdescribe(const json_t *v, char *buf, size_t n);

/* Every key of obj (the current value, called what) must be in allowed. */
int bc_jctx_known_keys(bc_jctx *c, const json_t *obj, const char *what,
                       const char *const *allowed);
/* The current value must be of this type (what names it in the message). */
int bc_jctx_need_object(bc_jctx *c, const json_t *v);
int bc_jctx_need_array(bc_jctx *c, const json_t *v);

/* Value readers at the current path. */
int bc_jval_string(bc_jctx *c, const json_t *v, char **out);
int bc_jval_int(bc_jctx *c, const json_t *v, long long min, long long max, int *out);
int bc_jval_seconds(bc_jctx *c, const json_t *v, bool null_ok, double *secs,
                    bool *forever);
int bc_jval_b64(bc_jctx *c, const json_t *v, bc_bytes *out);
/* A count that may pass 2^31 (bytes, depths): an integer from min to max;
 * what names it in the message ("a byte count"). */
int bc_jval_count(bc_jctx *c, const json_t *v, unsigned long long min,
                  unsigned long long max, const char *what, unsigned long long *out);

/* Member readers of obj (the current value). */
int bc_jget_string(bc_jctx *c, const json_t *obj, const char *key, char **out);
int bc_jget_bool(bc_jctx *c, const json_t *obj, const char *key, bool *out);
int bc_jget_true(bc_jctx *c, const json_t *obj, const char *key); /* must be true */
int bc_jget_int(bc_jctx *c, const json_t *obj, const char *key, long long min,
                long long max, int *out);
/* A duration; null_ok: null means for ever (*forever set, *secs 0). */
int bc_jget_seconds(bc_jctx *c, const json_t *obj, const char *key, bool null_ok,
                    double *secs, bool *forever);
/* Bytes from text_key (UTF-8 as given) or b64_key (decoded); both is an error. */
int bc_jget_bytes(bc_jctx *c, const json_t *obj, const char *text_key,
                  const char *b64_key, bc_bytes *out);
/* Error at obj unless key is present. */
int bc_jget_required(bc_jctx *c, const json_t *obj, const char *key);

/* ---- key sets ---------------------------------------------------------- */

#define BC_JKEYS(...) ((const char *const[]){ __VA_ARGS__, NULL }) /* a key list */
#define BC_JANY_INT (-2147483647LL - 1), 2147483647LL  /* min, max of an int */

/* Report at member key of the current object (at the key); returns -1. */
int bc_jctx_fail_key(bc_jctx *c, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* "a, b, c" from a NULL-terminated key list, cut to fit n. */
void bc_jjoin_keys(const char *const *list, char *buf, size_t n);
/* The first key of obj (file order) that is in keys, else NULL. */
const char *bc_jfirst_of(const json_t *obj, const char *const *keys);
/* Error at the second of keys present in obj; 0 if at most one is. */
int bc_jctx_at_most_one(bc_jctx *c, const json_t *obj, const char *const *keys);
/* An array of strings (the current value) into a new vector of *count. */
int bc_jval_strings(bc_jctx *c, const json_t *arr, char ***out, size_t *count);

/* Runs read(c, value, out) with the path at obj[key]: its result, or 0 when
 * key is absent. For readers of shapes the typed getters above do not cover. */
#define BC_JMEMBER(c, obj, key, read, out)                  \
    ({                                                      \
        json_t *v_ = json_object_get((obj), (key));         \
        int rc_ = 0;                                        \
        if (v_) {                                           \
            bc_jctx_key((c), (key));                        \
            rc_ = read((c), v_, (out));                     \
            if (rc_ >= 0) bc_jctx_up(c);                    \
        }                                                   \
        rc_;                                                \
    })

#endif
