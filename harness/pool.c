#include "pool.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "jbig.h"
#include "load.h"
#include "tree.h"

#define TICK_MS 20              /* reap and admit this often; BC_LOAD_WINDOW ticks = 0.2 s */
#define FLOOR_PER_CPU 4         /* admitted whatever the load (the fixed default of old) */

typedef struct worker {
    pid_t pid;                  /* 0 when the slot is free */
    size_t job;                 /* index in jobs */
    double late_ms;             /* the pool's worst tick lateness while it ran */
} worker;

typedef struct pool {
    const bc_job *jobs;
    size_t *order;              /* job indices, costliest first */
    size_t n, next, running;
    worker *w;
    int cap, floor;
    char *dir;                  /* the workers' records */
    bc_load load;
    FILE *log;                  /* $BOXCONFORM_POOL_LOG: one line per load window */
    bc_pool_suspect_fn suspect; /* NULL: no record is run again */
    enum { RUN_AGAIN_UNDER_LOAD, RUN_AGAIN_NEVER, RUN_AGAIN_ALWAYS } again; /* $BOXCONFORM_RUN_AGAIN */
    int cpus;
    double suspect_late_ms;     /* BC_POOL_SUSPECT_LATE_CLIENT_S at the jobs' scale */
    json_t **first;             /* per job: the loaded attempt of a job run again */
    size_t *queued_again;       /* jobs to run again, alone, once the queue drained */
    size_t again_n, again_next;
} pool;

static void record_path(char *buf, size_t len, const char *dir, size_t index) {
    snprintf(buf, len, "%s/%zu.json", dir, index);
}

/* A job run again alone gets the CPU before other work on the machine when
 * we may raise priority (root, as in CI): its children inherit it. */
static pid_t spawn(const bc_job *job, const char *dir, size_t index, bool alone) {
    fflush(NULL);
    pid_t pid = fork();
    if (pid != 0) return pid;
    if (alone) (void)setpriority(PRIO_PROCESS, 0, BC_POOL_ALONE_NICE);
    json_t *rec = bc_run_scenario(job->cfg, job->sc);
    char path[512];
    record_path(path, sizeof path, dir, index);
    bc_jbig_dump_file(rec, path, JSON_COMPACT);
    json_decref(rec);
    _exit(bc_runner_interrupted ? 2 : 0);
}

static json_t *collect(const bc_job *job, const char *dir, size_t index, int status) {
    char path[512];
    record_path(path, sizeof path, dir, index);
    json_t *rec = bc_jbig_load_file(path, 0, NULL);
    unlink(path);
    if (rec) return rec;
    char msg[128];
    snprintf(msg, sizeof msg, "the worker running this scenario died (status %d)", status);
    return bc_run_uniform(job->sc, "ERROR", msg);
}

/* Costliest first, by powers of two: within a class, jobs keep their order,
 * so the matrix's 36 runs of one scenario are not started side by side (they
 * would all wake at the same instants, and each burst makes timers late). */
static int cost_class(double cost) {
    return cost >= 1 ? ilogb(cost) : 0;
}

static int by_cost(const void *a, const void *b, void *jobs) {
    const bc_job *j = jobs;
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    int cx = cost_class(j[x].cost), cy = cost_class(j[y].cost);
    if (cx != cy) return cx < cy ? 1 : -1;
    return x < y ? -1 : x > y;
}

static size_t *costliest_first(const bc_job *jobs, size_t n) {
    size_t *order = calloc(n ? n : 1, sizeof *order);
    for (size_t i = 0; i < n; i++) order[i] = i;
    qsort_r(order, n, sizeof *order, by_cost, (void *)jobs);
    return order;
}

/* The highest time scale among the jobs (1 for real time): a real
 * millisecond late costs its scenarios the most client time. */
static double fastest_scale(const bc_job *jobs, size_t n) {
    double scale = 1;
    for (size_t i = 0; i < n; i++)
        if (jobs[i].cfg->scale > scale) scale = jobs[i].cfg->scale;
    return scale;
}

static void start_job(pool *p, size_t job, bool alone) {
    for (int i = 0; i < p->cap; i++) {
        if (p->w[i].pid) continue;
        p->w[i] = (worker){ spawn(&p->jobs[job], p->dir, job, alone), job, 0 };
        p->running++;
        return;
    }
}

/* Up to the floor at once; past it one per tick while the load allows
 * (load.h): starts are the costliest moments of a scenario, spread them.
 * Once the queue drained, the jobs to run again go one at a time, alone. */
static void admit(pool *p) {
    while (p->next < p->n && p->running < (size_t)p->floor) start_job(p, p->order[p->next++], false);
    if (p->next < p->n && bc_load_admits(&p->load, p->running))
        start_job(p, p->order[p->next++], false);
    if (p->next == p->n && p->running == 0 && p->again_next < p->again_n)
        start_job(p, p->queued_again[p->again_next++], true);
}

/* Each tick: how late the pool's own timer woke is what the workers' timers
 * saw too; a worker keeps the worst of its lifetime. */
static void note_lateness(pool *p) {
    double late = bc_load_late_ms(&p->load);
    for (int i = 0; i < p->cap; i++)
        if (p->w[i].pid && late > p->w[i].late_ms) p->w[i].late_ms = late;
}

/* The verdicts of the loaded attempt (and how late timers were then: its
 * "late_ms"), kept in the record run again alone; first is released. */
static void keep_first_attempt(json_t *rec, json_t *first) {
    json_t *verdicts = json_array();
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(first, "results"), i, r)
        json_array_append_new(verdicts, json_pack("{s:O,s:O,s:O}", "contract",
                                                  json_object_get(r, "contract"), "verdict",
                                                  json_object_get(r, "verdict"), "message",
                                                  json_object_get(r, "message")));
    json_object_set_new(rec, "run_again", json_pack("{s:s,s:f,s:o}", "why",
                        "a verdict under load: run again alone", "late_ms",
                        json_number_value(json_object_get(first, "late_ms")),
                        "first_results", verdicts));
    json_decref(first);
}

