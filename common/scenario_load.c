/* scenario_load.c - parse and validate a scenario file (docs/scenario.md):
 * the file itself, info and verify; the server part is read by
 * scenario_server.c, the client part by scenario_client.c.
 *
 * jansson parses the text; every part is then read through jfield so that
 * each rejected value is reported at its own line and column. Everything
 * read goes straight into the bc_scenario being built, so one
 * bc_scenario_free() cleans up whatever an error interrupted. */
#include "scenario.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jfield.h"
#include "scenario_parts.h"

/* ---- info ------------------------------------------------------------------ */

/* The file's base name without ".json": what info.id must be. */
static char *id_from_path(const char *path) {
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n > 5 && strcmp(base + n - 5, ".json") == 0) n -= 5;
    return strndup(base, n);
}

static int read_contract_ids(bc_jctx *c, const json_t *arr, bc_info *info) {
    if (bc_jctx_need_array(c, arr) < 0) return -1;
    if (json_array_size(arr) == 0) return bc_jctx_expected(c, "at least one contract ID", arr);
    info->contracts = calloc(json_array_size(arr), sizeof *info->contracts);
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *v = json_array_get(arr, i);
        const bc_contract *k = json_is_string(v) ? bc_contract_find(json_string_value(v))
                                                 : NULL;
        bc_jctx_index(c, i);
        if (!k) return bc_jctx_expected(c, "a contract ID of docs/contract.md", v);
        for (size_t j = 0; j < info->contract_count; j++)
            if (info->contracts[j] == k)
                return bc_jctx_expected(c, "each contract once", v);
        info->contracts[info->contract_count++] = k;
        bc_jctx_up(c);
    }
    return 1;
}

static int read_keywords(bc_jctx *c, const json_t *arr, bc_info *info) {
    return bc_jval_strings(c, arr, &info->keywords, &info->keyword_count) < 0 ? -1 : 1;
}

static int load_info(bc_jctx *c, const json_t *obj, const char *want_id, bc_info *info) {
    if (bc_jctx_need_object(c, obj) < 0 ||
        bc_jctx_known_keys(c, obj, "info", BC_JKEYS("id", "title", "contracts", "keywords")) < 0 ||
        bc_jget_required(c, obj, "id") < 0 || bc_jget_required(c, obj, "title") < 0 ||
        bc_jget_required(c, obj, "contracts") < 0)
        return -1;
    if (bc_jget_string(c, obj, "id", &info->id) < 0) return -1;
    if (want_id && strcmp(info->id, want_id) != 0) {
        char expected[300];
        snprintf(expected, sizeof expected, "\"%s\" (the file's name without .json)",
                 want_id);
        bc_jctx_key(c, "id");
        return bc_jctx_expected(c, expected, json_object_get(obj, "id"));
    }
    if (bc_jget_string(c, obj, "title", &info->title) < 0 ||
        BC_JMEMBER(c, obj, "contracts", read_contract_ids, info) < 0 ||
        BC_JMEMBER(c, obj, "keywords", read_keywords, info) < 0)
        return -1;
    return 0;
}

/* ---- verify ---------------------------------------------------------------- */

static int read_error_param(bc_jctx *c, const json_t *v, void *unused) {
    (void)unused;
    return json_is_boolean(v) || json_is_string(v)
               ? 1 : bc_jctx_expected(c, "true, false or a string", v);
}

static int read_tol(bc_jctx *c, const json_t *v, void *unused) {
    (void)unused;
    return json_is_number(v) && json_number_value(v) > 0
               ? 1 : bc_jctx_expected(c, "seconds (a number > 0)", v);
}

static int read_b64_param(bc_jctx *c, const json_t *v, void *unused) {
    bc_bytes b = { 0 };
    (void)unused;
    int rc = bc_jval_b64(c, v, &b);
    free(b.data);
    return rc;
}

static int read_text_param(bc_jctx *c, const json_t *v, void *unused) {
    (void)unused;
    return json_is_string(v) ? 1 : bc_jctx_expected(c, "a string", v);
}

