/* Backoff and budget arithmetic (refclient/backoff.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "backoff.h"

#define EPS 1e-9

static void waits_double_then_cap(void **state)
{
    (void)state;
    struct rc_backoff b;
    rc_backoff_init(&b, 15, 30, 270, 0);
    rc_backoff_disconnect(&b);
    const double expected[] = { 15, 30, 30, 30, 30, 30, 30, 30, 30 };
    for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
        assert_float_equal(rc_backoff_take(&b), expected[i], EPS);
        rc_backoff_failed(&b);
    }
    /* 15 + 8*30 = 255: the last wait is the 15 s left, then nothing. */
    assert_float_equal(rc_backoff_take(&b), 15, EPS);
    assert_true(rc_backoff_take(&b) < 0);
}

static void budget_is_shared_across_disconnects(void **state)
{
    (void)state;
    struct rc_backoff b;
    rc_backoff_init(&b, 15, 30, 270, 0);
    for (int i = 0; i < 17; i++) {       /* 17 disconnects, each reconnects at once */
        rc_backoff_disconnect(&b);
        assert_float_equal(rc_backoff_take(&b), 15, EPS);
    }
    rc_backoff_disconnect(&b);
    assert_float_equal(rc_backoff_take(&b), 15, EPS); /* 18 * 15 = 270 */
    rc_backoff_disconnect(&b);
    assert_true(rc_backoff_take(&b) < 0);
}

static void new_disconnect_restarts_at_initial(void **state)
{
    (void)state;
    struct rc_backoff b;
    rc_backoff_init(&b, 15, 30, 270, 0);
    rc_backoff_disconnect(&b);
    rc_backoff_take(&b);
    rc_backoff_failed(&b);
    assert_float_equal(rc_backoff_take(&b), 30, EPS);
    rc_backoff_disconnect(&b);
    assert_float_equal(rc_backoff_take(&b), 15, EPS);
    assert_float_equal(b.left, 270 - 60, EPS);
}

static void last_wait_shortened_with_test_constants(void **state)
{
    (void)state;
    struct rc_backoff b;
    rc_backoff_init(&b, 0.3, 0.6, 1.0, 0);
    rc_backoff_disconnect(&b);
    assert_float_equal(rc_backoff_take(&b), 0.3, EPS);
    rc_backoff_failed(&b);
    assert_float_equal(rc_backoff_take(&b), 0.6, EPS);
    rc_backoff_failed(&b);
    assert_float_equal(rc_backoff_take(&b), 0.1, 1e-6);
    assert_true(rc_backoff_take(&b) < 0);
}

static void mutant_switches_break_one_rule_each(void **state)
{
    (void)state;
    struct rc_backoff b;
    rc_backoff_init(&b, 15, 30, 270, RC_BO_NO_DOUBLE);
    rc_backoff_take(&b);
    rc_backoff_failed(&b);
    assert_float_equal(rc_backoff_take(&b), 15, EPS);

    rc_backoff_init(&b, 15, 30, 270, RC_BO_NO_CAP);
    rc_backoff_take(&b);
    rc_backoff_failed(&b);
    rc_backoff_take(&b);
    rc_backoff_failed(&b);
    assert_float_equal(rc_backoff_take(&b), 60, EPS);

    rc_backoff_init(&b, 15, 30, 15, RC_BO_OVERRUN);
    assert_float_equal(rc_backoff_take(&b), 15, EPS);
    assert_float_equal(rc_backoff_take(&b), 30, EPS);
    assert_true(rc_backoff_take(&b) < 0);

    rc_backoff_init(&b, 15, 30, 15, RC_BO_RESET_BUDGET);
    assert_float_equal(rc_backoff_take(&b), 15, EPS);
    assert_true(rc_backoff_take(&b) < 0);
    rc_backoff_disconnect(&b);
    assert_float_equal(rc_backoff_take(&b), 15, EPS);

    rc_backoff_init(&b, 15, 30, 270, RC_BO_NO_RESET);
    rc_backoff_take(&b);
    rc_backoff_failed(&b);
    rc_backoff_take(&b);
    rc_backoff_disconnect(&b);
    assert_float_equal(rc_backoff_take(&b), 30, EPS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(waits_double_then_cap),
        cmocka_unit_test(budget_is_shared_across_disconnects),
        cmocka_unit_test(new_disconnect_restarts_at_initial),
        cmocka_unit_test(last_wait_shortened_with_test_constants),
        cmocka_unit_test(mutant_switches_break_one_rule_each),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
