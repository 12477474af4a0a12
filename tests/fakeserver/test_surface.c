/* test_surface.c - the box resources (issue 12): every endpoint's default
 * answer (status line and header set checked as test_fidelity.c does),
 * per-call faults on the new lists, the box table (start, stop, clone),
 * snapshots, files as tars, capabilities, redirects to the second origin,
 * and requests journaled as they were sent. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "fs_curl.h"
#include "fs_head.h"
#include "fs_testlib.h"

#define BOX "/v1/boxes/box-1"
#define TAR "application/x-tar"
/* the runner's answer to a files call without ?path= */
#define NO_PATH "{\"error\":{\"message\":\"path query parameter required\"," \
                "\"type\":\"InvalidArgumentError\",\"code\":\"invalid_argument\"}}"

static fsc_result res;

static void url_of(const fst_server *s, int port, const char *path, char *url, size_t n) {
    snprintf(url, n, "http://127.0.0.1:%d%s", port ? port : s->port, path);
}

/* path (on the main origin) with the token, as curl sends it. */
static void fetch(fst_server *s, const char *method, const char *path, const char *body) {
    char url[512];
    url_of(s, 0, path, url, sizeof url);
    fsc_opts o = {.method = method, .body = body, .body_len = body ? strlen(body) : 0, .auth = 1};
    fsc_fetch(url, &o, &res);
    assert_int_equal(res.rc, 0);
}

static json_t *body_json(void) {
    json_t *j = json_loads(res.body, 0, NULL);
    assert_non_null(j);
    return j;
}

static const char *field(json_t *o, const char *key) { return json_string_value(json_object_get(o, key)); }

/* The n-th event ev with key == value, the journal kept in *j (decref it). */
static json_t *event(fst_server *s, json_t **j, const char *ev, const char *key, const char *value,
                     int n) {
    /* an answer is journaled once its bytes left the server: the client
     * may have read them first, so wait for the n-th */
    double end = fst_now() + 2;
    while ((*j = fst_wait_event(s, ev, key, value, 2000)) &&
           fst_count(*j, ev, key, value) < n && fst_now() < end) {
        json_decref(*j);
        usleep(10000);
    }
    assert_non_null(*j);
    json_t *e = fst_find(*j, ev, key, value, n);
    assert_non_null(e);
    return e;
}

/* ---- lifecycle, metrics, clone, export -------------------------------------------- */

static void start_and_stop_answer_the_new_state(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start(s, NULL, 1), 0);
    const fsh_want started = {"HTTP/1.1 200 OK", FSH_JSON, FSH_BODY_LEN,
        "{\"box_id\":\"box-1\",\"name\":\"box-1\",\"status\":\"running\",\"created_at\":"
        "\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:01Z\",\"image\":"
        "\"alpine:latest\",\"cpus\":1,\"memory_mib\":512}"};
    fsh_check(s, "POST", BOX "/start", "", &started);
    const fsh_want stopped = {"HTTP/1.1 200 OK", FSH_JSON, FSH_BODY_LEN,
        "{\"box_id\":\"box-1\",\"name\":\"box-1\",\"status\":\"stopped\",\"created_at\":"
        "\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:02Z\",\"image\":"
        "\"alpine:latest\",\"cpus\":1,\"memory_mib\":512}"};
    fsh_check(s, "POST", BOX "/stop", "", &stopped);
    fetch(s, "GET", BOX, NULL); /* the box keeps its new state */
    json_t *b = body_json();
    assert_string_equal(field(b, "status"), "stopped");
    json_decref(b);
    json_t *j;
    json_t *e = event(s, &j, "box", "cause", "stop", 1);
    assert_string_equal(field(e, "box_id"), "box-1");
    assert_string_equal(field(e, "status"), "stopped");
    assert_string_equal(field(e, "updated_at"), "2026-01-01T00:00:02Z");
    assert_int_equal(fst_count(j, "box", "cause", "start"), 1);
    /* a bodiless POST with Content-Length: 0 is one call, not two */
    assert_int_equal(fst_count(j, "http_request", "endpoint", "start"), 1);
    json_decref(j);
}

