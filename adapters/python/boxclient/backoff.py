"""Reconnect waits and the budget they share across every disconnect of one
execution (docs/contract.md RECOV-RECONNECT, RECOV-BUDGET). Pure."""
from typing import Optional

# Below this the budget counts as spent: float subtraction never hits 0 exactly.
_SPENT = 1e-6


class Backoff:
    def __init__(self, initial: float, maximum: float, budget: float):
        self.initial = initial
        self.maximum = maximum
        self.left = budget         # what is left of the budget, shared
        self.next = initial        # the next wait, before the budget caps it

    def after_disconnect(self) -> None:
        """An established connection ended: a new run of waits starts."""
        self.next = self.initial

    def after_failure(self) -> None:
        """A reconnect attempt failed: the next wait doubles, up to the cap."""
        self.next = min(self.next * 2, self.maximum)

    def take(self) -> Optional[float]:
        """The wait before the next attempt, charged to the budget; None once
        the budget is spent."""
        if self.left <= _SPENT:
            return None
        wait = min(self.next, self.left)
        self.left -= wait
        return wait
