/* mutant.c - the mutant table (see mutant.h).
 *
 * The contracts column must list every contract whose check the mutant
 * trips and no other: the suite's mutation matrix holds us to it. */
#include "mutant.h"

#include <string.h>

static const struct rc_mutant table[] = {
    { RC_MUT_FIRST_FRAME_WATCHDOG, "first-frame-watchdog", "TIME-FIRST",
      "a connection without any frame waits the watchdog, not the first-frame timeout" },
    { RC_MUT_FIRST_FRAME_HALF, "first-frame-half", "TIME-FIRST",
      "the first-frame timeout is half its value" },
    { RC_MUT_WATCHDOG_60, "watchdog-60", "TIME-WATCHDOG,TIME-STICKY,TIME-FIRST",
      "the watchdog is 4/3 of its value (60 s in production)" },
    { RC_MUT_PING_NO_RESET, "ping-no-reset", "TIME-WATCHDOG,TIME-FIRST,TIME-STICKY",
      "server pings and pongs do not reset the watchdog" },
    { RC_MUT_STICKY_LOST, "sticky-lost", "TIME-STICKY",
      "every reconnect uses the first-frame timeout again" },
    { RC_MUT_NO_HANDSHAKE_TIMEOUT, "no-handshake-timeout", "TIME-HANDSHAKE",
      "an upgrade without response is waited for forever" },
    { RC_MUT_HANDSHAKE_HALF, "handshake-half", "TIME-HANDSHAKE",
      "the handshake timeout is half its value" },
    /* Pings still reset the timer, which stays the first-frame one. */
    { RC_MUT_PING_NOT_FIRST_FRAME, "ping-not-first-frame", "TIME-FIRST,TIME-STICKY",
      "only data and text frames end the first-frame state, not pings" },
    { RC_MUT_NO_CLIENT_PING, "no-client-ping", "TIME-KEEPALIVE",
      "the client never pings" },
    { RC_MUT_PING_DOUBLE, "ping-double", "TIME-KEEPALIVE",
      "the client pings at twice the interval" },
    { RC_MUT_BACKOFF_NO_DOUBLE, "backoff-no-double", "RECOV-RECONNECT",
      "the wait does not double after a failed attempt" },
    { RC_MUT_BACKOFF_NO_CAP, "backoff-no-cap", "RECOV-RECONNECT",
      "doubled waits are not capped at the maximum" },
    { RC_MUT_BUDGET_OVERRUN, "budget-unbounded", "RECOV-BUDGET",
      "the budget does not stop the waits: one more full wait past it" },
    { RC_MUT_BUDGET_PER_DISCONNECT, "budget-per-disconnect", "RECOV-BUDGET",
      "every disconnect gets a fresh budget" },
    /* A 404 execution stays gone on reattach: the probe at the end of the
     * budget sees the 404 and no upgrade follows, so RECOV-GONE holds. */
    { RC_MUT_NO_PROBE, "no-probe", "RECOV-FALLBACK",
      "a disconnect goes straight to reconnecting, without the status probe" },
    { RC_MUT_RECONNECT_AFTER_404, "reconnect-after-404", "RECOV-GONE",
      "a 404 probe is treated as still running" },
    { RC_MUT_REJECT_409_FATAL, "reconnect-409-fatal", "RECOV-REJECTED",
      "a 409 on a reconnect upgrade ends the execution" },
    { RC_MUT_EOF_NOT_RESENT, "stdin-eof-not-resent", "RECOV-STDIN",
      "stdin_eof is sent on the first connection only" },
    { RC_MUT_STDIN_LOST, "stdin-lost-disconnected", "RECOV-STDIN",
      "stdin written while disconnected is dropped" },
    /* After a stdin_eof, as in stdin-eof-resent-after-each-cut, the doubled
     * chunk also lands behind it. */
    { RC_MUT_STDIN_DOUBLED, "stdin-doubled", "RECOV-STDIN,WIRE-EOF",
      "the last stdin chunk of a connection is sent again after a reconnect" },
    { RC_MUT_FALLBACK_IGNORES_EXIT, "fallback-ignores-exit", "RECOV-FALLBACK",
      "a terminal probe after a disconnect gives -1, not its exit code" },
    /* One per terminal status: a client that forgets one of the three
     * reconnects, and the scenarios tell a reconnect a wrong exit code. */
    { RC_MUT_COMPLETED_RUNNING, "probe-completed-running", "RECOV-FALLBACK",
      "a probe saying completed is taken for still running" },
    { RC_MUT_KILLED_RUNNING, "probe-killed-running", "RECOV-FALLBACK",
      "a probe saying killed is taken for still running" },
    { RC_MUT_TIMED_OUT_RUNNING, "probe-timed-out-running", "RECOV-FALLBACK",
      "a probe saying timed_out is taken for still running" },
    { RC_MUT_EOF_BEFORE_STDIN, "eof-before-queued-stdin", "WIRE-EOF,RECOV-STDIN",
      "stdin_eof goes out before stdin still queued (written while disconnected)" },
    { RC_MUT_FALLBACK_KEEPS_CAUSE, "fallback-keeps-cause", "RECOV-FALLBACK",
      "a terminal probe after a disconnect gives its exit code with the cause as message" },
    /* Only a probe answered after 0.5 s tells: a 404 that comes late. */
    { RC_MUT_PROBE_TIMEOUT_TENTH, "probe-timeout-tenth", "RECOV-GONE",
      "the status probe gives up after a tenth of its timeout (0.5 s in production)" },
    { RC_MUT_BACKOFF_NOT_RESET, "backoff-not-reset", "RECOV-RECONNECT",
      "a new disconnect goes on doubling the waits of the last one, not from the initial wait" },
    { RC_MUT_BUDGET_WALL_CLOCK, "budget-wall-clock", "RECOV-BUDGET",
      "the budget is clock time since the first disconnect, attempts included, not the waits" },
    /* Only the budget-exhausted case with a terminal last probe tells. */
    { RC_MUT_NO_FINAL_PROBE, "no-final-probe", "RECOV-BUDGET,RECOV-FALLBACK",
      "a spent budget gives -1 with the cause at once, without the last probe" },
    { RC_MUT_TWO_RESULTS, "two-results", "RECOV-ONE-RESULT",
      "every result is reported twice" },
    { RC_MUT_HANG_AFTER_RST, "hang-after-rst", "RECOV-ONE-RESULT",
      "a connection reset leaves the execution without a result (hangs)" },
    /* Every byte still arrives (WIRE-OUT holds), only after wait() returned:
     * a push-style SDK that stops its callbacks there. */
    { RC_MUT_OUTPUT_AFTER_RESULT, "output-after-result", "RECOV-ONE-RESULT",
      "the last output chunk is reported after the result" },
    { RC_MUT_ERRFRAME_TERMINAL, "errframe-terminal", "WIRE-ERRFRAME",
      "an error frame ends the execution with -1 and its message" },
    { RC_MUT_UTF8_LOSSY, "utf8-lossy", "WIRE-BYTES",
      "each frame is decoded as UTF-8 on its own, lossily" },
    { RC_MUT_SWAP_STREAMS, "swap-streams", "WIRE-OUT,WIRE-BYTES",
      "stdout and stderr are swapped" },
    { RC_MUT_STDIN_AS_TEXT, "stdin-as-text", "WIRE-STDIN,RECOV-STDIN",
      "stdin goes out as text frames" },
    { RC_MUT_EOF_NEVER, "stdin-eof-never", "WIRE-EOF,RECOV-STDIN",
      "closing stdin sends nothing" },
    { RC_MUT_EXIT_CODE_IGNORED, "exit-code-ignored", "WIRE-EXIT",
      "an exit frame always gives exit code 0" },
    { RC_MUT_UNKNOWN_FRAME_FATAL, "unknown-frame-fatal", "WIRE-TOLERANT",
      "an unknown text frame, channel or empty frame drops the connection" },
    /* refclient sees a ping only through the pong lws writes for it (README):
     * unanswered, the ping of first-frame-is-a-ping goes unseen too. */
    { RC_MUT_NO_PONG, "bad-pong", "WIRE-RFC,TIME-FIRST,TIME-STICKY",
      "server pings are never answered with a pong" },
    /* The fake server serves a tokenless request unless a scenario enforces
     * auth, so only the auth check sees this one. */
    { RC_MUT_NO_BEARER_UPGRADE, "no-bearer-upgrade", "WIRE-AUTH",
      "the WebSocket upgrade carries no Authorization header" },
    { RC_MUT_NO_BEARER_BOX, "no-bearer-box", "WIRE-AUTH",
      "GET /boxes/{id} carries no Authorization header, its 401 is ignored" },
    { RC_MUT_EXIT_CODE_LENIENT, "exit-code-lenient", "WIRE-EXIT",
      "an exit_code sent as a string (\"3\") is read as that number, not as -1" },
    { RC_MUT_JSON_NULL_FATAL, "json-null-fatal", "WIRE-TOLERANT",
      "a text frame holding JSON null drops the connection (null.type throws in JS)" },
    { RC_MUT_READONLY_ALWAYS, "readonly-always", "WIRE-STDIN,RECOV-STDIN",
      "an exec attaches with ?stdin=false too, so the server drops its stdin" },
    /* A server that never closes after its exit frame hangs this one too. */
    { RC_MUT_RESULT_AT_CLOSE, "result-at-close", "WIRE-EXIT,RECOV-ONE-RESULT",
      "the exit code is reported when the socket closes, with an error frame sent after "
      "the exit frame as message" },
    { RC_MUT_QUERY_DROPPED, "query-dropped", "ATTACH-READONLY",
      "reconnects drop the attach query" },
    { RC_MUT_ATTACH_404_NOT_FOUND, "attach-404-not-found", "ATTACH-GONE",
      "a 404 attach is reported as not_found, not session_reaped" },
    { RC_MUT_ATTACH_409_RETRIED, "attach-409-retried", "ATTACH-BUSY",
      "a 409 attach is retried once after the initial backoff" },
    /* The rest of RestBox (issue 12). Each lists the one contract whose check
     * is meant to catch it; until that check lands in suites/, the matrix
     * ignores an ID it does not know, so the column states the intent. */
    { RC_MUT_START_KEEPS_INFO, "start-keeps-info", "BOX-LIFECYCLE",
      "start and stop keep the handle's old info instead of the server's answer" },
    { RC_MUT_UNKNOWN_STATUS_FATAL, "unknown-status-fatal", "BOX-INFO",
      "a box status string the client does not know is an error, not \"unknown\"" },
    { RC_MUT_MISSING_FIELD_DEFAULT, "missing-field-default", "BOX-INFO",
      "a BoxResponse missing a required field is accepted, the field defaulted" },
    { RC_MUT_METRICS_ABSENT_ZERO, "metrics-absent-zero", "METRICS-MAP",
      "absent optional metrics (and every stage of an absent boot_timing) read as 0" },
    { RC_MUT_ERRORS_STATUS_ONLY, "errors-status-only", "REST-ERRORS",
      "an error envelope's code is ignored: the HTTP status alone decides the kind" },
    /* Only the bare-status fallback changes: envelope codes still decide. */
    { RC_MUT_ERRORS_COARSE, "errors-coarse", "REST-ERRORS-FINE",
      "bare 400/409/422/429/502-504 are internal, as the 0.9.5 line maps them" },
    { RC_MUT_KILL_AS_POST, "kill-as-post", "EXEC-CONTROL",
      "kill is sent as POST .../executions/{eid}, not DELETE" },
    { RC_MUT_RESIZE_SWAPPED, "resize-swapped", "EXEC-CONTROL",
      "resize sends cols and rows swapped" },
    { RC_MUT_COPY_IN_DROPS_MODES, "copy-in-drops-modes", "FILES-IN",
      "copy-in stores every file as 0644: executable bits are lost" },
    { RC_MUT_COPY_OUT_FLAT, "copy-out-flat", "FILES-OUT",
      "copy-out writes every file straight under the destination, dropping its directories" },
    { RC_MUT_PLUS_UNENCODED, "path-plus-raw", "FILES-ENCODE",
      "a `+` in a copy path goes into the query unencoded (the server reads a space)" },
    { RC_MUT_CAPS_UNCHECKED, "caps-unchecked", "CAPS-GATE",
      "snapshot, clone and export calls never ask /v1/config" },
    { RC_MUT_CAPS_ABSENT_ON, "caps-absent-on", "CAPS-GATE",
      "a capability the server does not advertise (absent or null) counts as on" },
    { RC_MUT_SNAPSHOT_404_ERROR, "snapshot-404-error", "SNAP-CRUD",
      "getting a missing snapshot (404) is a not_found error, not none" },
    { RC_MUT_RESTORE_204_ONLY, "restore-204-only", "SNAP-CRUD",
      "a restore answered with any 2xx but 204 is an error" },
    { RC_MUT_CLONE_KEEPS_OLD_ID, "clone-keeps-old-id", "CLONE-HANDLE",
      "the clone's handle sends its calls to the original box's id" },
    { RC_MUT_EXPORT_NAME_IGNORED, "export-name-ignored", "EXPORT-FILE",
      "an export into a directory is always written as box.boxlite" },
    /* The deliberately vulnerable client: `../`, absolute paths and
     * symlinked parents all land where the tar says. */
    { RC_MUT_TAR_NO_SECURE, "tar-no-secure-flags", "SEC-TAR",
      "copy-out extracts without libarchive's SECURE_* flags" },
    { RC_MUT_TAR_KEEPS_SPECIAL, "tar-keeps-special", "SEC-TAR",
      "copy-out creates devices and fifos and keeps setuid/setgid bits" },
    { RC_MUT_EXPORT_NAME_UNCHECKED, "export-name-unchecked", "SEC-EXPORT-NAME",
      "the box name is joined into the export path as the server sent it" },
    { RC_MUT_REDIRECT_KEEPS_TOKEN, "redirect-keeps-token", "SEC-REDIRECT",
      "the bearer token goes along on a redirect to another origin" },
    { RC_MUT_BODY_UNBOUNDED, "body-unbounded", "SEC-LIMITS",
      "answers are read whole into memory, with no size limit" },
};

static enum rc_mutant_id selected = RC_MUT_NONE;

const struct rc_mutant *rc_mutant_table(int *count)
{
    *count = (int)(sizeof(table) / sizeof(table[0]));
    return table;
}

const struct rc_mutant *rc_mutant_by_name(const char *name)
{
    int n;
    const struct rc_mutant *t = rc_mutant_table(&n);
    for (int i = 0; i < n; i++)
        if (strcmp(t[i].name, name) == 0)
            return &t[i];
    return NULL;
}

void rc_mutant_print_list(FILE *out)
{
    int n;
    const struct rc_mutant *t = rc_mutant_table(&n);
    for (int i = 0; i < n; i++)
        fprintf(out, "%s %s\n", t[i].name, t[i].contracts);
}

void rc_mutant_select(enum rc_mutant_id id) { selected = id; }

bool rc_mutant_is(enum rc_mutant_id id) { return selected == id; }
