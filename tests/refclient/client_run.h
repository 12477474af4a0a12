/* client_run.h - runs refclient as a child against a test server and
 * collects its adapter events (bounded by a deadline; the child never
 * outlives the call). */
#ifndef CR_CLIENT_RUN_H
#define CR_CLIENT_RUN_H

#include <stddef.h>
#include <stdint.h>

#define CR_MAX_EVENTS 256

struct cr_plan_line {
    double at;            /* seconds after the start */
    const char *line;     /* one stdin-plan JSON line, without newline */
};

struct cr_run {
    char *events[CR_MAX_EVENTS];  /* raw JSON lines */
    int64_t at_ns[CR_MAX_EVENTS]; /* CLOCK_MONOTONIC arrival of each */
    int n;
    int exit_status;              /* child's exit code; -1 if killed at the deadline */
    int64_t start_ns;
};

/* argv: refclient path and flags, NULL-terminated. faketime: preload it. */
int cr_run(const char *const *argv, int port, const char *action,
           const struct cr_plan_line *plan, int plan_len, double deadline_s,
           const char *faketime, struct cr_run *out);
void cr_free(struct cr_run *r);

int cr_count(const struct cr_run *r, const char *event);
/* The n-th (0-based) event of that kind, or NULL. */
const char *cr_find(const struct cr_run *r, const char *event, int nth);
/* Concatenated bytes of the stdout or stderr events; malloc'd. */
uint8_t *cr_output(const struct cr_run *r, const char *stream, size_t *len);
int cr_result(const struct cr_run *r, int *exit_code, char **message);

#endif
