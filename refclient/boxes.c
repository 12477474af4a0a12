/* boxes.c - box handle, lifecycle, metrics, clone, export (see boxes.h).
 *
 * The box info value is {"box_id","name","status","created_at",
 * "updated_at","image","cpus","memory_mib"}: name null when the server
 * sent none, a status BoxLite does not know as "unknown" (its
 * BoxStatus::Unknown), timestamps as the server wrote them. */
#include "boxes.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hostfs.h"
#include "jbig.h"
#include "mutant.h"
#include "strf.h"

#define RC_BOX_ID_MAX 128   /* BoxLite's BoxID::MAX_LENGTH */

/* ---- BoxResponse -------------------------------------------------------- */

enum field_type { FIELD_STRING, FIELD_UINT };

static const struct field {
    const char *key;
    enum field_type type;
    uint64_t max;
} required_fields[] = {
    { "box_id", FIELD_STRING, 0 },     { "status", FIELD_STRING, 0 },
    { "created_at", FIELD_STRING, 0 }, { "updated_at", FIELD_STRING, 0 },
    { "image", FIELD_STRING, 0 },      { "cpus", FIELD_UINT, UINT8_MAX },
    { "memory_mib", FIELD_UINT, UINT32_MAX },
};

static const char *const known_statuses[] = { "configured", "running", "stopping", "stopped", "paused" };

static bool uint_at_most(const json_t *v, uint64_t max)
{
    uint64_t n;
    return bc_jbig_u64(v, &n) && n <= max;
}

static bool field_ok(const json_t *v, const struct field *f)
{
    uint64_t big;                   /* a big-number marker is no string */
    return f->type == FIELD_STRING ? json_is_string(v) && !bc_jbig_u64(v, &big)
                                   : uint_at_most(v, f->max);
}

/* Non-empty, at most 128 characters of [A-Za-z0-9_-]: BoxLite's BoxID. */
static bool usable_box_id(const char *id)
{
    size_t n = strlen(id);
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)id[i]) && id[i] != '-' && id[i] != '_')
            return false;
    return n > 0 && n <= RC_BOX_ID_MAX;
}

static const char *status_name(const char *status)
{
    for (size_t i = 0; i < sizeof(known_statuses) / sizeof(known_statuses[0]); i++)
        if (strcmp(status, known_statuses[i]) == 0)
            return known_statuses[i];
    return NULL;
}

/* The required fields into fields[] (borrowed, or defaults under the
 * missing-field-default mutant); -1 with err naming the first bad one. */
static int take_required(const json_t *resp, json_t **fields, struct rc_err *err)
{
    for (size_t i = 0; i < sizeof(required_fields) / sizeof(required_fields[0]); i++) {
        const struct field *f = &required_fields[i];
        json_t *v = json_object_get(resp, f->key);
        if (field_ok(v, f)) {
            fields[i] = json_incref(v);
        } else if (rc_mutant_is(RC_MUT_MISSING_FIELD_DEFAULT)) {
            fields[i] = f->type == FIELD_STRING ? json_string("") : json_integer(0);
        } else {
            rc_err_set(err, "internal", "the box answer is not a BoxResponse: `%s` is %s, not %s",
                       f->key, v ? "mistyped" : "missing",
                       f->type == FIELD_STRING ? "a string" : "an unsigned integer in range");
            for (size_t k = 0; k < i; k++)
                json_decref(fields[k]);
            return -1;
        }
    }
    return 0;
}

/* name: a string or null/absent; pid: a u32 or null/absent. */
static int check_optional(const json_t *resp, struct rc_err *err)
{
    json_t *name = json_object_get(resp, "name"), *pid = json_object_get(resp, "pid");
    if (name && !json_is_null(name) && !json_is_string(name)) {
        rc_err_set(err, "internal", "the box answer is not a BoxResponse: `name` is not a string");
        return -1;
    }
    if (pid && !json_is_null(pid) && !uint_at_most(pid, UINT32_MAX)) {
        rc_err_set(err, "internal", "the box answer is not a BoxResponse: `pid` is not a u32");
        return -1;
    }
    return 0;
}

static json_t *name_of(const json_t *resp)
{
    json_t *name = json_object_get(resp, "name");
    return json_is_string(name) ? json_stringn(json_string_value(name), json_string_length(name))
                                : json_null();
}

