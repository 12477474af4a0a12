#include "load.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "clock.h"

/* A check allows 2 % + 0.25 s early and 5 % + 1 s late (docs/checks.md),
 * in client seconds: at xK a tick late by 0.25 s / K real (5 ms at x50, 12.5
 * ms at x20) means a timer of a scenario could have fired late enough to
 * matter; under 0.1 s / K (2 ms at x50) is ordinary scheduling. Past ~75 %
 * busy a run queue grows fast, past 90 % it is there. */
#define LATE_OK_CLIENT_S 0.1
#define LATE_BAD_CLIENT_S 0.25
#define MAX_BUSY_SHARE 0.75
#define FULL_BUSY_SHARE 0.90
#define RESERVE_SHARE 0.10          /* of MemTotal kept available ... */
#define RESERVE_MIN_KB (512LL << 10) /* ... and at least 512 MiB */

static void read_cpu(const bc_load *l, bc_load_sample *s) {
    unsigned long long v[8] = { 0 };
    FILE *f = fopen("/proc/stat", "r");
    if (!f || fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2],
                     &v[3], &v[4], &v[5], &v[6], &v[7]) != 8)
        memset(v, 0, sizeof v);     /* unreadable: reads as idle, latency still guards */
    if (f) fclose(f);
    /* user nice system idle iowait irq softirq steal */
    s->busy = v[0] + (l->count_nice ? v[1] : 0) + v[2] + v[5] + v[6] + v[7];
    s->total = v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7];
}

/* A /proc/meminfo figure in kB; -1 when absent. */
static long long meminfo_kb(const char *key) {
    FILE *f = fopen("/proc/meminfo", "r");
    char line[256];
    long long kb = -1;
    size_t n = strlen(key);
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, key, n) && line[n] == ':') sscanf(line + n + 1, "%lld", &kb);
    if (f) fclose(f);
    return kb;
}

void bc_load_init(bc_load *l, int floor, int cap, double scale) {
    memset(l, 0, sizeof *l);
    l->floor = l->target = floor;
    l->cap = cap;
    if (scale < 1) scale = 1;
    l->late_ok_ms = LATE_OK_CLIENT_S * 1000 / scale;
    l->late_bad_ms = LATE_BAD_CLIENT_S * 1000 / scale;
    l->count_nice = getpriority(PRIO_PROCESS, 0) > 0;
    bc_load_sample now = { 0 };
    read_cpu(l, &now);
    for (size_t i = 0; i < BC_LOAD_WINDOW; i++) l->ring[i] = now;
    long long total_kb = meminfo_kb("MemTotal");
    l->reserve_kb = total_kb > 0 ? (long long)(total_kb * RESERVE_SHARE) : 0;
    if (l->reserve_kb < RESERVE_MIN_KB) l->reserve_kb = RESERVE_MIN_KB;
    l->avail_kb = meminfo_kb("MemAvailable");
}

static bool memory_left(const bc_load *l) {
    return l->avail_kb < 0 || l->avail_kb > l->reserve_kb;
}

static void steer(bc_load *l) {
    double busy = bc_load_busy(l), late = bc_load_late_ms(l);
    if (late > l->late_bad_ms || busy > FULL_BUSY_SHARE || !memory_left(l))
        l->target -= (l->target + 3) / 4;
    else if (late < l->late_ok_ms && busy < MAX_BUSY_SHARE)
        l->target++;
    if (l->target < l->floor) l->target = l->floor;
    if (l->target > l->cap) l->target = l->cap;
}

void bc_load_tick(bc_load *l, int ms) {
    int64_t due = bc_now_ns() + (int64_t)ms * 1000000;
    nanosleep(&(struct timespec){ ms / 1000, (ms % 1000) * 1000000L }, NULL);
    int64_t now = bc_now_ns();
    bc_load_sample *s = &l->ring[l->next];
    read_cpu(l, s);
    s->late_ms = now > due ? (double)(now - due) / 1e6 : 0; /* a signal wakes early */
    l->avail_kb = meminfo_kb("MemAvailable");
    l->next = (l->next + 1) % BC_LOAD_WINDOW;
    if (l->next == 0) steer(l);
}

double bc_load_busy(const bc_load *l) {
    const bc_load_sample *oldest = &l->ring[l->next];
    const bc_load_sample *newest = &l->ring[(l->next + BC_LOAD_WINDOW - 1) % BC_LOAD_WINDOW];
    unsigned long long total = newest->total - oldest->total;
    return total ? (double)(newest->busy - oldest->busy) / (double)total : 0;
}

double bc_load_late_ms(const bc_load *l) {
    double worst = 0;
    for (size_t i = 0; i < BC_LOAD_WINDOW; i++)
        if (l->ring[i].late_ms > worst) worst = l->ring[i].late_ms;
    return worst;
}

bool bc_load_admits(const bc_load *l, size_t running) {
    return running < (size_t)l->target && memory_left(l);
}