/* A POST with neither Content-Length nor Transfer-Encoding has no body (RFC
 * 9112 6.3), as the Node SDK sends start and stop. lws 4.1 would take the
 * connection's next request for its body and never answer it; the answer
 * says Connection: close and closes instead, so a client reconnects. */
static void a_post_without_length_has_no_body(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start(s, NULL, 1), 0);
    int fd = fst_connect(s);
    assert_true(fd >= 0);
    const char post[] = "POST " BOX "/start HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        "Authorization: Bearer boxconform-key\r\n\r\n";
    assert_int_equal(fst_send(fd, post, sizeof post - 1), 0);
    char buf[4096];
    const char *body;
    assert_int_equal(fst_read_response(fd, buf, sizeof buf, &body, 2000), 200);
    assert_non_null(strcasestr(buf, "\r\nconnection: close\r\n"));
    const char get[] = "GET " BOX " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                       "Authorization: Bearer boxconform-key\r\n\r\n";
    fst_send(fd, get, sizeof get - 1); /* may meet the closed socket */
    struct pollfd p = {fd, POLLIN, 0};
    assert_int_equal(poll(&p, 1, 2000), 1); /* the server's FIN, not a timeout */
    assert_true(recv(fd, buf, sizeof buf, 0) <= 0);
    close(fd);
}

/* lws 4.1 hands a pipelined request's body from a buffer it has freed when
 * the body ends short after a refused request (found by fuzz_http; the
 * ASan build's server died here): the server answers the first request,
 * closes, and lives on. */
static void a_pipelined_request_with_a_body_closes(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start(s, NULL, 1), 0);
    int fd = fst_connect(s);
    assert_true(fd >= 0);
    const char two[] = "GET / HTTP/1.1\r\n\r\nPUT / HTTP/1.1\r\nContent-Length: 100\r\n\r\nabc";
    assert_int_equal(fst_send(fd, two, sizeof two - 1), 0);
    shutdown(fd, SHUT_WR); /* the body ends short */
    char buf[8192];
    size_t n = 0;
    ssize_t r;
    while (n + 1 < sizeof buf && (r = fst_recv(fd, buf + n, sizeof buf - n - 1, 3000)) > 0)
        n += (size_t)r;
    buf[n] = '\0';
    assert_int_equal(r, -1); /* the server's FIN (fst_recv: 0 is a timeout) */
    assert_int_equal(strncmp(buf, "HTTP/1.1 404", 12), 0);
    assert_null(strstr(buf + 1, "HTTP/1.1 ")); /* one answer only */
    close(fd);
    /* and the server lives on (without the fix, the ASan build's died) */
    const char *body;
    assert_int_equal(fst_http(s, "GET", BOX, NULL, buf, sizeof buf, &body, 2000), 200);
}

