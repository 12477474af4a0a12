/* fs_head.c - exact head checks for fakeserver tests. */
#include "fs_head.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cmocka.h>

/* "Sat, 05 Dec 2026 17:49:37 GMT", the only form RFC 9110 lets a server send. */
static void assert_imf_date(const char *v) {
    char day[4], mon[4];
    int d, y, h, m, sec, n = 0;
    assert_int_equal(sscanf(v, "%3[A-Za-z], %2d %3[A-Za-z] %4d %2d:%2d:%2d GMT%n", day, &d, mon,
                            &y, &h, &m, &sec, &n), 7);
    assert_int_equal((int)strlen(v), n);
    assert_int_equal((int)strlen(v), 29);
    assert_non_null(strstr("Mon Tue Wed Thu Fri Sat Sun", day));
    assert_non_null(strstr("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", mon));
}

int fsh_head_lines(char *h, char *lines[], int max) {
    int n = 0;
    for (char *line = h, *crlf; n < max && (crlf = strstr(line, "\r\n")) && crlf != line;
         line = crlf + 2) {
        *crlf = '\0';
        lines[n++] = line;
    }
    return n;
}

static void assert_header(const char *line, const char *name, const char *value) {
    size_t n = strlen(name);
    assert_int_equal(strncasecmp(line, name, n), 0);
    assert_int_equal(line[n], ':');
    const char *v = line + n + 1;
    while (*v == ' ') v++;
    if (value) assert_string_equal(v, value);
    else assert_imf_date(v);
}

void fsh_assert_head(char *h, const fsh_want *w) { fsh_assert_head_x(h, w, NULL); }

void fsh_assert_head_x(char *h, const fsh_want *w, const char *const *extra) {
    char *lines[32];
    int n = fsh_head_lines(h, lines, 32), at = 1;
    assert_string_equal(lines[0], w->status_line);
    if (w->ctype) assert_header(lines[at++], "Content-Type", w->ctype);
    for (int i = 0; extra && extra[i]; i++) assert_string_equal(lines[at++], extra[i]);
    if (w->length == FSH_CHUNKED) assert_header(lines[at++], "Transfer-Encoding", "chunked");
    assert_header(lines[at++], "Date", NULL);
    char len[32];
    long want = w->length == FSH_BODY_LEN ? (long)strlen(w->body) : w->length;
    snprintf(len, sizeof len, "%ld", want);
    if (want >= 0) assert_header(lines[at++], "Content-Length", len);
    assert_int_equal(n, at); /* nothing else */
}

void fsh_recv_exactly(int fd, void *buf, size_t n) {
    for (size_t have = 0; have < n;) {
        ssize_t r = fst_recv(fd, (char *)buf + have, n - have, 2000);
        assert_true(r > 0);
        have += (size_t)r;
    }
}

void fsh_exchange(fst_server *s, const char *request, int with_body, char *head, size_t cap,
                  char *body, size_t body_cap) {
    int fd = fst_connect(s);
    assert_true(fd >= 0);
    assert_int_equal(fst_send(fd, request, strlen(request)), 0);
    size_t got = 0;
    head[0] = '\0';
    while (!strstr(head, "\r\n\r\n")) {
        assert_true(got + 1 < cap);
        ssize_t r = fst_recv(fd, head + got, 1, 2000); /* byte by byte: the body stays */
        assert_int_equal(r, 1);
        head[++got] = '\0';
    }
    const char *cl = strcasestr(head, "\ncontent-length:");
    size_t want_len = with_body && cl ? (size_t)atol(cl + 16) : 0;
    assert_true(want_len < body_cap);
    fsh_recv_exactly(fd, body, want_len);
    body[want_len] = '\0';
    close(fd);
}

void fsh_check(fst_server *s, const char *method, const char *path, const char *req_body,
               const fsh_want *w) {
    fsh_check_x(s, method, path, req_body, w, NULL);
}

void fsh_check_x(fst_server *s, const char *method, const char *path, const char *req_body,
                 const fsh_want *w, const char *const *extra) {
    char request[2048], head[4096], body[8192];
    snprintf(request, sizeof request, "%s %s HTTP/1.1\r\nHost: x\r\n" FST_AUTH
             "Content-Length: %zu\r\n\r\n%s", method, path, strlen(req_body), req_body);
    fsh_exchange(s, request, strcmp(method, "HEAD"), head, sizeof head, body, sizeof body);
    print_message("%s %s\n", method, path);
    fsh_assert_head_x(head, w, extra);
    if (w->body) assert_string_equal(body, w->body);
}
