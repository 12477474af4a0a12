/* json.h - JSON from the server in, JSON values out to the harness.
 *
 * jansson holds integers up to 2^63-1. BoxLite's counters are u64, so the
 * loader keeps an integer in (2^63-1, 2^64-1] exactly as a private marker
 * that only these functions read and write: rc_json_u64() reads it,
 * rc_json_dump() writes it back as the bare number. */
#ifndef RC_JSON_H
#define RC_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Parses a server body (NULs in strings allowed, jansson's depth limit of
 * 2048 applies); NULL with why filled when it is not JSON. */
json_t *rc_json_load(const char *text, size_t len, char *why, size_t why_len);
/* A non-negative integer (big ones included) into *out. */
bool rc_json_u64(const json_t *v, uint64_t *out);
/* The value for a u64: a JSON integer, or the marker above 2^63-1. */
json_t *rc_json_u64_new(uint64_t v);
/* Compact text of v, markers written as bare numbers; malloc'd. */
char *rc_json_dump(const json_t *v);

#endif