static void metrics_default_and_from_the_scenario(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start_server(s, "{\"box_info\":{\"name\":\"n/../x\",\"pid\":7},"
                                         "\"metrics_info\":{\"commands_executed_total\":9007199254740993,"
                                         "\"cpu_percent\":null}}", 0, 1), 0);
    const fsh_want given = {"HTTP/1.1 200 OK", FSH_JSON, FSH_BODY_LEN,
        "{\"commands_executed_total\":9007199254740993,\"cpu_percent\":null}"};
    fsh_check(s, "GET", BOX "/metrics", "", &given);
    fetch(s, "GET", BOX, NULL);
    json_t *b = body_json();
    assert_string_equal(field(b, "name"), "n/../x");
    assert_int_equal(json_integer_value(json_object_get(b, "pid")), 7);
    assert_string_equal(field(b, "status"), "running");
    json_decref(b);
    assert_int_equal(fst_stop(s), 0);

    assert_int_equal(fst_start(s, NULL, 1), 0);
    const fsh_want def = {"HTTP/1.1 200 OK", FSH_JSON, FSH_BODY_LEN,
        "{\"commands_executed_total\":3,\"exec_errors_total\":1,\"bytes_sent_total\":2048,"
        "\"bytes_received_total\":512,\"cpu_percent\":12.5,\"memory_bytes\":134217728,"
        "\"network_bytes_sent\":4096,\"network_bytes_received\":8192,"
        "\"network_tcp_connections\":2,\"network_tcp_errors\":5,\"boot_timing\":"
        "{\"total_create_ms\":1500,\"guest_boot_ms\":900,\"filesystem_setup_ms\":120,"
        "\"image_prepare_ms\":300,\"guest_rootfs_ms\":80,\"box_config_ms\":40,"
        "\"box_spawn_ms\":30,\"container_init_ms\":31}}"};
    fsh_check(s, "GET", BOX "/metrics", "", &def);
}

static void a_clone_is_a_box_every_endpoint_knows(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start_server(s, "{\"clone\":[{},{},{\"status\":201,"
                                         "\"body\":{\"box_id\":\"odd id\",\"status\":\"what\"}}]}",
                                      0, 1), 0);
    const fsh_want cloned = {"HTTP/1.1 201 Created", FSH_JSON, FSH_BODY_LEN,
        "{\"box_id\":\"box-2\",\"name\":\"copy\",\"status\":\"configured\",\"created_at\":"
        "\"2026-01-01T00:00:01Z\",\"updated_at\":\"2026-01-01T00:00:01Z\",\"image\":"
        "\"alpine:latest\",\"cpus\":1,\"memory_mib\":512}"};
    fsh_check(s, "POST", BOX "/clone", "{\"name\":\"copy\"}", &cloned);
    fetch(s, "GET", "/v1/boxes/box-2", NULL);
    assert_int_equal(res.status, 200);
    fetch(s, "POST", "/v1/boxes/box-2/exec", "{\"command\":\"true\"}");
    assert_int_equal(res.status, 201);
    fetch(s, "GET", "/v1/boxes/box-2/snapshots", NULL);
    assert_string_equal(res.body, "{\"snapshots\":[]}");
    fetch(s, "POST", "/v1/boxes/box-2/clone", NULL);  /* no body: no name */
    json_t *b = body_json();
    assert_string_equal(field(b, "box_id"), "box-3");
    assert_true(json_is_null(json_object_get(b, "name")));
    json_decref(b);
    fetch(s, "POST", BOX "/clone", "{}");            /* a scripted clone names its box */
    assert_int_equal(res.status, 201);
    fetch(s, "GET", "/v1/boxes/odd%20id", NULL);
    assert_int_equal(res.status, 200);
    assert_string_equal(res.body, "{\"box_id\":\"odd id\",\"status\":\"what\"}");
    fetch(s, "GET", "/v1/boxes/box-4", NULL);
    assert_int_equal(res.status, 404);
    json_t *j;
    assert_non_null(event(s, &j, "box", "cause", "clone", 2));
    assert_string_equal(field(fst_find(j, "box", "cause", "scripted", 1), "box_id"), "odd id");
    json_decref(j);
}

static void export_sends_archive_bytes(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start_server(s, "{\"export\":[{},{\"bytes\":10,\"content_length\":false},"
                                         "{\"tar\":[{\"path\":\"a\",\"data\":\"x\"}]}]}", 0, 1), 0);
    char head[4096], body[8192];
    fsh_exchange(s, "POST " BOX "/export HTTP/1.1\r\nHost: x\r\n" FST_AUTH "Content-Length: 2\r\n\r\n{}",
                 1, head, sizeof head, body, sizeof body);
    const fsh_want whole = {"HTTP/1.1 200 OK", "application/octet-stream", 4096, NULL};
    fsh_assert_head(head, &whole);
    fetch(s, "POST", BOX "/export", "{}");
    assert_int_equal(res.total, 10);
    assert_int_equal(res.pattern_bad, 0);
    assert_non_null(strcasestr(res.head, "transfer-encoding: chunked"));
    fetch(s, "POST", BOX "/export", "{}");
    assert_non_null(strcasestr(res.head, "content-type: application/x-tar"));
    json_t *j;
    json_t *e = event(s, &j, "http_response", "call", "3", 1);
    assert_string_equal(field(json_array_get(json_object_get(e, "tar"), 0), "path"), "a");
    json_decref(j);
}

