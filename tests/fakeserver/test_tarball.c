/* test_tarball.c - tars the fake server builds from a tar spec and the
 * entries it reads from one: a hostile spec (links in and out, "..",
 * absolute paths under the sandbox, a fifo, devices, set-id bits, a long
 * and a non-ASCII name) built and read back entry for entry, also listed by
 * GNU tar as an independent reader; truncated and foreign bytes read as far
 * as they go, with the reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "scenario.h"
#include "tarball.h"

#define SANDBOX "/tmp/fs-sandbox-x"

static const char hostile[] =
    "{\"info\": {\"id\": \"h\", \"title\": \"t\", \"contracts\": [\"WIRE-OUT\"]},"
    " \"verify\": {\"WIRE-OUT\": {}},"
    " \"server\": {\"files\": {\"entries\": ["
    "  {\"path\": \"dir\", \"type\": \"dir\", \"mode\": \"1777\"},"
    "  {\"path\": \"dir/suid\", \"data\": \"#!/bin/sh\\n\", \"mode\": \"6755\"},"
    "  {\"path\": \"out\", \"type\": \"symlink\", \"target\": \"${SANDBOX}/o/a/b/c/d\"},"
    "  {\"path\": \"out/pwned\", \"data_b64\": \"AAEC/w==\"},"
    "  {\"path\": \"up\", \"type\": \"symlink\", \"target\": \"../..\"},"
    "  {\"path\": \"../x\", \"size\": 100000},"
    "  {\"path\": \"${SANDBOX}/o/a/b/c/abs\", \"data\": \"a\"},"
    "  {\"path\": \"hard\", \"type\": \"hardlink\", \"target\": \"${SANDBOX}/o/a/b/c/secret\"},"
    "  {\"path\": \"pipe\", \"type\": \"fifo\"},"
    "  {\"path\": \"null\", \"type\": \"chardev\", \"mode\": 438},"
    "  {\"path\": \"blk\", \"type\": \"blockdev\"},"
    "  {\"path\": \"d\\u00e9j\\u00e0/" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" "\", \"data\": \"long\"}"
    " ]}}}";

static bc_scenario *load(const char *text) {
    char err[512];
    bc_scenario *s = NULL;
    if (bc_scenario_load_text("h.json", text, strlen(text), &s, err, sizeof err) < 0)
        print_error("%s\n", err);
    assert_non_null(s);
    return s;
}

static void sha256_hex(const void *p, size_t n, char hex[65]) {
    unsigned char sum[32];
    EVP_Digest(p, n, sum, NULL, EVP_sha256(), NULL);
    for (int i = 0; i < 32; i++) sprintf(hex + 2 * i, "%02x", sum[i]);
}

static const char *str(json_t *e, const char *key) { return json_string_value(json_object_get(e, key)); }
static long long num(json_t *e, const char *key) { return json_integer_value(json_object_get(e, key)); }

static void assert_entry(json_t *e, const char *path, const char *type, int mode, long long size) {
    assert_string_equal(str(e, "path"), path);
    assert_string_equal(str(e, "type"), type);
    assert_int_equal(num(e, "mode"), mode);
    assert_int_equal(num(e, "size"), size);
}

static void hostile_spec_round_trips(void **state) {
    (void)state;
    bc_scenario *s = load(hostile);
    size_t len;
    unsigned char *tar = fs_tar_build(&s->server.files, SANDBOX, &len);
    assert_non_null(tar);
    char *error = (char *)"unset";
    json_t *got = fs_tar_entries(tar, len, &error);
    assert_null(error);
    assert_int_equal(json_array_size(got), 12);
    char hex[65];
    assert_entry(json_array_get(got, 0), "dir/", "dir", 01777, 0); /* tar writers mark a dir so */
    assert_entry(json_array_get(got, 1), "dir/suid", "file", 06755, 10);
    sha256_hex("#!/bin/sh\n", 10, hex);
    assert_string_equal(str(json_array_get(got, 1), "sha256"), hex);
    assert_entry(json_array_get(got, 2), "out", "symlink", 0777, 0);
    assert_string_equal(str(json_array_get(got, 2), "target"), SANDBOX "/o/a/b/c/d");
    sha256_hex("\0\1\2\377", 4, hex);
    assert_string_equal(str(json_array_get(got, 3), "sha256"), hex);
    assert_string_equal(str(json_array_get(got, 4), "target"), "../..");
    assert_entry(json_array_get(got, 5), "../x", "file", 0644, 100000);
    char *pattern = malloc(100000);
    for (size_t i = 0; i < 100000; i++) pattern[i] = BC_FLOOD_PATTERN[i % BC_FLOOD_PERIOD];
    sha256_hex(pattern, 100000, hex);
    free(pattern);
    assert_string_equal(str(json_array_get(got, 5), "sha256"), hex);
    assert_entry(json_array_get(got, 6), SANDBOX "/o/a/b/c/abs", "file", 0644, 1);
    assert_entry(json_array_get(got, 7), "hard", "hardlink", 0644, 0);
    assert_string_equal(str(json_array_get(got, 7), "target"), SANDBOX "/o/a/b/c/secret");
    assert_entry(json_array_get(got, 8), "pipe", "fifo", 0644, 0);
    assert_entry(json_array_get(got, 9), "null", "chardev", 0666, 0);
    json_t *rdev = json_object_get(json_array_get(got, 10), "rdev");
    assert_int_equal(json_integer_value(json_array_get(rdev, 0)), 1);
    assert_int_equal(json_integer_value(json_array_get(rdev, 1)), 3);
    assert_string_equal(str(json_array_get(got, 10), "type"), "blockdev");
    assert_int_equal(strncmp(str(json_array_get(got, 11), "path"), "d\xc3\xa9j\xc3\xa0/aaaa", 11), 0);
    assert_true(strlen(str(json_array_get(got, 11), "path")) > 100);
    json_decref(got);

    /* GNU tar reads the same archive: every entry, the devices 1,3, the bits */
    char path[] = "/tmp/fstar.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    fwrite(tar, 1, len, f);
    fclose(f);
    char cmd[128], listing[8192] = "";
    snprintf(cmd, sizeof cmd, "tar -tvf %s 2>&1", path);
    FILE *p = popen(cmd, "r");
    size_t n = fread(listing, 1, sizeof listing - 1, p);
    listing[n] = '\0';
    assert_int_equal(pclose(p), 0);
    unlink(path);
    print_message("%s", listing);
    assert_non_null(strstr(listing, "drwxrwxrwt"));
    assert_non_null(strstr(listing, "-rwsr-sr-x"));
    assert_non_null(strstr(listing, "out -> " SANDBOX "/o/a/b/c/d"));
    assert_non_null(strstr(listing, "hard link to tmp/fs-sandbox-x/o/a/b/c/secret")); /* GNU tar drops the / */
    assert_non_null(strstr(listing, "prw-r--r--"));
    assert_non_null(strstr(listing, "crw-rw-rw-"));
    assert_non_null(strstr(listing, "1,3"));
    assert_non_null(strstr(listing, " ../x"));
    free(tar);
    bc_scenario_free(s);
}

