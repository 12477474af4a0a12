/* scenario.h - one scenario file (docs/scenario.md) as a typed, validated model.
 *
 * bc_scenario_load() parses and checks a whole file; on any error nothing is
 * returned and err holds "path:line:column: expected ..., got ...". A loaded
 * scenario is read-only: the fake server asks it what to do for attach
 * attempt k or REST call n, the harness reads info, client and verify.
 *
 * Durations are client seconds (double). Where the doc allows null ("for
 * ever"), a `forever` flag is set and `seconds` is 0. Byte strings ("text"
 * keys as their UTF-8, *_b64 keys decoded) are bc_bytes: data is always
 * NUL-terminated for convenience, len is authoritative (may contain NULs). */
#ifndef BC_SCENARIO_H
#define BC_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "contracts.h"

typedef struct bc_bytes {
    unsigned char *data;        /* owned, NUL-terminated; NULL only when len 0 */
    size_t len;                 /* byte count, NULs allowed */
} bc_bytes;

/* ---- REST replies (also rejected upgrades) ------------------------------ */

typedef enum bc_endpoint {
    BC_EP_CONFIG,               /* GET /v1/config */
    BC_EP_BOX,                  /* GET/HEAD /boxes/{id} */
    BC_EP_EXEC,                 /* POST /boxes/{id}/exec */
    BC_EP_PROBE,                /* GET .../executions/{eid} */
    BC_EP_KILL,                 /* DELETE .../executions/{eid} */
    BC_EP_SIGNAL,               /* POST .../signal */
    BC_EP_RESIZE,               /* POST .../resize */
    BC_EP_ATTACH,               /* GET .../attach (the upgrade) */
    BC_EP_START,                /* POST /boxes/{id}/start */
    BC_EP_STOP,                 /* POST /boxes/{id}/stop */
    BC_EP_METRICS,              /* GET /boxes/{id}/metrics */
    BC_EP_FILES_PUT,            /* PUT /boxes/{id}/files?path= (copy in) */
    BC_EP_FILES_GET,            /* GET /boxes/{id}/files?path= (copy out) */
    BC_EP_SNAPSHOT_CREATE,      /* POST /boxes/{id}/snapshots */
    BC_EP_SNAPSHOT_LIST,        /* GET /boxes/{id}/snapshots */
    BC_EP_SNAPSHOT_GET,         /* GET /boxes/{id}/snapshots/{name} */
    BC_EP_SNAPSHOT_REMOVE,      /* DELETE /boxes/{id}/snapshots/{name} */
    BC_EP_SNAPSHOT_RESTORE,     /* POST /boxes/{id}/snapshots/{name}/restore */
    BC_EP_CLONE,                /* POST /boxes/{id}/clone */
    BC_EP_EXPORT,               /* POST /boxes/{id}/export */
    BC_EP_COUNT
} bc_endpoint;

typedef enum bc_body_kind {
    BC_BODY_NONE,               /* the endpoint's normal body */
    BC_BODY_JSON,               /* "body": any JSON value, printed compactly */
    BC_BODY_RAW,                /* "body_raw": literal text */
    BC_BODY_FORM,               /* "body_form" + "message" */
    BC_BODY_PROBE_STATE,        /* "state" (+ exit_code, error_message) */
    BC_BODY_TAR,                /* "tar": a tar built from a tar spec */
    BC_BODY_BYTES,              /* "bytes": count patterned bytes, made as sent */
    BC_BODY_ENDLESS,            /* "endless": patterned bytes for ever (chunked) */
    BC_BODY_JSON_DEPTH,         /* "json_depth": count nested arrays, made as sent */
    BC_BODY_REDIRECT,           /* "redirect": a 3xx to this or the other origin */
    BC_BODY_HEADER_ENDLESS      /* "header_endless": the head never ends */
} bc_body_kind;

typedef enum bc_body_form {
    BC_FORM_RUNNER,             /* {"error":"msg"} */
    BC_FORM_ENVELOPE,           /* {"error":{"message","type","code"}} */
    BC_FORM_FLAT,               /* {"message","error","statusCode"} */
    BC_FORM_EMPTY               /* no body, Content-Length: 0 */
} bc_body_form;

/* ---- tar specs (REPLY "tar", server.files) -------------------------------- */

typedef enum bc_tar_type {
    BC_TAR_FILE, BC_TAR_DIR, BC_TAR_SYMLINK, BC_TAR_HARDLINK, BC_TAR_FIFO,
    BC_TAR_CHARDEV, BC_TAR_BLOCKDEV
} bc_tar_type;