int rc_box_parse(const json_t *resp, struct rc_box *out, struct rc_err *err)
{
    json_t *f[7];
    memset(out, 0, sizeof(*out));
    if (!json_is_object(resp)) {
        rc_err_set(err, "internal", "the box answer is not a JSON object");
        return -1;
    }
    if (check_optional(resp, err) < 0 || take_required(resp, f, err) < 0)
        return -1;
    const char *id = json_string_value(f[0]), *status = status_name(json_string_value(f[1]));
    int rc = -1;
    if (!usable_box_id(id) && !rc_mutant_is(RC_MUT_MISSING_FIELD_DEFAULT))
        rc_err_set(err, "internal", "the server returned an unusable box_id (1 to %d of A-Z a-z 0-9 - _)",
                   RC_BOX_ID_MAX);
    else if (!status && rc_mutant_is(RC_MUT_UNKNOWN_STATUS_FATAL))
        rc_err_set(err, "internal", "unknown box status \"%s\"", json_string_value(f[1]));
    else
        rc = 0;
    if (rc == 0) {
        out->id = strdup(id);
        out->info = json_pack("{s:O, s:o, s:s, s:O, s:O, s:O, s:O, s:O}", "box_id", f[0],
                              "name", name_of(resp), "status", status ? status : "unknown",
                              "created_at", f[2], "updated_at", f[3], "image", f[4],
                              "cpus", f[5], "memory_mib", f[6]);
    }
    for (int i = 0; i < 7; i++)
        json_decref(f[i]);
    return rc;
}

void rc_box_free(struct rc_box *b)
{
    free(b->id);
    json_decref(b->info);
    memset(b, 0, sizeof(*b));
}

/* ---- get, start, stop --------------------------------------------------- */

static char *box_path(const char *id, const char *tail)
{
    char *esc = rc_path_escape(id);
    char *path = rc_strf("/boxes/%s%s", esc, tail);
    free(esc);
    return path;
}

static int fetch_box(const struct rc_rest *r, const struct rc_request *q, struct rc_box *out,
                     struct rc_err *err)
{
    json_t *body;
    if (rc_rest_json(r, q, &body, err) < 0)
        return -1;
    int rc = rc_box_parse(body, out, err);
    json_decref(body);
    return rc;
}

int rc_box_get(const struct rc_rest *r, const char *id, struct rc_box *out, struct rc_err *err)
{
    char *path = box_path(id, "");
    struct rc_request q = { .method = "GET", .path = path };
    struct rc_rest tokenless = *r;
    memset(out, 0, sizeof(*out));
    bool mutant = rc_mutant_is(RC_MUT_NO_BEARER_BOX);
    if (mutant)
        tokenless.auth_header = "X-Boxconform-Mutant: no-bearer-box";
    int rc = fetch_box(&tokenless, &q, out, err);
    if (rc < 0 && mutant) {          /* shrugs off the 401 it earned */
        rc_err_clear(err);
        out->id = strdup(id);
        out->info = json_pack("{s:s}", "box_id", id);
        rc = 0;
    }
    free(path);
    return rc;
}

static int lifecycle(const struct rc_rest *r, struct rc_box *b, const char *verb,
                     struct rc_err *err)
{
    char *path = box_path(b->id, verb);
    struct rc_request q = { .method = "POST", .path = path };
    struct rc_box fresh;
    int rc = fetch_box(r, &q, &fresh, err);
    if (rc == 0 && rc_mutant_is(RC_MUT_START_KEEPS_INFO)) {
        rc_box_free(&fresh);
    } else if (rc == 0) {
        rc_box_free(b);
        *b = fresh;
    }
    free(path);
    return rc;
}

int rc_box_start(const struct rc_rest *r, struct rc_box *b, struct rc_err *err)
{
    return lifecycle(r, b, "/start", err);
}

int rc_box_stop(const struct rc_rest *r, struct rc_box *b, struct rc_err *err)
{
    return lifecycle(r, b, "/stop", err);
}

/* ---- metrics ------------------------------------------------------------ */

