/* http_head.h - the status line and headers of every HTTP answer the fake
 * server writes itself (REST replies and refused upgrades), and the one fix
 * it makes to the 101 that libwebsockets writes.
 *
 * The model is BoxLite's runner (Go net/http under gin, gorilla/websocket),
 * which answers exec, probe and attach: "HTTP/1.1 <status> <reason>", then
 * Content-Type, Date, Content-Length in that order, no Content-Length where
 * HTTP forbids a body (1xx, 204, 304). lws picks the status line's version
 * from the request it parsed, and for an upgrade request it has not parsed
 * one yet when the upgrade is refused: it wrote "HTTP/1.0 409", which
 * tungstenite (BoxLite's Rust core) and Python's websockets refuse to read,
 * so the line is made here and lws only adds it. docs/fidelity.md says what
 * else is copied and what is not. */
#ifndef FS_HTTP_HEAD_H
#define FS_HTTP_HEAD_H

#include <stddef.h>
#include <stdint.h>

#include <libwebsockets.h>

/* gin's JSON content type, on every JSON body the server writes. */
#define FS_HTTP_JSON "application/json; charset=utf-8"

/* The RFC 9110 reason phrase of status ("" for a status without one). */
const char *fs_http_reason(int status);
/* Whether a response with this status may carry a body (and so a length). */
int fs_http_has_body(int status);
/* "HTTP/1.1 <status> <reason>", Content-Type (NULL: none), Date and, when
 * the status allows a body, Content-Length, into the header buffer at *p.
 * 0, or -1 when it does not fit. */
int fs_http_head(struct lws *wsi, int status, const char *ctype, size_t content_len,
                 uint8_t **p, uint8_t *end);
/* p[0..n) is what lws wrote first on a connection it upgraded: lws spells
 * the 101's "Upgrade: WebSocket", every real server "websocket"; the token
 * is case-insensitive (RFC 6455), but a client comparing it exactly must
 * not fail here and pass there. Rewrites it in place, nothing else. */
void fs_http_fix_upgrade(uint8_t *p, size_t n);

#endif
