/* test_misbehaving.c - adapters that misbehave: the run goes on, every
 * scenario gets a verdict, and nothing is left behind.
 *
 * Each case runs two scenarios through the pool (bc_session_run, what
 * `boxconform run` does) with a tiny shell adapter from adapters-misbehaving/:
 * crash mid-run, hang with a background grandchild, ignore SIGTERM, flood
 * 50 MB of events, print lines that are not events, write only to stderr,
 * say "unsupported" and never exit.
 * Afterwards: no process carrying the run's marker, nothing in the private
 * TMPDIR, no /dev/shm libfaketime files of the adapters' pids, and the
 * harness's own memory stayed bounded. */
#include <dirent.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cmocka.h>

#include "catalog.h"
#include "profile.h"
#include "session.h"

/* The flood is 50 MB (51200 lines of 1 KiB), and a worker judging it must
 * stay under 200 MB. Under ASan only 2 MB and 768 MB (ASan's quarantine
 * and shadow): the evidence loader (suites/evidence.c append) grows its
 * output buffer by exactly each chunk and ASan's realloc always copies, so
 * judging 50 MB takes many minutes there (quadratic), ~3 s without it. */
#if defined(__SANITIZE_ADDRESS__)
#define FLOOD_LINES "2048"
#define MAX_RSS_KB (768 * 1024)
#else
#define FLOOD_LINES "51200"
#define MAX_RSS_KB (200 * 1024)
#endif

static char tmpdir[64], piddir[64], marker[64];

static int setup_group(void **state) {
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/bcmis-tmp-XXXXXX");
    snprintf(piddir, sizeof piddir, "/tmp/bcmis-pid-XXXXXX");
    if (!mkdtemp(tmpdir) || !mkdtemp(piddir)) return -1;
    snprintf(marker, sizeof marker, "bcmis-marker-%d-%ld", (int)getpid(), (long)random());
    setenv("TMPDIR", tmpdir, 1);
    setenv("BCMIS_DIR", piddir, 1);
    setenv("BCMIS_MARK", marker, 1);
    setenv("BCMIS_FLOOD_LINES", FLOOD_LINES, 1);
    return 0;
}

static size_t dir_entries(const char *path) {
    DIR *d = opendir(path);
    size_t n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
    if (d) closedir(d);
    return n;
}

static int teardown_group(void **state) {
    (void)state;
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", tmpdir, piddir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Processes whose command line carries the marker. */
static int marked_processes(void) {
    DIR *d = opendir("/proc");
    struct dirent *e;
    int n = 0;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        char path[300], buf[4096];
        snprintf(path, sizeof path, "/proc/%s/cmdline", e->d_name);
        FILE *f = fopen(path, "r");
        if (!f) continue;
        size_t len = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        for (size_t i = 0; i < len; i++)
            if (!buf[i]) buf[i] = ' ';
        buf[len] = 0;
        if (strstr(buf, marker)) n++;
    }
    if (d) closedir(d);
    return n;
}

/* Live (not zombie) processes of process group pgid. */
static int group_alive(int pgid) {
    DIR *d = opendir("/proc");
    struct dirent *e;
    int n = 0;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        char path[300], buf[512];
        snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
        FILE *f = fopen(path, "r");
        if (!f) continue;
        size_t len = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[len] = 0;
        char state;
        int ppid, pgrp;
        const char *end = strrchr(buf, ')'); /* the command name may hold anything */
        if (end && sscanf(end + 1, " %c %d %d", &state, &ppid, &pgrp) == 3 &&
            pgrp == pgid && state != 'Z')
            n++;
    }
    if (d) closedir(d);
    return n;
}

/* Killed processes take a moment to go; orphans are reaped by init. */
static void wait_gone(int pgid) {
    for (int i = 0; i < 200 && (group_alive(pgid) || marked_processes()); i++)
        usleep(10000);
}

/* Every adapter pid of the case (pid-N files): its group is gone and
 * libfaketime left nothing of it in /dev/shm. Returns the adapters seen. */