/* ---- files ------------------------------------------------------------------------ */

/* A tar of one file "a b.txt" ("abc", mode 0755), as GNU tar writes it. */
static size_t small_tar(char *buf, size_t cap) {
    FILE *p = popen("d=$(mktemp -d) && printf abc > \"$d/a b.txt\" && chmod 755 \"$d/a b.txt\" && "
                    "tar -C \"$d\" -cf - 'a b.txt' && rm -r \"$d\"", "r");
    assert_non_null(p);
    size_t n = fread(buf, 1, cap, p);
    assert_int_equal(pclose(p), 0);
    return n;
}

static void put_tar(fst_server *s, const char *query, const char *body, size_t n, char *head,
                    char *out) {
    char *req = malloc(n + 512);
    int h = snprintf(req, 512, "PUT " BOX "/files%s HTTP/1.1\r\nHost: x\r\n" FST_AUTH
                     "Content-Type: application/x-tar\r\nContent-Length: %zu\r\n\r\n", query, n);
    memcpy(req + h, body, n);
    req[h + n] = '\0';
    int fd = fst_connect(s);
    assert_int_equal(fst_send(fd, req, (size_t)h + n), 0);
    const char *b;
    fst_read_response(fd, head, 4096, &b, 3000);
    strcpy(out, b ? b : "");
    close(fd);
    free(req);
}

