/* backoff.h - reconnect waits and the shared budget: pure arithmetic.
 *
 * Each disconnect starts a run of waits at `initial`, doubling per failed
 * attempt up to `max`. All waits of one execution draw from one budget; the
 * last wait is shortened to what is left; once it is zero, no more waits. */
#ifndef RC_BACKOFF_H
#define RC_BACKOFF_H

#include <stdbool.h>

/* Mutant switches, each breaking one rule (see mutant.h). */
#define RC_BO_NO_DOUBLE      (1u << 0)  /* waits stay at initial */
#define RC_BO_NO_CAP         (1u << 1)  /* waits double past max */
#define RC_BO_OVERRUN        (1u << 2)  /* one extra full wait past the budget */
#define RC_BO_RESET_BUDGET   (1u << 3)  /* every disconnect gets a fresh budget */
#define RC_BO_NO_RESET       (1u << 4)  /* a disconnect keeps the last wait */

struct rc_backoff {
    double initial;        /* first wait of a disconnect, seconds */
    double max;            /* cap of a doubled wait, seconds */
    double budget;         /* total waits allowed in one execution */
    double left;           /* budget not yet waited */
    double next;           /* the wait before the next attempt */
    bool overrun_used;     /* RC_BO_OVERRUN: the extra wait was taken */
    unsigned flags;        /* RC_BO_* mutant switches, 0 for the reference */
};

void rc_backoff_init(struct rc_backoff *b, double initial, double max,
                     double budget, unsigned flags);
/* A connection was lost: the next wait is `initial` again. */
void rc_backoff_disconnect(struct rc_backoff *b);
/* The wait to do now, taken from the budget; -1 when the budget is spent. */
double rc_backoff_take(struct rc_backoff *b);
/* The attempt after the wait failed: the next wait doubles. */
void rc_backoff_failed(struct rc_backoff *b);

#endif
