/* adapter.h - the adapter protocol of docs/adapter.md: what the harness
 * asks (action, stdin plan) and what the client reports (events).
 *
 * Events are JSON lines on stdout, one per line, flushed at once. */
#ifndef RC_ADAPTER_H
#define RC_ADAPTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rc_action {
    bool attach;           /* "attach": join an execution; else "exec" */
    char *box_id;
    char *execution_id;    /* attach only */
    bool readonly;         /* attach with ?stdin=false */
    char *exec_body;       /* exec: the POST /exec body, JSON text */
};

enum rc_stdin_kind {
    RC_STDIN_DATA,         /* bytes to write to the execution */
    RC_STDIN_CLOSE,        /* the caller closed stdin */
    RC_STDIN_IGNORED       /* blank or unknown line */
};

struct rc_stdin_op {
    enum rc_stdin_kind kind;
    uint8_t *data;         /* DATA: decoded bytes, malloc'd */
    size_t len;
};

/* Parses BOXCONFORM_ACTION; on failure returns -1 and *why says why. */
int rc_action_parse(const char *json, struct rc_action *a, const char **why);
void rc_action_free(struct rc_action *a);

/* One line of the stdin plan (without its newline). */
int rc_stdin_parse(const char *line, size_t len, struct rc_stdin_op *op);
void rc_stdin_op_free(struct rc_stdin_op *op);

void rc_emit_started(const char *execution_id);
void rc_emit_output(int channel, const uint8_t *data, size_t len); /* 1 or 2 */
void rc_emit_result(int exit_code, const char *error_message);
void rc_emit_error(const char *kind, const char *message);
void rc_emit_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
