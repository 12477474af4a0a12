#include "profile.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wordexp.h>

#include "catalog.h"
#include "jpos.h"
#include "memwatch.h"

static const char *const profile_keys[] = { "name",        "command",          "faketime",
                                            "constants",   "unsupported",
                                            "memory_limit_mib", "writable", NULL };

typedef struct named_constant {
    const char *key;
    size_t offset;
} named_constant;

static const named_constant constant_keys[] = {
    { "first_frame", offsetof(bc_constants, first_frame) },
    { "watchdog", offsetof(bc_constants, watchdog) },
    { "probe_timeout", offsetof(bc_constants, probe_timeout) },
    { "backoff_initial", offsetof(bc_constants, backoff_initial) },
    { "backoff_max", offsetof(bc_constants, backoff_max) },
    { "budget", offsetof(bc_constants, budget) },
    { "handshake", offsetof(bc_constants, handshake) },
    { "ping_interval", offsetof(bc_constants, ping_interval) },
};

/* A positioned error at the value (or key) path leads to. */
typedef struct where {
    const char *file, *text;
    char *err;
    size_t errlen;
} where;

static int fail_at(const where *w, const bc_jpos_step *path, size_t depth, bc_jpos_what what,
                   const char *msg) {
    int line = 1, col = 1;
    bc_jpos_find(w->text, strlen(w->text), path, depth, what, &line, &col);
    snprintf(w->err, w->errlen, "%s:%d:%d: %s", w->file, line, col, msg);
    return -1;
}

/* ${NAME} -> its directory, for the names of bc_profile_dirs. */
static const char *const dir_names[] = { "BUILD", "ROOT", "LIBEXEC" };

static const char *dir_value(const bc_profile_dirs *dirs, size_t i) {
    const char *const values[] = { dirs->build, dirs->root, dirs->libexec };
    return values[i];
}

/* s with every ${NAME} expanded; NULL with *unknown set to the variable
 * (NAME) that has no value here. */
static char *expand(const char *s, const bc_profile_dirs *dirs, const char **unknown) {
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    while (*s && !*unknown) {
        size_t i = 0, n = 0;
        for (; i < 3; i++) {
            n = strlen(dir_names[i]);
            if (s[0] == '$' && s[1] == '{' && !strncmp(s + 2, dir_names[i], n) && s[2 + n] == '}')
                break;
        }
        if (i == 3) {
            fputc(*s++, f);
        } else if (dir_value(dirs, i)) {
            fputs(dir_value(dirs, i), f);
            s += n + 3;
        } else {
            *unknown = dir_names[i];
        }
    }
    fclose(f);
    if (*unknown) free(out), out = NULL;
    return out;
}

static int read_command(const where *w, json_t *cmd, const bc_profile_dirs *dirs,
                        bc_profile *out) {
    bc_jpos_step path[2] = { { "command", 0 }, { NULL, 0 } };
    if (!json_is_array(cmd) || json_array_size(cmd) == 0)
        return fail_at(w, path, 1, BC_JPOS_VALUE, "expected \"command\": a non-empty array "
                       "of strings");
    out->argc = json_array_size(cmd);
    out->argv = calloc(out->argc + 1, sizeof *out->argv);
    size_t i;
    json_t *arg;
    json_array_foreach(cmd, i, arg) {
        path[1].index = i;
        if (!json_is_string(arg))
            return fail_at(w, path, 2, BC_JPOS_VALUE, "expected a string");
        const char *unknown = NULL;
        out->argv[i] = expand(json_string_value(arg), dirs, &unknown);
        if (!out->argv[i]) {
            char msg[200];
            snprintf(msg, sizeof msg, "${%s} has no meaning in an installed boxconform; "
                     "expected ${LIBEXEC} (its programs) or ${ROOT} (its data)", unknown);
            return fail_at(w, path, 2, BC_JPOS_VALUE, msg);
        }
    }
    return 0;
}

/* An array of non-empty strings (absolute paths when abs) into *vec
 * (NULL-terminated) and *count. */
static int read_strings(const where *w, json_t *list, const char *key, const char *expected,
                        bool abs, char ***vec, size_t *count) {
    bc_jpos_step path[2] = { { key, 0 }, { NULL, 0 } };
    if (!json_is_array(list)) return fail_at(w, path, 1, BC_JPOS_VALUE, expected);
    *vec = calloc(json_array_size(list) + 1, sizeof **vec);
    size_t i;
    json_t *s;
    json_array_foreach(list, i, s) {
        path[1].index = i;
        if (!json_is_string(s) || !*json_string_value(s))
            return fail_at(w, path, 2, BC_JPOS_VALUE, "expected a non-empty string");
        if (abs && json_string_value(s)[0] != '/')
            return fail_at(w, path, 2, BC_JPOS_VALUE, "expected an absolute path");
        (*vec)[(*count)++] = strdup(json_string_value(s));
    }
    return 0;
}

