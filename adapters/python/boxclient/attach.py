"""The attach pump: one execution's WebSocket session, across disconnects,
until exactly one result (docs/contract.md: the attach WebSocket, Timing,
Recovery).

Every wait is an asyncio timer (the loop's monotonic clock and epoll_wait):
libfaketime accelerates both, so the production constants run accelerated.
"""
import asyncio
import functools
import logging
from typing import Callable, Optional

import websockets
from websockets.exceptions import ConnectionClosed, InvalidStatusCode
from websockets.legacy.client import WebSocketClientProtocol
from websockets.legacy.protocol import State

from .backoff import Backoff
from .frames import parse_control, split_output
from .rest import Rest, segment
from .timing import Timing

log = logging.getLogger("boxclient")

STDIN_CHUNK = 65536                # per frame, far under the server's 1 MiB limit
STDIN_EOF = '{"type":"stdin_eof"}'
MAX_MESSAGE = 64 * 2 ** 20         # tungstenite's default, what BoxLite's client accepts
# How long websockets waits for the server to end TCP after a close or a
# failed handshake before it closes the socket itself. Its default (10 s)
# would stretch the reconnect wait after every refused or hung upgrade.
CLOSE_TIMEOUT = 0.1
# The idle timer may fire this much before its deadline (timer granularity).
_EARLY = 1e-3


class AttachFailed(Exception):
    """An attach attempt that was never upgraded. status is the HTTP status
    of a refusal, None when no answer came (timeout, connect error)."""

    def __init__(self, status: Optional[int], cause: str):
        super().__init__(cause)
        self.status = status
        self.cause = cause


class _FrameTap(WebSocketClientProtocol):
    """websockets answers pings itself and hands over data messages only,
    but a ping proves the connection alive as much as output does: every
    frame read, control frames included, is reported to on_frame. The
    upgrade request going out is reported to on_request (the handshake
    timeout counts from it)."""

    def __init__(self, *args, on_frame: Callable[[], None],
                 on_request: Callable[[], None], **kwargs):
        super().__init__(*args, **kwargs)
        self._on_frame = on_frame
        self._on_request = on_request

    def write_http_request(self, path, headers) -> None:
        super().write_http_request(path, headers)
        self._on_request()

    async def read_frame(self, max_size):
        frame = await super().read_frame(max_size)
        self._on_frame()
        return frame


class _Connection:
    """One attach attempt and, once upgraded, what keeps or drops it: the
    idle timer (first-frame timeout, then watchdog) and the client pings."""

    def __init__(self, pump: "Pump"):
        self.pump = pump
        self.loop = asyncio.get_running_loop()
        self.ws: Optional[WebSocketClientProtocol] = None
        self.request_sent: Optional[float] = None  # loop time the upgrade request left
        self.last_frame: Optional[float] = None  # loop time; the upgrade until a frame came
        self.live = True
        self.cause: Optional[str] = None         # why we dropped it ourselves
        self._idle: Optional[asyncio.TimerHandle] = None
        self._pinger: Optional[asyncio.Task] = None

    def on_request(self) -> None:
        self.request_sent = self.loop.time()

    def on_frame(self) -> None:
        if not self.live:
            return
        self.last_frame = self.loop.time()
        self.pump.frame_seen = True
        if self.ws is not None:
            self._start_pinging()

    def upgraded(self, ws: WebSocketClientProtocol) -> None:
        self.ws = ws
        if self.last_frame is None:     # no frame read before we got here
            self.last_frame = self.loop.time()
        self._arm_idle(self.last_frame + self.pump.timing.idle_limit(self.pump.frame_seen))
        if self.pump.frame_seen:        # sticky: this execution is known alive
            self._start_pinging()

    def retire(self) -> None:
        self.live = False
        if self._idle:
            self._idle.cancel()
        if self._pinger:
            self._pinger.cancel()

    # Lazy timer: frames only move last_frame; the timer re-arms itself for
    # the new deadline when it finds the connection was active meanwhile.
    def _arm_idle(self, deadline: float) -> None:
        self._idle = self.loop.call_at(deadline, self._idle_check)

    def _idle_check(self) -> None:
        seen = self.pump.frame_seen
        deadline = self.last_frame + self.pump.timing.idle_limit(seen)
        if self.loop.time() < deadline - _EARLY:
            self._arm_idle(deadline)
            return
        self.cause = ("no WS traffic for the watchdog interval (idle connection or proxy cut)"
                      if seen else "no WS frame within the first-frame timeout")
        log.info("dropping attach connection: %s", self.cause)
        self.ws.transport.abort()

    def _start_pinging(self) -> None:
        if self._pinger is None and self.pump.timing.ping_interval > 0:
            self._pinger = asyncio.create_task(self._ping_every(self.ws))

    async def _ping_every(self, ws: WebSocketClientProtocol) -> None:
        """A ping every ping_interval from now on, on a fixed grid (a late
        wake-up does not push the later pings back). Pongs are not awaited:
        like every frame they only feed the idle timer."""
        interval = self.pump.timing.ping_interval
        start = self.loop.time()
        beat = 0
        try:
            while True:
                beat += 1
                await asyncio.sleep(max(0.0, start + beat * interval - self.loop.time()))
                pong = await ws.ping()
                # websockets fails the waiters of unanswered pings when the
                # connection ends; nobody else looks at them.
                pong.add_done_callback(_swallow)
        except ConnectionClosed:
            pass


