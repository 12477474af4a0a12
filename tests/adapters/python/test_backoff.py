"""boxclient.backoff and timing: reconnect waits, the shared budget, idle limits."""
import unittest

from boxclient.backoff import Backoff
from boxclient.timing import Timing


def waits(b, failures):
    """The waits of one disconnect followed by `failures` failed attempts."""
    out = [b.take()]
    for _ in range(failures):
        b.after_failure()
        out.append(b.take())
    return out


class Waits(unittest.TestCase):
    def test_doubling_capped(self):
        self.assertEqual(waits(Backoff(15, 30, 270), 3), [15, 30, 30, 30])

    def test_budget_caps_the_last_wait_then_ends(self):
        b = Backoff(15, 30, 270)
        got = waits(b, 9)
        self.assertEqual(got, [15, 30, 30, 30, 30, 30, 30, 30, 30, 15])
        self.assertEqual(sum(got), 270)
        b.after_failure()
        self.assertIsNone(b.take())

    def test_disconnect_restarts_the_run_not_the_budget(self):
        b = Backoff(15, 30, 60)
        self.assertEqual(waits(b, 1), [15, 30])
        b.after_disconnect()
        self.assertEqual(b.take(), 15)
        self.assertIsNone(b.take())

    def test_float_budget_is_spent(self):
        b = Backoff(0.1, 0.2, 0.3)
        self.assertEqual(len([w for w in waits(b, 5) if w is not None]), 2)


class IdleLimit(unittest.TestCase):
    def test_first_frame_until_a_frame_then_watchdog(self):
        t = Timing()
        self.assertEqual(t.idle_limit(False), 10)
        self.assertEqual(t.idle_limit(True), 45)


if __name__ == "__main__":
    unittest.main()
