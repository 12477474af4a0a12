/* pinger.h - the ping timers of every open attach on one lws timer.
 *
 * lws keeps its timers in one sorted list, and inserting walks it: with a
 * timer per attach, thousands of held sessions made every timer of every
 * new connection cost O(sessions). All attaches ping at the same interval,
 * so their due times come in the order they were scheduled: they wait here
 * in a FIFO (O(1) each) and lws sees a single timer, for the earliest. */
#ifndef FS_PINGER_H
#define FS_PINGER_H

#include <libwebsockets.h>

typedef struct fs_ping_timer {
    struct fs_ping_timer *prev, *next;
    lws_usec_t due;                     /* lws_now_usecs() time */
    void (*fire)(struct fs_ping_timer *);
    int queued;
} fs_ping_timer;

/* (Re)schedules t to fire in_us from now; a timer may be rescheduled or
 * cancelled at any time, also from its own fire callback. */
void fs_pinger_schedule(fs_ping_timer *t, lws_usec_t in_us, void (*fire)(fs_ping_timer *));
void fs_pinger_cancel(fs_ping_timer *t);

#endif