def _swallow(future: asyncio.Future) -> None:
    if not future.cancelled():
        future.exception()


def _why_closed(ws: WebSocketClientProtocol, closed: ConnectionClosed) -> str:
    if ws.close_rcvd is not None:
        return f"WS closed before exit frame (close code {ws.close_rcvd.code})"
    underlying = closed.__cause__
    if underlying is None or isinstance(underlying, (EOFError, asyncio.IncompleteReadError)):
        return "WS stream ended before exit frame (connection idle timeout or proxy cut)"
    return f"WS stream read error: {underlying or type(underlying).__name__}"


class Pump:
    """Drives one execution's attach session to its single result.

    deliver(channel, data) gets each output chunk in order; finish(exit_code,
    error_message) is called exactly once, after the last chunk.
    """

    def __init__(self, rest: Rest, timing: Timing, box_id: str, execution_id: str,
                 readonly: bool, deliver: Callable[[int, bytes], None],
                 finish: Callable[[int, Optional[str]], None]):
        self.rest = rest
        self.timing = timing
        self.box_id = box_id
        self.execution_id = execution_id
        path = f"/boxes/{segment(box_id)}/executions/{segment(execution_id)}/attach"
        self.url = rest.ws_url(path + ("?stdin=false" if readonly else ""))
        self.backoff = Backoff(timing.backoff_initial, timing.backoff_max, timing.budget)
        self.frame_seen = False            # sticky: the server ever sent a frame
        self.last_error: Optional[str] = None  # the last error frame's message
        self.stdin = bytearray()           # caller stdin not yet on the wire
        self.stdin_closed = False
        self.stdin_changed = asyncio.Event()
        self._deliver = deliver
        self._finish = finish
        self.done = False

    # ---- the caller's stdin ------------------------------------------------

    def write_stdin(self, data: bytes) -> None:
        if not self.stdin_closed:
            self.stdin += data
            self.stdin_changed.set()

    def close_stdin(self) -> None:
        self.stdin_closed = True
        self.stdin_changed.set()

    # ---- the session -------------------------------------------------------

    async def open(self) -> _Connection:
        """One attach attempt up to its upgrade; raises AttachFailed."""
        conn = _Connection(self)
        connecting = asyncio.ensure_future(websockets.connect(
            self.url,
            create_protocol=functools.partial(_FrameTap, on_frame=conn.on_frame,
                                              on_request=conn.on_request),
            extra_headers={"Authorization": self.rest.authorization},
            open_timeout=None,         # our handshake timeout, below, rules
            ping_interval=None,        # our pings start with the first frame
            ping_timeout=None,         # pongs only feed the idle timer
            close_timeout=CLOSE_TIMEOUT,
            max_size=MAX_MESSAGE,
            compression=None,          # BoxLite's client offers no extension
        ))
        try:
            ws = await self._upgrade_within_timeout(conn, connecting)
        except AttachFailed:
            raise
        except InvalidStatusCode as e:
            raise AttachFailed(e.status_code, f"WS upgrade refused: HTTP {e.status_code}") from None
        except Exception as e:  # OSError, InvalidHandshake, a broken reply: no upgrade
            raise AttachFailed(None, f"WS connect failed: {e or type(e).__name__}") from None
        finally:
            connecting.cancel()   # only matters if we were cancelled ourselves
        conn.upgraded(ws)
        return conn

    async def _upgrade_within_timeout(self, conn: _Connection, connecting: asyncio.Future):
        """The upgrade, or AttachFailed once no response came within the
        handshake timeout of the request. The TCP connect before it gets the
        same bound. Counting from the request, not from the connect call,
        keeps a busy machine's delay in writing it out of the timeout."""
        limit = self.timing.handshake
        deadline = conn.loop.time() + limit
        while not connecting.done():
            if conn.request_sent is not None:
                deadline = conn.request_sent + limit
            left = deadline - conn.loop.time()
            if left <= _EARLY:
                connecting.cancel()   # websockets ends the TCP connection
                await asyncio.wait({connecting})
                raise AttachFailed(None, "WS upgrade got no response within the handshake timeout")
            await asyncio.wait({connecting}, timeout=left)
        return connecting.result()

    async def run(self, conn: Optional[_Connection] = None) -> None:
        """From an upgraded connection (attach) or from nothing (exec), to
        the result. Whatever happens, finish() is called once."""
        try:
            if conn is None:
                conn = await self._first_attempt()
            while conn is not None:
                cause = await self._session(conn)
                conn = None if cause is None else await self._recover(cause)
        except Exception as e:  # a bug of ours must not leave wait() hanging
            log.exception("attach pump failed")
            self._end(-1, f"attach pump failed: {e}")
        finally:
            self._end(-1, "attach pump stopped before a result")

    async def _first_attempt(self) -> Optional[_Connection]:
        """BoxLite's exec does not retry a first upgrade that fails: the status
        decides at once."""
        try:
            return await self.open()
        except AttachFailed as e:
            await self._fallback(e.cause)
            return None

    async def _session(self, conn: _Connection) -> Optional[str]:
        """Pump one upgraded connection; returns why it ended without an exit
        frame, None when the exit frame gave the result."""
        ws = conn.ws
        feeder = asyncio.create_task(self._feed_stdin(ws))
        try:
            while True:
                try:
                    message = await ws.recv()
                except ConnectionClosed as e:
                    return conn.cause or _why_closed(ws, e)
                if isinstance(message, bytes):
                    channel, data = split_output(message)
                    if channel is not None and data:
                        self._deliver(channel, data)
                    continue
                control = parse_control(message)
                if control.kind == "exit":
                    self._end(control.exit_code, None)
                    return None
                if control.kind == "error":
                    log.warning("server error frame: %s", control.message)
                    self.last_error = control.message
        finally:
            conn.retire()
            feeder.cancel()
            await self._let_go(ws)

    async def _let_go(self, ws: WebSocketClientProtocol) -> None:
        """After the exit frame, a closing handshake (bounded by CLOSE_TIMEOUT);
        otherwise the connection is dead to us: close the socket now."""
        if ws.state is State.CLOSED:
            return
        if not self.done:
            ws.transport.abort()
            return
        try:
            await ws.close()
        except Exception:  # the server may already be gone; the result stands
            ws.transport.abort()

    async def _feed_stdin(self, ws: WebSocketClientProtocol) -> None:
        """Caller stdin to this connection in order, then stdin_eof once the
        caller closed stdin (on every connection: a new server-side attach
        must hear it again). Bytes stay queued while no connection is open."""
        eof_sent = False
        try:
            while ws.open:
                if self.stdin:
                    chunk = bytes(self.stdin[:STDIN_CHUNK])
                    # ws.open holds, so send() puts the frame on the transport
                    # before it first yields: these bytes left with this connection.
                    del self.stdin[:len(chunk)]
                    await ws.send(chunk)
                elif self.stdin_closed and not eof_sent:
                    eof_sent = True
                    await ws.send(STDIN_EOF)
                else:
                    self.stdin_changed.clear()
                    await self.stdin_changed.wait()
        except ConnectionClosed:
            pass

    # ---- after a disconnect ------------------------------------------------

    async def _recover(self, cause: str) -> Optional[_Connection]:
        """A connection ended without an exit frame: ask the status, then
        reconnect within the budget. Returns the new connection, or None
        once the result is out."""
        log.info("attach connection ended: %s", cause)
        probe = await self._probe()
        if probe.state == "terminal":
            self._end(probe.exit_code, None)
            return None
        if probe.state == "gone":          # nothing to reattach to: fail fast
            await self._fallback(cause)
            return None
        self.backoff.after_disconnect()
        while True:
            wait = self.backoff.take()
            if wait is None:
                log.info("reconnect budget spent")
                await self._fallback(cause)
                return None
            await asyncio.sleep(wait)
            try:
                return await self.open()
            except AttachFailed as e:
                log.info("reconnect failed: %s", e.cause)
                self.backoff.after_failure()

    async def _probe(self):
        return await self.rest.probe(self.box_id, self.execution_id, self.timing.probe_timeout)

    async def _fallback(self, cause: str) -> None:
        """The WebSocket path gave up: the status's exit code if terminal,
        else -1 with the cause (the last error frame's message if one came)."""
        probe = await self._probe()
        if probe.state == "terminal":
            self._end(probe.exit_code, None)
        else:
            self._end(-1, self.last_error or cause)

    def _end(self, exit_code: int, error_message: Optional[str]) -> None:
        if not self.done:
            self.done = True
            self._finish(exit_code, error_message)