static void files_put_reads_the_tar(void **state) {
    fst_server *s = *state;
    static char tar[20480], head[4096], out[4096];
    size_t n = small_tar(tar, sizeof tar);
    assert_int_equal(fst_start(s, NULL, 1), 0);
    put_tar(s, "?path=%2Fwork%2Fin+dir", tar, n, head, out);
    const fsh_want done = {"HTTP/1.1 204 No Content", NULL, FSH_NO_LENGTH, NULL};
    fsh_assert_head(head, &done);
    put_tar(s, "?path=", tar, n, head, out);
    const fsh_want no_path = {"HTTP/1.1 400 Bad Request", FSH_JSON, FSH_BODY_LEN, NO_PATH};
    fsh_assert_head(head, &no_path);
    assert_string_equal(out, NO_PATH);
    put_tar(s, "?path=x", "not a tar", 9, head, out);
    assert_non_null(strstr(head, "HTTP/1.1 400 "));
    assert_non_null(strstr(out, "failed to extract upload tar: "));

    json_t *j;
    json_t *e = event(s, &j, "http_request", "endpoint", "files_put", 1);
    assert_string_equal(field(e, "query_raw"), "path=%2Fwork%2Fin+dir");
    json_t *param = json_array_get(json_object_get(e, "query_params"), 0);
    assert_string_equal(json_string_value(json_array_get(param, 1)), "/work/in dir");
    assert_string_equal(field(e, "content_type"), TAR);
    assert_null(json_object_get(e, "body"));
    json_t *entry = json_array_get(json_object_get(e, "tar"), 0);
    assert_string_equal(field(entry, "path"), "a b.txt");
    assert_string_equal(field(entry, "type"), "file");
    assert_int_equal(json_integer_value(json_object_get(entry, "mode")), 0755);
    assert_int_equal(json_integer_value(json_object_get(entry, "size")), 3);
    assert_string_equal(field(entry, "sha256"),
                        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    e = fst_find(j, "http_request", "endpoint", "files_put", 3);
    assert_non_null(json_object_get(e, "tar_error"));
    assert_string_equal(field(e, "body"), "not a tar");
    json_decref(j);
}

static void files_get_answers_the_scenario_tar(void **state) {
    fst_server *s = *state;
    char sandbox[] = "/tmp/fssandbox.XXXXXX";
    assert_non_null(mkdtemp(sandbox));
    const char *args[] = {"--sandbox", sandbox, NULL};
    assert_int_equal(fst_start_file(s, FS_SCENARIOS "/hostile-tar.json", 1, args), 0);
    const fsh_want no_path = {"HTTP/1.1 400 Bad Request", FSH_JSON, FSH_BODY_LEN, NO_PATH};
    fsh_check(s, "GET", BOX "/files", "", &no_path);
    const fsh_want hello = {"HTTP/1.1 200 OK", TAR, 2048, NULL};
    fsh_check(s, "GET", BOX "/files?path=%2Fetc%2Fhello", "", &hello);
    fetch(s, "GET", BOX "/files?path=/x", NULL);
    fetch(s, "GET", BOX "/files?path=/x", NULL);
    assert_int_equal(res.total, 1000);
    json_t *j;
    event(s, &j, "http_response", "endpoint", "files_get", 4);   /* the last one */
    json_t *e = fst_find(j, "http_response", "endpoint", "files_get", 2);
    json_t *entry = json_array_get(json_object_get(e, "tar"), 0);
    assert_string_equal(field(entry, "path"), "hello.txt");
    assert_string_equal(field(entry, "sha256"),
                        "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
    json_t *hostile = json_object_get(fst_find(j, "http_response", "endpoint", "files_get", 3), "tar");
    char want[128];
    snprintf(want, sizeof want, "%s/host/x/y/z", sandbox);
    assert_string_equal(field(json_array_get(hostile, 0), "path"), want);
    snprintf(want, sizeof want, "%s/outside/a/b/c/d", sandbox);
    assert_string_equal(field(json_array_get(hostile, 1), "target"), want);
    assert_string_equal(field(json_array_get(hostile, 2), "path"), "../../up");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(hostile, 2), "mode")), 06755);
    assert_string_equal(field(json_array_get(hostile, 3), "type"), "blockdev");
    e = fst_find(j, "http_response", "endpoint", "files_get", 4);
    assert_non_null(json_object_get(e, "tar_error"));
    assert_int_equal(json_integer_value(json_object_get(e, "body_len")), 1000);
    json_decref(j);
    rmdir(sandbox);
}

/* A scenario whose tars name ${SANDBOX} does not start without --sandbox. */
static void sandbox_is_required_by_its_tars(void **state) {
    fst_server *s = *state;
    assert_int_not_equal(fst_start_server(s, "{\"files\":[{\"path\":\"${SANDBOX}/x\"}]}", 0, 1), 0);
}

/* ---- snapshots and capabilities ------------------------------------------------------ */

