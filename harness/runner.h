/* runner.h - one scenario, start to verdicts.
 *
 * In a temp dir: the fake server with the scenario at the run's scale, the
 * adapter in its own process group (under libfaketime when the profile
 * says so) with the SDK environment and the action, its stdin plan fed on
 * time, every stdout line stamped on arrival on the journal's time axis.
 * Then both are stopped, the evidence is judged contract by contract and
 * the temp dir removed: nothing outlives the call. */
#ifndef BC_RUNNER_H
#define BC_RUNNER_H

#include <signal.h>
#include <stdbool.h>

#include <jansson.h>

#include "profile.h"
#include "scenario.h"

typedef struct bc_runcfg {
    const char *fakeserver;     /* path of the fake server binary */
    const char *faketime_lib;   /* libfaketime.so.1, preloaded into the adapter */
    const bc_profile *profile;  /* the client under test */
    double scale;               /* K: client seconds per real second */
    bool keep;                  /* keep the temp dir (reported as "dir") */
    bool lean;                  /* no evidence in the record: the mutation matrix
                                   reads verdicts only, and copying every journal
                                   costs it more CPU than its scenarios do */
} bc_runcfg;

/* Set by the signal handler: stop now, clean up, report an ERROR. */
extern volatile sig_atomic_t bc_runner_interrupted;
void bc_runner_trap_signals(void);              /* SIGINT/SIGTERM set the flag */

/* Run sc; a scenario record for the results file:
 * {"id","wall_s","adapter_exit","adapter_signal","end","results":[...],"stderr"}. */
json_t *bc_run_scenario(const bc_runcfg *cfg, const bc_scenario *sc);
/* A record where every contract of sc got verdict v with message (harness
 * failures, crashed workers). */
json_t *bc_run_uniform(const bc_scenario *sc, const char *verdict, const char *message);

#endif