/* Without a sandbox (fakeserver --check) ${SANDBOX}/ stays as written. */
static void no_sandbox_keeps_the_placeholder(void **state) {
    (void)state;
    bc_scenario *s = load(hostile);
    size_t len;
    unsigned char *tar = fs_tar_build(&s->server.files, NULL, &len);
    char *error;
    json_t *got = fs_tar_entries(tar, len, &error);
    assert_string_equal(str(json_array_get(got, 6), "path"), "${SANDBOX}/o/a/b/c/abs");
    json_decref(got);
    free(tar);
    bc_scenario_free(s);
}

static void truncated_and_foreign_bytes(void **state) {
    (void)state;
    static const char text[] =
        "{\"info\": {\"id\": \"h\", \"title\": \"t\", \"contracts\": [\"WIRE-OUT\"]},"
        " \"verify\": {\"WIRE-OUT\": {}}, \"server\": {\"files\": {\"entries\": ["
        "  {\"path\": \"a\", \"data\": \"x\"}, {\"path\": \"b\", \"size\": 5000}], \"truncate\": 2000}}}";
    bc_scenario *s = load(text);
    size_t len;
    unsigned char *tar = fs_tar_build(&s->server.files, NULL, &len);
    assert_int_equal(len, 2000);
    char *error;
    json_t *got = fs_tar_entries(tar, len, &error);
    assert_non_null(error);                      /* cut inside b's data */
    print_message("truncated: %s\n", error);
    assert_int_equal(json_array_size(got), 2);
    assert_string_equal(str(json_array_get(got, 1), "path"), "b");
    free(error);
    json_decref(got);
    got = fs_tar_entries("not a tar at all", 16, &error);
    assert_non_null(error);
    assert_int_equal(json_array_size(got), 0);
    free(error);
    json_decref(got);
    got = fs_tar_entries("", 0, &error);         /* an empty upload: no entries, no error */
    assert_null(error);
    assert_int_equal(json_array_size(got), 0);
    json_decref(got);
    free(tar);
    bc_scenario_free(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hostile_spec_round_trips),
        cmocka_unit_test(no_sandbox_keeps_the_placeholder),
        cmocka_unit_test(truncated_and_foreign_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
