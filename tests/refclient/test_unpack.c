/* refclient/unpack.c: secure extraction. Every hostile entry kind of
 * SEC-TAR against a sandbox with sentinels outside the destination: the
 * reference changes nothing outside it, the vulnerable mutant does (the
 * test can fail), and the tree lands where FILES-OUT says. */
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

#include "mutant.h"
#include "tar_fixture.h"
#include "unpack.h"

struct memory {
    const uint8_t *data;
    size_t len, off;
};

static ssize_t from_memory(void *user, void *buf, size_t n, struct rc_err *err)
{
    struct memory *m = user;
    size_t k = m->len - m->off < n ? m->len - m->off : n;
    (void)err;
    memcpy(buf, m->data + m->off, k);
    m->off += k;
    return (ssize_t)k;
}

/* Extracts entries into sb's dest (made first when dest_dir); rc_unpack's
 * return, err filled. */
static int extract(struct tf_sandbox *sb, const struct tf_entry *entries, size_t truncate,
                   int dest_dir, struct rc_err *err)
{
    size_t len;
    uint8_t *tar = tf_tar(sb->root, entries, truncate, &len);
    struct memory m = { tar, len, 0 };
    if (dest_dir)
        mkdir(sb->dest, 0755);
    int rc = rc_unpack(from_memory, &m, sb->dest, err);
    free(tar);
    return rc;
}

static char *path_in(const char *dir, const char *name)
{
    char *p = malloc(strlen(dir) + strlen(name) + 2);
    sprintf(p, "%s/%s", dir, name);
    return p;
}

/* Nothing under dest is a device, fifo, or setuid/setgid file. */
static int tame_tree(const char *dest)
{
    char *fp = tf_fingerprint(dest, NULL), *line = fp, *nl;
    int ok = 1;
    for (; (nl = strchr(line, '\n')); line = nl + 1) {
        unsigned mode;
        char path[1024];
        if (sscanf(line, "%1023s %o", path, &mode) == 2 &&
            (S_ISCHR(mode) || S_ISBLK(mode) || S_ISFIFO(mode) || (mode & (S_ISUID | S_ISGID))))
            ok = 0;
    }
    free(fp);
    return ok;
}

static const struct tf_entry hostile[][3] = {
    { { "../../escape.txt", 'f', 0, "pwned\n", NULL } },
    { { "@/outside/abs.txt", 'f', 0, "pwned\n", NULL } },
    { { "@/outside/sentinel.txt", 'f', 0, "pwned\n", NULL } },
    { { "link", 'l', 0, NULL, "../../../../../../outside" },
      { "link/through.txt", 'f', 0, "pwned\n", NULL } },
    { { "abslink", 'l', 0, NULL, "@/outside" }, { "abslink/sentinel.txt", 'f', 0, "pwned\n", NULL } },
    { { "hl", 'h', 0, "pwned\n", "../../../../../../outside/sentinel.txt" } },
    { { "ahl", 'h', 0, "pwned\n", "@/outside/sentinel.txt" } },
    { { "fifo", 'p', 0, NULL, NULL } },
    { { "dev", 'c', 0, NULL, NULL } },
    { { "suid", 'f', 04755, "#!/bin/sh\n", NULL }, { "sgid", 'f', 02755, "#!/bin/sh\n", NULL } },
};

static void hostile_entries_touch_nothing_outside(int dest_dir)
{
    for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
        struct tf_sandbox sb;
        struct rc_err err = { 0 };
        tf_sandbox_make(&sb);
        char *before = tf_fingerprint(sb.root, sb.dest);
        extract(&sb, hostile[i], 0, dest_dir, &err);
        char *after = tf_fingerprint(sb.root, sb.dest);
        if (strcmp(before, after) != 0)
            fail_msg("case %zu (%s) changed the sandbox outside dest:\n%s---\n%s", i, hostile[i][0].path,
                     before, after);
        assert_true(tame_tree(sb.dest));
        free(before);
        free(after);
        rc_err_clear(&err);
        tf_sandbox_free(&sb);
    }
}

static void hostile_into_existing_dir(void **state)
{
    (void)state;
    hostile_entries_touch_nothing_outside(1);
}

static void hostile_into_new_dest(void **state)
{
    (void)state;
    hostile_entries_touch_nothing_outside(0);
}

/* The same tars through the deliberately vulnerable mutants. */
static void mutants_are_vulnerable(void **state)
{
    (void)state;
    static const struct { enum rc_mutant_id m; size_t kase; } rows[] = {
        { RC_MUT_TAR_NO_SECURE, 0 }, { RC_MUT_TAR_NO_SECURE, 2 }, { RC_MUT_TAR_NO_SECURE, 3 },
        { RC_MUT_TAR_NO_SECURE, 5 },
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct tf_sandbox sb;
        struct rc_err err = { 0 };
        tf_sandbox_make(&sb);
        char *before = tf_fingerprint(sb.root, sb.dest);
        rc_mutant_select(rows[i].m);
        extract(&sb, hostile[rows[i].kase], 0, 1, &err);
        rc_mutant_select(RC_MUT_NONE);
        char *after = tf_fingerprint(sb.root, sb.dest);
        if (strcmp(before, after) == 0)
            fail_msg("case %zu: the mutant left the outside alone", rows[i].kase);
        free(before);
        free(after);
        rc_err_clear(&err);
        tf_sandbox_free(&sb);
    }
    struct tf_sandbox sb;
    struct rc_err err = { 0 };
    tf_sandbox_make(&sb);
    rc_mutant_select(RC_MUT_TAR_KEEPS_SPECIAL);
    extract(&sb, hostile[9], 0, 1, &err);
    rc_mutant_select(RC_MUT_NONE);
    if (geteuid() == 0)               /* set-id bits survive only for the owner */
        assert_false(tame_tree(sb.dest));
    rc_err_clear(&err);
    tf_sandbox_free(&sb);
}