/* More runnable tasks than cores over the last minute (/proc/loadavg): a
 * client's timer can have waited for a CPU even when ours did not. */
static bool overloaded(int cpus) {
    double load1 = 0;
    FILE *f = fopen("/proc/loadavg", "r");
    if (f && fscanf(f, "%lf", &load1) != 1) load1 = 0;
    if (f) fclose(f);
    return load1 > cpus;
}

/* A verdict that set aside a server's answer for coming too late (suites.h,
 * "doubtful"): the load was there, whatever our own timer saw. */
static bool doubtful(const json_t *rec) {
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(rec, "results"), i, r)
        if (json_is_true(json_object_get(r, "doubtful"))) return true;
    return false;
}

/* A record judged while the machine made timers late, whose verdicts the
 * caller distrusts, is not reported: its job runs again alone at the end
 * (load can only make a client late, never early, and late is what fails). */
static bool run_again(pool *p, const worker *w, json_t *rec, void *ctx) {
    if (!p->suspect || p->first[w->job] || !p->suspect(ctx, w->job, rec)) return false;
    if (p->again == RUN_AGAIN_NEVER ||
        (p->again == RUN_AGAIN_UNDER_LOAD && w->late_ms < p->suspect_late_ms &&
         !overloaded(p->cpus) && !doubtful(rec)))
        return false;
    p->first[w->job] = rec;
    json_object_set_new(rec, "late_ms", json_real(w->late_ms));
    p->queued_again[p->again_n++] = w->job;
    return true;
}

static void reap(pool *p, bc_pool_done_fn done, void *ctx) {
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
        for (int i = 0; i < p->cap; i++) {
            if (p->w[i].pid != pid) continue;
            worker w = p->w[i];
            p->w[i].pid = 0, p->running--;
            json_t *rec = collect(&p->jobs[w.job], p->dir, w.job, status);
            if (run_again(p, &w, rec, ctx)) continue;
            json_t *first = p->first[w.job];
            if (first) {
                keep_first_attempt(rec, first);
                p->first[w.job] = NULL;
            }
            done(ctx, w.job, rec);
        }
}

/* For tuning and benchmarks: how the load moved the target. */
static void log_window(const pool *p, size_t ticks) {
    fprintf(p->log, "%.2f s: %zu running, target %d, busy %.2f, late %.2f ms, %zu left\n",
            (double)ticks * TICK_MS / 1000, p->running, p->load.target, bc_load_busy(&p->load),
            bc_load_late_ms(&p->load), p->n - p->next);
}

static void stop_workers(pool *p) {
    for (int i = 0; i < p->cap; i++)
        if (p->w[i].pid) kill(p->w[i].pid, SIGTERM);
    for (int i = 0; i < p->cap; i++)
        if (p->w[i].pid) waitpid(p->w[i].pid, NULL, 0);
}

int bc_pool_run(const bc_job *jobs, size_t n, int max_jobs, bc_pool_done_fn done,
                bc_pool_suspect_fn suspect, void *ctx, bc_pool_stats *stats) {
    int cpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
    pool p = { .jobs = jobs, .n = n, .cap = max_jobs > 0 ? max_jobs : BC_POOL_PER_CPU * cpus,
               .suspect = suspect, .cpus = cpus };
    p.floor = FLOOR_PER_CPU * cpus < p.cap ? FLOOR_PER_CPU * cpus : p.cap;
    p.dir = bc_tmpdir_make("boxconform-run");
    if (!p.dir) return -1;
    p.w = calloc((size_t)p.cap, sizeof *p.w);
    p.order = costliest_first(jobs, n);
    p.first = calloc(n ? n : 1, sizeof *p.first);
    p.queued_again = calloc(n ? n : 1, sizeof *p.queued_again);
    double scale = fastest_scale(jobs, n);
    bc_load_init(&p.load, p.floor, p.cap, scale);
    p.suspect_late_ms = BC_POOL_SUSPECT_LATE_CLIENT_S * 1000 / scale;
    bc_tree_warm(); /* once here, not in every worker */
    const char *again = getenv("BOXCONFORM_RUN_AGAIN");
    p.again = again && !strcmp(again, "never")    ? RUN_AGAIN_NEVER
            : again && !strcmp(again, "always") ? RUN_AGAIN_ALWAYS
                                                : RUN_AGAIN_UNDER_LOAD;
    const char *log = getenv("BOXCONFORM_POOL_LOG");
    p.log = log && *log ? fopen(log, "a") : NULL;
    size_t ticks = 0, sum = 0, peak = 0;
    while ((p.next < n || p.running || p.again_next < p.again_n) && !bc_runner_interrupted) {
        admit(&p);
        peak = p.running > peak ? p.running : peak;
        sum += p.running, ticks++;
        bc_load_tick(&p.load, TICK_MS);
        note_lateness(&p);
        if (p.log && ticks % BC_LOAD_WINDOW == 0) log_window(&p, ticks);
        reap(&p, done, ctx);
    }
    if (stats) *stats = (bc_pool_stats){ peak, ticks ? (double)sum / (double)ticks : 0 };
    stop_workers(&p);
    if (p.log) fclose(p.log);
    for (size_t j = 0; j < n; j++)      /* interrupted: attempts not run again */
        json_decref(p.first[j]);
    free(p.first);
    free(p.queued_again);
    free(p.w);
    free(p.order);
    bc_tmpdir_remove(p.dir);
    free(p.dir);
    return bc_runner_interrupted ? -1 : 0;
}