/* Absolute paths and link targets of a tar spec start with this; the fake
 * server puts its --sandbox directory in its place. */
#define BC_SANDBOX_PREFIX "${SANDBOX}/"
#define BC_TAR_MAX_DATA (64ULL * 1024 * 1024) /* data bytes of one tar spec */
#define BC_TAR_CLIMB_MAX 4      /* climbs of a tar spec, summed (docs/scenario.md) */
#define BC_TAR_MTIME 1767225600 /* default mtime: 2026-01-01T00:00:00Z */

typedef struct bc_tar_entry {
    char *path;                 /* as written to the archive (may start ${SANDBOX}/) */
    bc_tar_type type;
    bc_bytes data;              /* FILE: "data" / "data_b64" */
    bool patterned;             /* FILE: "size" patterned bytes instead of data */
    unsigned long long size;    /* ... how many */
    int mode;                   /* permission bits, set-id bits included */
    char *target;               /* SYMLINK, HARDLINK; else NULL */
    long long mtime;
} bc_tar_entry;

typedef struct bc_tar_spec {
    bc_tar_entry *entries;
    size_t count;
    bool truncated;             /* cut the archive ... */
    unsigned long long truncate; /* ... after this many bytes */
    bool uses_sandbox;          /* some path or target starts with ${SANDBOX}/ */
} bc_tar_spec;

/* ---- REST replies, continued ------------------------------------------------ */

typedef struct bc_header {
    char *name;                 /* an HTTP token */
    char *value;                /* no CR, LF or NUL */
} bc_header;

typedef struct bc_redirect {
    int status;                 /* 301, 302, 303, 307 or 308 */
    bool other;                 /* to the second origin ("to": "other"), else the same */
    char *path;                 /* path and query to send the client to; NULL: the request's */
} bc_redirect;

#define BC_JSON_DEPTH_MAX (1ULL << 32) /* nested arrays of a json_depth body */

typedef struct bc_reply {
    int status;                 /* HTTP status; 0 = the endpoint's success status */
    bc_body_kind body_kind;     /* which of the body fields below is set */
    bc_bytes body;              /* BC_BODY_JSON (compact text) or BC_BODY_RAW */
    bc_body_form form;          /* BC_BODY_FORM */
    char *message;              /* BC_BODY_FORM message; NULL for BC_FORM_EMPTY */
    char *state;                /* BC_BODY_PROBE_STATE: the "status" to report */
    bool has_exit_code;         /* probe shorthand: send "exit_code" */
    bool exit_code_null;        /* ... as JSON null rather than exit_code */
    int exit_code;              /* ... its value */
    char *error_message;        /* probe shorthand: NULL = key absent */
    double delay;               /* answer after this many seconds (0: at once) */
    bool hang;                  /* never answer ... */
    bool hang_forever;          /* ... and never close */
    double hang_seconds;        /* ... close with FIN after this (unless forever) */
    bool rst;                   /* reset the connection instead of answering */
    bool repeat;                /* also applies to every later call */
    bc_tar_spec tar;            /* BC_BODY_TAR */
    unsigned long long count;   /* BC_BODY_BYTES: bytes; BC_BODY_JSON_DEPTH: depth */
    bc_redirect redirect;       /* BC_BODY_REDIRECT */
    /* modifiers of any answer, the endpoint's own included */
    bool chunked;               /* "content_length": false: Transfer-Encoding: chunked */
    double drip;                /* seconds between body bytes (0: all at once) */
    bc_header *headers;         /* extra response headers, in file order */
    size_t header_count;
} bc_reply;

typedef struct bc_reply_list {
    bc_reply *items;            /* entry i answers call i+1 */
    size_t count;
} bc_reply_list;

/* ---- WebSocket frames and attach scripts -------------------------------- */

typedef enum bc_frame_kind {
    BC_FRAME_OUT,               /* binary 0x01 + bytes */
    BC_FRAME_ERR,               /* binary 0x02 + bytes */
    BC_FRAME_BINARY,            /* binary frame of exactly bytes (channel included) */
    BC_FRAME_TEXT,              /* text frame of exactly bytes */
    BC_FRAME_ERROR,             /* {"type":"error","message":bytes} */
    BC_FRAME_EXIT,              /* {"type":"exit","exit_code":N} */
    BC_FRAME_PING,              /* ping with payload bytes (<= 125) */
    BC_FRAME_PONG               /* unsolicited pong with payload bytes (<= 125) */
} bc_frame_kind;

