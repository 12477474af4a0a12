/* evidence.h - what a run left behind, and the queries every check shares.
 *
 * A check never walks the journal, the events or the harness's observations
 * itself: it asks this module, so every check measures the same thing by
 * the same rule. Contents:
 *
 *   loading            bc_ev_load (journal + events), bc_ev_load_observed,
 *                      or bc_ev_from_record
 *   attach attempts    attempt k, its times (docs/checks.md: R_k request,
 *                      U_k upgrade, D_k client drop, L_k last server frame
 *                      before the drop, E_k end)          evidence.c
 *   waits              between attempts, and what they should have been
 *   REST calls         probe answers, first request/response after t
 *   calls              every request of one endpoint ("start", "files_get",
 *                      ... or NULL: all) in journal order: method, path
 *                      (decoded), path_raw, query_params, headers, origin,
 *                      body, tar entries; its answer; a path's box id
 *                      or snapshot name; redirects      evidence_calls.c
 *   the adapter's side its events, result, output, stdin bytes
 *   values             the adapter's value events in order, exact u64
 *                      numbers, exact comparison; what each call
 *                      returned (value or error)        evidence_calls.c
 *   control ops fed    kill / signal / resize / stdin_close, when
 *   the host           the sandbox before and after: created, changed and
 *                      removed entries in the destination, elsewhere in
 *                      host/, in outside/; the memory-limit kill
 *                                                       evidence_host.c
 *   helpers            fields, base64, time windows
 *
 * Times are client seconds on the journal's axis. A time that does not
 * exist (no drop, no upgrade) is NAN: test with isnan(). Attempts, calls
 * and values are 1-based, as in the docs. Integers above 2^63-1 in the
 * adapter's events and the journal's bodies are kept exactly
 * (common/jbig.h): read numbers with bc_ev_u64, compare values with
 * bc_ev_same_value. Field names of journal events are docs/journal.md's;
 * sandbox entries are docs/results.md's ("sandbox").
 *
 * Journal times are when things crossed the client's wire (docs/journal.md),
 * exact but for a client's hang-up, which a loaded server can only bound
 * ("t" the earliest, "t_max" the latest). An interval is measured from the
 * earliest its start can have been to the latest its end can have been, so
 * no error of measurement makes a client look early: D_k, an end, is the
 * latest; E_k, where a wait starts, the earliest. */
#ifndef BC_EVIDENCE_H
#define BC_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/* The client's timing constants (profile "constants"), client seconds. */
typedef struct bc_constants {
    double first_frame;         /* no frame since the upgrade -> dead */
    double watchdog;            /* silence after a frame -> dead */
    double probe_timeout;       /* status probe gives up */
    double backoff_initial;     /* first reconnect wait */
    double backoff_max;         /* cap of the doubling waits */
    double budget;              /* sum of all reconnect waits */
    double handshake;           /* upgrade without a response */
    double ping_interval;       /* client keepalive */
    double rest_timeout;        /* one REST call, answer read whole */
} bc_constants;

typedef struct bc_evidence {
    json_t *journal;            /* array: fake server journal events, file order */
    json_t *events;             /* array: adapter events, each with "t" */
    json_t *fed;                /* array: stdin ops the harness fed, each with "t" */
    json_t *action;             /* the BOXCONFORM_ACTION the adapter was given */
    json_t *sandbox;            /* what the harness observed (docs/results.md): the host */
    json_t *memory;             /* sandbox and its changes, the adapter's memory, and */
    json_t *confinement;        /* whether it was confined; each NULL when not loaded */
    bc_constants k;             /* what the client claims to be built with */
} bc_evidence;

/* The production constants of docs/contract.md. */
bc_constants bc_ev_production_constants(void);

/* Load a journal (JSON lines; a torn last line is ignored) and a stamped
 * event file (lines with "event" are adapter events, lines with "fed" are
 * harness stdin ops). 0, or -1 with err "file:line:column: ...". */
int bc_ev_load(bc_evidence *ev, const char *journal_path, const char *events_path,
               char *err, size_t errlen);
/* What the harness observed (the run's observed.json: {"action","sandbox",
 * "memory","confinement"}). 0, or -1 with err. */
int bc_ev_load_observed(bc_evidence *ev, const char *path, char *err, size_t errlen);
/* The same from a record's "evidence" object (docs/results.md: journal,
 * events with the fed lines among them, sandbox, memory), into an
 * initialized ev; -1 when it holds no journal and events. */
int bc_ev_from_record(bc_evidence *ev, const json_t *evidence);
void bc_ev_init(bc_evidence *ev);   /* empty arrays, production constants */
void bc_ev_free(bc_evidence *ev);

