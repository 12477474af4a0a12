#include "pool.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"

typedef struct worker {
    pid_t pid;                  /* 0 when the slot is free */
    size_t index;               /* scenario it runs */
} worker;

static void record_path(char *buf, size_t len, const char *dir, size_t index) {
    snprintf(buf, len, "%s/%zu.json", dir, index);
}

static pid_t spawn(const bc_runcfg *cfg, const bc_scenario *sc, const char *dir, size_t index) {
    fflush(NULL);
    pid_t pid = fork();
    if (pid != 0) return pid;
    json_t *rec = bc_run_scenario(cfg, sc);
    char path[512];
    record_path(path, sizeof path, dir, index);
    json_dump_file(rec, path, JSON_COMPACT);
    json_decref(rec);
    _exit(bc_runner_interrupted ? 2 : 0);
}

static json_t *collect(const bc_scenario *sc, const char *dir, size_t index, int status) {
    char path[512];
    record_path(path, sizeof path, dir, index);
    json_t *rec = json_load_file(path, 0, NULL);
    unlink(path);
    if (rec) return rec;
    char msg[128];
    snprintf(msg, sizeof msg, "the worker running this scenario died (status %d)", status);
    return bc_run_uniform(sc, "ERROR", msg);
}

static void stop_workers(worker *w, int jobs) {
    for (int i = 0; i < jobs; i++)
        if (w[i].pid) kill(w[i].pid, SIGTERM);
    for (int i = 0; i < jobs; i++)
        if (w[i].pid) waitpid(w[i].pid, NULL, 0);
}

int bc_pool_run(const bc_runcfg *cfg, bc_scenario *const *scs, size_t n, int jobs,
                bc_pool_done_fn done, void *ctx) {
    char *dir = bc_tmpdir_make("boxconform-run");
    if (!dir) return -1;
    worker *w = calloc((size_t)jobs, sizeof *w);
    size_t next = 0, running = 0;
    while ((next < n || running) && !bc_runner_interrupted) {
        for (int i = 0; i < jobs && next < n; i++) {
            if (w[i].pid) continue;
            w[i] = (worker){ spawn(cfg, scs[next], dir, next), next };
            next++, running++;
        }
        int status;
        pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0) continue; /* EINTR: the loop checks the flag */
        for (int i = 0; i < jobs; i++) {
            if (w[i].pid != pid) continue;
            w[i].pid = 0, running--;
            done(ctx, scs[w[i].index], collect(scs[w[i].index], dir, w[i].index, status));
        }
    }
    stop_workers(w, jobs);
    free(w);
    bc_tmpdir_remove(dir);
    free(dir);
    return bc_runner_interrupted ? -1 : 0;
}
