/* refclient/boxes.c: BoxResponse and metrics parsing (BOX-INFO,
 * METRICS-MAP), lifecycle calls (BOX-LIFECYCLE), clone (CLONE-HANDLE),
 * export (EXPORT-FILE, SEC-EXPORT-NAME), against a stub server. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "boxes.h"
#include "jbig.h"
#include "mutant.h"
#include "rest_stub.h"
#include "stub_client.h"
#include "tar_fixture.h"

#define BOX(id, name, status, updated)                                                       \
    "{\"box_id\":\"" id "\",\"name\":" name ",\"status\":\"" status "\","                    \
    "\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"" updated "\","               \
    "\"pid\":null,\"image\":\"alpine:latest\",\"cpus\":2,\"memory_mib\":512,\"labels\":{}}"

static json_t *load(const char *text)
{
    json_error_t why;
    json_t *v = bc_jbig_loads(text, JSON_ALLOW_NUL, &why);
    if (!v)
        fail_msg("fixture is not JSON: %s", why.text);
    return v;
}

/* The value of a parsed body, compact; NULL when parsing failed. */
static char *info_of(const char *body, struct rc_err *err)
{
    json_t *v = load(body);
    struct rc_box b;
    char *out = NULL;
    if (rc_box_parse(v, &b, err) == 0) {
        out = bc_jbig_dumps(b.info, JSON_COMPACT);
        rc_box_free(&b);
    }
    json_decref(v);
    return out;
}

static void box_info_shape(void **state)
{
    (void)state;
    struct rc_err err = { 0 };
    char *info = info_of(BOX("box-1", "\"web\"", "running", "2026-01-02T00:00:00Z"), &err);
    assert_string_equal(info, "{\"box_id\":\"box-1\",\"name\":\"web\",\"status\":\"running\","
                              "\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":"
                              "\"2026-01-02T00:00:00Z\",\"image\":\"alpine:latest\",\"cpus\":2,"
                              "\"memory_mib\":512}");
    free(info);
    info = info_of("{\"box_id\":\"b_2\",\"status\":\"hibernating\",\"created_at\":\"x\","
                   "\"updated_at\":\"y\",\"image\":\"i\",\"cpus\":255,\"memory_mib\":4294967295,"
                   "\"brand_new_field\":{\"a\":[1,2]}}", &err);
    assert_string_equal(info, "{\"box_id\":\"b_2\",\"name\":null,\"status\":\"unknown\","
                              "\"created_at\":\"x\",\"updated_at\":\"y\",\"image\":\"i\",\"cpus\":255,"
                              "\"memory_mib\":4294967295}");
    free(info);
}

static void box_info_refusals(void **state)
{
    (void)state;
    static const struct { const char *body, *says; } rows[] = {
        { "{\"box_id\":\"b\",\"status\":\"running\",\"created_at\":\"x\",\"updated_at\":\"y\","
          "\"cpus\":1,\"memory_mib\":1}", "`image` is missing" },
        { "{\"box_id\":\"b\",\"status\":\"running\",\"created_at\":\"x\",\"updated_at\":\"y\","
          "\"image\":\"i\",\"cpus\":256,\"memory_mib\":1}", "`cpus` is mistyped" },
        { "{\"box_id\":\"b\",\"status\":7,\"created_at\":\"x\",\"updated_at\":\"y\","
          "\"image\":\"i\",\"cpus\":1,\"memory_mib\":1}", "`status` is mistyped" },
        { "{\"box_id\":\"a/b\",\"status\":\"running\",\"created_at\":\"x\",\"updated_at\":\"y\","
          "\"image\":\"i\",\"cpus\":1,\"memory_mib\":1}", "unusable box_id" },
        { "{\"box_id\":\"\",\"status\":\"running\",\"created_at\":\"x\",\"updated_at\":\"y\","
          "\"image\":\"i\",\"cpus\":1,\"memory_mib\":1}", "unusable box_id" },
        { "{\"box_id\":\"b\",\"name\":5,\"status\":\"running\",\"created_at\":\"x\","
          "\"updated_at\":\"y\",\"image\":\"i\",\"cpus\":1,\"memory_mib\":1}", "`name` is not a string" },
        { "[1]", "not a JSON object" },
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct rc_err err = { 0 };
        assert_null(info_of(rows[i].body, &err));
        assert_string_equal(err.kind, "internal");
        if (!strstr(err.message, rows[i].says))
            fail_msg("row %zu: \"%s\" lacks \"%s\"", i, err.message, rows[i].says);
        rc_err_clear(&err);
    }
}

