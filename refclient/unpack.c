/* unpack.c - secure tar extraction (see unpack.h). */
#include "unpack.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "adapter.h"
#include "hostfs.h"
#include "mutant.h"
#include "strf.h"

#define RC_SECURE (ARCHIVE_EXTRACT_SECURE_SYMLINKS | ARCHIVE_EXTRACT_SECURE_NODOTDOT | \
                   ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS)

struct source {                 /* the stream libarchive pulls from */
    rc_unpack_reader read;
    void *user;
    struct rc_err err;          /* why the stream failed */
    char chunk[65536];
};

struct tally {                  /* what the tar held */
    int entries;                /* every header */
    int files;                  /* regular files written */
    char *first_file;           /* the first one's name as written */
};

static la_ssize_t pull(struct archive *a, void *user, const void **buf)
{
    struct source *src = user;
    ssize_t n = src->read(src->user, src->chunk, sizeof(src->chunk), &src->err);
    if (n < 0) {
        archive_set_error(a, EIO, "%s", src->err.message ? src->err.message : "read failed");
        return -1;
    }
    *buf = src->chunk;
    return n;
}

static int extract_flags(void)
{
    int flags = ARCHIVE_EXTRACT_TIME;
    if (!rc_mutant_is(RC_MUT_TAR_NO_SECURE))
        flags |= RC_SECURE;
    if (rc_mutant_is(RC_MUT_TAR_KEEPS_SPECIAL))
        flags |= ARCHIVE_EXTRACT_PERM;
    return flags;
}

static bool special(mode_t type)
{
    return type == AE_IFCHR || type == AE_IFBLK || type == AE_IFIFO || type == AE_IFSOCK;
}

/* Entry made harmless; false when it is skipped altogether. */
static bool tame(struct archive_entry *e)
{
    if (rc_mutant_is(RC_MUT_TAR_KEEPS_SPECIAL))
        return true;
    if (special(archive_entry_filetype(e))) {
        rc_emit_log("copy_out: skipped %s: a device, fifo or socket", archive_entry_pathname(e));
        return false;
    }
    archive_entry_set_perm(e, archive_entry_perm(e) & 0777);
    return true;
}

/* copy-out-flat drops directories: every file straight under dest. */
static bool flatten(struct archive_entry *e)
{
    if (archive_entry_filetype(e) != AE_IFREG) {
        archive_entry_set_pathname(e, ".");
        return archive_entry_filetype(e) == AE_IFDIR;
    }
    char *copy = strdup(archive_entry_pathname(e));
    archive_entry_set_pathname(e, basename(copy));
    free(copy);
    return true;
}

static int copy_to_disk(struct archive *tar, struct archive *disk, struct rc_err *err)
{
    const void *block;
    size_t size;
    la_int64_t offset;
    int r;
    while ((r = archive_read_data_block(tar, &block, &size, &offset)) == ARCHIVE_OK)
        if (archive_write_data_block(disk, block, size, offset) < ARCHIVE_WARN) {
            rc_err_set(err, "storage", "copy_out: cannot write: %s", archive_error_string(disk));
            return -1;
        }
    if (r != ARCHIVE_EOF) {
        rc_err_set(err, "internal", "copy_out: the tar is cut or damaged: %s", archive_error_string(tar));
        return -1;
    }
    return 0;
}

/* One entry onto disk; refused ones are logged. -1 ends the extraction. */
static int extract_entry(struct archive *tar, struct archive *disk, struct archive_entry *e,
                         struct tally *t, struct rc_err *err)
{
    bool regular = archive_entry_filetype(e) == AE_IFREG && !archive_entry_hardlink(e);
    t->entries++;
    if (!tame(e) || (rc_mutant_is(RC_MUT_COPY_OUT_FLAT) && !flatten(e)))
        return 0;
    int r = archive_write_header(disk, e);
    if (r == ARCHIVE_FATAL) {
        rc_err_set(err, "storage", "copy_out: %s: %s", archive_entry_pathname(e), archive_error_string(disk));
        return -1;
    }
    if (r < ARCHIVE_WARN) {
        rc_emit_log("copy_out: refused %s: %s", archive_entry_pathname(e), archive_error_string(disk));
        return 0;
    }
    if (archive_entry_size(e) > 0 && copy_to_disk(tar, disk, err) < 0)
        return -1;
    if (archive_write_finish_entry(disk) < ARCHIVE_WARN) {
        rc_err_set(err, "storage", "copy_out: %s: %s", archive_entry_pathname(e), archive_error_string(disk));
        return -1;
    }
    if (regular && t->files++ == 0)
        t->first_file = strdup(archive_entry_pathname(e));
    return 0;
}

