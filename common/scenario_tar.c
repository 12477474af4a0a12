/* scenario_tar.c - tar specs (REPLY "tar", server.files) and the rule that
 * keeps a hostile tar inside the run's sandbox. Part of the scenario loader:
 * see scenario_parts.h.
 *
 * The host-safety rule. A client under test may extract a tar as badly as
 * it likes: follow every symlink, keep "..", honour absolute paths, as root.
 * Whatever it does must land inside the sandbox the harness made for the
 * run, whose copy-out destination sits at least BC_TAR_DEST_DEPTH levels
 * below the sandbox root. So every absolute path or link target starts with
 * ${SANDBOX}/ (the fake server puts the sandbox root there), and every path
 * and target has a climb:
 *
 *   relative    how far it rises above where it starts (walking its
 *               components, the lowest point of names minus "..")
 *   absolute    BC_TAR_DEST_DEPTH minus how deep below the sandbox root it
 *               ends (0 when deeper), and it may not pass above the root
 *
 * The climbs of one spec add up to at most BC_TAR_DEST_DEPTH - 1. A symlink
 * resolves to one fixed place, wherever a later entry goes through it, and
 * every chain of links an extractor can follow is made of distinct entries:
 * so no chain rises more than that sum above the destination, and none
 * reaches the sandbox root itself. A rule per path ("at most 4 .. in a
 * row") would not hold: two links of 4 each, one through the other, climb 8. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jfield.h"
#include "scenario_parts.h"

#define BC_TAR_DEST_DEPTH (BC_TAR_CLIMB_MAX + 1)

static const char *const type_names[] = { "file", "dir", "symlink", "hardlink", "fifo",
                                          "chardev", "blockdev" };

const char *bc_tar_type_name(bc_tar_type t) {
    return (unsigned)t < sizeof type_names / sizeof type_names[0] ? type_names[t] : "unknown";
}

/* ---- climbing ---------------------------------------------------------------- */

/* Walks p's components from depth 0: the lowest and the final depth. */
static void walk(const char *p, long *low, long *end) {
    long depth = 0;
    *low = 0;
    while (*p) {
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.') depth--;
        else if (n > 0 && !(n == 1 && p[0] == '.')) depth++;
        if (depth < *low) *low = depth;
        p += n;
        while (*p == '/') p++;
    }
    *end = depth;
}

unsigned bc_path_climb(const char *p) {
    long low, end;
    walk(p, &low, &end);
    return (unsigned)-low;
}

/* A path or target's climb (see the top of the file), or -1 with err set
 * for an absolute one that is not under ${SANDBOX}/ or leaves it. */
static long climb(bc_jctx *c, const json_t *v, const char *p) {
    static const char prefix[] = BC_SANDBOX_PREFIX;
    if (p[0] != '/' && strncmp(p, prefix, sizeof prefix - 1))
        return bc_path_climb(p);
    if (strncmp(p, prefix, sizeof prefix - 1))
        return bc_jctx_expected(c, "an absolute path starting with " BC_SANDBOX_PREFIX
                                " (the run's sandbox)", v);
    long low, end;
    walk(p + sizeof prefix - 1, &low, &end);
    if (low < 0 || end < 1)
        return bc_jctx_expected(c, "a path that stays below " BC_SANDBOX_PREFIX, v);
    return end >= BC_TAR_DEST_DEPTH ? 0 : BC_TAR_DEST_DEPTH - end;
}

/* ---- entries ------------------------------------------------------------------ */

static int read_type(bc_jctx *c, const json_t *v, bc_tar_type *out) {
    for (size_t i = 0; json_is_string(v) && i < sizeof type_names / sizeof type_names[0]; i++)
        if (!strcmp(json_string_value(v), type_names[i])) {
            *out = (bc_tar_type)i;
            return 1;
        }
    return bc_jctx_expected(c, "\"file\", \"dir\", \"symlink\", \"hardlink\", \"fifo\", "
                            "\"chardev\" or \"blockdev\"", v);
}

/* Permission bits: an integer (0644 written as 420) or a string of octal
 * digits ("0644", "4755"); set-id and sticky bits allowed. */
static int read_mode(bc_jctx *c, const json_t *v, int *out) {
    const char *s = json_string_value(v);
    if (s && *s && strlen(s) <= 5 && strspn(s, "01234567") == strlen(s)) {
        long m = strtol(s, NULL, 8);
        if (m <= 07777) {
            *out = (int)m;
            return 1;
        }
    }
    if (json_is_integer(v) && json_integer_value(v) >= 0 && json_integer_value(v) <= 07777) {
        *out = (int)json_integer_value(v);
        return 1;
    }
    return bc_jctx_expected(c, "a mode (an integer from 0 to 4095, or octal digits in a "
                            "string such as \"0644\")", v);
}

static int read_mtime(bc_jctx *c, const json_t *v, long long *out) {
    unsigned long long t;
    if (bc_jval_count(c, v, 0, 1ULL << 40, "seconds since 1970", &t) < 0) return -1;
    *out = (long long)t;
    return 1;
}

static int read_size(bc_jctx *c, const json_t *v, bc_tar_entry *e) {
    e->patterned = true;
    return bc_jval_count(c, v, 0, BC_TAR_MAX_DATA, "a byte count", &e->size);
}