/* ---- attach attempts ---------------------------------------------------- */
size_t bc_ev_attempt_count(const bc_evidence *ev);
const json_t *bc_ev_attempt(const bc_evidence *ev, size_t k); /* the attach event */
const char *bc_ev_outcome(const bc_evidence *ev, size_t k); /* upgraded/rejected/hang */
long bc_ev_conn(const bc_evidence *ev, size_t k);          /* conn_k, -1 if none */
const json_t *bc_ev_request(const bc_evidence *ev, size_t k); /* its http_request */
double bc_ev_requested_at(const bc_evidence *ev, size_t k);  /* R_k */
double bc_ev_upgraded_at(const bc_evidence *ev, size_t k);   /* U_k */
double bc_ev_server_end_at(const bc_evidence *ev, size_t k); /* server close/reject/FIN/RST */
double bc_ev_dropped_at(const bc_evidence *ev, size_t k);    /* D_k, the latest it can be */
double bc_ev_last_frame_at(const bc_evidence *ev, size_t k); /* L_k */
double bc_ev_first_frame_at(const bc_evidence *ev, size_t k); /* first frame_out on conn_k */
double bc_ev_ended_at(const bc_evidence *ev, size_t k);      /* E_k, the earliest it can be */
bool bc_ev_saw_exit_frame(const bc_evidence *ev, size_t k);  /* server sent exit on conn_k */

/* ---- waits between attempts (k >= 2) ------------------------------------ */
double bc_ev_wait_before(const bc_evidence *ev, size_t k);
double bc_ev_expected_wait_before(const bc_evidence *ev, size_t k);
double bc_ev_total_waits(const bc_evidence *ev);             /* sum over k >= 2 */

/* ---- REST calls ---------------------------------------------------------- */
/* Time of the first http_request / http_response of endpoint after t
 * (strictly), NAN if none. status: -1 any, else only that status. */
double bc_ev_request_after(const bc_evidence *ev, const char *endpoint, double t);
double bc_ev_response_after(const bc_evidence *ev, const char *endpoint, int status,
                            double t);
/* The response itself, NULL if none. */
const json_t *bc_ev_response_event_after(const bc_evidence *ev, const char *endpoint, int status,
                                         double t);

/* The status a probe answer reported (its JSON body's "status"), written
 * into buf; NULL when it was no 2xx answer with one (404, 5xx, malformed). */
const char *bc_ev_probe_status(const json_t *response, char *buf, size_t len);
/* What a probe answer said: a status that ends the execution (completed,
 * killed, timed_out), or 404 (the execution is gone). */
bool bc_ev_said_terminal(const json_t *response);
bool bc_ev_said_gone(const json_t *response);
/* How much earlier than the real one a client's hang-up can be stamped, in
 * real seconds: a 250 Hz scheduler tick, plus as much again. Scenarios
 * keep an answer that must not count (one sent after the client gave up)
 * 1.5 client s or more past the hang-up, 30 ms of real time at x50. */
#define BC_EV_HANGUP_EARLY_S 0.005
/* The first probe answer after t (strictly) that said what said() looks
 * for and reached the client before its probe timeout could have fired (a
 * client rightly ignores an answer that came too late); NULL if none. */
const json_t *bc_ev_probe_answer_after(const bc_evidence *ev, double t,
                                       bool (*said)(const json_t *response));
/* The first such answer set aside because it left too close to the probe
 * timeout: the client may have read it or given up on it, and the wire
 * cannot tell which (a loaded server). A verdict that rests on setting it
 * aside is doubtful (bc_check_result.doubtful). NULL if none. */
const json_t *bc_ev_probe_answer_set_aside(const bc_evidence *ev,
                                           bool (*said)(const json_t *response));

/* ---- the adapter's side ------------------------------------------------- */
size_t bc_ev_count_events(const bc_evidence *ev, const char *event);
const json_t *bc_ev_find_event(const bc_evidence *ev, const char *event); /* first */
const json_t *bc_ev_result(const bc_evidence *ev);          /* first result or NULL */
/* Does the result match verify's exit_code and error (either may be absent)?
 * On mismatch why says what differs. */
bool bc_ev_result_matches(const json_t *result, const json_t *params, char *why,
                          size_t whylen);
/* Concatenated bytes of the adapter's events of that kind ("stdout"). */
unsigned char *bc_ev_output(const bc_evidence *ev, const char *event, size_t *len);
/* The stdin the command gets: the payloads of the client's binary frames,
 * every connection, but none on a read-only attach and none after the
 * first stdin_eof (the server drops both). */