static int extract_all(struct archive *tar, struct archive *disk, struct tally *t,
                       struct rc_err *err)
{
    struct archive_entry *e;
    int r;
    while ((r = archive_read_next_header(tar, &e)) != ARCHIVE_EOF) {
        if (r < ARCHIVE_WARN) {
            rc_err_set(err, "internal", "copy_out: not a tar, or a cut one: %s", archive_error_string(tar));
            return -1;
        }
        if (extract_entry(tar, disk, e, t, err) < 0)
            return -1;
    }
    if (archive_write_close(disk) < ARCHIVE_WARN) {
        rc_err_set(err, "storage", "copy_out: %s", archive_error_string(disk));
        return -1;
    }
    return 0;
}

/* Extracts the whole tar into the directory root (cwd while it runs). */
static int extract_into(const char *root, struct source *src, struct tally *t, struct rc_err *err)
{
    int home = open(".", O_RDONLY | O_DIRECTORY);
    if (home < 0 || chdir(root) < 0) {
        rc_err_set(err, "storage", "copy_out: cannot enter %s: %s", root, strerror(errno));
        if (home >= 0)
            close(home);
        return -1;
    }
    struct archive *tar = archive_read_new(), *disk = archive_write_disk_new();
    archive_read_support_format_tar(tar);
    archive_write_disk_set_options(disk, extract_flags());
    int rc = archive_read_open(tar, src, NULL, pull, NULL) == ARCHIVE_OK ? 0 : -1;
    if (rc < 0)
        rc_err_set(err, "internal", "copy_out: not a tar: %s", archive_error_string(tar));
    else
        rc = extract_all(tar, disk, t, err);
    archive_read_free(tar);
    archive_write_free(disk);
    if (fchdir(home) < 0 && rc == 0) {
        rc_err_set(err, "storage", "copy_out: cannot go back: %s", strerror(errno));
        rc = -1;
    }
    close(home);
    return rc;
}

/* The staging directory becomes dest: its one file, or itself. */
static int settle(const char *stage, const char *dest, const struct tally *t, struct rc_err *err)
{
    struct stat st;
    bool dest_exists = lstat(dest, &st) == 0;
    if (t->entries == 1 && t->files == 1) {
        char *file = rc_strf("%s/%s", stage, t->first_file);
        int rc = rename(file, dest);
        if (rc < 0)
            rc_err_set(err, "storage", "copy_out: cannot write %s: %s", dest, strerror(errno));
        free(file);
        return rc;
    }
    if (dest_exists) {
        rc_err_set(err, "storage", "copy_out: %s exists and is not a directory", dest);
        return -1;
    }
    if (rename(stage, dest) < 0) {
        rc_err_set(err, "storage", "copy_out: cannot write %s: %s", dest, strerror(errno));
        return -1;
    }
    return 0;
}

int rc_unpack(rc_unpack_reader read, void *user, const char *dest, struct rc_err *err)
{
    struct source src = { .read = read, .user = user };
    struct tally t = { 0 };
    struct stat st;
    char *parent = rc_dirname(dest);
    int rc;
    if (stat(dest, &st) == 0 && S_ISDIR(st.st_mode)) {
        rc = extract_into(dest, &src, &t, err);
    } else {
        char *stage = rc_mkdirs(parent, err) < 0 ? NULL : rc_temp_dir_beside(dest, err);
        rc = stage ? extract_into(stage, &src, &t, err) : -1;
        if (rc == 0)
            rc = settle(stage, dest, &t, err);
        if (stage)
            rc_remove_tree(stage);   /* gone after a rename; else the debris */
        free(stage);
    }
    if (rc < 0 && src.err.kind)      /* the stream's own failure says it best */
        rc_err_set(err, src.err.kind, "copy_out: %s", src.err.message);
    rc_err_clear(&src.err);
    free(t.first_file);
    free(parent);
    return rc;
}
