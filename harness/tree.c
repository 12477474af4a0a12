#include "tree.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <openssl/evp.h>

/* ---- one entry ------------------------------------------------------------------ */

static const char *type_of(mode_t m) {
    return S_ISREG(m) ? "file" : S_ISDIR(m) ? "dir" : S_ISLNK(m) ? "symlink"
           : S_ISFIFO(m) ? "fifo" : S_ISCHR(m) ? "chardev" : S_ISBLK(m) ? "blockdev"
           : "socket";
}

/* sha256 of the regular file name in dir, if it is still the file st says. */
static json_t *hash_of(int dir, const char *name, const struct stat *st) {
    if (st->st_size > BC_TREE_HASH_MAX) return json_null();
    int fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    struct stat now;
    if (fd < 0) return json_null();
    if (fstat(fd, &now) < 0 || now.st_ino != st->st_ino || !S_ISREG(now.st_mode)) {
        close(fd);
        return json_null();
    }
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char buf[65536], digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    ssize_t n;
    bool ok = EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1;
    while (ok && (n = read(fd, buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR) continue;
        ok = n > 0 && EVP_DigestUpdate(md, buf, (size_t)n) == 1;
    }
    ok = ok && EVP_DigestFinal_ex(md, digest, &len) == 1;
    EVP_MD_CTX_free(md);
    close(fd);
    if (!ok) return json_null();
    char hex[2 * EVP_MAX_MD_SIZE + 1];
    for (unsigned i = 0; i < len; i++) snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    return json_string(hex);
}

/* JSON text is UTF-8: a name that is not gets its other bytes as \xNN. */
static char *printable(const char *name) {
    json_t *v = json_string(name);
    json_decref(v);
    if (v) return strdup(name);
    char *out = malloc(4 * strlen(name) + 1), *w = out;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        w += *p < 0x80 ? sprintf(w, "%c", *p) : sprintf(w, "\\x%02x", *p);
    return out;
}

static json_t *link_of(int dir, const char *name) {
    char target[4096];
    ssize_t n = readlinkat(dir, name, target, sizeof target - 1);
    if (n < 0) return json_null();
    target[n] = 0;
    char *text = printable(target);
    json_t *v = json_string(text);
    free(text);
    return v;
}

static json_t *entry_of(int dir, const char *name, const struct stat *st) {
    json_t *e = json_pack("{s:s,s:i,s:I,s:I,s:I,s:I,s:I}", "type", type_of(st->st_mode),
                          "mode", (int)(st->st_mode & 07777), "size", (json_int_t)st->st_size,
                          "uid", (json_int_t)st->st_uid, "gid", (json_int_t)st->st_gid,
                          "nlink", (json_int_t)st->st_nlink, "ino", (json_int_t)st->st_ino);
    if (S_ISREG(st->st_mode)) json_object_set_new(e, "sha256", hash_of(dir, name, st));
    if (S_ISLNK(st->st_mode)) json_object_set_new(e, "target", link_of(dir, name));
    if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
        json_object_set_new(e, "rdev", json_pack("[I,I]", (json_int_t)major(st->st_rdev),
                                                 (json_int_t)minor(st->st_rdev)));
    return e;
}

/* ---- the walk ------------------------------------------------------------------- */

typedef struct walk {
    json_t *listing;
    const char *why;            /* first reason the listing is not whole */
} walk;

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in directory fd (sorted, new vector of *n), NULL on error. */
static char **names_in(int fd, size_t *n) {
    int dup_fd = dup(fd);
    DIR *d = dup_fd < 0 ? NULL : fdopendir(dup_fd);
    if (!d) {
        if (dup_fd >= 0) close(dup_fd);
        return NULL;
    }
    char **names = NULL;
    size_t cap = 0;
    struct dirent *de;
    *n = 0;
    while ((de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
        if (*n == cap) names = realloc(names, (cap = 2 * cap + 16) * sizeof *names);
        names[(*n)++] = strdup(de->d_name);
    }
    closedir(d);
    if (*n) qsort(names, *n, sizeof *names, by_name);
    return names ? names : calloc(1, sizeof *names);
}

static void walk_dir(walk *w, int fd, const char *prefix);

static void visit(walk *w, int dir, const char *name, const char *path) {
    struct stat st;
    if (json_object_size(w->listing) >= BC_TREE_MAX_ENTRIES) {
        w->why = w->why ? w->why : "more entries than a listing holds";
        return;
    }
    if (fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
        w->why = w->why ? w->why : "an entry vanished or could not be read";
        return;
    }
    json_object_set_new(w->listing, path, entry_of(dir, name, &st));
    if (!S_ISDIR(st.st_mode)) return;
    int sub = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (sub < 0) {
        w->why = w->why ? w->why : "a directory could not be opened";
        return;
    }
    walk_dir(w, sub, path);
    close(sub);
}

static void walk_dir(walk *w, int fd, const char *prefix) {
    size_t n;
    char **names = names_in(fd, &n);
    if (!names) {
        w->why = w->why ? w->why : "a directory could not be read";
        return;
    }
    for (size_t i = 0; i < n; i++) {
        char *path, *shown = printable(names[i]);
        if (asprintf(&path, "%s%s%s", strcmp(prefix, ".") ? prefix : "",
                     strcmp(prefix, ".") ? "/" : "", shown) >= 0) {
            visit(w, fd, names[i], path);
            free(path);
        }
        free(shown);
        free(names[i]);
    }
    free(names);
}

void bc_tree_warm(void) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    (void)EVP_Digest("", 0, digest, &len, EVP_sha256(), NULL);
}

json_t *bc_tree_scan(const char *root, const char **why) {
    walk w = { json_object(), NULL };
    visit(&w, AT_FDCWD, root, ".");
    if (!json_object_get(w.listing, ".")) w.why = "the tree's root could not be read";
    *why = w.why;
    return w.listing;
}

/* ---- the diff -------------------------------------------------------------------- */

bool bc_tree_within(const char *path, const char *dest) {
    size_t n = dest ? strlen(dest) : 0;
    return dest && !strncmp(path, dest, n) && (path[n] == 0 || path[n] == '/');
}

/* The keys of before and after that differ; NULL when none. */
static json_t *differing(const json_t *before, const json_t *after) {
    bool dir = !strcmp(json_string_value(json_object_get(before, "type")), "dir") &&
               json_equal(json_object_get(before, "type"), json_object_get(after, "type"));
    json_t *fields = json_array(), *v;
    const char *key;
    json_t *keys = json_object();
    json_object_update(keys, (json_t *)before);
    json_object_update(keys, (json_t *)after);
    json_object_foreach(keys, key, v) {
        if (dir && (!strcmp(key, "size") || !strcmp(key, "nlink"))) continue;
        if (!json_equal(json_object_get(before, key), json_object_get(after, key)))
            json_array_append_new(fields, json_string(key));
    }
    json_decref(keys);
    if (json_array_size(fields)) return fields;
    json_decref(fields);
    return NULL;
}

static json_t *side(void) {
    return json_pack("{s:[],s:[],s:[]}", "created", "changed", "removed");
}

const char *bc_tree_area(const char *path, const char *dest) {
    if (bc_tree_within(path, dest)) return "dest";
    return bc_tree_within(path, "host") ? "host" : "outside";
}

static void note(json_t *diff, const char *dest, const char *path, const char *kind,
                 json_t *change) {
    json_t *area = json_object_get(json_object_get(diff, "changes"), bc_tree_area(path, dest));
    json_object_set_new(change, "path", json_string(path));
    json_array_append_new(json_object_get(area, kind), change);
}

json_t *bc_tree_diff(const json_t *before, const json_t *after, const char *dest) {
    json_t *diff = json_pack("{s:s?,s:{s:o,s:o,s:o}}", "dest", dest, "changes", "dest", side(),
                             "host", side(), "outside", side());
    const char *path;
    json_t *was, *now, *fields;
    json_object_foreach((json_t *)before, path, was) {
        now = json_object_get(after, path);
        if (!now)
            note(diff, dest, path, "removed", json_pack("{s:O}", "before", was));
        else if ((fields = differing(was, now)))
            note(diff, dest, path, "changed",
                 json_pack("{s:O,s:O,s:o}", "before", was, "after", now, "fields", fields));
    }
    json_object_foreach((json_t *)after, path, now)
        if (!json_object_get(before, path))
            note(diff, dest, path, "created", json_pack("{s:O}", "after", now));
    return diff;
}
