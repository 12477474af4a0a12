/* memwatch.h - how much memory the adapter's process group holds, from /proc.
 *
 * The adapter and everything it starts share its process group. Their
 * resident memory (RSS, each process's /proc/PID/stat) is summed; shared
 * pages count once per process, so the sum errs on the high side. The
 * processes known to be in the group are read every BC_MEM_SAMPLE_MS; new
 * members are looked for every BC_MEM_DISCOVER_MS among the adapter's
 * descendants (/proc/PID/task/TID/children), and every BC_MEM_SCAN_MS (or
 * once the adapter is gone) in the whole of /proc, where a member whose
 * parent died went. A process that
 * grows is almost always the adapter itself, known from the start. (With
 * dozens of workers each reading every process on the machine four times a
 * second, a suite run opened 133623 files; 53270 now.) Past the limit the
 * runner kills the group: a client that buffers an endless answer is
 * stopped by the harness, not by the machine running out. */
#ifndef BC_MEMWATCH_H
#define BC_MEMWATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define BC_MEM_SAMPLE_MS 25
#define BC_MEM_DISCOVER_MS 250
#define BC_MEM_SCAN_MS 2000
#define BC_MEM_DEFAULT_LIMIT (1LL << 30)   /* a profile's memory_limit_mib, by default */

typedef struct bc_memwatch {
    pid_t pgid;                 /* the group watched */
    long long limit;            /* bytes; <= 0: watched, never over */
    long long last, peak;       /* bytes summed at the last sample, the most seen */
    size_t samples;
    pid_t *members;             /* processes seen in the group */
    size_t count, cap;
    int64_t next_sample, next_discover, next_scan; /* CLOCK_MONOTONIC ns; 0: not yet set */
} bc_memwatch;

void bc_mem_init(bc_memwatch *m, pid_t pgid, long long limit);
/* Sample when one is due at now (ns); true once the group holds more than
 * the limit (m->last says how much). */
bool bc_mem_sample(bc_memwatch *m, int64_t now);
int64_t bc_mem_next(const bc_memwatch *m);      /* when the next sample is due */
void bc_mem_free(bc_memwatch *m);

/* RSS of one process in bytes and its process group; -1 when it is gone. */
long long bc_mem_process(pid_t pid, pid_t *pgrp);

#endif