/* "unsupported": what the client is known not to do, as --filter globs
 * (scenario id, keyword or contract ID). "writable": where a confined
 * adapter may write besides its sandbox and TMPDIR (confine.h). */
static int read_lists(const where *w, json_t *root, bc_profile *out) {
    json_t *list = json_object_get(root, "unsupported");
    if (list && read_strings(w, list, "unsupported", "expected \"unsupported\": an array of "
                             "scenario ids, keywords or contract IDs (globs, as --filter)",
                             false, &out->unsupported, &out->unsupported_count) < 0)
        return -1;
    list = json_object_get(root, "writable");
    return list ? read_strings(w, list, "writable", "expected \"writable\": an array of "
                               "absolute paths", true, &out->writable, &out->writable_count)
                : 0;
}

static int read_constants(const where *w, json_t *obj, bc_constants *k) {
    bc_jpos_step path[2] = { { "constants", 0 }, { NULL, 0 } };
    if (!json_is_object(obj))
        return fail_at(w, path, 1, BC_JPOS_VALUE, "expected \"constants\": an object");
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        path[1].key = key;
        const named_constant *c = NULL;
        for (size_t i = 0; i < sizeof constant_keys / sizeof constant_keys[0]; i++)
            if (strcmp(constant_keys[i].key, key) == 0) c = &constant_keys[i];
        if (!c)
            return fail_at(w, path, 2, BC_JPOS_KEY, "unknown constant; expected one of "
                           "first_frame, watchdog, probe_timeout, backoff_initial, "
                           "backoff_max, budget, handshake, ping_interval");
        if (!json_is_number(v) || json_number_value(v) < 0)
            return fail_at(w, path, 2, BC_JPOS_VALUE, "expected seconds, a number >= 0");
        *(double *)((char *)k + c->offset) = json_number_value(v);
    }
    return 0;
}

/* MiB the adapter's process group may hold (memwatch.h); 0: no limit. */
static int read_memory_limit(const where *w, json_t *v, bc_profile *out) {
    bc_jpos_step path[1] = { { "memory_limit_mib", 0 } };
    if (!v) return 0;
    if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > (1 << 30))
        return fail_at(w, path, 1, BC_JPOS_VALUE, "expected MiB, an integer from 0 (no "
                       "limit) to 1073741824");
    out->memory_limit = json_integer_value(v) << 20;
    return 0;
}

static int read_profile(const where *w, json_t *root, const bc_profile_dirs *dirs,
                        bc_profile *out) {
    bc_jpos_step path[1] = { { NULL, 0 } };
    if (!json_is_object(root))
        return fail_at(w, path, 0, BC_JPOS_VALUE, "expected a profile object");
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v) {
        bool known = false;
        for (const char *const *k = profile_keys; *k; k++) known |= strcmp(*k, key) == 0;
        path[0].key = key;
        if (!known)
            return fail_at(w, path, 1, BC_JPOS_KEY, "unknown key; expected name, command, "
                           "faketime, constants, unsupported, memory_limit_mib or writable");
    }
    path[0].key = "name";
    if (!json_is_string(json_object_get(root, "name")))
        return fail_at(w, path, json_object_get(root, "name") ? 1 : 0, BC_JPOS_VALUE,
                       "expected \"name\": a string");
    out->name = strdup(json_string_value(json_object_get(root, "name")));
    if (read_command(w, json_object_get(root, "command"), dirs, out) < 0)
        return -1;
    json_t *ft = json_object_get(root, "faketime");
    path[0].key = "faketime";
    if (ft && !json_is_boolean(ft))
        return fail_at(w, path, 1, BC_JPOS_VALUE, "expected true or false");
    out->faketime = !ft || json_is_true(ft);
    if (read_lists(w, root, out) < 0) return -1;
    if (read_memory_limit(w, json_object_get(root, "memory_limit_mib"), out) < 0) return -1;
    json_t *k = json_object_get(root, "constants");
    return k ? read_constants(w, k, &out->k) : 0;
}

static char *profile_path(const char *name_or_path, const char *clients_dir) {
    char *path;
    bool is_path = strchr(name_or_path, '/') || strstr(name_or_path, ".json");
    if (is_path) return strdup(name_or_path);
    if (asprintf(&path, "%s/%s.json", clients_dir, name_or_path) < 0) return NULL;
    return path;
}

int bc_profile_load(const char *name_or_path, const char *clients_dir,
                    const bc_profile_dirs *dirs, bc_profile *out, char *err, size_t errlen) {
    memset(out, 0, sizeof *out);
    out->k = bc_ev_production_constants();
    out->memory_limit = BC_MEM_DEFAULT_LIMIT;
    char *path = profile_path(name_or_path, clients_dir);
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    int rc = -1;
    if (!root) {
        snprintf(err, errlen, "%s:%d:%d: %s", path, je.line < 1 ? 1 : je.line,
                 je.column < 1 ? 1 : je.column, je.text);
    } else {
        FILE *f = fopen(path, "r");
        char *text = NULL;
        size_t len = 0;
        if (f && getdelim(&text, &len, '\0', f) >= 0) {
            where w = { path, text, err, errlen };
            rc = read_profile(&w, root, dirs, out);
        } else {
            snprintf(err, errlen, "%s: cannot read", path);
        }
        if (f) fclose(f);
        free(text);
    }
    json_decref(root);
    free(path);
    if (rc < 0) bc_profile_free(out);
    return rc;
}

