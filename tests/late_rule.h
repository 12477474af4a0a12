/* late_rule.h - timings in the unit tests, judged as the suite judges
 * client timings (docs/timing.md): on a loaded machine timers fire late,
 * never early. A measurement under its lower bound fails at once; one past
 * its upper bound marks the run late, and a case with a late run runs once
 * more, with a fresh fixture; late again, it fails. A program that waits
 * too long is late both times, a busy machine seldom twice.
 *
 * A case opts in by its entry in the cmocka list: bc_timed_test(f) or
 * bc_timed_test_setup_teardown(f, setup, teardown). Include after
 * <cmocka.h>. */
#ifndef BC_LATE_RULE_H
#define BC_LATE_RULE_H

#include <stdbool.h>
#include <stdio.h>

struct bc_timed_case {
    void (*body)(void **state);
    int (*setup)(void **state);         /* NULL: none */
    int (*teardown)(void **state);
};

/* What cmocka's state holds for a timed case: the case and its fixture. */
struct bc_timed_state {
    const struct bc_timed_case *c;
    void *fixture;
};

static int bc_late_run;                 /* 0: a case's first run, 1: its run again */
static bool bc_late_seen;               /* this run measured something late */

static inline void bc_assert_within(double got, double lo, double hi, const char *what) {
    bool early = got < lo, late = got > hi;
    if (early || (late && bc_late_run > 0))
        fail_msg("%s: measured %.3f s, expected %.3f to %.3f s%s", what, got, lo, hi,
                 early ? "" : " (late in both runs)");
    if (late) {
        fprintf(stderr, "%s: measured %.3f s, expected %.3f to %.3f s: late, the case runs again\n",
                what, got, lo, hi);
        bc_late_seen = true;
    }
}

/* cmocka calls the teardown after a failing run too: the fixture of
 * whichever run failed is released. */
static inline int bc_timed_setup(void **state) {
    static struct bc_timed_state st;
    st.c = *state;
    st.fixture = NULL;
    *state = &st;
    return st.c->setup ? st.c->setup(&st.fixture) : 0;
}

static inline int bc_timed_teardown(void **state) {
    struct bc_timed_state *st = *state;
    return st->c->teardown ? st->c->teardown(&st->fixture) : 0;
}

static inline void bc_timed(void **state) {
    struct bc_timed_state *st = *state;
    bc_late_run = 0;
    bc_late_seen = false;
    st->c->body(&st->fixture);
    if (!bc_late_seen) return;
    bc_late_run = 1;
    if (st->c->teardown) assert_int_equal(st->c->teardown(&st->fixture), 0);
    st->fixture = NULL;
    if (st->c->setup) assert_int_equal(st->c->setup(&st->fixture), 0);
    st->c->body(&st->fixture);
}

#define bc_timed_test_setup_teardown(f, su, td)                                              \
    { #f, bc_timed, bc_timed_setup, bc_timed_teardown, &(struct bc_timed_case){ f, su, td } }
#define bc_timed_test(f) bc_timed_test_setup_teardown(f, NULL, NULL)

#endif
