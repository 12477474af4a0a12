/* tarball.c - tars with libarchive, in memory; SHA-256 with OpenSSL. */
#include "tarball.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>

#include "journal.h"

/* libarchive converts names between UTF-8 and the locale's charset: in the
 * C locale a non-ASCII name fails both ways (and a long one crashed it). The
 * scenario's names and the journal's are UTF-8, so tars are made and read
 * in C.UTF-8, for this thread only, for as long as that takes. */
static locale_t utf8_begin(void) {
    static locale_t utf8;
    if (!utf8) utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    return utf8 ? uselocale(utf8) : (locale_t)0;
}

static void utf8_end(locale_t previous) {
    if (previous) uselocale(previous);
}

/* ---- building ------------------------------------------------------------------ */

typedef struct membuf {
    unsigned char *p;
    size_t len, cap;
} membuf;

static la_ssize_t mem_write(struct archive *a, void *user, const void *p, size_t n) {
    (void)a;
    membuf *m = user;
    if (m->len + n > m->cap) {
        size_t cap = m->cap ? m->cap : 16384;
        while (cap < m->len + n) cap *= 2;
        unsigned char *grown = realloc(m->p, cap);
        if (!grown) return -1;
        m->p = grown;
        m->cap = cap;
    }
    memcpy(m->p + m->len, p, n);
    m->len += n;
    return (la_ssize_t)n;
}

/* path with a leading ${SANDBOX}/ put under sandbox; malloc'd. */
static char *resolve(const char *path, const char *sandbox) {
    static const char prefix[] = BC_SANDBOX_PREFIX;
    char *out = NULL;
    if (sandbox && !strncmp(path, prefix, sizeof prefix - 1)) {
        if (asprintf(&out, "%s/%s", sandbox, path + sizeof prefix - 1) < 0) out = NULL;
        return out;
    }
    return strdup(path);
}

static int filetype(bc_tar_type t) {
    switch (t) {
    case BC_TAR_DIR: return AE_IFDIR;
    case BC_TAR_SYMLINK: return AE_IFLNK;
    case BC_TAR_FIFO: return AE_IFIFO;
    case BC_TAR_CHARDEV: return AE_IFCHR;
    case BC_TAR_BLOCKDEV: return AE_IFBLK;
    default: return AE_IFREG;   /* files, and hardlinks (a regular entry naming its target) */
    }
}

/* A file entry's data: its bytes, or size patterned bytes made a chunk at a time. */
static int write_data(struct archive *a, const bc_tar_entry *e) {
    if (!e->patterned)
        return e->data.len && archive_write_data(a, e->data.data, e->data.len) < 0 ? -1 : 0;
    static uint8_t chunk[64 * BC_FLOOD_PERIOD];
    for (size_t i = 0; i < sizeof chunk; i++) chunk[i] = (uint8_t)BC_FLOOD_PATTERN[i % BC_FLOOD_PERIOD];
    for (unsigned long long left = e->size; left > 0;) {
        size_t n = left < sizeof chunk ? (size_t)left : sizeof chunk;
        if (archive_write_data(a, chunk, n) < 0) return -1;
        left -= n;
    }
    return 0;
}

static int write_entry(struct archive *a, const bc_tar_entry *e, const char *sandbox) {
    struct archive_entry *ae = archive_entry_new();
    char *path = resolve(e->path, sandbox), *target = e->target ? resolve(e->target, sandbox) : NULL;
    archive_entry_set_pathname_utf8(ae, path);
    archive_entry_set_filetype(ae, (unsigned)filetype(e->type));
    archive_entry_set_perm(ae, (mode_t)e->mode);
    archive_entry_set_mtime(ae, (time_t)e->mtime, 0);
    if (e->type == BC_TAR_FILE) archive_entry_set_size(ae, (la_int64_t)(e->patterned ? e->size : e->data.len));
    if (e->type == BC_TAR_SYMLINK) archive_entry_set_symlink_utf8(ae, target);
    if (e->type == BC_TAR_HARDLINK) archive_entry_set_hardlink_utf8(ae, target);
    if (e->type == BC_TAR_CHARDEV || e->type == BC_TAR_BLOCKDEV) {
        archive_entry_set_rdevmajor(ae, 1); /* /dev/null: harmless wherever it lands */
        archive_entry_set_rdevminor(ae, 3);
    }
    int rc = archive_write_header(a, ae) < ARCHIVE_WARN ? -1 : 0;
    if (rc == 0 && e->type == BC_TAR_FILE) rc = write_data(a, e);
    archive_entry_free(ae);
    free(path);
    free(target);
    return rc;
}

