/* pump.h - the attach state machine over one libwebsockets event loop.
 *
 * Connects the attach WebSocket, pumps stdin out and output in, watches
 * the connection with the first-frame timeout and the watchdog, and after a
 * disconnect without exit probes the execution and reconnects within the
 * budget. Emits exactly one result (or, for an attach refused at attach
 * time, one error) through adapter.h, then returns. */
#ifndef RC_PUMP_H
#define RC_PUMP_H

#include <stdbool.h>

#include "adapter.h"
#include "rest.h"

struct rc_timing {
    double first_frame;     /* no frame at all since the upgrade: dead */
    double watchdog;        /* no frame for this long after one came: dead */
    double probe_timeout;   /* status probe after a disconnect */
    double backoff_initial; /* first wait before a reconnect */
    double backoff_max;     /* cap of the doubling waits */
    double budget;          /* all reconnect waits of one execution */
    double handshake;       /* upgrade request without response */
    double ping_interval;   /* client keepalive pings */
};

struct rc_pump_cfg {
    struct rc_timing timing;
    const struct rc_rest *rest;  /* REST base and bearer, shared */
    const char *api_key;         /* for the upgrade's Authorization */
    const char *box_id;
    const char *execution_id;
    bool attach;                 /* attach action: refusal of attempt 1 is an error */
    bool readonly;               /* ?stdin=false on every attach request */
    /* A control op of the stdin plan (kill, signal, resize), called from the
     * loop; a negative return ends the execution there, without a result. */
    int (*on_control)(const struct rc_stdin_op *op, void *user);
    void *control_user;
};

/* The production constants of BoxLite's client. */
void rc_timing_production(struct rc_timing *t);

/* Runs the execution to its one result; 0 when it was reported. */
int rc_pump_run(const struct rc_pump_cfg *cfg);

#endif