static void snapshots_are_kept_per_box(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start_server(s, "{\"snapshots\":[\"a/b\",{\"name\":\"raw\",\"extra\":1}]}", 0, 1), 0);
    const fsh_want created = {"HTTP/1.1 201 Created", FSH_JSON, FSH_BODY_LEN,
        "{\"id\":\"snap-3\",\"box_id\":\"box-1\",\"name\":\"x+y %\",\"created_at\":1767225601,"
        "\"container_disk_bytes\":1048576,\"size_bytes\":2097152}"};
    fsh_check(s, "POST", BOX "/snapshots", "{\"name\":\"x+y %\"}", &created);
    fetch(s, "POST", BOX "/snapshots", "{\"name\":\"x+y %\"}");
    assert_int_equal(res.status, 409);
    fetch(s, "POST", BOX "/snapshots", "{}");
    assert_int_equal(res.status, 400);
    assert_string_equal(res.body, "{\"error\":\"name is required\"}");
    fetch(s, "GET", BOX "/snapshots/a%2Fb", NULL);     /* one segment, decoded */
    json_t *b = body_json();
    assert_string_equal(field(b, "name"), "a/b");
    assert_string_equal(field(b, "id"), "snap-1");
    json_decref(b);
    fetch(s, "GET", BOX "/snapshots/x+y%20%25", NULL); /* a path keeps its '+' */
    assert_int_equal(res.status, 200);
    fetch(s, "GET", BOX "/snapshots/raw", NULL);
    assert_string_equal(res.body, "{\"name\":\"raw\",\"extra\":1}");
    const fsh_want done = {"HTTP/1.1 204 No Content", NULL, FSH_NO_LENGTH, ""};
    fsh_check(s, "POST", BOX "/snapshots/a%2Fb/restore", "", &done);
    fsh_check(s, "DELETE", BOX "/snapshots/a%2Fb", "", &done);
    const fsh_want gone = {"HTTP/1.1 404 Not Found", FSH_JSON, FSH_BODY_LEN, "{\"error\":\"snapshot \\\"a/b\\\" not found\"}"};
    fsh_check(s, "GET", BOX "/snapshots/a%2Fb", "", &gone);
    fetch(s, "DELETE", BOX "/snapshots/a%2Fb", NULL);
    assert_int_equal(res.status, 404);
    fetch(s, "GET", BOX "/snapshots", NULL);
    b = body_json();
    assert_int_equal(json_array_size(json_object_get(b, "snapshots")), 2);
    json_decref(b);
    json_t *j;
    json_t *e = event(s, &j, "http_request", "endpoint", "snapshot_get", 1);
    assert_string_equal(field(e, "path_raw"), BOX "/snapshots/a%2Fb");
    json_decref(j);
}

static void capabilities_from_the_scenario(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start_server(s, "{\"capabilities\":{\"snapshots\":true,\"clone\":null}}", 0, 1), 0);
    const fsh_want some = {"HTTP/1.1 200 OK", FSH_JSON, FSH_BODY_LEN,
        "{\"capabilities\":{\"snapshots_enabled\":true,\"export_enabled\":false,\"import_enabled\":false}}"};
    fsh_check(s, "GET", "/v1/config", "", &some);
    assert_int_equal(fst_stop(s), 0);
    assert_int_equal(fst_start_server(s, "{\"capabilities\":null}", 0, 1), 0);
    const fsh_want none = {"HTTP/1.1 200 OK", FSH_JSON, FSH_BODY_LEN, "{}"};
    fsh_check(s, "GET", "/v1/config", "", &none);
}

/* ---- per-call faults on the new lists ------------------------------------------------- */

