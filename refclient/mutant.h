/* mutant.h - the table of deliberately wrong clients.
 *
 * `refclient --mutant NAME` breaks exactly one behaviour of the reference
 * client, so every check of the suite can be shown to fail. Each mutant is a
 * small branch in the one implementation, tested with rc_mutant_is(). */
#ifndef RC_MUTANT_H
#define RC_MUTANT_H

#include <stdbool.h>
#include <stdio.h>

enum rc_mutant_id {
    RC_MUT_NONE = 0,
    /* timing */
    RC_MUT_FIRST_FRAME_WATCHDOG, RC_MUT_FIRST_FRAME_HALF, RC_MUT_WATCHDOG_60,
    RC_MUT_PING_NO_RESET, RC_MUT_STICKY_LOST, RC_MUT_NO_HANDSHAKE_TIMEOUT,
    RC_MUT_HANDSHAKE_HALF, RC_MUT_NO_CLIENT_PING, RC_MUT_PING_DOUBLE,
    RC_MUT_PING_NOT_FIRST_FRAME,
    /* recovery */
    RC_MUT_BACKOFF_NO_DOUBLE, RC_MUT_BACKOFF_NO_CAP, RC_MUT_BUDGET_OVERRUN,
    RC_MUT_BUDGET_PER_DISCONNECT, RC_MUT_NO_PROBE, RC_MUT_RECONNECT_AFTER_404,
    RC_MUT_REJECT_409_FATAL, RC_MUT_EOF_NOT_RESENT, RC_MUT_STDIN_LOST,
    RC_MUT_STDIN_DOUBLED, RC_MUT_FALLBACK_IGNORES_EXIT, RC_MUT_TWO_RESULTS,
    RC_MUT_HANG_AFTER_RST, RC_MUT_COMPLETED_RUNNING, RC_MUT_KILLED_RUNNING,
    RC_MUT_TIMED_OUT_RUNNING, RC_MUT_EOF_BEFORE_STDIN, RC_MUT_FALLBACK_KEEPS_CAUSE,
    RC_MUT_PROBE_TIMEOUT_TENTH, RC_MUT_BACKOFF_NOT_RESET, RC_MUT_BUDGET_WALL_CLOCK,
    RC_MUT_NO_FINAL_PROBE, RC_MUT_OUTPUT_AFTER_RESULT,
    /* wire */
    RC_MUT_ERRFRAME_TERMINAL, RC_MUT_UTF8_LOSSY, RC_MUT_SWAP_STREAMS,
    RC_MUT_STDIN_AS_TEXT, RC_MUT_EOF_NEVER, RC_MUT_EXIT_CODE_IGNORED,
    RC_MUT_UNKNOWN_FRAME_FATAL, RC_MUT_NO_PONG, RC_MUT_NO_BEARER_UPGRADE,
    RC_MUT_NO_BEARER_BOX, RC_MUT_EXIT_CODE_LENIENT, RC_MUT_JSON_NULL_FATAL,
    RC_MUT_READONLY_ALWAYS, RC_MUT_RESULT_AT_CLOSE,
    /* attach */
    RC_MUT_QUERY_DROPPED, RC_MUT_ATTACH_404_NOT_FOUND, RC_MUT_ATTACH_409_RETRIED,
    /* the rest of RestBox: lifecycle, errors, files, snapshots, security */
    RC_MUT_START_KEEPS_INFO, RC_MUT_UNKNOWN_STATUS_FATAL, RC_MUT_MISSING_FIELD_DEFAULT,
    RC_MUT_METRICS_ABSENT_ZERO, RC_MUT_ERRORS_STATUS_ONLY, RC_MUT_ERRORS_COARSE,
    RC_MUT_KILL_AS_POST, RC_MUT_RESIZE_SWAPPED, RC_MUT_COPY_IN_DROPS_MODES,
    RC_MUT_COPY_OUT_FLAT, RC_MUT_PLUS_UNENCODED, RC_MUT_CAPS_UNCHECKED,
    RC_MUT_CAPS_ABSENT_ON, RC_MUT_SNAPSHOT_404_ERROR, RC_MUT_RESTORE_204_ONLY,
    RC_MUT_CLONE_KEEPS_OLD_ID, RC_MUT_EXPORT_NAME_IGNORED, RC_MUT_TAR_NO_SECURE,
    RC_MUT_TAR_KEEPS_SPECIAL, RC_MUT_EXPORT_NAME_UNCHECKED, RC_MUT_REDIRECT_KEEPS_TOKEN,
    RC_MUT_BODY_UNBOUNDED,
    RC_MUT_COUNT
};

struct rc_mutant {
    enum rc_mutant_id id;
    const char *name;        /* the --mutant argument */
    const char *contracts;   /* the contract IDs it fails, comma-separated */
    const char *what;        /* the one behaviour it breaks */
};

const struct rc_mutant *rc_mutant_table(int *count);
const struct rc_mutant *rc_mutant_by_name(const char *name);
/* One line per mutant: "NAME CONTRACT-ID[,CONTRACT-ID...]". */
void rc_mutant_print_list(FILE *out);

/* The mutant this process plays (RC_MUT_NONE: the reference client). */
void rc_mutant_select(enum rc_mutant_id id);
bool rc_mutant_is(enum rc_mutant_id id);

#endif