static void box_info_mutants(void **state)
{
    (void)state;
    struct rc_err err = { 0 };
    rc_mutant_select(RC_MUT_UNKNOWN_STATUS_FATAL);
    assert_null(info_of(BOX("b", "null", "hibernating", "t"), &err));
    rc_mutant_select(RC_MUT_MISSING_FIELD_DEFAULT);
    char *info = info_of("{\"box_id\":\"b\",\"status\":\"running\"}", &err);
    assert_non_null(strstr(info, "\"image\":\"\""));
    free(info);
    rc_mutant_select(RC_MUT_NONE);
    rc_err_clear(&err);
}

static char *metrics_of(const char *body, struct rc_err *err)
{
    json_t *v = load(body), *m = rc_metrics_parse(v, err);
    char *out = m ? bc_jbig_dumps(m, JSON_COMPACT) : NULL;
    json_decref(m);
    json_decref(v);
    return out;
}

/* Every field under its name, big u64 exact, absent ones left out. */
static void metrics_map(void **state)
{
    (void)state;
    struct rc_err err = { 0 };
    char *m = metrics_of("{\"commands_executed_total\":18446744073709551615,\"exec_errors_total\":"
                         "9007199254740993,\"bytes_sent_total\":3,\"bytes_received_total\":4,"
                         "\"cpu_percent\":12.5,\"memory_bytes\":9223372036854775808,"
                         "\"network_bytes_sent\":null,\"network_tcp_errors\":0,\"extra\":1,"
                         "\"boot_timing\":{\"total_create_ms\":120,\"guest_boot_ms\":null}}", &err);
    assert_string_equal(m, "{\"commands_executed_total\":18446744073709551615,"
                           "\"exec_errors_total\":9007199254740993,\"bytes_sent_total\":3,"
                           "\"bytes_received_total\":4,\"cpu_percent\":12.5,"
                           "\"memory_bytes\":9223372036854775808,\"network_tcp_errors\":0,"
                           "\"boot_timing\":{\"total_create_ms\":120}}");
    free(m);
    m = metrics_of("{}", &err);     /* the four totals default to 0, as serde's default */
    assert_string_equal(m, "{\"commands_executed_total\":0,\"exec_errors_total\":0,"
                           "\"bytes_sent_total\":0,\"bytes_received_total\":0}");
    free(m);
    m = metrics_of("{\"boot_timing\":null}", &err);
    assert_null(strstr(m, "boot_timing"));
    free(m);
}

static void metrics_refusals_and_mutant(void **state)
{
    (void)state;
    static const char *bad[] = {
        "{\"memory_bytes\":-1}", "{\"memory_bytes\":1.5}", "{\"memory_bytes\":\"5\"}",
        "{\"commands_executed_total\":null}", "{\"cpu_percent\":\"hot\"}", "{\"boot_timing\":[]}",
        "{\"boot_timing\":{\"box_spawn_ms\":true}}", "[]",
    };
    struct rc_err err = { 0 };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_null(metrics_of(bad[i], &err));
        assert_string_equal(err.kind, "internal");
    }
    assert_null(bc_jbig_loads("{\"a\":18446744073709551616}", 0, NULL));
    rc_mutant_select(RC_MUT_METRICS_ABSENT_ZERO);
    char *m = metrics_of("{}", &err);
    assert_non_null(strstr(m, "\"memory_bytes\":0"));
    assert_non_null(strstr(m, "\"boot_timing\":{\"total_create_ms\":0"));
    free(m);
    rc_mutant_select(RC_MUT_NONE);
    rc_err_clear(&err);
}

/* ---- calls ---------------------------------------------------------------- */

static const char *caps_on =
    "{\"capabilities\":{\"snapshots_enabled\":true,\"clone_enabled\":true,\"export_enabled\":true}}";