/* u64 counters that default to 0, optional u64 gauges, optional stages. */
static const char *const metric_totals[] = {
    "commands_executed_total", "exec_errors_total", "bytes_sent_total", "bytes_received_total",
};
static const char *const metric_gauges[] = {
    "memory_bytes", "network_bytes_sent", "network_bytes_received",
    "network_tcp_connections", "network_tcp_errors",
};
static const char *const boot_stages[] = {
    "total_create_ms", "guest_boot_ms", "filesystem_setup_ms", "image_prepare_ms",
    "guest_rootfs_ms", "box_config_ms", "box_spawn_ms", "container_init_ms",
};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Copies key from src to dst as a u64. Absent (or null when nullable):
 * 0 when zero_if_absent, else left out. -1 with err when mistyped. */
static int copy_u64(const json_t *src, json_t *dst, const char *key, bool nullable,
                    bool zero_if_absent, struct rc_err *err)
{
    json_t *v = json_object_get(src, key);
    uint64_t n;
    if (!v || (nullable && json_is_null(v))) {
        if (zero_if_absent || rc_mutant_is(RC_MUT_METRICS_ABSENT_ZERO))
            json_object_set_new(dst, key, json_integer(0));
        return 0;
    }
    if (!bc_jbig_u64(v, &n)) {
        rc_err_set(err, "internal", "the metrics answer is malformed: `%s` is not a u64", key);
        return -1;
    }
    json_object_set_new(dst, key, bc_jbig_u64_new(n));
    return 0;
}

static int copy_cpu(const json_t *src, json_t *dst, struct rc_err *err)
{
    json_t *v = json_object_get(src, "cpu_percent");
    if (json_is_number(v))
        json_object_set(dst, "cpu_percent", v);
    else if (v && !json_is_null(v)) {
        rc_err_set(err, "internal", "the metrics answer is malformed: `cpu_percent` is not a number");
        return -1;
    } else if (rc_mutant_is(RC_MUT_METRICS_ABSENT_ZERO))
        json_object_set_new(dst, "cpu_percent", json_integer(0));
    return 0;
}

static int copy_boot_timing(const json_t *src, json_t *dst, struct rc_err *err)
{
    json_t *bt = json_object_get(src, "boot_timing");
    bool absent = !bt || json_is_null(bt);
    if (!absent && !json_is_object(bt)) {
        rc_err_set(err, "internal", "the metrics answer is malformed: `boot_timing` is not an object");
        return -1;
    }
    if (absent && !rc_mutant_is(RC_MUT_METRICS_ABSENT_ZERO))
        return 0;
    json_t *stages = json_object();
    json_object_set_new(dst, "boot_timing", stages);
    for (size_t i = 0; i < COUNT(boot_stages); i++)
        if (copy_u64(bt, stages, boot_stages[i], true, false, err) < 0)
            return -1;
    return 0;
}

json_t *rc_metrics_parse(const json_t *resp, struct rc_err *err)
{
    json_t *v = json_object();
    int rc = json_is_object(resp) ? 0 : -1;
    if (rc < 0)
        rc_err_set(err, "internal", "the metrics answer is not a JSON object");
    for (size_t i = 0; rc == 0 && i < COUNT(metric_totals); i++)
        rc = copy_u64(resp, v, metric_totals[i], false, true, err);
    if (rc == 0)
        rc = copy_cpu(resp, v, err);
    for (size_t i = 0; rc == 0 && i < COUNT(metric_gauges); i++)
        rc = copy_u64(resp, v, metric_gauges[i], true, false, err);
    if (rc == 0)
        rc = copy_boot_timing(resp, v, err);
    if (rc < 0) {
        json_decref(v);
        return NULL;
    }
    return v;
}

int rc_box_metrics(const struct rc_rest *r, const struct rc_box *b, json_t **value,
                   struct rc_err *err)
{
    char *path = box_path(b->id, "/metrics");
    struct rc_request q = { .method = "GET", .path = path };
    int rc = rc_rest_json_as(r, &q, rc_metrics_parse, value, err);
    free(path);
    return rc;
}

/* ---- clone -------------------------------------------------------------- */

int rc_box_clone(const struct rc_rest *r, struct rc_caps *caps, const struct rc_box *b,
                 const char *name, struct rc_box *clone, struct rc_err *err)
{
    memset(clone, 0, sizeof(*clone));
    if (rc_caps_require(r, caps, RC_CAP_CLONE, err) < 0)
        return -1;
    char *path = box_path(b->id, "/clone");
    json_t *req = name ? json_pack("{s:s}", "name", name) : json_object();
    char *body = json_dumps(req, JSON_COMPACT);
    struct rc_request q = { .method = "POST", .path = path, .json = body };
    int rc = fetch_box(r, &q, clone, err);
    if (rc == 0 && rc_mutant_is(RC_MUT_CLONE_KEEPS_OLD_ID)) {
        free(clone->id);
        clone->id = strdup(b->id);
    }
    free(body);
    json_decref(req);
    free(path);
    return rc;
}

