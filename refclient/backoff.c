/* backoff.c - reconnect waits (see backoff.h). */
#include "backoff.h"

/* Below this the budget counts as spent: float sums never hit 0 exactly. */
#define RC_BUDGET_EPSILON 1e-6

void rc_backoff_init(struct rc_backoff *b, double initial, double max,
                     double budget, unsigned flags)
{
    b->initial = initial;
    b->max = max;
    b->budget = budget;
    b->left = budget;
    b->next = initial;
    b->overrun_used = false;
    b->flags = flags;
}

void rc_backoff_disconnect(struct rc_backoff *b)
{
    if (!(b->flags & RC_BO_NO_RESET))
        b->next = b->initial;
    if (b->flags & RC_BO_RESET_BUDGET)
        b->left = b->budget;
}

static double overrun_wait(struct rc_backoff *b)
{
    if (!(b->flags & RC_BO_OVERRUN) || b->overrun_used)
        return -1;
    b->overrun_used = true;
    return b->max;
}

double rc_backoff_take(struct rc_backoff *b)
{
    if (b->left <= RC_BUDGET_EPSILON)
        return overrun_wait(b);
    double wait = b->next < b->left ? b->next : b->left;
    b->left -= wait;
    return wait;
}

void rc_backoff_failed(struct rc_backoff *b)
{
    if (b->flags & RC_BO_NO_DOUBLE)
        return;
    b->next *= 2;
    if (!(b->flags & RC_BO_NO_CAP) && b->next > b->max)
        b->next = b->max;
}