/* A leading NAME=VALUE is the shell's to apply. */
static bool is_assignment(const char *word) {
    if (!isalpha((unsigned char)*word) && *word != '_') return false;
    while (isalnum((unsigned char)*word) || *word == '_') word++;
    return *word == '=';
}

static char **strv_dup(char *const *v, size_t n) {
    char **copy = calloc(n + 1, sizeof *copy);
    for (size_t i = 0; i < n; i++) copy[i] = strdup(v[i]);
    return copy;
}

int bc_profile_from_cmd(const char *cmd, bc_profile *out, char *err, size_t errlen) {
    memset(out, 0, sizeof *out);
    wordexp_t we;
    int rc = wordexp(cmd, &we, WRDE_NOCMD);
    if (rc == WRDE_SYNTAX || rc == WRDE_NOSPACE || (rc == 0 && we.we_wordc == 0)) {
        snprintf(err, errlen, "--client-cmd \"%s\": %s", cmd,
                 rc == WRDE_SYNTAX ? "not a command a shell could parse (an unbalanced "
                                     "quote or brace?)"
                 : rc ? "out of memory" : "an empty command");
        if (rc == 0 || rc == WRDE_NOSPACE) wordfree(&we);
        return -1;
    }
    out->shell = rc != 0 || is_assignment(we.we_wordv[0]);
    if (out->shell) {
        char *const sh[] = { "/bin/sh", "-c", (char *)cmd };
        out->argc = 3;
        out->argv = strv_dup(sh, 3);
    } else {
        out->argc = we.we_wordc;
        out->argv = strv_dup(we.we_wordv, we.we_wordc);
    }
    if (rc == 0) wordfree(&we);
    out->name = strdup(cmd);
    out->faketime = true;
    out->k = bc_ev_production_constants();
    out->memory_limit = BC_MEM_DEFAULT_LIMIT;
    return 0;
}

void bc_profile_with_args(const bc_profile *p, const char *const *extra, bc_profile *out) {
    size_t n = 0;
    while (extra[n]) n++;
    *out = *p;
    out->name = strdup(p->name);
    out->unsupported = strv_dup(p->unsupported, p->unsupported_count);
    out->argc = p->shell ? p->argc : p->argc + n;
    out->argv = calloc(out->argc + 1, sizeof *out->argv);
    for (size_t i = 0; i < p->argc; i++) out->argv[i] = strdup(p->argv[i]);
    for (size_t i = 0; i < n; i++) {
        if (p->shell) {
            char *joined;
            if (asprintf(&joined, "%s '%s'", out->argv[2], extra[i]) < 0) continue;
            free(out->argv[2]);
            out->argv[2] = joined;
        } else {
            out->argv[p->argc + i] = strdup(extra[i]);
        }
    }
}

bool bc_profile_declares_unsupported(const bc_profile *p, const bc_scenario *sc) {
    for (size_t i = 0; i < p->unsupported_count; i++)
        if (bc_catalog_matches(sc, p->unsupported[i])) return true;
    return false;
}

static json_t *strings_json(char **v, size_t n) {
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(a, json_string(v[i]));
    return a;
}

json_t *bc_profile_json(const bc_profile *p) {
    json_t *cmd = json_array();
    for (size_t i = 0; i < p->argc; i++) json_array_append_new(cmd, json_string(p->argv[i]));
    json_t *k = json_object();
    for (size_t i = 0; i < sizeof constant_keys / sizeof constant_keys[0]; i++)
        json_object_set_new(k, constant_keys[i].key,
                            json_real(*(const double *)((const char *)&p->k +
                                                        constant_keys[i].offset)));
    return json_pack("{s:s,s:o,s:b,s:o,s:o,s:I,s:o}", "name", p->name, "command", cmd,
                     "faketime", p->faketime, "constants", k, "unsupported",
                     strings_json(p->unsupported, p->unsupported_count), "memory_limit_mib",
                     (json_int_t)(p->memory_limit >> 20), "writable",
                     strings_json(p->writable, p->writable_count));
}

void bc_profile_free(bc_profile *p) {
    for (size_t i = 0; p->argv && i < p->argc; i++) free(p->argv[i]);
    free(p->argv);
    for (size_t i = 0; i < p->unsupported_count; i++) free(p->unsupported[i]);
    free(p->unsupported);
    for (size_t i = 0; i < p->writable_count; i++) free(p->writable[i]);
    free(p->writable);
    free(p->name);
    memset(p, 0, sizeof *p);
}
