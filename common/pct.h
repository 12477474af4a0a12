/* pct.h - percent-decoding (RFC 3986 %XX), shared by the fake server, which
 * routes and journals requests by it, and the checks, which read the
 * journal's raw paths with the very same rule. */
#ifndef BC_PCT_H
#define BC_PCT_H

#include <stddef.h>

/* Decodes src[0..n) into dst (room for n + 1 bytes: decoding never grows):
 * %XX escapes (a malformed one stays as it is), + as a space when plus
 * (query components). NUL-terminates; returns the decoded length (NULs may
 * be inside). */
size_t bc_pct_decode(const char *src, size_t n, int plus, char *dst);

#endif
