/* pinger.c - a FIFO of same-interval timers behind one lws timer. */
#include "pinger.h"

#include "loop.h"

static fs_ping_timer *head, *tail;
static lws_sorted_usec_list_t sul;

static void fire_due(lws_sorted_usec_list_t *s);

/* The lws timer follows the earliest entry. */
static void arm(void) {
    if (!fs_loop_context()) return; /* shutting down */
    if (!head) {
        lws_sul_cancel(&sul);
        return;
    }
    lws_usec_t in = head->due - lws_now_usecs();
    lws_sul_schedule(fs_loop_context(), 0, &sul, fire_due, in > 0 ? in : 0);
}

static void unlink_timer(fs_ping_timer *t) {
    if (t->prev) t->prev->next = t->next;
    else head = t->next;
    if (t->next) t->next->prev = t->prev;
    else tail = t->prev;
    t->prev = t->next = NULL;
    t->queued = 0;
}

void fs_pinger_cancel(fs_ping_timer *t) {
    if (!t->queued) return;
    int was_head = t == head;
    unlink_timer(t);
    if (was_head) arm();
}

/* From the tail back: with one interval for all, the tail is the place. */
static void insert_sorted(fs_ping_timer *t) {
    fs_ping_timer *after = tail;
    while (after && after->due > t->due) after = after->prev;
    t->prev = after;
    t->next = after ? after->next : head;
    if (t->next) t->next->prev = t;
    else tail = t;
    if (after) after->next = t;
    else head = t;
    t->queued = 1;
}

void fs_pinger_schedule(fs_ping_timer *t, lws_usec_t in_us, void (*fire)(fs_ping_timer *)) {
    fs_pinger_cancel(t);
    t->due = lws_now_usecs() + in_us;
    t->fire = fire;
    insert_sorted(t);
    if (t == head) arm();
}

static void fire_due(lws_sorted_usec_list_t *s) {
    (void)s;
    lws_usec_t now = lws_now_usecs();
    while (head && head->due <= now) {
        fs_ping_timer *t = head;
        unlink_timer(t);
        t->fire(t); /* may schedule itself again, at the tail */
    }
    arm();
}
