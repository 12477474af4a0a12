/* refclient/files.c and pack.c: FILES-IN (the upload tar holds exactly the
 * source), FILES-ENCODE (tricky container paths arrive byte for byte),
 * FILES-OUT through the wire (streamed extraction, non-2xx writes nothing). */
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "files.h"
#include "mutant.h"
#include "pack.h"
#include "rest_stub.h"
#include "stub_client.h"
#include "tar.h"
#include "tar_fixture.h"

static void put(const char *dir, const char *name, const char *data, mode_t mode)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, strlen(data)), (ssize_t)strlen(data));
    close(fd);
    chmod(path, mode);
}

/* "name type perm size data" per entry of a tar, in order. */
static char *listing(const uint8_t *tar, size_t len)
{
    struct archive *a = archive_read_new();
    struct archive_entry *e;
    char *out = calloc(1, 8192), line[600], data[256];
    archive_read_support_format_tar(a);
    assert_int_equal(archive_read_open_memory(a, tar, len), ARCHIVE_OK);
    while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
        la_ssize_t n = archive_read_data(a, data, sizeof(data) - 1);
        data[n > 0 ? n : 0] = '\0';
        data[strcspn(data, "\n")] = '\0';              /* one line per entry */
        snprintf(line, sizeof(line), "%s %c %o %lld %s%s\n", archive_entry_pathname(e),
                 archive_entry_filetype(e) == AE_IFDIR ? 'd' : archive_entry_filetype(e) == AE_IFLNK ? 'l' : 'f',
                 (unsigned)archive_entry_perm(e), (long long)archive_entry_size(e), data,
                 archive_entry_symlink(e) ? archive_entry_symlink(e) : "");
        strcat(out, line);
    }
    archive_read_free(a);
    return out;
}

static void make_source(const char *root, char *src, size_t size)
{
    char sub[512];
    snprintf(src, size, "%s/host/src", root);
    mkdir(src, 0755);
    put(src, "a.txt", "alpha\n", 0644);
    put(src, "run.sh", "#!/bin/sh\n", 0755);
    snprintf(sub, sizeof(sub), "%s/d", src);
    mkdir(sub, 0750);
    put(sub, "b.txt", "beta\n", 0600);
    snprintf(sub, sizeof(sub), "%s/l", src);
    assert_int_equal(symlink("a.txt", sub), 0);
}

static void pack_tree_and_file(void **state)
{
    (void)state;
    struct tf_sandbox sb;
    struct rc_buf tar = { 0 };
    struct rc_err err = { 0 };
    char src[512], file[600];
    tf_sandbox_make(&sb);
    make_source(sb.root, src, sizeof(src));
    assert_int_equal(rc_pack(src, &tar, &err), 0);
    char *list = listing(tar.data, tar.len);
    const char *want[] = { "./ d 755 0 \n", "a.txt f 644 6 alpha\n", "run.sh f 755 10 #!/bin/sh\n",
                           "d/ d 750 0 \n", "d/b.txt f 600 5 beta\n", "l l 777 0 a.txt\n" };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        if (!strstr(list, want[i]))
            fail_msg("the tar lacks \"%s\":\n%s", want[i], list);
    size_t total = 0;
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        total += strlen(want[i]);
    if (strlen(list) != total)
        fail_msg("the tar holds more than the source:\n%s", list);
    free(list);
    rc_buf_free(&tar);
    snprintf(file, sizeof(file), "%s/run.sh", src);
    assert_int_equal(rc_pack(file, &tar, &err), 0);
    list = listing(tar.data, tar.len);
    assert_string_equal(list, "run.sh f 755 10 #!/bin/sh\n");
    free(list);
    rc_buf_free(&tar);
    rc_mutant_select(RC_MUT_COPY_IN_DROPS_MODES);
    assert_int_equal(rc_pack(file, &tar, &err), 0);
    rc_mutant_select(RC_MUT_NONE);
    list = listing(tar.data, tar.len);
    assert_string_equal(list, "run.sh f 644 10 #!/bin/sh\n");
    free(list);
    rc_buf_free(&tar);
    assert_int_equal(rc_pack("/nonexistent/x", &tar, &err), -1);
    assert_string_equal(err.kind, "invalid_argument");
    rc_buf_free(&tar);
    rc_err_clear(&err);
    tf_sandbox_free(&sb);
}

static const char *tricky[] = {
    "/work/in dir", "/a+b", "/q?x=1&y=2#frag", "/100%", "/caf\xc3\xa9/\xe2\x82\xac", "/tab\there",
    "/semi;colon=eq", "relative/../up",
};

/* The stub decodes the query as servers do ('+' is a space there). */
static void copy_in_uploads_one_tar(void **state)
{
    (void)state;
    const struct rs_reply replies[] = { { .method = "PUT", .status = 204 }, { 0 } };
    int port;
    struct rs_stub *stub = rs_start(replies, &port);
    struct rc_rest r = sc_rest(port);
    struct rc_box b = { strdup("box-1"), NULL };
    struct rc_err err = { 0 };
    struct tf_sandbox sb;
    char src[512];
    tf_sandbox_make(&sb);
    make_source(sb.root, src, sizeof(src));
    size_t n = sizeof(tricky) / sizeof(tricky[0]);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(rc_copy_in(&r, &b, src, tricky[i], &err), 0);
    rc_mutant_select(RC_MUT_PLUS_UNENCODED);
    assert_int_equal(rc_copy_in(&r, &b, src, "/a+b", &err), 0);
    rc_mutant_select(RC_MUT_NONE);
    struct rs_request seen[RS_MAX_REQUESTS];
    assert_int_equal(rs_requests(stub, seen), (int)n + 1);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(seen[i].path, "/v1/boxes/box-1/files");
        assert_string_equal(seen[i].path_arg, tricky[i]);
        assert_string_equal(seen[i].content_type, "application/x-tar");
    }
    assert_string_equal(seen[n].path_arg, "/a b");
    char *list = listing(seen[0].body, seen[0].body_len);
    assert_non_null(strstr(list, "d/b.txt f 600 5 beta\n"));
    free(list);
    rc_box_free(&b);
    tf_sandbox_free(&sb);
    rs_stop(stub);
    rc_rest_free(&r);
}

