/* http_head.h - the status line and headers of every HTTP answer the fake
 * server writes itself (REST replies and refused upgrades).
 *
 * lws picks the status line's version from the request it parsed, and for
 * an upgrade request it has not parsed one yet when the upgrade is refused:
 * it wrote "HTTP/1.0 409", which tungstenite (BoxLite's Rust core) and
 * Python's websockets refuse to read. A real server answers HTTP/1.1 with
 * the standard reason phrase, so the line is made here and lws only adds it. */
#ifndef FS_HTTP_HEAD_H
#define FS_HTTP_HEAD_H

#include <stddef.h>
#include <stdint.h>

#include <libwebsockets.h>

/* The RFC 9110 reason phrase of status ("" for a status without one). */
const char *fs_http_reason(int status);
/* "HTTP/1.1 <status> <reason>" plus Content-Type (NULL: none) and
 * Content-Length, into the header buffer at *p. 0, or -1 when it does not fit. */
int fs_http_head(struct lws *wsi, int status, const char *ctype, size_t content_len,
                 uint8_t **p, uint8_t *end);

#endif