static const char *const *entry_keys(bc_tar_type t) {
    static const char *const file[] = { "path", "type", "data", "data_b64", "size", "mode",
                                         "mtime", NULL };
    static const char *const link[] = { "path", "type", "target", "mode", "mtime", NULL };
    static const char *const other[] = { "path", "type", "mode", "mtime", NULL };
    return t == BC_TAR_FILE ? file : t == BC_TAR_SYMLINK || t == BC_TAR_HARDLINK ? link : other;
}

static int default_mode(bc_tar_type t) {
    return t == BC_TAR_DIR ? 0755 : t == BC_TAR_SYMLINK ? 0777 : 0644;
}

/* Reads string member key (required) and adds its climb to *sum. */
static int read_climbing(bc_jctx *c, const json_t *obj, const char *key, char **out,
                         long *sum) {
    if (bc_jget_required(c, obj, key) < 0 || bc_jget_string(c, obj, key, out) < 0) return -1;
    bc_jctx_key(c, key);
    const json_t *v = json_object_get(obj, key);
    if (!**out) return bc_jctx_expected(c, "a non-empty path", v);
    long up = climb(c, v, *out);
    if (up < 0) return -1;
    *sum += up;
    if (*sum > BC_TAR_CLIMB_MAX)
        return bc_jctx_fail(c, BC_JPOS_VALUE, "expected the paths and link targets of a tar "
                            "to climb at most %d levels in all (docs/scenario.md, host safety), "
                            "got %ld with this one", BC_TAR_CLIMB_MAX, *sum);
    bc_jctx_up(c);
    return 0;
}

static int load_entry(bc_jctx *c, const json_t *obj, bc_tar_entry *e, long *sum) {
    char what[48];
    e->mtime = BC_TAR_MTIME;
    if (bc_jctx_need_object(c, obj) < 0 || BC_JMEMBER(c, obj, "type", read_type, &e->type) < 0)
        return -1;
    snprintf(what, sizeof what, "a \"%s\" tar entry", bc_tar_type_name(e->type));
    if (bc_jctx_known_keys(c, obj, what, entry_keys(e->type)) < 0 ||
        bc_jctx_at_most_one(c, obj, BC_JKEYS("data", "data_b64", "size")) < 0)
        return -1;
    e->mode = default_mode(e->type);
    if (read_climbing(c, obj, "path", &e->path, sum) < 0) return -1;
    if ((e->type == BC_TAR_SYMLINK || e->type == BC_TAR_HARDLINK) &&
        read_climbing(c, obj, "target", &e->target, sum) < 0)
        return -1;
    if (bc_jget_bytes(c, obj, "data", "data_b64", &e->data) < 0 ||
        BC_JMEMBER(c, obj, "size", read_size, e) < 0 ||
        BC_JMEMBER(c, obj, "mode", read_mode, &e->mode) < 0 ||
        BC_JMEMBER(c, obj, "mtime", read_mtime, &e->mtime) < 0)
        return -1;
    return 0;
}

static unsigned long long entry_bytes(const bc_tar_entry *e) {
    return e->patterned ? e->size : e->data.len;
}

static int read_entries(bc_jctx *c, const json_t *arr, bc_tar_spec *t) {
    static const char prefix[] = BC_SANDBOX_PREFIX;
    long sum = 0;
    unsigned long long data = 0;
    if (bc_jctx_need_array(c, arr) < 0) return -1;
    t->entries = calloc(json_array_size(arr) + 1, sizeof *t->entries);
    for (size_t i = 0; i < json_array_size(arr); i++) {
        bc_tar_entry *e = &t->entries[t->count++];
        bc_jctx_index(c, i);
        if (load_entry(c, json_array_get(arr, i), e, &sum) < 0) return -1;
        data += entry_bytes(e);
        if (data > BC_TAR_MAX_DATA)
            return bc_jctx_fail(c, BC_JPOS_VALUE, "expected at most %llu data bytes in a tar "
                                "(it is built in memory), got %llu with this entry",
                                BC_TAR_MAX_DATA, data);
        t->uses_sandbox |= !strncmp(e->path, prefix, sizeof prefix - 1) ||
                           (e->target && !strncmp(e->target, prefix, sizeof prefix - 1));
        bc_jctx_up(c);
    }
    return 1;
}

static int read_truncate(bc_jctx *c, const json_t *v, bc_tar_spec *t) {
    t->truncated = true;
    return bc_jval_count(c, v, 0, 1ULL << 40, "a byte count", &t->truncate);
}

int bc_scenario_read_tar(bc_jctx *c, const json_t *v, bc_tar_spec *out) {
    if (json_is_array(v)) return read_entries(c, v, out);
    if (!json_is_object(v))
        return bc_jctx_expected(c, "a tar spec (an array of entries, or an object with "
                                "\"entries\")", v);
    if (bc_jctx_known_keys(c, v, "a tar spec", BC_JKEYS("entries", "truncate")) < 0 ||
        bc_jget_required(c, v, "entries") < 0 ||
        BC_JMEMBER(c, v, "entries", read_entries, out) < 0 ||
        BC_JMEMBER(c, v, "truncate", read_truncate, out) < 0)
        return -1;
    return 1;
}

void bc_scenario_free_tar(bc_tar_spec *t) {
    for (size_t i = 0; i < t->count; i++) {
        free(t->entries[i].path);
        free(t->entries[i].data.data);
        free(t->entries[i].target);
    }
    free(t->entries);
    memset(t, 0, sizeof *t);
}
