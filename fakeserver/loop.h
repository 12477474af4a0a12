/* loop.h - the one service loop the fake server runs in, and what every
 * module reads from it: the scenario it plays, the time scale that turns
 * client seconds into real time, and the lws context all timers live in.
 *
 * server.c sets it up and tears it down; nothing here calls back up. */
#ifndef FS_LOOP_H
#define FS_LOOP_H

#include <libwebsockets.h>

#include "scenario.h"

extern const bc_scenario *fs_scenario; /* what this server plays */
extern double fs_scale;                /* --time-scale K */
extern int fs_ports[2];                /* the bound ports: [0] main origin, [1] the other */
extern const char *fs_sandbox;         /* --sandbox DIR: what ${SANDBOX} stands for, or NULL */

void fs_loop_init(const bc_scenario *sc, double scale);
void fs_loop_set_context(struct lws_context *ctx); /* NULL: stopping, no new timers */
struct lws_context *fs_loop_context(void);       /* NULL before start and once stopped */
lws_usec_t fs_loop_us(double client_seconds);    /* a client duration in real us */
/* Runs cb on sul once client_seconds have passed (rescheduling it if queued). */
void fs_loop_after(lws_sorted_usec_list_t *sul, double client_seconds, sul_cb_t cb);

#endif