unsigned char *bc_ev_stdin_bytes(const bc_evidence *ev, size_t *len);
/* Whether an attach query asks for a read-only attach (the parameter stdin=false). */
bool bc_ev_query_readonly(const char *query);
/* Whether a journal event is the client's {"type":"stdin_eof"} text frame. */
bool bc_ev_is_stdin_eof(const json_t *e);
/* The first client binary frame journaled after a stdin_eof (journal order:
 * frames read together share a time), NULL if none. */
const json_t *bc_ev_stdin_after_eof(const bc_evidence *ev);
/* When the harness fed stdin_close to the adapter, NAN if never. */
double bc_ev_stdin_closed_at(const bc_evidence *ev);

/* ---- calls (any endpoint) ------------------------------------------------ */
/* Requests of endpoint (journal "endpoint": "box", "start", "files_put", ...;
 * NULL: every request) in journal order, both origins, refused ones
 * included (their "call" is 0). The request is the journal's http_request:
 * bc_ev_str(req, "method" | "path" | "path_raw" | "query_raw" | "origin" |
 * "content_type"), json_object_get(req, "query_params" | "headers" | "tar"). */
size_t bc_ev_call_count(const bc_evidence *ev, const char *endpoint);
const json_t *bc_ev_call(const bc_evidence *ev, const char *endpoint, size_t n);
/* The http_response to a request, NULL when none was journaled. */
const json_t *bc_ev_answer(const bc_evidence *ev, const json_t *request);
/* A request's or answer's first header of that name (any case), NULL if
 * none; how many it has. */
const char *bc_ev_header(const json_t *msg, const char *name);
size_t bc_ev_header_count(const json_t *msg, const char *name);
/* A request's first query parameter of that name, decoded ("+" a space);
 * NULL when absent (or not text). */
const char *bc_ev_query_param(const json_t *request, const char *name);
/* A request's or answer's journaled body ("body" or "body_b64"), new
 * NUL-terminated buffer, NULL when none; parsed as JSON with big integers
 * kept (NULL when it is not JSON). */
unsigned char *bc_ev_body(const json_t *msg, size_t *len);
json_t *bc_ev_body_json(const json_t *msg);
/* The entry of a tar body ("tar": [{path, type, mode, size, sha256, target,
 * rdev}]) with that path, NULL if none. */
const json_t *bc_ev_tar_entry(const json_t *msg, const char *path);
/* The segment of a request's raw path after its first "boxes" segment
 * (after = "boxes": the box's id), or after the first segment `after`
 * behind that ("snapshots": the snapshot's name), percent-decoded on its
 * own as the server routes it; new string, NULL when there is none (or it
 * decodes to a NUL). */
char *bc_ev_path_segment(const json_t *request, const char *after);
/* The URL of an origin ("main" or "other": the journal's listen event),
 * NULL when unknown; how many answers redirected there (3xx, Location). */
const char *bc_ev_origin_url(const bc_evidence *ev, const char *origin);
size_t bc_ev_redirect_count(const bc_evidence *ev, const char *origin);

/* ---- values ---------------------------------------------------------------- */
/* The adapter's value events ({"event":"value","value":...}): how many, the
 * n-th whole (with "t") and its value (JSON null is a value: a missing
 * snapshot). A clone writes two: the clone, then its then-call. */
size_t bc_ev_value_count(const bc_evidence *ev);
const json_t *bc_ev_value_event(const bc_evidence *ev, size_t n);
const json_t *bc_ev_value(const bc_evidence *ev, size_t n);
/* A number from 0 to 2^64-1, exactly (false: not one, or not exact). */
bool bc_ev_u64(const json_t *v, uint64_t *out);
/* Same JSON, numbers compared exactly (an integer and a real are the same
 * only when the real holds that very integer: 2^53+1 rounded is not). */
bool bc_ev_same_value(const json_t *a, const json_t *b);
/* held is the u64 sent (above 2^53) as a double holds it (rounded, or a
 * power of two kept by luck), as a language whose numbers are doubles
 * holds it: noted, not failed, where exactness is a strict part. */
bool bc_ev_rounded_u64(const json_t *sent, const json_t *held);
/* What each call of the action returned: its value or error event, in
 * order (call n of a clone's chain: 1 the clone, 2 its then-call); the
 * number of the first stamped at or after t, 0 if none. */
const json_t *bc_ev_return(const bc_evidence *ev, size_t n);
size_t bc_ev_return_after(const bc_evidence *ev, double t);

/* ---- control ops fed --------------------------------------------------------- */
/* The n-th record of op ("stdin", "stdin_close", "kill", "signal", "resize")
 * the harness fed the adapter ({"fed", "t", "signal"?, "cols"?, "rows"?}). */
const json_t *bc_ev_fed(const bc_evidence *ev, const char *op, size_t n);

