/* jbig.h - JSON with exact unsigned 64-bit integers, on jansson.
 *
 * jansson holds integers up to 2^63-1 and refuses a bigger one. BoxLite's
 * counters are u64, written as bare numbers up to 2^64-1, so the reference
 * client (reading a server) and the harness (reading an adapter) load JSON
 * through these: an integer in (2^63-1, 2^64-1] becomes a *marker*, a
 * string value holding a byte that is never valid UTF-8 followed by the
 * digits. No parsed text and no json_string() can make one, so a marker is
 * never confused with data. Plain json_dumps() refuses a tree holding one
 * (it is not UTF-8): write such trees with bc_jbig_dumps(), which puts the
 * bare number back. Larger integers, negative ones below -2^63 and reals
 * that overflow are refused as jansson refuses them. \u0000 in a string is
 * always allowed (JSON_ALLOW_NUL). */
#ifndef BC_JBIG_H
#define BC_JBIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

/* json_loadb() with big integers kept as markers; flags and error as
 * jansson's (error->position etc. of the original text). */
json_t *bc_jbig_loadb(const char *text, size_t len, size_t flags, json_error_t *error);
json_t *bc_jbig_loads(const char *text, size_t flags, json_error_t *error);
json_t *bc_jbig_load_file(const char *path, size_t flags, json_error_t *error);

/* json_dumps() with every marker written as its bare number; NULL as
 * jansson's. */
char *bc_jbig_dumps(const json_t *v, size_t flags);
int bc_jbig_dumpf(const json_t *v, FILE *f, size_t flags);
int bc_jbig_dump_file(const json_t *v, const char *path, size_t flags);

/* A non-negative integer up to 2^64-1: a JSON integer >= 0 or a marker. */
bool bc_jbig_u64(const json_t *v, uint64_t *out);
/* The value for a u64: a JSON integer, a marker above 2^63-1. */
json_t *bc_jbig_u64_new(uint64_t v);
/* Whether v is a marker. */
bool bc_jbig_is_big(const json_t *v);

#endif
