/* tar_fixture.h - tars built with libarchive for the tests, and a host
 * sandbox to extract them in: a fresh directory with a sentinel tree
 * `outside/` and a destination five levels down (host/a/b/c/d/dest), and a
 * fingerprint of a tree to see what an extraction changed. */
#ifndef TF_TAR_FIXTURE_H
#define TF_TAR_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

struct tf_entry {
    const char *path;
    char type;             /* 'f' file, 'd' dir, 'l' symlink, 'h' hardlink, 'p' fifo, 'c' chardev */
    int mode;              /* permission bits incl. set-id; 0: 0644 (files) or 0755 (dirs) */
    const char *data;      /* file (or hardlink) content */
    const char *target;    /* symlink or hardlink target; "@" is replaced by the sandbox root */
};

/* A tar of the entries (ends at a path NULL); truncate > 0 cuts it there. */
uint8_t *tf_tar(const char *root, const struct tf_entry *entries, size_t truncate, size_t *len);

struct tf_sandbox {
    char root[256];        /* the sandbox directory */
    char dest[320];        /* root/host/a/b/c/d/dest (not created) */
};

/* A fresh sandbox with its sentinels; tf_sandbox_free removes it (one a
 * failed assertion left behind goes at exit). */
void tf_sandbox_make(struct tf_sandbox *sb);
void tf_sandbox_free(struct tf_sandbox *sb);

/* path, type, mode, size, content hash, link count (a hard link made to a
 * file shows there) and link target of every entry
 * under dir not under skip (NULL: none), one sorted line each; malloc'd. */
char *tf_fingerprint(const char *dir, const char *skip);
/* A file's content (NULL when absent); malloc'd. */
char *tf_read(const char *path);

#endif
