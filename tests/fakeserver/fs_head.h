/* fs_head.h - what the head of an answer must be, byte for byte: the status
 * line, then Content-Type (if any), the extra fields in order, Date (an
 * IMF-fixdate), Transfer-Encoding or Content-Length (unless the status
 * forbids a body), nothing else. Shared by the tests that hold the fake
 * server to BoxLite's runner (docs/fidelity.md). cmocka asserts. */
#ifndef FS_HEAD_H
#define FS_HEAD_H

#include <stddef.h>

#include "fs_testlib.h"

#define FSH_JSON "application/json; charset=utf-8"
#define FSH_NO_LENGTH (-1)      /* no Content-Length header */
#define FSH_CHUNKED (-2)        /* Transfer-Encoding: chunked, no Content-Length */
#define FSH_BODY_LEN (-3)       /* Content-Length: the length of the body wanted */

typedef struct fsh_want {
    const char *status_line;
    const char *ctype;          /* NULL: no Content-Type header */
    long length;                /* a length, FSH_NO_LENGTH or FSH_CHUNKED */
    const char *body;           /* NULL: not compared (HEAD: none read) */
} fsh_want;

/* h: a whole head ending in CRLF CRLF (modified): as w says, nothing else. */
void fsh_assert_head(char *h, const fsh_want *w);
/* The same with the lines extra ("Name: value", NULL-ended) after Content-Type. */
void fsh_assert_head_x(char *h, const fsh_want *w, const char *const *extra);
/* Splits a head at CRLFs: lines[0] the status line; the count. */
int fsh_head_lines(char *h, char *lines[], int max);
/* n bytes from fd, each read within 2 s. */
void fsh_recv_exactly(int fd, void *buf, size_t n);
/* Sends request on a fresh connection; the head into head (cap bytes), then
 * Content-Length body bytes into body (none when with_body is 0). */
void fsh_exchange(fst_server *s, const char *request, int with_body, char *head, size_t cap,
                  char *body, size_t body_cap);
/* method path with req_body (bearer token set), answered as w says. */
void fsh_check(fst_server *s, const char *method, const char *path, const char *req_body,
               const fsh_want *w);
void fsh_check_x(fst_server *s, const char *method, const char *path, const char *req_body,
                 const fsh_want *w, const char *const *extra);

#endif
