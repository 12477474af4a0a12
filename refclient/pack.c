/* pack.c - the copy-in tar (see pack.h). */
#include "pack.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mutant.h"
#include "strf.h"

static la_ssize_t to_buf(struct archive *a, void *user, const void *data, size_t n)
{
    (void)a;
    rc_buf_append(user, data, n);
    return (la_ssize_t)n;
}

/* The tar name of a path the walk found under src. */
static char *entry_name(const char *src, bool tree, const char *walked)
{
    if (!tree) {
        char *copy = strdup(walked);
        char *name = strdup(basename(copy));
        free(copy);
        return name;
    }
    const char *rel = walked + strlen(src);
    while (*rel == '/')
        rel++;
    return strdup(*rel ? rel : ".");
}

static int copy_to_tar(struct archive *disk, struct archive *tar)
{
    char chunk[65536];
    la_ssize_t n;
    while ((n = archive_read_data(disk, chunk, sizeof(chunk))) > 0)
        if (archive_write_data(tar, chunk, (size_t)n) != n)
            return -1;
    return n < 0 ? -1 : 0;
}

/* One entry the walk found, renamed and written with its data. */
static int add_entry(struct archive *disk, struct archive *tar, struct archive_entry *e,
                     const char *src, bool tree)
{
    char *name = entry_name(src, tree, archive_entry_pathname(e));
    archive_entry_set_pathname(e, name);
    free(name);
    bool regular = archive_entry_filetype(e) == AE_IFREG;
    if (regular && rc_mutant_is(RC_MUT_COPY_IN_DROPS_MODES))
        archive_entry_set_perm(e, 0644);
    if (archive_write_header(tar, e) < ARCHIVE_WARN)
        return -1;
    return regular && archive_entry_size(e) > 0 ? copy_to_tar(disk, tar) : 0;
}

static int walk(struct archive *disk, struct archive *tar, const char *src, bool tree)
{
    struct archive_entry *e = archive_entry_new();
    int rc = 0, r;
    while ((r = archive_read_next_header2(disk, e)) != ARCHIVE_EOF) {
        if (r < ARCHIVE_WARN || (tree && archive_read_disk_descend(disk) < ARCHIVE_WARN) ||
            add_entry(disk, tar, e, src, tree) < 0) {
            rc = -1;
            break;
        }
        if (!tree)
            break;           /* a lone file: that one entry */
        archive_entry_clear(e);
    }
    archive_entry_free(e);
    return rc;
}

int rc_pack(const char *src, struct rc_buf *out, struct rc_err *err)
{
    struct stat st;
    if (stat(src, &st) < 0) {
        rc_err_set(err, "invalid_argument", "cannot read %s: %s", src, strerror(errno));
        return -1;
    }
    struct archive *tar = archive_write_new(), *disk = archive_read_disk_new();
    archive_write_set_format_pax_restricted(tar);
    archive_write_set_bytes_in_last_block(tar, 1);
    archive_read_disk_set_symlink_hybrid(disk);
    archive_read_disk_set_behavior(disk, ARCHIVE_READDISK_NO_XATTR | ARCHIVE_READDISK_NO_ACL |
                                         ARCHIVE_READDISK_NO_FFLAGS | ARCHIVE_READDISK_NO_SPARSE);
    int rc = archive_write_open(tar, out, NULL, to_buf, NULL) == ARCHIVE_OK &&
             archive_read_disk_open(disk, src) == ARCHIVE_OK ? 0 : -1;
    if (rc == 0)
        rc = walk(disk, tar, src, S_ISDIR(st.st_mode));
    if (rc < 0) {
        const char *why = archive_error_string(tar) ? archive_error_string(tar)
                                                    : archive_error_string(disk);
        rc_err_set(err, "storage", "cannot pack %s into a tar: %s", src, why ? why : "unknown error");
    }
    if (archive_write_close(tar) != ARCHIVE_OK && rc == 0) {
        rc_err_set(err, "storage", "cannot finish the tar of %s: %s", src, archive_error_string(tar));
        rc = -1;
    }
    archive_write_free(tar);
    archive_read_free(disk);
    return rc;
}