static int load_verify_bytes(bc_jctx *c, const json_t *obj, const char *stream) {
    char b64[32];
    snprintf(b64, sizeof b64, "%s_b64", stream);
    if (json_object_get(obj, stream) && json_object_get(obj, b64))
        return bc_jctx_fail_key(c, b64, "expected either \"%s\" or \"%s\", got both",
                                stream, b64);
    if (BC_JMEMBER(c, obj, stream, read_text_param, NULL) < 0) return -1;
    return BC_JMEMBER(c, obj, b64, read_b64_param, NULL) < 0 ? -1 : 0;
}

static int load_verify_entry(bc_jctx *c, const json_t *obj, const bc_contract *k) {
    const char *keys[16];
    size_t n = 0;
    int ignored;
    double secs;
    for (const char *const *p = bc_contract_common_params; *p; p++) keys[n++] = *p;
    for (const char *const *p = k->params; p && *p && n < 15; p++) keys[n++] = *p;
    keys[n] = NULL;
    char what[48];
    snprintf(what, sizeof what, "verify \"%s\"", k->id);
    int min_attempt = strcmp(k->id, "TIME-STICKY") == 0 ? 2 : 1;
    if (bc_jctx_need_object(c, obj) < 0 || bc_jctx_known_keys(c, obj, what, keys) < 0 ||
        bc_jget_int(c, obj, "exit_code", BC_JANY_INT, &ignored) < 0 ||
        BC_JMEMBER(c, obj, "error", read_error_param, NULL) < 0 ||
        BC_JMEMBER(c, obj, "tol", read_tol, NULL) < 0 ||
        bc_jget_int(c, obj, "attempt", min_attempt, 2147483647LL, &ignored) < 0 ||
        bc_jget_seconds(c, obj, "alive", false, &secs, NULL) < 0 ||
        bc_jget_int(c, obj, "reconnects", 0, 2147483647LL, &ignored) < 0)
        return -1;
    if (load_verify_bytes(c, obj, "stdout") < 0 || load_verify_bytes(c, obj, "stderr") < 0)
        return -1;
    return load_verify_bytes(c, obj, "stdin");
}

static int listed_in(const bc_info *info, const bc_contract *k) {
    for (size_t i = 0; i < info->contract_count; i++)
        if (info->contracts[i] == k) return 1;
    return 0;
}

static int load_verify(bc_jctx *c, const json_t *obj, const bc_info *info) {
    const char *key;
    json_t *v;
    if (bc_jctx_need_object(c, obj) < 0) return -1;
    json_object_foreach((json_t *)obj, key, v) {
        const bc_contract *k = bc_contract_find(key);
        if (!k)
            return bc_jctx_fail_key(c, key, "expected a contract ID of docs/contract.md, got "
                                    "\"%s\"", key);
        if (!listed_in(info, k))
            return bc_jctx_fail_key(c, key, "expected only contracts listed in "
                                    "info.contracts, got \"%s\"", key);
        bc_jctx_key(c, key);
        if (load_verify_entry(c, v, k) < 0) return -1;
        bc_jctx_up(c);
    }
    for (size_t i = 0; i < info->contract_count; i++)
        if (!json_object_get(obj, info->contracts[i]->id))
            return bc_jctx_fail(c, BC_JPOS_VALUE, "expected a key \"%s\" (listed in "
                                "info.contracts), got none", info->contracts[i]->id);
    return 0;
}

/* ---- the whole file ------------------------------------------------------- */