static void lifecycle_replaces_info(void **state)
{
    (void)state;
    const struct rs_reply replies[] = {
        { .method = "GET", .path = "/v1/boxes/box-1", .status = 200,
          .body = BOX("box-1", "\"web\"", "stopped", "2026-01-01T00:00:00Z") },
        { .method = "POST", .path = "/v1/boxes/box-1/start", .status = 200,
          .body = BOX("box-1", "\"web\"", "running", "2026-01-01T00:01:00Z") },
        { .method = "POST", .path = "/v1/boxes/box-1/stop", .status = 409,
          .body = "{\"error\":{\"message\":\"busy\",\"type\":\"InvalidStateError\",\"code\":\"invalid_state\"}}" },
        { 0 },
    };
    int port;
    struct rs_stub *stub = rs_start(replies, &port);
    struct rc_rest r = sc_rest(port);
    struct rc_err err = { 0 };
    struct rc_box b;
    for (int mutant = 0; mutant <= 1; mutant++) {
        rc_mutant_select(mutant ? RC_MUT_START_KEEPS_INFO : RC_MUT_NONE);
        assert_int_equal(rc_box_get(&r, "box-1", &b, &err), 0);
        if (rc_box_start(&r, &b, &err) < 0)
            fail_msg("start: %s %s", err.kind, err.message);
        const char *status = json_string_value(json_object_get(b.info, "status"));
        assert_string_equal(status, mutant ? "stopped" : "running");
        assert_int_equal(rc_box_stop(&r, &b, &err), -1);
        assert_string_equal(err.kind, "conflict");
        assert_string_equal(err.message, "HTTP 409: busy");
        rc_box_free(&b);
    }
    rc_mutant_select(RC_MUT_NONE);
    struct rs_request seen[RS_MAX_REQUESTS];
    int n = rs_requests(stub, seen);
    assert_int_equal(n, 6);
    assert_string_equal(seen[1].content_type, "");
    assert_int_equal(seen[1].body_len, 0);
    for (int i = 0; i < n; i++)
        assert_string_equal(seen[i].auth, "Bearer test-key");
    rc_err_clear(&err);
    rs_stop(stub);
    rc_rest_free(&r);
}

static void clone_gets_its_own_handle(void **state)
{
    (void)state;
    const struct rs_reply replies[] = {
        { .method = "GET", .path = "/v1/config", .status = 200, .body = caps_on },
        { .method = "GET", .path = "/v1/boxes/box-1", .status = 200,
          .body = BOX("box-1", "null", "running", "t") },
        { .method = "POST", .path = "/v1/boxes/box-1/clone", .status = 201,
          .body = BOX("box-2", "\"copy\"", "stopped", "t") },
        { 0 },
    };
    int port;
    struct rs_stub *stub = rs_start(replies, &port);
    struct rc_rest r = sc_rest(port);
    struct rc_caps caps = { 0 };
    struct rc_err err = { 0 };
    struct rc_box b, c;
    assert_int_equal(rc_box_get(&r, "box-1", &b, &err), 0);
    assert_int_equal(rc_box_clone(&r, &caps, &b, "copy", &c, &err), 0);
    assert_string_equal(c.id, "box-2");
    rc_box_free(&c);
    rc_mutant_select(RC_MUT_CLONE_KEEPS_OLD_ID);
    assert_int_equal(rc_box_clone(&r, &caps, &b, NULL, &c, &err), 0);
    rc_mutant_select(RC_MUT_NONE);
    assert_string_equal(c.id, "box-1");
    rc_box_free(&c);
    struct rs_request seen[RS_MAX_REQUESTS];
    int n = rs_requests(stub, seen);
    assert_int_equal(n, 4);                   /* config asked once: cached */
    assert_string_equal(seen[2].content_type, "application/json");
    assert_memory_equal(seen[2].body, "{\"name\":\"copy\"}", seen[2].body_len);
    assert_memory_equal(seen[3].body, "{}", seen[3].body_len);
    rc_box_free(&b);
    rs_stop(stub);
    rc_rest_free(&r);
}

static struct rc_box named(const char *name)
{
    struct rc_box b = { strdup("box-1"), json_pack("{s:s, s:s?}", "box_id", "box-1", "name", name) };
    return b;
}

static void export_targets(void **state)
{
    (void)state;
    struct tf_sandbox sb;
    struct rc_err err = { 0 };
    tf_sandbox_make(&sb);
    mkdir(sb.dest, 0755);
    static const struct { const char *name, *file; } ok[] = {
        { "web", "web.boxlite" }, { NULL, "box.boxlite" }, { "..", NULL }, { "a/b", NULL },
        { "../../x", NULL }, { "a..b", NULL },
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        struct rc_box b = named(ok[i].name);
        char *t = rc_export_target(&b, sb.dest, &err);
        if (ok[i].file) {
            assert_non_null(t);
            assert_string_equal(strrchr(t, '/') + 1, ok[i].file);
        } else {
            assert_null(t);
            assert_string_equal(err.kind, "internal");
        }
        free(t);
        rc_box_free(&b);
    }
    struct rc_box b = named("../../x");
    rc_mutant_select(RC_MUT_EXPORT_NAME_UNCHECKED);
    char *t = rc_export_target(&b, sb.dest, &err);
    assert_non_null(strstr(t, "/../../x.boxlite"));
    free(t);
    rc_mutant_select(RC_MUT_EXPORT_NAME_IGNORED);
    t = rc_export_target(&b, sb.dest, &err);
    assert_string_equal(strrchr(t, '/') + 1, "box.boxlite");
    free(t);
    rc_mutant_select(RC_MUT_NONE);
    t = rc_export_target(&b, "/nonexistent/out.boxlite", &err);
    assert_string_equal(t, "/nonexistent/out.boxlite");
    free(t);
    rc_box_free(&b);
    rc_err_clear(&err);
    tf_sandbox_free(&sb);
}

