/* lg_modes.h - the three measurements of loadgen (see README.md). Each runs
 * the lws loop until done, prints one line of key=value results on stdout
 * and returns 0 when every session behaved (nonzero: errors, also printed). */
#ifndef LG_MODES_H
#define LG_MODES_H

#include <stdint.h>
#include <sys/types.h>

/* n sessions attached at once (at most `ramp` setting up at a time), held
 * idle for hold seconds; server_pid > 0: its RSS before and while held. */
int lg_mode_sessions(int n, int ramp, double hold, pid_t server_pid);
/* conns attaches each receiving a flood of bytes in frames of frame bytes. */
int lg_mode_throughput(uint64_t bytes, uint64_t frame, int conns);
/* Full exec + attach + exit + close cycles, concurrency at a time, for seconds. */
int lg_mode_setups(double seconds, int concurrency);

long lg_rss_kb(pid_t pid);  /* VmRSS of pid in kB, -1 if unknown */

#endif
