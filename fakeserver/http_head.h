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

#include <jansson.h>
#include <libwebsockets.h>

/* gin's JSON content type, on every JSON body the server writes. */
#define FS_HTTP_JSON "application/json; charset=utf-8"

/* What a head says about its answer. */
typedef struct fs_http_head_spec {
    int status;
    const char *ctype;          /* Content-Type, NULL: none */
    unsigned long long length;  /* Content-Length (FS_HTTP_NO_LENGTH: none) ... */
    int chunked;                /* ... or Transfer-Encoding: chunked instead */
    const json_t *extra;        /* more fields [[name, value], ...] (a scenario's headers,
                                   a redirect's Location), or NULL; a Content-Type or Date
                                   among them replaces the server's own */
} fs_http_head_spec;

#define FS_HTTP_NO_LENGTH (~0ULL) /* a head that never ends announces no length */

/* The RFC 9110 reason phrase of status ("" for a status without one). */
const char *fs_http_reason(int status);
/* Whether a response with this status may carry a body (and so a length). */
int fs_http_has_body(int status);
/* "HTTP/1.1 <status> <reason>", then Content-Type, the extra fields,
 * Transfer-Encoding (chunked), Date and, when the status allows a body and
 * it is not chunked, Content-Length, into the header buffer at *p. The
 * blank line is not added (lws_finalize_http_header does). 0, or -1 when it
 * does not fit. */
int fs_http_head(struct lws *wsi, const fs_http_head_spec *h, uint8_t **p, uint8_t *end);
/* The fields of a head written at head[0..n) (its status line skipped), as
 * [[name, value], ...]: what the journal says was sent. */
json_t *fs_http_head_fields(const uint8_t *head, size_t n);
/* The framing of one chunk of a chunked body: "<hex size>\r\n" into buf
 * (at least 20 bytes); its length. The data and "\r\n" follow; the body
 * ends with FS_HTTP_LAST_CHUNK. lws 4.1 frames chunks only for compressed
 * bodies, which Debian's build leaves out. */
size_t fs_http_chunk_head(char *buf, size_t data_len);
#define FS_HTTP_LAST_CHUNK "0\r\n\r\n"
/* p[0..n) is what lws wrote first on a connection it upgraded: lws spells
 * the 101's "Upgrade: WebSocket", every real server "websocket"; the token
 * is case-insensitive (RFC 6455), but a client comparing it exactly must
 * not fail here and pass there. Rewrites it in place, nothing else. */
void fs_http_fix_upgrade(uint8_t *p, size_t n);

#endif
