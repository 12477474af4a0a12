/* clock.h - one time axis for every process of a run.
 *
 * Real time is CLOCK_MONOTONIC (never faked: the harness and the fake server
 * run without libfaketime). A run has an origin (a CLOCK_MONOTONIC reading)
 * and a scale K; "client seconds" are real seconds since the origin times K,
 * which is what a client accelerated K times by libfaketime measures. */
#ifndef BC_CLOCK_H
#define BC_CLOCK_H

#include <stdint.h>

int64_t bc_now_ns(void);                    /* CLOCK_MONOTONIC, ns */
double bc_client_seconds(int64_t mono_ns, int64_t origin_ns, double scale);
int64_t bc_real_ns_for(double client_seconds, double scale); /* a duration */

#endif