static void new_lists_take_every_fault(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start_server(s, "{\"start\":[{\"status\":500,\"body_form\":\"envelope\","
        "\"message\":\"boom\",\"headers\":{\"Retry-After\":\"2\",\"X-Request-Id\":\"r-1\"}}],"
        "\"stop\":[{\"headers\":{\"Content-Type\":\"text/plain\"}}],"
        "\"files_get\":[{\"delay\":0.3}],\"snapshot_list\":[{\"rst\":true}],"
        "\"metrics\":[{\"hang\":0.3}],\"clone\":[{\"status\":409,\"body_form\":\"runner\","
        "\"message\":\"busy\"}],\"snapshot_get\":[{\"bytes\":10,\"content_length\":false}]}", 0, 1), 0);
    const fsh_want chunked = {"HTTP/1.1 200 OK", "application/octet-stream", FSH_CHUNKED, NULL};
    fsh_check(s, "GET", BOX "/snapshots/x", "", &chunked);   /* Transfer-Encoding, no length */
    const char *const extra[] = {"Retry-After: 2", "X-Request-Id: r-1", NULL};
    const fsh_want boom = {"HTTP/1.1 500 Internal Server Error", FSH_JSON, FSH_BODY_LEN,
        "{\"error\":{\"message\":\"boom\",\"type\":\"InternalError\",\"code\":\"internal\"}}"};
    fsh_check_x(s, "POST", BOX "/start", "", &boom, extra);
    const char *const ctype[] = {"Content-Type: text/plain", NULL};
    const fsh_want plain = {"HTTP/1.1 200 OK", NULL, 174, NULL}; /* the scenario's type instead */
    fsh_check_x(s, "POST", BOX "/stop", "", &plain, ctype);
    fetch(s, "GET", BOX "/files?path=x", NULL);
    assert_int_equal(res.status, 200);
    assert_true(res.seconds > 0.28);
    char url[128];
    url_of(s, 0, BOX "/snapshots", url, sizeof url);
    fsc_opts o = {.auth = 1};
    fsc_fetch(url, &o, &res);
    assert_int_not_equal(res.rc, 0);                  /* reset, no answer */
    int fd = fst_connect(s);
    const char req[] = "GET " BOX "/metrics HTTP/1.1\r\nHost: x\r\n\r\n";
    double t0 = fst_now();
    assert_int_equal(fst_send(fd, req, sizeof req - 1), 0);
    char b;
    assert_int_equal(fst_recv(fd, &b, 1, 2000), -1); /* nothing, then FIN */
    assert_true(fst_now() - t0 > 0.28);
    close(fd);
    fetch(s, "POST", BOX "/clone", "{}");
    assert_int_equal(res.status, 409);
    fetch(s, "GET", "/v1/boxes/box-2", NULL);        /* a refused clone made no box */
    assert_int_equal(res.status, 404);
}

/* ---- redirects ------------------------------------------------------------------------ */

static void redirects_reach_the_other_origin(void **state) {
    fst_server *s = *state;
    /* calls: 1 the raw look, 2 and 4 followed by curl to the other origin (3, 5), 6 not */
    assert_int_equal(fst_start_file(s, FS_SCENARIOS "/redirect-other-origin.json", 1, NULL), 0);
    int other = fst_other_port(s);
    assert_true(other > 0 && other != s->port);
    char head[4096], body[4096], location[128];
    fsh_exchange(s, "GET " BOX "?x=%2F HTTP/1.1\r\nHost: x\r\n" FST_AUTH "\r\n", 1, head, sizeof head,
                 body, sizeof body);
    snprintf(location, sizeof location, "Location: http://127.0.0.1:%d" BOX "?x=%%2F", other);
    const char *const loc[] = {location, NULL};
    const fsh_want moved = {"HTTP/1.1 307 Temporary Redirect", "text/html; charset=utf-8", 79, NULL};
    fsh_assert_head_x(head, &moved, loc);
    assert_string_equal(body + strlen(body) - 25, "Temporary Redirect</a>.\n\n");

    /* curl follows it; across origins it drops the token unless told not to */
    char url[128];
    url_of(s, 0, BOX, url, sizeof url);
    fsc_opts o = {.auth = 1, .follow = 1};
    fsc_fetch(url, &o, &res);
    assert_int_equal(res.status, 200);
    o.unrestricted = 1;
    fsc_fetch(url, &o, &res);
    assert_int_equal(res.status, 200);
    url_of(s, 0, BOX "/start", url, sizeof url);
    fsc_opts post = {.auth = 1, .follow = 1, .unrestricted = 1, .method = "POST", .body = "",
                     .body_len = 0};
    fsc_fetch(url, &post, &res);                     /* 308 keeps the method */
    assert_int_equal(res.status, 200);
    url_of(s, 0, BOX, url, sizeof url);
    fsc_opts same = {.auth = 1};
    fsc_fetch(url, &same, &res);
    snprintf(location, sizeof location, "location: http://127.0.0.1:%d/v1/config?a=1", s->port);
    assert_non_null(strcasestr(res.head, location));

    json_t *j;
    json_t *e = event(s, &j, "http_request", "origin", "other", 1);
    assert_string_equal(field(e, "endpoint"), "box");
    assert_int_equal(json_integer_value(json_object_get(e, "call")), 3);
    assert_true(json_is_null(json_object_get(e, "auth")));  /* curl left it behind */
    e = fst_find(j, "http_request", "origin", "other", 2);
    assert_string_equal(field(e, "auth"), "Bearer boxconform-key");
    e = fst_find(j, "http_request", "origin", "other", 3);
    assert_string_equal(field(e, "method"), "POST");
    assert_string_equal(field(e, "endpoint"), "start");
    assert_non_null(fst_find(j, "tcp_open", "origin", "other", 1));
    json_decref(j);
}