/* The archive's bytes land whole at the target, or nothing lands. */
static void export_writes_archive(void **state)
{
    (void)state;
    const struct rs_reply replies[] = {
        { .method = "GET", .path = "/v1/config", .status = 200, .body = caps_on },
        { .method = "POST", .path = "/v1/boxes/box-1/export", .status = 200, .kind = RS_PATTERN,
          .size = 3 << 20, .type = "application/octet-stream", .uses = 1 },
        { .method = "POST", .path = "/v1/boxes/box-1/export", .status = 500,
          .body = "{\"error\":{\"message\":\"disk\",\"type\":\"StorageError\",\"code\":\"storage_error\"}}" },
        { 0 },
    };
    int port;
    struct rs_stub *stub = rs_start(replies, &port);
    struct rc_rest r = sc_rest(port);
    struct rc_caps caps = { 0 };
    struct rc_err err = { 0 };
    struct tf_sandbox sb;
    tf_sandbox_make(&sb);
    mkdir(sb.dest, 0755);
    struct rc_box b = named("web");
    char *written;
    assert_int_equal(rc_box_export(&r, &caps, &b, sb.dest, &written, &err), 0);
    struct stat st;
    assert_int_equal(stat(written, &st), 0);
    assert_int_equal(st.st_size, 3 << 20);
    char *text = tf_read(written);
    assert_memory_equal(text, "abcdefghijklmnopqrstuvwxyzabc", 29);
    free(text);
    free(written);
    char *before = tf_fingerprint(sb.root, NULL);
    char second[400];
    snprintf(second, sizeof(second), "%.*snew/out.boxlite", (int)strlen(sb.dest) - 4, sb.dest);
    assert_int_equal(rc_box_export(&r, &caps, &b, second, &written, &err), -1);
    assert_string_equal(err.kind, "storage");
    assert_string_equal(err.message, "HTTP 500: disk");
    char *after = tf_fingerprint(sb.root, NULL);
    assert_string_equal(before, after);      /* not even the parent directory */
    struct rs_request seen[RS_MAX_REQUESTS];
    int n = rs_requests(stub, seen);
    assert_string_equal(seen[n - 1].content_type, "application/json");
    assert_memory_equal(seen[n - 1].body, "{}", 2);
    free(before);
    free(after);
    rc_box_free(&b);
    rc_err_clear(&err);
    tf_sandbox_free(&sb);
    rs_stop(stub);
    rc_rest_free(&r);
}

/* A refused name or a capability that is off: no export call at all. */
static void export_refusals_call_nothing(void **state)
{
    (void)state;
    const struct rs_reply off[] = {
        { .method = "GET", .path = "/v1/config", .status = 200,
          .body = "{\"capabilities\":{\"export_enabled\":false}}" },
        { .method = "POST", .status = 200, .body = "x" },
        { 0 },
    };
    int port;
    struct rs_stub *stub = rs_start(off, &port);
    struct rc_rest r = sc_rest(port);
    struct rc_caps caps = { 0 };
    struct rc_err err = { 0 };
    struct tf_sandbox sb;
    tf_sandbox_make(&sb);
    mkdir(sb.dest, 0755);
    struct rc_box b = named("../evil");
    char *written;
    assert_int_equal(rc_box_export(&r, &caps, &b, sb.dest, &written, &err), -1);
    assert_string_equal(err.kind, "unsupported");
    caps.state[RC_CAP_EXPORT] = RC_CAP_ON;
    assert_int_equal(rc_box_export(&r, &caps, &b, sb.dest, &written, &err), -1);
    assert_string_equal(err.kind, "internal");
    assert_int_equal(rs_count(stub, "POST", "/v1/boxes/box-1/export"), 0);
    rc_box_free(&b);
    rc_err_clear(&err);
    tf_sandbox_free(&sb);
    rs_stop(stub);
    rc_rest_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(box_info_shape),
        cmocka_unit_test(box_info_refusals),
        cmocka_unit_test(box_info_mutants),
        cmocka_unit_test(metrics_map),
        cmocka_unit_test(metrics_refusals_and_mutant),
        cmocka_unit_test(lifecycle_replaces_info),
        cmocka_unit_test(clone_gets_its_own_handle),
        cmocka_unit_test(export_targets),
        cmocka_unit_test(export_writes_archive),
        cmocka_unit_test(export_refusals_call_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
