/* suites.h - verdicts, and the registry mapping a contract ID to its check.
 *
 * One check per contract of docs/contract.md, named after its ID
 * (check_time_watchdog for "TIME-WATCHDOG"), one file per family: wire.c,
 * timing.c, recovery.c, attach.c, lifecycle.c, errors.c (rest_error.c reads
 * error answers for those two), files.c, snapshots.c, security.c. A check
 * reads the evidence (evidence.h)
 * and its verify parameters and says pass or fail with the figure it
 * measured; bc_suite_judge() turns a failure into FAIL, NON-STRICT or
 * INFORMATIONAL by the contract's tier (common/contracts.h). */
#ifndef BC_SUITES_H
#define BC_SUITES_H

#include <stdbool.h>

#include <jansson.h>

#include "evidence.h"

typedef enum bc_verdict {
    BC_PASS,
    BC_FAIL,
    BC_NON_STRICT,              /* a strict-tier check failed */
    BC_INFORMATIONAL,           /* an informational-tier check failed */
    BC_UNSUPPORTED,             /* the adapter said "unsupported", exit 127 */
    BC_CRASHED,                 /* adapter died without a result */
    BC_HUNG,                    /* no result by the deadline */
    BC_ERROR,                   /* the harness itself failed */
    BC_VERDICT_COUNT
} bc_verdict;

typedef struct bc_check_result {
    bc_verdict verdict;
    bool has_measured;          /* measured is meaningful */
    double measured;            /* the figure judged (seconds, bytes, count) */
    char message[320];          /* one line: what was measured, what was expected */
    /* Timing checks say what they expected and when, so a report can shade
     * the window on the timeline next to what the client did. */
    bool has_window;            /* expected, from, to, window_label are meaningful */
    double expected;            /* the figure measured should have been */
    double from, to;            /* when the judged event was due: client s, journal axis */
    const char *window_label;   /* what was due ("drop after the last frame"); static */
    /* The verdict set evidence aside that came too close to a timeout to
     * tell what the client made of it (a loaded server's late answer): on a
     * quiet machine the same client could be judged otherwise. The matrix
     * runs a mutant's doubtful PASS again alone (harness/mutants.c). */
    bool doubtful;
} bc_check_result;

/* A check: PASS or FAIL into out. A normal-tier contract with a strict
 * part (METRICS-MAP: u64 above 2^53 exact) gives NON-STRICT itself when
 * only that part failed; bc_suite_judge() keeps it. No other tier verdict. */
typedef void (*bc_check_fn)(const bc_evidence *ev, const json_t *params,
                            bc_check_result *out);

typedef struct bc_suite_entry {
    const char *id;             /* contract ID */
    bc_check_fn check;
} bc_suite_entry;

bc_check_fn bc_suite_find(const char *id);      /* NULL for an unknown ID */
size_t bc_suite_count(void);
const bc_suite_entry *bc_suite_at(size_t i);
/* Run id's check on ev and apply the contract's tier. */
void bc_suite_judge(const char *id, const bc_evidence *ev, const json_t *params,
                    bc_check_result *out);

const char *bc_verdict_name(bc_verdict v);      /* "PASS", "NON-STRICT", ... */
int bc_verdict_parse(const char *name);         /* -1 if unknown */
/* FAIL, NON-STRICT, INFORMATIONAL, CRASHED or HUNG: the client did wrong. */
bool bc_verdict_is_failure(const char *name);
/* Set out to a verdict with a printf message; no measured figure. */
void bc_check_set(bc_check_result *out, bc_verdict v, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Set out with a measured figure. */
void bc_check_measured(bc_check_result *out, bc_verdict v, double measured,
                       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Attach the expected figure and its window to out; call after the
 * bc_check_set/bc_check_measured that decided the verdict (they clear it). */
void bc_check_window(bc_check_result *out, double expected, double from, double to,
                     const char *label);

/* The checks, by family. */
void check_wire_out(const bc_evidence *, const json_t *, bc_check_result *);
void check_wire_bytes(const bc_evidence *, const json_t *, bc_check_result *);
void check_wire_stdin(const bc_evidence *, const json_t *, bc_check_result *);
void check_wire_eof(const bc_evidence *, const json_t *, bc_check_result *);
void check_wire_exit(const bc_evidence *, const json_t *, bc_check_result *);
void check_wire_errframe(const bc_evidence *, const json_t *, bc_check_result *);
void check_wire_tolerant(const bc_evidence *, const json_t *, bc_check_result *);
void check_wire_rfc(const bc_evidence *, const json_t *, bc_check_result *);
void check_wire_auth(const bc_evidence *, const json_t *, bc_check_result *);
void check_time_first(const bc_evidence *, const json_t *, bc_check_result *);
void check_time_watchdog(const bc_evidence *, const json_t *, bc_check_result *);
void check_time_sticky(const bc_evidence *, const json_t *, bc_check_result *);
void check_time_handshake(const bc_evidence *, const json_t *, bc_check_result *);
void check_time_keepalive(const bc_evidence *, const json_t *, bc_check_result *);
void check_recov_fallback(const bc_evidence *, const json_t *, bc_check_result *);
void check_recov_gone(const bc_evidence *, const json_t *, bc_check_result *);
void check_recov_reconnect(const bc_evidence *, const json_t *, bc_check_result *);
void check_recov_budget(const bc_evidence *, const json_t *, bc_check_result *);
void check_recov_rejected(const bc_evidence *, const json_t *, bc_check_result *);
void check_recov_stdin(const bc_evidence *, const json_t *, bc_check_result *);
void check_recov_one_result(const bc_evidence *, const json_t *, bc_check_result *);
void check_attach_gone(const bc_evidence *, const json_t *, bc_check_result *);
void check_attach_busy(const bc_evidence *, const json_t *, bc_check_result *);
void check_attach_readonly(const bc_evidence *, const json_t *, bc_check_result *);
void check_box_lifecycle(const bc_evidence *, const json_t *, bc_check_result *);
void check_box_info(const bc_evidence *, const json_t *, bc_check_result *);
void check_metrics_map(const bc_evidence *, const json_t *, bc_check_result *);
void check_exec_control(const bc_evidence *, const json_t *, bc_check_result *);
void check_rest_errors(const bc_evidence *, const json_t *, bc_check_result *);
void check_rest_errors_fine(const bc_evidence *, const json_t *, bc_check_result *);
void check_caps_gate(const bc_evidence *, const json_t *, bc_check_result *);
void check_snap_crud(const bc_evidence *, const json_t *, bc_check_result *);
void check_clone_handle(const bc_evidence *, const json_t *, bc_check_result *);
void check_sec_redirect(const bc_evidence *, const json_t *, bc_check_result *);
void check_files_in(const bc_evidence *, const json_t *, bc_check_result *);
void check_files_out(const bc_evidence *, const json_t *, bc_check_result *);
void check_files_encode(const bc_evidence *, const json_t *, bc_check_result *);
void check_export_file(const bc_evidence *, const json_t *, bc_check_result *);
void check_sec_tar(const bc_evidence *, const json_t *, bc_check_result *);
void check_sec_export_name(const bc_evidence *, const json_t *, bc_check_result *);
void check_sec_limits(const bc_evidence *, const json_t *, bc_check_result *);

#endif