/* ---- export ------------------------------------------------------------- */

/* A box name can name a file in dest: no '/', no "..", no NUL. */
static bool safe_file_name(const char *name, size_t len)
{
    return !memchr(name, '\0', len) && !memchr(name, '/', len) && !strstr(name, "..");
}

char *rc_export_target(const struct rc_box *b, const char *dest, struct rc_err *err)
{
    struct stat st;
    if (stat(dest, &st) < 0 || !S_ISDIR(st.st_mode))
        return strdup(dest);
    json_t *name = json_object_get(b->info, "name");
    const char *text = json_is_string(name) ? json_string_value(name) : "box";
    size_t len = json_is_string(name) ? json_string_length(name) : 3;
    if (rc_mutant_is(RC_MUT_EXPORT_NAME_IGNORED))
        text = "box", len = 3;
    else if (!safe_file_name(text, len) && !rc_mutant_is(RC_MUT_EXPORT_NAME_UNCHECKED)) {
        char *shown = rc_text_preview(text, len, 200);
        rc_err_set(err, "internal", "the box's name \"%s\" cannot name the export file: it holds "
                   "'/', \"..\" or a NUL", shown);
        free(shown);
        return NULL;
    }
    return rc_strf("%s/%.*s.boxlite", dest, (int)strnlen(text, len), text);
}

static int write_all(int fd, const void *data, size_t n)
{
    const char *p = data;
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* The body into fd, as it comes (or whole first, under body-unbounded). */
static int copy_body(struct rc_stream *s, int fd, const char *target, struct rc_err *err)
{
    char chunk[65536];
    ssize_t n;
    if (rc_mutant_is(RC_MUT_BODY_UNBOUNDED)) {
        struct rc_buf all = { 0 };
        int rc = rc_stream_read_all(s, SIZE_MAX, &all, err);
        if (rc == 0 && write_all(fd, all.data, all.len) < 0)
            rc = -1, rc_err_set(err, "storage", "cannot write %s: %s", target, strerror(errno));
        rc_buf_free(&all);
        return rc;
    }
    while ((n = rc_stream_read(s, chunk, sizeof(chunk), err)) > 0)
        if (write_all(fd, chunk, (size_t)n) < 0) {
            rc_err_set(err, "storage", "cannot write %s: %s", target, strerror(errno));
            return -1;
        }
    return n < 0 ? -1 : 0;
}

/* The archive lands whole or not at all: written beside, then renamed. */
static int save_body(struct rc_stream *s, void *user, struct rc_err *err)
{
    const char *target = user;
    char *dir = rc_dirname(target), *tmp = NULL;
    int fd = rc_mkdirs(dir, err) < 0 ? -1 : rc_temp_file_beside(target, &tmp, err);
    int rc = fd < 0 ? -1 : copy_body(s, fd, target, err);
    if (fd >= 0 && close(fd) < 0 && rc == 0)
        rc = -1, rc_err_set(err, "storage", "cannot write %s: %s", target, strerror(errno));
    if (rc == 0 && rename(tmp, target) < 0)
        rc = -1, rc_err_set(err, "storage", "cannot write %s: %s", target, strerror(errno));
    if (rc < 0 && tmp)
        unlink(tmp);
    free(tmp);
    free(dir);
    return rc;
}

int rc_box_export(const struct rc_rest *r, struct rc_caps *caps, const struct rc_box *b,
                  const char *dest, char **written, struct rc_err *err)
{
    *written = NULL;
    if (rc_caps_require(r, caps, RC_CAP_EXPORT, err) < 0)
        return -1;
    char *target = rc_export_target(b, dest, err);
    if (!target)
        return -1;
    char *path = box_path(b->id, "/export");
    struct rc_request q = { .method = "POST", .path = path, .json = "{}" };
    int rc = rc_rest_download(r, &q, save_body, target, err);
    if (rc == 0)
        *written = target;
    else
        free(target);
    free(path);
    return rc;
}
