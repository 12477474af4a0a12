/* The walls around a client under test (harness/confine.h, memwatch.h,
 * sandbox.h), each shown with a client that tries to get through:
 *
 *   - a copy-out that extracts without libarchive's secure flags (refclient
 *     --mutant tar-no-secure-flags) writes where a hostile tar says: all of
 *     it lands inside the sandbox, and the sandbox's diff shows every write
 *     outside the destination; the clean client writes only inside it;
 *   - run as root (as CI does), an adapter that writes to an absolute path
 *     of the machine is refused: nothing outside its sandbox and TMPDIR can
 *     be created or changed (skipped when not root);
 *   - a client that buffers a 3 GiB answer is killed at the memory limit,
 *     gets a verdict, and the next run goes on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "evidence.h"
#include "memwatch.h"
#include "profile.h"
#include "runner.h"

#define CANARY "boxconform canary: nothing may change this\n"

static const char *extra_writable; /* a profile "writable" path for the next run */

/* scale: the time scale; 50 as the suite runs, 1 when the client's own
 * timeouts must not win over what the test waits for on a loaded machine. */
static json_t *run_at(const char *id, const char *cmd, long long memory_limit, double scale,
                      bc_evidence *ev) {
    char path[512], err[512];
    bc_scenario *sc = NULL;
    bc_profile p;
    snprintf(path, sizeof path, "%s/%s.json", GUARD, id);
    if (bc_scenario_load(path, &sc, err, sizeof err) < 0) fail_msg("%s", err);
    if (bc_profile_from_cmd(cmd, &p, err, sizeof err) < 0) fail_msg("%s", err);
    if (memory_limit) p.memory_limit = memory_limit;
    if (extra_writable) {
        p.writable = calloc(2, sizeof *p.writable);
        p.writable[p.writable_count++] = strdup(extra_writable);
    }
    bc_runcfg cfg = { FAKESERVER, FAKETIME_LIB, &p, scale, false, false };
    json_t *rec = bc_run_scenario(&cfg, sc);
    bc_scenario_free(sc);
    bc_profile_free(&p);
    bc_ev_init(ev);
    bc_ev_from_record(ev, json_object_get(rec, "evidence")); /* an ERROR record has none */
    return rec;
}

static json_t *run_as(const char *id, const char *cmd, long long memory_limit,
                      bc_evidence *ev) {
    return run_at(id, cmd, memory_limit, 50, ev);
}

/* Whether the sandbox diff lists path as created or changed (any area). */
static bool written(const bc_evidence *ev, bc_sb_area area, const char *path) {
    for (int kind = BC_SB_CREATED; kind <= BC_SB_CHANGED; kind++)
        for (size_t n = 1; n <= bc_ev_sandbox_count(ev, area, (bc_sb_kind)kind); n++)
            if (bc_ev_is(bc_ev_sandbox_change(ev, area, (bc_sb_kind)kind, n), "path", path))
                return true;
    return false;
}

/* Each hostile tar, extracted by a client without the secure flags, then
 * by the reference client. */
static void insecure_extraction_stays_in_the_sandbox(void **state) {
    (void)state;
    static const struct { const char *id, *aim; bc_sb_area area; } cases[] = {
        { "guard-tar-absolute", "outside/notes.txt", BC_SB_OUTSIDE },
        { "guard-tar-climb", "host/a/climb.txt", BC_SB_HOST },
        { "guard-tar-symlink", "outside/dir/through.txt", BC_SB_OUTSIDE },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bc_evidence ev;
        json_t *rec = run_as(cases[i].id, REFCLIENT " --mutant tar-no-secure-flags", 0, &ev);
        assert_string_equal(json_string_value(json_object_get(rec, "end")), "done");
        assert_true(written(&ev, BC_SB_DEST, "host/a/b/c/d/dest/ok.txt"));
        if (!written(&ev, cases[i].area, cases[i].aim))
            fail_msg("%s: %s not written by the insecure client", cases[i].id, cases[i].aim);
        bc_ev_free(&ev);
        json_decref(rec);

        rec = run_as(cases[i].id, REFCLIENT, 0, &ev);
        assert_true(written(&ev, BC_SB_DEST, "host/a/b/c/d/dest/ok.txt"));
        assert_int_equal(bc_ev_sandbox_unasked(&ev), 0);
        bc_ev_free(&ev);
        json_decref(rec);
    }
}

static char *read_text(const char *path) {
    FILE *f = fopen(path, "r");
    static char buf[256];
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f) fclose(f);
    buf[n] = 0;
    return f ? buf : NULL;
}

static char escape_dir[] = "/var/tmp/bcguard-XXXXXX";

/* What the escaping adapter may have left, even when an assertion failed. */
static int remove_escape_dir(void **state) {
    char cmd[64];
    (void)state;
    if (strstr(escape_dir, "XXXXXX")) return 0;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", escape_dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void root_adapter_cannot_write_outside(void **state) {
    (void)state;
    if (geteuid() != 0) skip();
    char *dir = escape_dir, canary[64], fresh[64];
    assert_non_null(mkdtemp(dir));
    snprintf(canary, sizeof canary, "%s/canary.txt", dir);
    snprintf(fresh, sizeof fresh, "%s/new.txt", dir);
    FILE *f = fopen(canary, "w");
    assert_non_null(f);
    fputs(CANARY, f);
    fclose(f);
    setenv("BCESC_DIR", dir, 1);

    bc_evidence ev;
    json_t *rec = run_as("guard-escape", "sh " ESCAPE "/write-anywhere.sh", 0, &ev);
    const json_t *conf = json_object_get(rec, "confinement");
    assert_true(json_is_true(json_object_get(conf, "confined")));
    const json_t *v = bc_ev_value(&ev, 1);
    assert_non_null(v);
    assert_string_equal(bc_ev_str(v, "new"), "refused");
    assert_string_equal(bc_ev_str(v, "existing"), "refused");
    assert_string_equal(bc_ev_str(v, "tmpdir"), "written");  /* its own place works */
    assert_int_equal(access(fresh, F_OK), -1);
    assert_string_equal(read_text(canary), CANARY);
    bc_ev_free(&ev);
    json_decref(rec);
}