typedef struct bc_frame {
    bc_frame_kind kind;
    bc_bytes bytes;             /* payload as described per kind; empty for EXIT */
    bool has_exit_code;         /* EXIT: false for "exit": null (no exit_code key) */
    int exit_code;              /* EXIT: N */
    bool close;                 /* EXIT: close 1000 afterwards (default true) */
} bc_frame;

typedef enum bc_step_action {
    BC_STEP_FRAME,              /* send frame */
    BC_STEP_WAIT,               /* let seconds pass, pings go on */
    BC_STEP_SILENCE,            /* send nothing, pings included, seconds or forever */
    BC_STEP_WAIT_FOR_EOF,       /* until stdin_eof, at most seconds or forever */
    BC_STEP_WAIT_FOR_STDIN,     /* until byte_count stdin bytes, at most seconds/forever */
    BC_STEP_CLOSE,              /* close frame without exit frame */
    BC_STEP_FIN,                /* TCP FIN without close frame */
    BC_STEP_RST,                /* TCP RST */
    BC_STEP_HALF_OPEN,          /* stop reading and writing, FIN after seconds/forever */
    BC_STEP_CUT,                /* first keep bytes of frame on the wire, then `then` */
    BC_STEP_DRIP,               /* frame on the wire one byte every interval */
    BC_STEP_FINISH,             /* execution completed with exit_code, nothing sent */
    BC_STEP_FLOOD               /* flood_bytes of patterned output in flood_frame-byte frames */
} bc_step_action;

typedef enum bc_cut_then {
    BC_THEN_FIN,                /* FIN after the partial frame */
    BC_THEN_RST,                /* RST after the partial frame */
    BC_THEN_HOLD                /* keep the socket open and silent */
} bc_cut_then;

typedef struct bc_step {
    bc_step_action action;
    int line, column;           /* where the step's object starts (0: built in) */
    double seconds;             /* WAIT, SILENCE, HALF_OPEN, WAIT_FOR_* ("max") */
    bool forever;               /* ... null / no "max": no time limit */
    bc_frame frame;             /* FRAME, CUT, DRIP */
    size_t keep;                /* CUT: bytes of the encoded frame put on the wire */
    bc_cut_then then;           /* CUT */
    double interval;            /* DRIP: seconds between bytes */
    bool has_close_code;        /* CLOSE: false for "close": null (empty payload) */
    int close_code;             /* CLOSE */
    char *close_reason;         /* CLOSE: NULL when absent */
    size_t byte_count;          /* WAIT_FOR_STDIN: "bytes" */
    int exit_code;              /* FINISH */
    unsigned long long flood_bytes; /* FLOOD: output bytes in all (channel bytes not counted) */
    size_t flood_frame;         /* FLOOD: output bytes per frame (the last may be shorter) */
    int flood_channel;          /* FLOOD: 1 stdout ("stream": "out"), 2 stderr ("err") */
} bc_step;

#define BC_FLOOD_MAX_BYTES (1ULL << 40)   /* a flood step sends at most 1 TiB */
#define BC_FLOOD_MAX_FRAME (16 * 1024 * 1024) /* output bytes per flood frame */
/* Byte i of a flood's output (i counted from the step's first byte). */
#define BC_FLOOD_PATTERN "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-\n"
#define BC_FLOOD_PERIOD 64                /* strlen(BC_FLOOD_PATTERN) */
/* 1 when p[0..n) is a flood's output from its byte off on, else 0. */
int bc_flood_matches(const uint8_t *p, size_t n, unsigned long long off);

typedef struct bc_script {
    bc_step *steps;
    size_t count;
} bc_script;

typedef struct bc_attempt {
    bc_reply *reject;           /* answer the upgrade with this instead of 101; or NULL */
    bool hang;                  /* never answer the upgrade ... */
    bool hang_forever;          /* ... and never close */
    double hang_seconds;        /* ... close with FIN after this (unless forever) */
    int replay;                 /* -1: server.replay, 0: no backlog replay, 1: replay */
    bool has_steps;             /* false: run server.steps */
    bc_script script;           /* this attempt's own steps when has_steps */
    bool repeat;                /* also applies to every later attempt */
} bc_attempt;

