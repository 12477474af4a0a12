"""The client's timing constants (docs/contract.md, "Timing constants").

Production values by default; a test build passes shorter ones (the adapter's
--first-frame ... flags), and its client profile states the same values.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Timing:
    first_frame: float = 10.0      # no frame at all since the upgrade -> dead
    watchdog: float = 45.0         # no frame of any kind for this long -> dead
    probe_timeout: float = 5.0     # the status probe gives up after this
    backoff_initial: float = 15.0  # first wait before a reconnect
    backoff_max: float = 30.0      # waits double per failed attempt, capped here
    budget: float = 270.0          # all reconnect waits of one execution together
    handshake: float = 30.0        # an upgrade request without a response
    ping_interval: float = 15.0    # client keepalive pings

    def idle_limit(self, frame_seen: bool) -> float:
        """How long a connection may stay silent: the first-frame timeout until
        the execution ever sent a frame, the watchdog from then on."""
        return self.watchdog if frame_seen else self.first_frame