static void encoded_paths(void **state)
{
    (void)state;
    char *p = rc_files_path("box-1", "/a b+c&d#e?f%g");
    assert_string_equal(p, "/boxes/box-1/files?path=%2Fa%20b%2Bc%26d%23e%3Ff%25g");
    free(p);
    rc_mutant_select(RC_MUT_PLUS_UNENCODED);
    p = rc_files_path("box-1", "/a+b+c");
    assert_string_equal(p, "/boxes/box-1/files?path=%2Fa+b+c");
    free(p);
    rc_mutant_select(RC_MUT_NONE);
}

/* The stub's tar lands under dest; an error answer writes nothing. */
static void copy_out_extracts_or_writes_nothing(void **state)
{
    (void)state;
    static const struct tf_entry entries[] = {
        { "dir", 'd', 0755, NULL, NULL }, { "dir/x.txt", 'f', 0644, "x\n", NULL },
        { "dir/y.sh", 'f', 0755, "y\n", NULL }, { NULL },
    };
    size_t len;
    uint8_t *tar = tf_tar("", entries, 0, &len);
    const struct rs_reply replies[] = {
        { .method = "GET", .status = 200, .kind = RS_TEXT, .body = (const char *)tar, .body_len = len,
          .type = "application/x-tar", .uses = 1 },
        { .method = "GET", .status = 404,
          .body = "{\"error\":{\"message\":\"no such path\",\"type\":\"NotFoundError\",\"code\":\"not_found\"}}" },
        { 0 },
    };
    int port;
    struct rs_stub *stub = rs_start(replies, &port);
    struct rc_rest r = sc_rest(port);
    struct rc_box b = { strdup("box-1"), NULL };
    struct rc_err err = { 0 };
    struct tf_sandbox sb;
    struct stat st;
    tf_sandbox_make(&sb);
    assert_int_equal(rc_copy_out(&r, &b, "/var/log/a b+c", sb.dest, &err), 0);
    char y[512];
    snprintf(y, sizeof(y), "%s/dir/y.sh", sb.dest);
    assert_int_equal(stat(y, &st), 0);
    assert_true(st.st_mode & S_IXUSR);
    struct rs_request seen[RS_MAX_REQUESTS];
    rs_requests(stub, seen);
    assert_string_equal(seen[0].accept, "application/x-tar");
    assert_string_equal(seen[0].path_arg, "/var/log/a b+c");
    char *before = tf_fingerprint(sb.root, NULL);
    char other[512];
    snprintf(other, sizeof(other), "%s/host/new/place", sb.root);
    assert_int_equal(rc_copy_out(&r, &b, "/nope", other, &err), -1);
    assert_string_equal(err.kind, "not_found");
    assert_string_equal(err.message, "HTTP 404: no such path");
    char *after = tf_fingerprint(sb.root, NULL);
    assert_string_equal(before, after);
    free(before);
    free(after);
    free(tar);
    rc_err_clear(&err);
    rc_box_free(&b);
    tf_sandbox_free(&sb);
    rs_stop(stub);
    rc_rest_free(&r);
}

/* An endless tar body stops at the download bound, in bounded memory. */
static void copy_out_is_bounded(void **state)
{
    (void)state;
    static const struct tf_entry head[] = { { "big.bin", 'f', 0644, "", NULL }, { NULL } };
    (void)head;
    const struct rs_reply replies[] = {
        { .method = "GET", .status = 200, .kind = RS_ENDLESS, .type = "application/x-tar" }, { 0 },
    };
    int port;
    struct rs_stub *stub = rs_start(replies, &port);
    struct rc_rest r = sc_rest(port);
    struct rc_box b = { strdup("box-1"), NULL };
    struct rc_err err = { 0 };
    struct tf_sandbox sb;
    tf_sandbox_make(&sb);
    r.max_download = 8 << 20;
    char *before = tf_fingerprint(sb.root, NULL);
    assert_int_equal(rc_copy_out(&r, &b, "/big", sb.dest, &err), -1);
    char *after = tf_fingerprint(sb.root, NULL);
    assert_string_equal(before, after);
    free(before);
    free(after);
    rc_err_clear(&err);
    rc_box_free(&b);
    tf_sandbox_free(&sb);
    rs_stop(stub);
    rc_rest_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pack_tree_and_file),
        cmocka_unit_test(copy_in_uploads_one_tar),
        cmocka_unit_test(encoded_paths),
        cmocka_unit_test(copy_out_extracts_or_writes_nothing),
        cmocka_unit_test(copy_out_is_bounded),
    };
    rc_tar_use(&rc_tar_module);     /* linked in: no module beside this test */
    return cmocka_run_group_tests(tests, NULL, NULL);
}
