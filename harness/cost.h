/* cost.h - what a scenario costs to run, known before it runs.
 *
 * The nominal duration: the client seconds a conforming client built with
 * constants k spends on the scenario, from its file alone (the waits the
 * server script sets, and the client timers its faults start: first-frame
 * timeout or watchdog on a silent connection, the handshake timeout, the
 * probe timeout, the reconnect backoff within the budget, a REST answer
 * that hangs or drips up to the REST timeout). An estimate, not
 * a check: a client that hangs takes up to its deadline. Sharding balances
 * on it, and the pool starts the longest scenarios first. */
#ifndef BC_COST_H
#define BC_COST_H

#include "evidence.h"
#include "scenario.h"

/* Nominal client seconds of s against a client built with k (>= 1). */
double bc_cost_nominal(const bc_scenario *s, const bc_constants *k);

#endif