static const struct tf_entry tree[] = {
    { "./", 'd', 0755, NULL, NULL },
    { "run.sh", 'f', 0755, "#!/bin/sh\necho hi\n", NULL },
    { "sub", 'd', 0750, NULL, NULL },
    { "sub/data.txt", 'f', 0600, "data\n", NULL },
    { "sub/inner", 'l', 0, NULL, "data.txt" },
    { NULL, 0, 0, NULL, NULL },
};

static void check_tree(const char *dest)
{
    struct stat st;
    char *run = path_in(dest, "run.sh"), *data = path_in(dest, "sub/data.txt");
    char *inner = path_in(dest, "sub/inner"), *text = tf_read(data);
    assert_int_equal(stat(run, &st), 0);
    assert_true(st.st_mode & S_IXUSR);
    assert_string_equal(text, "data\n");
    assert_int_equal(lstat(inner, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    free(text);
    free(run);
    free(data);
    free(inner);
}

/* FILES-OUT: the tree under dest, made or existing; one file as dest. */
static void trees_land_under_dest(void **state)
{
    (void)state;
    for (int dest_dir = 0; dest_dir <= 1; dest_dir++) {
        struct tf_sandbox sb;
        struct rc_err err = { 0 };
        tf_sandbox_make(&sb);
        assert_int_equal(extract(&sb, tree, 0, dest_dir, &err), 0);
        check_tree(sb.dest);
        tf_sandbox_free(&sb);
    }
}

static void one_file_lands_as_dest(void **state)
{
    (void)state;
    static const struct tf_entry one[] = { { "hello.txt", 'f', 0644, "hello\n", NULL }, { NULL } };
    struct tf_sandbox sb;
    struct rc_err err = { 0 };
    struct stat st;
    tf_sandbox_make(&sb);
    assert_int_equal(extract(&sb, one, 0, 0, &err), 0);    /* dest absent: dest is the file */
    char *text = tf_read(sb.dest);
    assert_string_equal(text, "hello\n");
    free(text);
    assert_int_equal(extract(&sb, one, 0, 0, &err), 0);    /* dest a file: replaced */
    assert_int_equal(lstat(sb.dest, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(extract(&sb, tree, 0, 0, &err), -1);  /* a tree cannot replace a file */
    assert_non_null(strstr(err.message, "not a directory"));
    unlink(sb.dest);
    assert_int_equal(extract(&sb, one, 0, 1, &err), 0);    /* dest a directory: inside it */
    char *inside = path_in(sb.dest, "hello.txt");
    text = tf_read(inside);
    assert_string_equal(text, "hello\n");
    free(text);
    free(inside);
    char *left = tf_fingerprint(sb.root, NULL);            /* no staging directory left */
    assert_null(strstr(left, ".rc-"));
    free(left);
    rc_err_clear(&err);
    tf_sandbox_free(&sb);
}

/* A cut tar is an error; into a new dest it leaves nothing at all. */
static void cut_or_bogus_tars_fail_cleanly(void **state)
{
    (void)state;
    static const struct tf_entry big[] = {
        { "a.txt", 'f', 0644, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", NULL },
        { "b.txt", 'f', 0644, "bbbb", NULL }, { NULL },
    };
    struct tf_sandbox sb;
    struct rc_err err = { 0 };
    tf_sandbox_make(&sb);
    char *before = tf_fingerprint(sb.root, NULL);
    assert_int_equal(extract(&sb, big, 700, 0, &err), -1);
    assert_string_equal(err.kind, "internal");
    char *after = tf_fingerprint(sb.root, NULL);
    assert_string_equal(before, after);
    free(after);
    struct memory m = { (const uint8_t *)"this is not a tar at all", 24, 0 };
    assert_int_equal(rc_unpack(from_memory, &m, sb.dest, &err), -1);
    assert_non_null(strstr(err.message, "not a tar"));
    after = tf_fingerprint(sb.root, NULL);
    assert_string_equal(before, after);
    free(before);
    free(after);
    rc_err_clear(&err);
    tf_sandbox_free(&sb);
}

static void flat_mutant_drops_directories(void **state)
{
    (void)state;
    struct tf_sandbox sb;
    struct rc_err err = { 0 };
    struct stat st;
    tf_sandbox_make(&sb);
    rc_mutant_select(RC_MUT_COPY_OUT_FLAT);
    assert_int_equal(extract(&sb, tree, 0, 1, &err), 0);
    rc_mutant_select(RC_MUT_NONE);
    char *flat = path_in(sb.dest, "data.txt");
    assert_int_equal(stat(flat, &st), 0);
    free(flat);
    tf_sandbox_free(&sb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hostile_into_existing_dir),
        cmocka_unit_test(hostile_into_new_dest),
        cmocka_unit_test(mutants_are_vulnerable),
        cmocka_unit_test(trees_land_under_dest),
        cmocka_unit_test(one_file_lands_as_dest),
        cmocka_unit_test(cut_or_bogus_tars_fail_cleanly),
        cmocka_unit_test(flat_mutant_drops_directories),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
