/* load.h - how many scenarios the machine takes at once, measured from /proc
 * rather than assumed from a fixed -j.
 *
 * A scenario mostly waits on accelerated timers; what spoils its verdicts is
 * a timer that fires late because the CPU is taken. The pool's own ticks run
 * at the scenarios' priority, so how late they wake is a direct sample of
 * what a scenario's timer sees. Every BC_LOAD_WINDOW ticks the target
 * concurrency moves, additive increase, multiplicative decrease:
 *   - one more when every tick woke on time (0.1 client s: 2 ms at x50),
 *     the CPU not yielding to ours was under MAX_BUSY_SHARE (/proc/stat:
 *     all but idle, iowait and positive-nice time, so a niced build or
 *     fuzzer counts as free) and MemAvailable (/proc/meminfo) is above a
 *     reserve;
 *   - a quarter fewer (never under the floor) when a tick woke late (0.25
 *     client s, the checks' tolerance: 5 ms at x50, 12.5 ms at x20) or the
 *     CPU was nearly all taken: the running scenarios then get the CPU
 *     while the ones that made the load end. */
#ifndef BC_LOAD_H
#define BC_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BC_LOAD_WINDOW 10

typedef struct bc_load_sample {
    unsigned long long busy, total; /* /proc/stat jiffies: not yielding, all */
    double late_ms;             /* how late the tick woke */
} bc_load_sample;

typedef struct bc_load {
    bc_load_sample ring[BC_LOAD_WINDOW]; /* the last ticks, oldest at next */
    size_t next;
    int floor, cap;             /* the target stays within these */
    int target;                 /* scenarios the machine takes at once now */
    long long avail_kb;         /* MemAvailable at the last tick (-1: unknown) */
    long long reserve_kb;       /* what must stay available */
    bool count_nice;            /* we run niced ourselves: niced work competes */
    double late_ok_ms, late_bad_ms; /* tick lateness that grows / shrinks the target */
} bc_load;

/* Start at floor, never above cap. scale: the scenarios' time scale K (1 for
 * real time); the lateness limits are client seconds divided by it. */
void bc_load_init(bc_load *l, int floor, int cap, double scale);
/* Sleep one tick (ms), sample, and move the target once per window. */
void bc_load_tick(bc_load *l, int ms);
/* Whether one more may start with running already going. */
bool bc_load_admits(const bc_load *l, size_t running);
/* Over the window: the share of CPU time not yielding to ours, the worst
 * lateness of a tick (ms). */
double bc_load_busy(const bc_load *l);
double bc_load_late_ms(const bc_load *l);

#endif