static int load_parts(bc_jctx *c, const json_t *root, const char *want_id,
                      bc_scenario *s) {
    if (bc_jctx_need_object(c, root) < 0 ||
        bc_jctx_known_keys(c, root, "a scenario",
                           BC_JKEYS("info", "server", "client", "verify")) < 0 ||
        bc_jget_required(c, root, "info") < 0 || bc_jget_required(c, root, "verify") < 0)
        return -1;
    bc_jctx_key(c, "info");
    if (load_info(c, json_object_get(root, "info"), want_id, &s->info) < 0) return -1;
    bc_jctx_up(c);
    json_t *server = json_object_get(root, "server"), *client = json_object_get(root, "client");
    bc_jctx_key(c, "server");
    if (server && bc_scenario_load_server(c, server, &s->server) < 0) return -1;
    bc_jctx_up(c);
    bc_jctx_key(c, "client");
    if (client && bc_scenario_load_client(c, client, &s->server, &s->client) < 0) return -1;
    bc_jctx_up(c);
    if (bc_scenario_check_export_names(c, root, &s->client) < 0) return -1;
    bc_jctx_key(c, "verify");
    if (load_verify(c, json_object_get(root, "verify"), &s->info) < 0) return -1;
    bc_jctx_up(c);
    s->verify = json_incref(json_object_get(root, "verify"));
    return 0;
}

/* jansson says "X expected near Y": turn that into our "expected X, got Y". */
static void syntax_error(const char *path, const json_error_t *je, char *err,
                         size_t errlen) {
    const char *near = strstr(je->text, " expected near ");
    int column = je->column > 0 ? je->column : 1;
    if (near)
        snprintf(err, errlen, "%s:%d:%d: expected %.*s, got %s", path, je->line, column,
                 (int)(near - je->text), je->text, near + strlen(" expected near "));
    else
        snprintf(err, errlen, "%s:%d:%d: expected valid JSON, got %s", path, je->line,
                 column, je->text);
}

static int load_text(const char *path, const char *text, size_t len, const char *want_id,
                     bc_scenario **out, char *err, size_t errlen) {
    json_error_t je;
    *out = NULL;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je);
    if (!root) {
        syntax_error(path, &je, err, errlen);
        return -1;
    }
    bc_scenario *s = calloc(1, sizeof *s);
    bc_jctx c = { .file = path, .text = text, .len = len, .err = err, .errlen = errlen };
    s->path = strdup(path);
    s->client = (bc_client){ .command = strdup("true"), .deadline = 400 };
    bc_scenario_server_defaults(&s->server);
    int rc = load_parts(&c, root, want_id, s);
    json_decref(root);
    if (rc < 0) {
        bc_scenario_free(s);
        return -1;
    }
    *out = s;
    return 0;
}

int bc_scenario_load_text(const char *path, const char *text, size_t len,
                          bc_scenario **out, char *err, size_t errlen) {
    char *want = id_from_path(path);
    int rc = load_text(path, text, len, want, out, err, errlen);
    free(want);
    return rc;
}

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = NULL;
    size_t cap = 0;
    *len = 0;
    for (;;) {
        if (*len + 4096 + 1 > cap) {
            cap = (cap + 4096) * 2;
            buf = realloc(buf, cap);
        }
        size_t n = fread(buf + *len, 1, cap - *len - 1, f);
        *len += n;
        if (n == 0) break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return NULL;
    }
    buf[*len] = '\0';
    return buf;
}

int bc_scenario_load(const char *path, bc_scenario **out, char *err, size_t errlen) {
    size_t len;
    *out = NULL;
    char *text = read_file(path, &len);
    if (!text) {
        snprintf(err, errlen, "%s:1:1: expected a readable scenario file, got %s", path,
                 strerror(errno));
        return -1;
    }
    int rc = bc_scenario_load_text(path, text, len, out, err, errlen);
    free(text);
    return rc;
}

bc_scenario *bc_scenario_default(void) {
    static const char text[] =
        "{\"info\": {\"id\": \"default\", \"title\": \"a well-behaved runner\","
        " \"contracts\": [\"RECOV-ONE-RESULT\"]},"
        " \"verify\": {\"RECOV-ONE-RESULT\": {}}}";
    bc_scenario *s = NULL;
    char err[256];
    if (load_text("", text, sizeof text - 1, NULL, &s, err, sizeof err) < 0) return NULL;
    return s;
}