/* server.capabilities: what GET /v1/config advertises. */
typedef enum bc_cap { BC_CAP_ABSENT = -1, BC_CAP_OFF = 0, BC_CAP_ON = 1 } bc_cap;

typedef struct bc_capabilities {
    bool present;               /* false: "capabilities": null, no object at all */
    bc_cap snapshots, clone, export_, import; /* each *_enabled key */
} bc_capabilities;

typedef struct bc_server {
    char *token;                /* bearer token every request must carry */
    bool auth_enforce;          /* refuse a missing/wrong token with 401 (default:
                                   journal it and serve anyway) */
    char *prefix;               /* path prefix ("" none) */
    char *box_id;               /* the one box that exists */
    char *box_status;           /* status in the BoxResponse */
    char *execution_id;         /* fixed execution id, NULL: fresh UUID per exec */
    double ping_interval;       /* seconds between server pings; 0 never */
    bool replay;                /* replay the backlog on every attach after the first */
    bool echo_stdin;            /* echo stdin frames back as stdout */
    bool has_exit_on_stdin_eof; /* stdin_eof ends the execution ... */
    int exit_on_stdin_eof;      /* ... with this exit code */
    bc_script steps;            /* default script ([{"exit":0}]) */
    bc_attempt *attach;         /* per attach attempt, entry i = attempt i+1 */
    size_t attach_count;
    bc_reply_list replies[BC_EP_COUNT]; /* per REST call; [BC_EP_ATTACH] unused */
    json_t *box_info;           /* object merged over the default BoxResponse, or NULL */
    json_t *metrics_info;       /* the BoxMetricsResponse body, or NULL: the default */
    bc_capabilities caps;       /* GET /v1/config */
    json_t *snapshots;          /* array of the box's SnapshotResponse objects at start */
    bc_tar_spec files;          /* the tar GET /files answers */
} bc_server;

/* ---- what the client under test is asked to do -------------------------- */

typedef enum bc_action {
    BC_ACTION_EXEC,             /* run client.command */
    BC_ACTION_ATTACH,           /* attach to server.execution_id */
    BC_ACTION_INFO,             /* the box as the handle holds it */
    BC_ACTION_START,
    BC_ACTION_STOP,
    BC_ACTION_METRICS,
    BC_ACTION_COPY_IN,          /* host src (sandbox) -> container dst */
    BC_ACTION_COPY_OUT,         /* container src -> host dst (sandbox) */
    BC_ACTION_SNAPSHOT_CREATE,  /* name */
    BC_ACTION_SNAPSHOT_LIST,
    BC_ACTION_SNAPSHOT_GET,     /* name */
    BC_ACTION_SNAPSHOT_REMOVE,  /* name */
    BC_ACTION_SNAPSHOT_RESTORE, /* name */
    BC_ACTION_CLONE,            /* optional name; then: one more action on the clone */
    BC_ACTION_EXPORT,           /* host dest (sandbox) */
    BC_ACTION_COUNT
} bc_action;

typedef struct bc_env_var {
    char *name;
    char *value;
} bc_env_var;

/* What the harness feeds the adapter on its standard input, in time. */
typedef enum bc_feed_op {
    BC_FEED_WRITE,              /* "write" / "write_b64": bytes to the execution's stdin */
    BC_FEED_CLOSE,              /* "close": close its stdin */
    BC_FEED_KILL,               /* "kill": kill() the execution */
    BC_FEED_SIGNAL,             /* "signal": N */
    BC_FEED_RESIZE              /* "resize": {"cols", "rows"} */
} bc_feed_op;

typedef struct bc_stdin_entry {
    double at;                  /* client seconds from the adapter's started event */
    bc_feed_op op;
    bc_bytes bytes;             /* BC_FEED_WRITE: bytes to write */
    int signal;                 /* BC_FEED_SIGNAL: 1 to 64 */
    int cols, rows;             /* BC_FEED_RESIZE: 1 to 65535 each */
} bc_stdin_entry;

/* What exists in the host sandbox's host area before the adapter starts. */
typedef enum bc_sandbox_type { BC_SANDBOX_FILE, BC_SANDBOX_DIR, BC_SANDBOX_SYMLINK } bc_sandbox_type;

#define BC_SANDBOX_DEST_DEPTH 5 /* levels below the sandbox root a copy-out or export
                                   destination sits at least: the host area is one,
                                   so dst and dest name at least 4 */
#define BC_SANDBOX_MAX_DATA (64ULL * 1024 * 1024) /* file bytes of one sandbox */