static int check_adapter_pids(void) {
    DIR *d = opendir(piddir);
    struct dirent *e;
    int n = 0;
    while (d && (e = readdir(d))) {
        if (strncmp(e->d_name, "pid-", 4) != 0) continue;
        int pid = atoi(e->d_name + 4);
        char path[400];
        assert_true(pid > 0);
        snprintf(path, sizeof path, "%s/%s", piddir, e->d_name);
        unlink(path);
        wait_gone(pid);
        if (group_alive(pid)) fail_msg("process group %d of an adapter is still alive", pid);
        snprintf(path, sizeof path, "/dev/shm/faketime_shm_%d", pid);
        if (access(path, F_OK) == 0) fail_msg("%s left behind", path);
        snprintf(path, sizeof path, "/dev/shm/sem.faketime_sem_%d", pid);
        if (access(path, F_OK) == 0) fail_msg("%s left behind", path);
        n++;
    }
    if (d) closedir(d);
    return n;
}

static json_t *case_records;    /* the current case's, freed by free_case_records */

/* Runs the scenarios matching glob with adapter script name; returns the
 * records after checking nothing outlived the run. */
static json_t *run_case(const char *name, const char *glob) {
    char err[512], cmd[1024];
    bc_catalog cat = { 0 };
    if (bc_catalog_load(&cat, MIS_DIR "/scenarios", glob, err, sizeof err) < 0)
        fail_msg("%s", err);
    assert_int_equal(cat.count, 2);
    snprintf(cmd, sizeof cmd, "sh " MIS_DIR "/%s", name);
    bc_profile p;
    if (bc_profile_from_cmd(cmd, &p, err, sizeof err) < 0) fail_msg("%s", err);
    p.writable = calloc(2, sizeof *p.writable); /* as root the adapter is confined */
    p.writable[p.writable_count++] = strdup(piddir);
    bc_runcfg cfg = { FAKESERVER, FAKETIME_LIB, &p, 50, false, false };
    json_t *records = NULL;
    check_adapter_pids(); /* forget what an earlier failed case left */
    int rc = bc_session_run(&cfg, &cat, 2, NULL, NULL, &records);
    bc_catalog_free(&cat);
    bc_profile_free(&p);
    case_records = records;
    assert_int_equal(rc, 0);
    assert_int_equal(json_array_size(records), 2);  /* the run went on */
    assert_int_equal(check_adapter_pids(), 2);
    assert_int_equal(marked_processes(), 0);
    assert_int_equal(dir_entries(tmpdir), 0);
    return records;
}

/* A failed assertion leaves its test at once: the records go here, so that
 * ASan's leak report does not bury the failure's message. */
static int free_case_records(void **state) {
    (void)state;
    json_decref(case_records);
    case_records = NULL;
    return 0;
}

/* Every verdict of every record is want; every message contains why. */
static void assert_verdicts(const json_t *records, const char *want, const char *why) {
    size_t i, j;
    json_t *rec, *r;
    json_array_foreach(records, i, rec) {
        assert_true(json_array_size(json_object_get(rec, "results")) > 0);
        json_array_foreach(json_object_get(rec, "results"), j, r) {
            const char *v = json_string_value(json_object_get(r, "verdict"));
            const char *m = json_string_value(json_object_get(r, "message"));
            if (strcmp(v, want) != 0 || (why && !strstr(m, why)))
                fail_msg("%s %s: %s (%s), expected %s (%s)",
                         json_string_value(json_object_get(rec, "id")),
                         json_string_value(json_object_get(r, "contract")), v, m, want,
                         why ? why : "");
        }
    }
}

static const char *verdict_of(const json_t *rec, const char *contract) {
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(rec, "results"), i, r)
        if (strcmp(json_string_value(json_object_get(r, "contract")), contract) == 0)
            return json_string_value(json_object_get(r, "verdict"));
    return "";
}

static void crash_mid_run(void **state) {
    (void)state;
    json_t *recs = run_case("crash.sh", "quick-*");
    assert_verdicts(recs, "CRASHED", "signal 11");
}

static void hang_kills_the_group(void **state) {
    (void)state;
    json_t *recs = run_case("hang.sh", "quick-*");
    assert_verdicts(recs, "HUNG", "deadline");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(recs, 0),
                                                        "adapter_signal")), SIGTERM);
}

