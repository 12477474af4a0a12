/* adapter.h - the adapter protocol of docs/adapter.md: what the harness
 * asks (action, stdin plan) and what the client reports (events).
 *
 * Events are JSON lines on stdout, one per line, flushed at once. */
#ifndef RC_ADAPTER_H
#define RC_ADAPTER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct rc_action {
    char *name;            /* "exec", "attach", "start", "clone", ... */
    json_t *root;          /* the whole action object (keys per action) */
    char *box_id;          /* NULL in a `then` action: it runs on the clone */
    char *execution_id;    /* attach */
    bool readonly;         /* attach with ?stdin=false */
    char *exec_body;       /* exec: the POST /exec body, JSON text */
};

enum rc_stdin_kind {
    RC_STDIN_DATA,         /* bytes to write to the execution */
    RC_STDIN_CLOSE,        /* the caller closed stdin */
    RC_STDIN_KILL,         /* execution.kill() */
    RC_STDIN_SIGNAL,       /* execution.signal(signal) */
    RC_STDIN_RESIZE,       /* execution.resize_tty(cols, rows) */
    RC_STDIN_IGNORED       /* blank or unknown line */
};

struct rc_stdin_op {
    enum rc_stdin_kind kind;
    uint8_t *data;         /* DATA: decoded bytes, malloc'd */
    size_t len;
    int signal;            /* SIGNAL */
    int cols, rows;        /* RESIZE */
};

/* Parses BOXCONFORM_ACTION (a box_id is required); on failure returns -1
 * and *why says why. An unknown action name parses: dispatch refuses it. */
int rc_action_parse(const char *json, struct rc_action *a, const char **why);
/* The same for an action object (a `then`): box_id optional. */
int rc_action_from(json_t *obj, struct rc_action *a, const char **why);
/* A string member of the action, or NULL. */
const char *rc_action_str(const struct rc_action *a, const char *key);
void rc_action_free(struct rc_action *a);

/* One line of the stdin plan (without its newline). */
int rc_stdin_parse(const char *line, size_t len, struct rc_stdin_op *op);
void rc_stdin_op_free(struct rc_stdin_op *op);
/* Appends n bytes of the plan to pending and applies each whole line. */
void rc_plan_feed(struct rc_buf *pending, const void *data, size_t n,
                  void (*apply)(const struct rc_stdin_op *op, void *user), void *user);

void rc_emit_started(const char *execution_id);
void rc_emit_output(int channel, const uint8_t *data, size_t len); /* 1 or 2 */
void rc_emit_result(int exit_code, const char *error_message);
void rc_emit_error(const char *kind, const char *message);
/* {"event":"value","value":v}: what a call returned; takes v's reference. */
void rc_emit_value(json_t *v);
/* {"event":"unsupported","reason":...}: the caller then exits 127. */
void rc_emit_unsupported(const char *reason);
void rc_emit_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
