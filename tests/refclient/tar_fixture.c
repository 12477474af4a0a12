/* tar_fixture.c - see tar_fixture.h. */
#include "tar_fixture.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

struct growing {
    uint8_t *data;
    size_t len;
};

static la_ssize_t grow(struct archive *a, void *user, const void *buf, size_t n)
{
    struct growing *g = user;
    (void)a;
    g->data = realloc(g->data, g->len + n);
    memcpy(g->data + g->len, buf, n);
    g->len += n;
    return (la_ssize_t)n;
}

static char *expand(const char *root, const char *s)
{
    char *out = malloc(strlen(root) + strlen(s) + 1);
    if (s[0] == '@')
        sprintf(out, "%s%s", root, s + 1);
    else
        strcpy(out, s);
    return out;
}

static void add(struct archive *a, const char *root, const struct tf_entry *t)
{
    struct archive_entry *e = archive_entry_new();
    char *path = expand(root, t->path), *target = t->target ? expand(root, t->target) : NULL;
    size_t size = t->data ? strlen(t->data) : 0;
    archive_entry_set_pathname(e, path);
    archive_entry_set_mtime(e, 1700000000, 0);
    switch (t->type) {
    case 'd': archive_entry_set_filetype(e, AE_IFDIR); break;
    case 'l': archive_entry_set_filetype(e, AE_IFLNK); archive_entry_set_symlink(e, target); break;
    case 'h': archive_entry_set_filetype(e, AE_IFREG); archive_entry_set_hardlink(e, target); break;
    case 'p': archive_entry_set_filetype(e, AE_IFIFO); break;
    case 'c': archive_entry_set_filetype(e, AE_IFCHR); archive_entry_set_rdev(e, makedev(1, 3)); break;
    default: archive_entry_set_filetype(e, AE_IFREG); break;
    }
    archive_entry_set_perm(e, t->mode ? t->mode : t->type == 'd' ? 0755 : 0644);
    if (t->type == 'f' || (t->type == 'h' && size))
        archive_entry_set_size(e, (la_int64_t)size);
    archive_write_header(a, e);
    if (size)
        archive_write_data(a, t->data, size);
    archive_entry_free(e);
    free(path);
    free(target);
}

uint8_t *tf_tar(const char *root, const struct tf_entry *entries, size_t truncate, size_t *len)
{
    struct growing g = { 0 };
    struct archive *a = archive_write_new();
    archive_write_set_format_pax_restricted(a);
    archive_write_open(a, &g, NULL, grow, NULL);
    for (const struct tf_entry *t = entries; t->path; t++)
        add(a, root, t);
    archive_write_close(a);
    archive_write_free(a);
    *len = truncate && truncate < g.len ? truncate : g.len;
    return g.data;
}

static void put_file(const char *path, const char *data, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    if (fd >= 0) {
        if (write(fd, data, strlen(data)) < 0)
            perror(path);
        close(fd);
    }
}

/* Sandboxes still there at exit (a failed assertion skips its free). */
static char live[64][256];

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw);

static void remove_leftovers(void)
{
    for (size_t i = 0; i < sizeof(live) / sizeof(live[0]); i++)
        if (live[i][0])
            nftw(live[i], remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void track(const char *root, bool add)
{
    static bool registered;
    if (!registered && atexit(remove_leftovers) == 0)
        registered = true;
    for (size_t i = 0; i < sizeof(live) / sizeof(live[0]); i++)
        if (add ? !live[i][0] : strcmp(live[i], root) == 0) {
            snprintf(live[i], sizeof(live[i]), "%s", add ? root : "");
            return;
        }
}

void tf_sandbox_make(struct tf_sandbox *sb)
{
    char p[400];
    snprintf(sb->root, sizeof(sb->root), "/tmp/rc-sandbox-XXXXXX");
    if (!mkdtemp(sb->root))
        abort();
    track(sb->root, true);
    snprintf(sb->dest, sizeof(sb->dest), "%s/host/a/b/c/d/dest", sb->root);
    const char *dirs[] = { "outside", "outside/dir", "host", "host/a", "host/a/b", "host/a/b/c",
                           "host/a/b/c/d" };
    for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
        snprintf(p, sizeof(p), "%s/%s", sb->root, dirs[i]);
        mkdir(p, 0755);
    }
    snprintf(p, sizeof(p), "%s/outside/sentinel.txt", sb->root);
    put_file(p, "sentinel\n", 0644);
    snprintf(p, sizeof(p), "%s/outside/dir/deep.txt", sb->root);
    put_file(p, "deep\n", 0644);
    snprintf(p, sizeof(p), "%s/outside/link", sb->root);
    if (symlink("sentinel.txt", p) < 0)
        perror(p);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)ftw;
    return flag == FTW_DP ? rmdir(path) : unlink(path), 0;
}

void tf_sandbox_free(struct tf_sandbox *sb)
{
    nftw(sb->root, remove_one, 16, FTW_DEPTH | FTW_PHYS);
    track(sb->root, false);
}

static char **lines;
static size_t n_lines;
static const char *skip_prefix;

static uint64_t fnv(const char *path)
{
    uint64_t h = 1469598103934665603ull;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
    unsigned char buf[4096];
    ssize_t n;
    while (fd >= 0 && (n = read(fd, buf, sizeof(buf))) > 0)
        for (ssize_t i = 0; i < n; i++)
            h = (h ^ buf[i]) * 1099511628211ull;
    if (fd >= 0)
        close(fd);
    return h;
}

static int note(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    char target[512] = "", line[1200];
    (void)flag, (void)ftw;
    if (skip_prefix && strncmp(path, skip_prefix, strlen(skip_prefix)) == 0)
        return 0;
    if (S_ISLNK(st->st_mode) && readlink(path, target, sizeof(target) - 1) < 0)
        target[0] = '\0';
    snprintf(line, sizeof(line), "%s %o %lld %016llx %lu %s", path, (unsigned)st->st_mode,
             (long long)st->st_size, S_ISREG(st->st_mode) ? (unsigned long long)fnv(path) : 0ull,
             S_ISDIR(st->st_mode) ? 0ul : (unsigned long)st->st_nlink, target);
    lines = realloc(lines, (n_lines + 1) * sizeof(*lines));
    lines[n_lines++] = strdup(line);
    return 0;
}

static int by_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char *tf_fingerprint(const char *dir, const char *skip)
{
    lines = NULL;
    n_lines = 0;
    skip_prefix = skip;
    nftw(dir, note, 16, FTW_PHYS);
    qsort(lines, n_lines, sizeof(*lines), by_text);
    size_t total = 1;
    for (size_t i = 0; i < n_lines; i++)
        total += strlen(lines[i]) + 1;
    char *out = calloc(1, total);
    for (size_t i = 0; i < n_lines; i++) {
        strcat(out, lines[i]);
        strcat(out, "\n");
        free(lines[i]);
    }
    free(lines);
    return out;
}

char *tf_read(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = calloc(1, 1 << 16);
    size_t n = fread(buf, 1, (1 << 16) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}
