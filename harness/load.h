/* load.h - whether the machine can take one more scenario, measured from
 * /proc rather than assumed from a fixed -j.
 *
 * A scenario mostly waits on accelerated timers; what spoils its verdicts is
 * a timer that fires late because the CPU is taken. So the pool admits
 * scenarios while three things stay true over the last BC_LOAD_WINDOW ticks:
 *   - CPU: the share of CPU time spent by work that does not yield to ours
 *     (/proc/stat, all but idle, iowait and positive-nice time: a niced
 *     build or fuzzer gives way to a scenario's timer at once);
 *   - latency: the pool's own ticks, at the scenarios' priority, wake on
 *     time (a direct measure of what a scenario's timer would see);
 *   - memory: MemAvailable (/proc/meminfo) stays above a reserve. */
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
    long long avail_kb;         /* MemAvailable at the last tick (-1: unknown) */
    long long reserve_kb;       /* what must stay available */
    bool count_nice;            /* we run niced ourselves: niced work competes */
} bc_load;

void bc_load_init(bc_load *l);
/* Sleep one tick (ms), then sample. */
void bc_load_tick(bc_load *l, int ms);
/* Room for one more scenario now. */
bool bc_load_admits(const bc_load *l);
/* Over the window: the share of CPU time not yielding to ours, the worst
 * lateness of a tick (ms). */
double bc_load_busy(const bc_load *l);
double bc_load_late_ms(const bc_load *l);

#endif