unsigned char *fs_tar_build(const bc_tar_spec *spec, const char *sandbox, size_t *len) {
    membuf m = {0};
    locale_t previous = utf8_begin();
    struct archive *a = archive_write_new();
    archive_write_set_format_pax_restricted(a);
    archive_write_set_bytes_in_last_block(a, 1); /* end after the two zero blocks */
    int rc = archive_write_open(a, &m, NULL, mem_write, NULL) == ARCHIVE_OK ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < spec->count; i++)
        rc = write_entry(a, &spec->entries[i], sandbox);
    if (archive_write_close(a) != ARCHIVE_OK) rc = -1;
    archive_write_free(a);
    utf8_end(previous);
    if (rc < 0) {
        free(m.p);
        return NULL;
    }
    if (spec->truncated && spec->truncate < m.len) m.len = (size_t)spec->truncate;
    *len = m.len;
    return m.p ? m.p : calloc(1, 1);
}

/* ---- reading ------------------------------------------------------------------- */

static const char *type_of(struct archive_entry *ae) {
    if (archive_entry_hardlink(ae)) return "hardlink";
    switch (archive_entry_filetype(ae)) {
    case AE_IFREG: return "file";
    case AE_IFDIR: return "dir";
    case AE_IFLNK: return "symlink";
    case AE_IFIFO: return "fifo";
    case AE_IFCHR: return "chardev";
    case AE_IFBLK: return "blockdev";
    case AE_IFSOCK: return "socket";
    default: return "unknown";
    }
}

/* key: the UTF-8 form if there is one (or the raw bytes are UTF-8), else
 * key_b64 of the raw bytes. */
static void set_name(json_t *o, const char *key, const char *utf8, const char *raw) {
    json_t *v = utf8 ? json_string(utf8) : raw ? json_string(raw) : NULL;
    if (v) {
        json_object_set_new(o, key, v);
        return;
    }
    char b64key[32];
    snprintf(b64key, sizeof b64key, "%s_b64", key);
    json_object_set_new(o, b64key, fs_journal_b64((const uint8_t *)(raw ? raw : ""), raw ? strlen(raw) : 0));
}

/* Reads the entry's data to its end: its SHA-256 as hex into hex[65]. */
static int hash_data(struct archive *a, char hex[65]) {
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    const void *buf;
    size_t n;
    la_int64_t off;
    int r;
    EVP_DigestInit_ex(md, EVP_sha256(), NULL);
    while ((r = archive_read_data_block(a, &buf, &n, &off)) == ARCHIVE_OK) EVP_DigestUpdate(md, buf, n);
    unsigned char sum[32];
    EVP_DigestFinal_ex(md, sum, NULL);
    EVP_MD_CTX_free(md);
    for (int i = 0; i < 32; i++) sprintf(hex + 2 * i, "%02x", sum[i]);
    return r == ARCHIVE_EOF ? 0 : -1;
}

static json_t *entry_json(struct archive *a, struct archive_entry *ae, int *data_ok) {
    json_t *o = json_object();
    const char *type = type_of(ae);
    set_name(o, "path", archive_entry_pathname_utf8(ae), archive_entry_pathname(ae));
    json_object_set_new(o, "type", json_string(type));
    json_object_set_new(o, "mode", json_integer(archive_entry_perm(ae) & 07777));
    json_object_set_new(o, "size", json_integer(archive_entry_size(ae)));
    if (!strcmp(type, "file")) {
        char hex[65];
        *data_ok = hash_data(a, hex) == 0;
        json_object_set_new(o, "sha256", json_string(hex));
    }
    if (!strcmp(type, "symlink"))
        set_name(o, "target", archive_entry_symlink_utf8(ae), archive_entry_symlink(ae));
    if (!strcmp(type, "hardlink"))
        set_name(o, "target", archive_entry_hardlink_utf8(ae), archive_entry_hardlink(ae));
    if (!strcmp(type, "chardev") || !strcmp(type, "blockdev"))
        json_object_set_new(o, "rdev", json_pack("[II]", (json_int_t)archive_entry_rdevmajor(ae),
                                                 (json_int_t)archive_entry_rdevminor(ae)));
    return o;
}

json_t *fs_tar_entries(const void *p, size_t n, char **error) {
    locale_t previous = utf8_begin();
    json_t *entries = json_array();
    struct archive *a = archive_read_new();
    struct archive_entry *ae;
    int r = n > 0 ? ARCHIVE_OK : ARCHIVE_EOF;
    *error = NULL;
    archive_read_support_format_tar(a);
    if (n > 0 && archive_read_open_memory(a, p, n) != ARCHIVE_OK) r = ARCHIVE_FATAL;
    while (r == ARCHIVE_OK && ((r = archive_read_next_header(a, &ae)) == ARCHIVE_OK ||
                               r == ARCHIVE_WARN)) {
        r = ARCHIVE_OK;
        int data_ok = 1;
        json_array_append_new(entries, entry_json(a, ae, &data_ok));
        if (!data_ok) {
            r = ARCHIVE_FATAL;
            break;
        }
    }
    if (r != ARCHIVE_EOF) {
        const char *msg = archive_error_string(a);
        *error = strdup(msg ? msg : "not a tar archive");
    }
    archive_read_free(a);
    utf8_end(previous);
    return entries;
}

const struct fs_tar_ops fs_tar_module = { fs_tar_build, fs_tar_entries };
