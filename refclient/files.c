/* files.c - copy-in and copy-out (see files.h). */
#include "files.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mutant.h"
#include "strf.h"
#include "tar.h"

/* path-plus-raw: what a client that escapes all but '+' sends. */
static char *escape_query_value(const char *value)
{
    char *esc = rc_path_escape(value), *p;
    while (rc_mutant_is(RC_MUT_PLUS_UNENCODED) && (p = strstr(esc, "%2B"))) {
        *p = '+';
        memmove(p + 1, p + 3, strlen(p + 3) + 1);
    }
    return esc;
}

char *rc_files_path(const char *box_id, const char *container_path)
{
    char *box = rc_path_escape(box_id), *value = escape_query_value(container_path);
    char *path = rc_strf("/boxes/%s/files?path=%s", box, value);
    free(box);
    free(value);
    return path;
}

int rc_copy_in(const struct rc_rest *r, const struct rc_box *b, const char *src,
               const char *dst, struct rc_err *err)
{
    struct rc_buf tar = { 0 };
    if (rc_tar()->pack(src, &tar, err) < 0) {
        rc_buf_free(&tar);
        return -1;
    }
    char *path = rc_files_path(b->id, dst);
    struct rc_request q = { .method = "PUT", .path = path, .data = tar.data, .data_len = tar.len,
                            .content_type = "application/x-tar" };
    int rc = rc_rest_none(r, &q, err);
    free(path);
    rc_buf_free(&tar);
    return rc;
}

static ssize_t from_stream(void *user, void *buf, size_t n, struct rc_err *err)
{
    return rc_stream_read(user, buf, n, err);
}

struct memory {                 /* body-unbounded: the whole tar first */
    struct rc_buf all;
    size_t off;
};

static ssize_t from_memory(void *user, void *buf, size_t n, struct rc_err *err)
{
    struct memory *m = user;
    size_t k = m->all.len - m->off < n ? m->all.len - m->off : n;
    (void)err;
    memcpy(buf, m->all.data + m->off, k);
    m->off += k;
    return (ssize_t)k;
}

static int extract(struct rc_stream *s, void *user, struct rc_err *err)
{
    const char *dst = user;
    if (!rc_mutant_is(RC_MUT_BODY_UNBOUNDED))
        return rc_tar()->unpack(from_stream, s, dst, err);
    struct memory m = { 0 };
    int rc = rc_stream_read_all(s, SIZE_MAX, &m.all, err);
    if (rc == 0)
        rc = rc_tar()->unpack(from_memory, &m, dst, err);
    rc_buf_free(&m.all);
    return rc;
}

int rc_copy_out(const struct rc_rest *r, const struct rc_box *b, const char *src,
                const char *dst, struct rc_err *err)
{
    char *path = rc_files_path(b->id, src);
    struct rc_request q = { .method = "GET", .path = path, .accept = "application/x-tar" };
    int rc = rc_rest_download(r, &q, extract, (void *)dst, err);
    free(path);
    return rc;
}
