#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The sentinel tree: a hostile tar or box name aims at these. A hard link
 * out of a destination shows as their link count. */
static const struct {
    const char *path;
    char type;                  /* 'f' file, 'd' dir, 'l' symlink */
    int mode;
    const char *content;        /* file data, link target */
} sentinels[] = {
    { "outside", 'd', 0755, NULL },
    { "outside/secret.txt", 'f', 0600, "boxconform sentinel: no client may read or change this\n" },
    { "outside/notes.txt", 'f', 0644, "boxconform sentinel: no client may change this\n" },
    { "outside/dir", 'd', 0755, NULL },
    { "outside/dir/inner.txt", 'f', 0644, "boxconform sentinel, one level down\n" },
    { "outside/link", 'l', 0, "secret.txt" },
};

const char *bc_sandbox_sentinel(size_t i) {
    return i < sizeof sentinels / sizeof sentinels[0] ? sentinels[i].path : NULL;
}

static int fail(char *err, size_t errlen, const char *what, const char *path) {
    snprintf(err, errlen, "the sandbox: cannot %s %s: %s", what, path, strerror(errno));
    return -1;
}

/* mkdir -p of path's parents (path itself too when whole). */
static int make_parents(const char *path, bool whole, char *err, size_t errlen) {
    char *p = strdup(path);
    int rc = 0;
    for (char *slash = strchr(p + 1, '/'); rc == 0; slash = strchr(slash + 1, '/')) {
        if (!slash && !whole) break;
        if (slash) *slash = 0;
        if (mkdir(p, 0755) < 0 && errno != EEXIST) rc = fail(err, errlen, "create", p);
        if (!slash) break;
        *slash = '/';
    }
    free(p);
    return rc;
}

static int write_file(const char *path, const unsigned char *data, size_t len, int mode,
                      char *err, size_t errlen) {
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return fail(err, errlen, "create", path);
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(fd, data + done, len - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            close(fd);
            return fail(err, errlen, "write", path);
        }
        done += (size_t)n;
    }
    /* fchmod, not the umask: set-id bits are part of what a scenario says */
    if (fchmod(fd, (mode_t)mode) < 0 || close(fd) < 0) return fail(err, errlen, "write", path);
    return 0;
}

static int make_entry(const char *path, char type, int mode, const unsigned char *data,
                      size_t len, const char *target, char *err, size_t errlen) {
    if (make_parents(path, false, err, errlen) < 0) return -1;
    if (type == 'f') return write_file(path, data, len, mode, err, errlen);
    if (type == 'l') return symlink(target, path) < 0 ? fail(err, errlen, "link", path) : 0;
    if (mkdir(path, 0700) < 0 && errno != EEXIST) return fail(err, errlen, "create", path);
    return chmod(path, (mode_t)(mode | 0700)) < 0 ? fail(err, errlen, "chmod", path) : 0;
}

static int make_sentinels(const bc_sandbox *sb, char *err, size_t errlen) {
    for (size_t i = 0; i < sizeof sentinels / sizeof sentinels[0]; i++) {
        char *path;
        if (asprintf(&path, "%s/%s", sb->root, sentinels[i].path) < 0) return -1;
        const char *text = sentinels[i].content;
        int rc = make_entry(path, sentinels[i].type, sentinels[i].mode,
                            (const unsigned char *)text, text ? strlen(text) : 0, text, err,
                            errlen);
        free(path);
        if (rc < 0) return -1;
    }
    return 0;
}

/* A link target naming ${SANDBOX}/ gets the root in its place. */
static char *link_target(const bc_sandbox *sb, const char *target) {
    static const char prefix[] = BC_SANDBOX_PREFIX;
    char *out;
    if (strncmp(target, prefix, sizeof prefix - 1)) return strdup(target);
    if (asprintf(&out, "%s/%s", sb->root, target + sizeof prefix - 1) < 0) return NULL;
    return out;
}

/* Directories are made writable first and get their modes last, so a
 * read-only one can still be filled (and hold a destination's parents). */
static int make_files(const bc_sandbox *sb, const bc_client *c, bool modes, char *err,
                      size_t errlen) {
    for (size_t i = 0; i < c->sandbox_count; i++) {
        const bc_sandbox_entry *e = &c->sandbox[i];
        if (modes && e->type != BC_SANDBOX_DIR) continue;
        char *path = bc_sandbox_path(sb, e->path), *target = NULL;
        int dir_mode = e->mode >= 0 ? e->mode : 0755, rc;
        if (modes) {
            rc = chmod(path, (mode_t)dir_mode) < 0 ? fail(err, errlen, "chmod", path) : 0;
        } else {
            if (e->type == BC_SANDBOX_SYMLINK) target = link_target(sb, e->target);
            char type = e->type == BC_SANDBOX_FILE ? 'f' : e->type == BC_SANDBOX_DIR ? 'd' : 'l';
            rc = make_entry(path, type, e->mode >= 0 ? e->mode : type == 'f' ? 0644 : 0700,
                            e->data.data, e->data.len, target, err, errlen);
        }
        free(path);
        free(target);
        if (rc < 0) return -1;
    }
    return 0;
}

char *bc_sandbox_path(const bc_sandbox *sb, const char *rel) {
    char *path;
    return asprintf(&path, "%s/%s", sb->host, rel) < 0 ? NULL : path;
}

int bc_sandbox_make(bc_sandbox *sb, const char *run_dir, const bc_client *c, char *err,
                    size_t errlen) {
    memset(sb, 0, sizeof *sb);
    if (asprintf(&sb->root, "%s/sandbox", run_dir) < 0 ||
        asprintf(&sb->host, "%s/host", sb->root) < 0)
        return -1;
    if (mkdir(sb->root, 0755) < 0) return fail(err, errlen, "create", sb->root);
    if (mkdir(sb->host, 0755) < 0) return fail(err, errlen, "create", sb->host);
    if (make_sentinels(sb, err, errlen) < 0 || make_files(sb, c, false, err, errlen) < 0)
        return -1;
    const char *dest = bc_client_dest(c);
    if (dest) {
        char *abs = bc_sandbox_path(sb, dest);
        int rc = make_parents(abs, false, err, errlen);
        free(abs);
        if (rc < 0 || asprintf(&sb->dest, "host/%s", dest) < 0) return -1;
    }
    return make_files(sb, c, true, err, errlen);
}

void bc_sandbox_free(bc_sandbox *sb) {
    free(sb->root);
    free(sb->host);
    free(sb->dest);
    memset(sb, 0, sizeof *sb);
}