static void ignored_sigterm_gets_sigkill(void **state) {
    (void)state;
    json_t *recs = run_case("ignore-term.sh", "quick-*");
    assert_verdicts(recs, "HUNG", "deadline");
    size_t i;
    json_t *rec;
    json_array_foreach(recs, i, rec)
        assert_int_equal(json_integer_value(json_object_get(rec, "adapter_signal")), SIGKILL);
}

static void flood_is_judged_in_bounded_memory(void **state) {
    (void)state;
    json_t *recs = run_case("flood.sh", "slow-*");
    size_t i;
    json_t *rec;
    json_array_foreach(recs, i, rec) {
        assert_string_equal(verdict_of(rec, "WIRE-EXIT"), "PASS");
        assert_string_equal(verdict_of(rec, "RECOV-ONE-RESULT"), "PASS");
        assert_string_equal(verdict_of(rec, "WIRE-OUT"), "FAIL"); /* MBs of 'A' */
    }
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    print_message("largest worker: %ld MB\n", ru.ru_maxrss / 1024);
    assert_true(ru.ru_maxrss < MAX_RSS_KB);
}

static void invalid_lines_are_judged_and_reported(void **state) {
    (void)state;
    json_t *recs = run_case("bad-json.sh", "quick-*");
    assert_verdicts(recs, "PASS", NULL);
    size_t i;
    json_t *rec;
    json_array_foreach(recs, i, rec) {
        json_t *bad = json_object_get(rec, "invalid_lines");
        assert_int_equal(json_integer_value(json_object_get(bad, "count")), 5);
        json_t *first = json_object_get(bad, "first");
        assert_string_equal(json_string_value(json_array_get(first, 1)), "not json at all");
        assert_string_equal(json_string_value(json_array_get(first, 2)), "caf? latin-1");
    }
}

static void over_long_line_is_dropped_and_reported(void **state) {
    (void)state;
    json_t *recs = run_case("long-line.sh", "slow-*");
    assert_verdicts(recs, "PASS", NULL);
    size_t i;
    json_t *rec;
    json_array_foreach(recs, i, rec) {
        json_t *bad = json_object_get(rec, "invalid_lines");
        assert_int_equal(json_integer_value(json_object_get(bad, "count")), 1);
        assert_non_null(strstr(json_string_value(json_array_get(json_object_get(bad, "first"), 0)),
                               "more than 16 MiB"));
    }
}

static void stderr_only_is_crashed_with_stderr(void **state) {
    (void)state;
    json_t *recs = run_case("stderr-only.sh", "quick-*");
    assert_verdicts(recs, "CRASHED", "exited (1)");
    size_t i;
    json_t *rec;
    json_array_foreach(recs, i, rec) {
        const char *err = json_string_value(json_object_get(rec, "stderr"));
        assert_non_null(err);
        assert_non_null(strstr(err, "cannot reach the SDK"));
        assert_non_null(strstr(err, "not utf-8"));
    }
}

static void unsupported_without_exit_is_crashed(void **state) {
    (void)state;
    json_t *recs = run_case("unsupported-then-hang.sh", "quick-*");
    assert_verdicts(recs, "CRASHED", "said \"unsupported\" (cannot, but stays) but did not "
                                     "exit 127: killed by signal 15");
}

int main(void) {
    /* these adapters fail on purpose and their processes are counted: a
     * failure under load must not run them again (harness/pool.h) */
    setenv("BOXCONFORM_RUN_AGAIN", "never", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(crash_mid_run, free_case_records),
        cmocka_unit_test_teardown(hang_kills_the_group, free_case_records),
        cmocka_unit_test_teardown(ignored_sigterm_gets_sigkill, free_case_records),
        cmocka_unit_test_teardown(flood_is_judged_in_bounded_memory, free_case_records),
        cmocka_unit_test_teardown(invalid_lines_are_judged_and_reported, free_case_records),
        cmocka_unit_test_teardown(over_long_line_is_dropped_and_reported, free_case_records),
        cmocka_unit_test_teardown(stderr_only_is_crashed_with_stderr, free_case_records),
        cmocka_unit_test_teardown(unsupported_without_exit_is_crashed, free_case_records),
    };
    return cmocka_run_group_tests(tests, setup_group, teardown_group);
}