/* A profile path that cannot stay writable stops the adapter from starting
 * (ERROR naming why) rather than letting it run unconfined. */
static void unconfinable_adapter_does_not_run(void **state) {
    (void)state;
    if (geteuid() != 0) skip();
    bc_evidence ev;
    extra_writable = "/nonexistent/boxconform-cache";
    json_t *rec = run_as("guard-escape", "sh " ESCAPE "/write-anywhere.sh", 0, &ev);
    extra_writable = NULL;
    assert_string_equal(json_string_value(json_object_get(rec, "end")), "ERROR");
    const json_t *r = json_array_get(json_object_get(rec, "results"), 0);
    const char *msg = json_string_value(json_object_get(r, "message"));
    if (!strstr(msg, "could not be confined: keeping the run's paths writable"))
        fail_msg("%s", msg);
    assert_int_equal(bc_ev_value_count(&ev), 0);
    bc_ev_free(&ev);
    json_decref(rec);
}

static void memory_hog_is_killed_and_the_run_goes_on(void **state) {
    (void)state;
    bc_evidence ev;
    double t;
    long long held, limit;
    /* in real time: the client's 300 s request timeout never beats the limit */
    json_t *rec = run_at("guard-memory", REFCLIENT " --mutant body-unbounded", 128LL << 20, 1, &ev);
    assert_string_equal(json_string_value(json_object_get(rec, "end")), "done");
    assert_int_equal(json_integer_value(json_object_get(rec, "adapter_signal")), 9);
    assert_true(bc_ev_memory_killed(&ev, &t, &held, &limit));
    assert_int_equal(limit, 128LL << 20);
    assert_true(held > limit && t > 0);
    assert_true(bc_ev_memory_peak(&ev) >= held);
    assert_true(json_array_size(json_object_get(rec, "results")) > 0); /* judged */
    bc_ev_free(&ev);
    json_decref(rec);

    /* the same client on an answer of ordinary size stays under it */
    rec = run_as("guard-tar-climb", REFCLIENT " --mutant body-unbounded", 128LL << 20, &ev);
    assert_false(bc_ev_memory_killed(&ev, &t, &held, &limit));
    assert_true(bc_ev_memory_peak(&ev) > 0 && bc_ev_memory_peak(&ev) < limit);
    bc_ev_free(&ev);
    json_decref(rec);
}

static void memory_of_a_process_and_its_group(void **state) {
    (void)state;
    pid_t pgrp = 0;
    assert_true(bc_mem_process(getpid(), &pgrp) > 0);
    assert_int_equal(pgrp, getpgrp());
    bc_memwatch m;
    bc_mem_init(&m, getpgrp(), 1);                      /* one byte: over at once */
    assert_true(bc_mem_sample(&m, 1));
    assert_true(m.count >= 1 && m.last >= m.peak && m.peak > 0);
    assert_false(bc_mem_sample(&m, 2) && m.samples != 1); /* not due yet: no new sample */
    assert_int_equal(m.samples, 1);
    bc_mem_free(&m);
}

/* A group led by a child that forks a grandchild; with orphan, the child
 * exits at once (the grandchild goes to init, still in the group). */
static pid_t group_of_two(bool orphan) {
    int ready[2];
    if (pipe(ready) < 0) return -1;
    pid_t lead = fork();
    if (lead == 0) {
        setpgid(0, 0);
        if (fork() == 0) {
            close(ready[0]);
            if (write(ready[1], "x", 1) < 0) _exit(1);
            pause();
            _exit(0);
        }
        if (orphan) _exit(0);
        pause();
        _exit(0);
    }
    setpgid(lead, lead);
    char c;
    close(ready[1]);
    if (read(ready[0], &c, 1) != 1) lead = -1; /* the grandchild runs */
    close(ready[0]);
    return lead;
}

/* Members are found among the adapter's descendants every 250 ms, and in
 * the whole of /proc every 2 s or once the leader is gone: a member whose
 * parent died too. */
static void members_are_found_as_descendants_and_orphans(void **state) {
    (void)state;
    for (int orphan = 0; orphan < 2; orphan++) {
        pid_t lead = group_of_two(orphan);
        assert_true(lead > 0);
        if (orphan) waitpid(lead, NULL, 0);          /* gone: the grandchild is init's */
        bc_memwatch m;
        bc_mem_init(&m, lead, 0);
        int64_t t = 1;
        bc_mem_sample(&m, t);      /* the descendants; the leader gone, all of /proc */
        assert_int_equal(m.count, orphan ? 1 : 2);
        t += (int64_t)BC_MEM_SCAN_MS * 1000000;
        bc_mem_sample(&m, t);                          /* the whole of /proc */
        assert_int_equal(m.count, orphan ? 1 : 2);
        kill(-lead, SIGKILL);
        if (!orphan) waitpid(lead, NULL, 0);
        bc_mem_free(&m);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(insecure_extraction_stays_in_the_sandbox),
        cmocka_unit_test_teardown(root_adapter_cannot_write_outside, remove_escape_dir),
        cmocka_unit_test(unconfinable_adapter_does_not_run),
        cmocka_unit_test(memory_hog_is_killed_and_the_run_goes_on),
        cmocka_unit_test(memory_of_a_process_and_its_group),
        cmocka_unit_test(members_are_found_as_descendants_and_orphans),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