/* ---- requests as sent ------------------------------------------------------------------ */

static void requests_are_journaled_as_sent(void **state) {
    fst_server *s = *state;
    assert_int_equal(fst_start(s, NULL, 1), 0);
    int fd = fst_connect(s);
    const char req[] = "GET " BOX "/files?path=%2Fvar%2Flog%2Fa+b%2Bc%26d%3De&path=2&flag HTTP/1.1\r\n"
                       "Host: x\r\nX-Zeta: 1\r\nAuthorization: Bearer boxconform-key\r\n"
                       "x-lower:  spaced  \r\n\r\n";
    const char second[] = "GET /v1/config HTTP/1.1\r\nHost: y\r\n\r\n";
    const char *b;
    char buf[8192];
    assert_int_equal(fst_send(fd, req, sizeof req - 1), 0);
    assert_int_equal(fst_read_response(fd, buf, sizeof buf, &b, 2000), 200);
    assert_int_equal(fst_send(fd, second, sizeof second - 1), 0); /* keep-alive: the next head too */
    assert_int_equal(fst_read_response(fd, buf, sizeof buf, &b, 2000), 200);
    close(fd);
    json_t *j;
    event(s, &j, "http_response", "endpoint", "config", 1);       /* the last one */
    json_t *e = fst_find(j, "http_request", "endpoint", "files_get", 1);
    json_t *want = json_loads("[[\"path\",\"/var/log/a b+c&d=e\"],[\"path\",\"2\"],[\"flag\",\"\"]]", 0, NULL);
    assert_true(json_equal(json_object_get(e, "query_params"), want));
    json_decref(want);
    want = json_loads("[[\"Host\",\"x\"],[\"X-Zeta\",\"1\"],[\"Authorization\",\"Bearer boxconform-key\"],"
                      "[\"x-lower\",\"spaced\"]]", 0, NULL);
    assert_true(json_equal(json_object_get(e, "headers"), want));
    json_decref(want);
    assert_string_equal(field(e, "origin"), "main");
    e = fst_find(j, "http_request", "endpoint", "config", 1);
    assert_string_equal(field(e, "path_raw"), "/v1/config");
    assert_string_equal(field(e, "query_raw"), "");
    assert_string_equal(json_string_value(json_array_get(json_array_get(json_object_get(e, "headers"), 0), 1)), "y");
    e = fst_find(j, "http_response", "endpoint", "config", 1);
    assert_string_equal(json_string_value(json_array_get(json_array_get(json_object_get(e, "headers"), 0), 0)),
                        "content-type");
    json_decref(j);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(start_and_stop_answer_the_new_state, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(a_post_without_length_has_no_body, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(a_pipelined_request_with_a_body_closes, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(metrics_default_and_from_the_scenario, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(a_clone_is_a_box_every_endpoint_knows, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(export_sends_archive_bytes, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(files_put_reads_the_tar, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(files_get_answers_the_scenario_tar, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(sandbox_is_required_by_its_tars, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(snapshots_are_kept_per_box, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(capabilities_from_the_scenario, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(new_lists_take_every_fault, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(redirects_reach_the_other_origin, fst_setup, fst_teardown),
        cmocka_unit_test_setup_teardown(requests_are_journaled_as_sent, fst_setup, fst_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