/* ---- the host ----------------------------------------------------------------- */
/* Where a sandbox change happened: inside the action's destination (the
 * client's work), elsewhere under host/ (its sources, the destination's
 * parents), outside host/ (the sentinel tree outside/, the sandbox root). */
typedef enum bc_sb_area { BC_SB_DEST, BC_SB_HOST, BC_SB_OUTSIDE } bc_sb_area;
typedef enum bc_sb_kind { BC_SB_CREATED, BC_SB_CHANGED, BC_SB_REMOVED } bc_sb_kind;
/* Whether the sandbox was observed; *why says why its listings are not
 * whole (NULL when they are, or when it was not observed at all). */
bool bc_ev_sandbox_seen(const bc_evidence *ev, const char **why);
/* The destination relative to the sandbox root ("host/a/b/c/d/out"), NULL
 * when the action writes nothing on the host. Every path below is relative
 * to the sandbox root too. */
const char *bc_ev_sandbox_dest(const bc_evidence *ev);
/* Changes of one kind in one area, in path order: {"path", "before"?,
 * "after"?, "fields"?: the entry keys that differ}; n is 1-based. */
size_t bc_ev_sandbox_count(const bc_evidence *ev, bc_sb_area area, bc_sb_kind kind);
const json_t *bc_ev_sandbox_change(const bc_evidence *ev, bc_sb_area area, bc_sb_kind kind,
                                   size_t n);
/* Changes the client was never asked for: every kind, host and outside. */
size_t bc_ev_sandbox_unasked(const bc_evidence *ev);
/* An entry ({"type","mode","size","uid","gid","nlink","ino","sha256"?,
 * "target"?,"rdev"?}) before the adapter ran and after it ended; NULL when
 * absent then. */
const json_t *bc_ev_sandbox_before(const bc_evidence *ev, const char *path);
const json_t *bc_ev_sandbox_after(const bc_evidence *ev, const char *path);
/* path relative to the destination ("" for the destination itself), NULL
 * when it is not inside it. */
const char *bc_ev_sandbox_in_dest(const bc_evidence *ev, const char *path);
/* A host path the action was given (absolute) relative to the sandbox root,
 * as the listings name it; NULL when it is not inside the sandbox. */
const char *bc_ev_sandbox_rel(const bc_evidence *ev, const char *abs);
/* The changes in one area, in words for a message ("created host/x.txt
 * (file), changed outside/secret.txt (nlink)"), into buf (cut to len);
 * how many there are. */
size_t bc_ev_sandbox_describe(const bc_evidence *ev, bc_sb_area area, char *buf, size_t len);
/* Whether the harness killed the adapter's group over its memory limit;
 * then *t the client time, *held the bytes it held; *limit the limit
 * (0: none). */
bool bc_ev_memory_killed(const bc_evidence *ev, double *t, long long *held, long long *limit);
/* The most the group held at one sample, -1 when not observed. */
long long bc_ev_memory_peak(const bc_evidence *ev);

/* ---- helpers ------------------------------------------------------------- */
double bc_ev_t(const json_t *e);                            /* "t" or NAN */
const char *bc_ev_str(const json_t *e, const char *key);    /* string or NULL */
const char *bc_ev_str_or(const json_t *e, const char *key, const char *dflt);
const char *bc_ev_text(const json_t *s, const char *dflt);   /* a JSON string's text */
bool bc_ev_is(const json_t *e, const char *key, const char *value); /* e[key] == value */
/* The n-th (1-based) object of arr whose key is value, NULL if none; how many. */
const json_t *bc_ev_nth(const json_t *arr, const char *key, const char *value, size_t n);
size_t bc_ev_count(const json_t *arr, const char *key, const char *value);
long bc_ev_int(const json_t *e, const char *key, long dflt);
/* Decode base64 into a new buffer (NUL-terminated); NULL on bad input. */
unsigned char *bc_ev_b64(const char *b64, size_t *len);
/* Expected bytes from verify params: text_key or b64_key; *present false if neither. */
unsigned char *bc_ev_param_bytes(const json_t *params, const char *text_key,
                                 const char *b64_key, size_t *len, bool *present);
/* How far a measured time may stray from its expected value. A client's
 * timers fire late when the machine is loaded, never early (docs/timing.md), so
 * the window is lopsided: early 2 % + 0.25 s, late 5 % + 1 s (well under the
 * smallest gap a broken client shows: 5 s). params "tol" makes it +-tol. */
typedef struct bc_window {
    double early;               /* how much sooner than expected is still right */
    double late;                /* how much later than expected is still right */
} bc_window;
bc_window bc_ev_window(const json_t *params, double expected);
bool bc_ev_in_window(double measured, double expected, bc_window w);
/* params "attempt", else dflt. */
size_t bc_ev_param_attempt(const json_t *params, size_t dflt);

#endif