typedef struct bc_sandbox_entry {
    char *path;                 /* relative to the host area, no "..", each once */
    bc_sandbox_type type;
    bc_bytes data;              /* FILE: "data" / "data_b64" */
    int mode;                   /* FILE, DIR: permission bits (set-id included); -1 default */
    char *target;               /* SYMLINK: as given (may start with ${SANDBOX}/) */
} bc_sandbox_entry;

typedef struct bc_client {
    bc_action action;
    char *command;              /* exec: default "true" */
    char **args;                /* arg_count strings */
    size_t arg_count;
    bc_env_var *env;            /* env_count pairs, in file order */
    size_t env_count;
    bool tty;
    bool has_timeout;           /* timeout_seconds given (not null) */
    double timeout_seconds;
    char *working_dir;          /* NULL: none */
    bool readonly;              /* attach with ?stdin=false */
    char *src, *dst;            /* copy_in: host (sandbox-relative) -> container;
                                   copy_out: container -> host (sandbox-relative) */
    char *name;                 /* snapshot name; clone: the clone's name (NULL: none) */
    char *dest;                 /* export: host path, sandbox-relative */
    struct bc_client *then;     /* clone: the action run on the clone's handle, or NULL;
                                   only its action and action keys are set */
    /* the rest belongs to the scenario's client section, never to a `then` */
    bc_stdin_entry *stdin_plan; /* in file order, "at" non-decreasing */
    size_t stdin_count;
    double deadline;            /* no result by then is HUNG (default 400) */
    bc_sandbox_entry *sandbox;  /* sandbox.files, in file order */
    size_t sandbox_count;
} bc_client;

/* ---- the whole file ------------------------------------------------------ */

typedef struct bc_info {
    char *id;                   /* == file base name without .json */
    char *title;
    const bc_contract **contracts; /* contract_count entries of the static table */
    size_t contract_count;
    char **keywords;
    size_t keyword_count;
} bc_info;

typedef struct bc_scenario {
    char *path;                 /* as given to bc_scenario_load ("" for the default) */
    bc_info info;
    bc_server server;
    bc_client client;
    json_t *verify;             /* object: contract ID -> validated parameters */
} bc_scenario;

/* Load and validate path. 0 and *out set, or -1 with err filled and *out NULL. */
int bc_scenario_load(const char *path, bc_scenario **out, char *err, size_t errlen);
/* Same, from text in memory; path is used for messages and the id check. */
int bc_scenario_load_text(const char *path, const char *text, size_t len,
                          bc_scenario **out, char *err, size_t errlen);
/* A well-behaved scenario (every default), for a server without --scenario. */
bc_scenario *bc_scenario_default(void);
void bc_scenario_free(bc_scenario *s);

/* Attach attempt k (1-based) of an execution: entry k, else the last earlier
 * entry with repeat, else NULL (default: upgrade, server.replay, server.steps). */
const bc_attempt *bc_scenario_attempt(const bc_scenario *s, int attempt);
/* The script attempt a runs (a may be NULL: the default). */
const bc_script *bc_scenario_script(const bc_scenario *s, const bc_attempt *a);
/* Whether attempt a replays the backlog (a may be NULL). */
bool bc_scenario_replays(const bc_scenario *s, const bc_attempt *a);
/* Call n (1-based) of endpoint ep, by the same rule; NULL: default behaviour.
 * For BC_EP_ATTACH: attempt n's reject reply, if any. */
const bc_reply *bc_scenario_reply(const bc_scenario *s, bc_endpoint ep, int call);
/* verify parameters of contract id, NULL when the scenario does not check it. */
json_t *bc_scenario_verify(const bc_scenario *s, const char *id);

const char *bc_endpoint_name(bc_endpoint ep);   /* "config", "box", ... */
const char *bc_action_name(bc_action a);        /* "exec", "copy_in", ... */
/* The copy-out or export destination of c's chain (c, its then, ...): the
 * host path (sandbox-relative) the client is asked to write, or NULL. */
const char *bc_client_dest(const bc_client *c);
const char *bc_tar_type_name(bc_tar_type t);    /* "file", "dir", "symlink", ... */
/* Whether the scenario names ${SANDBOX} (the server then needs --sandbox). */
bool bc_scenario_uses_sandbox(const bc_scenario *s);
const char *bc_step_action_name(bc_step_action a); /* the step's key: "out", "wait_for"... */

#endif
