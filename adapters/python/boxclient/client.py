"""The SDK surface: a client for one server, executions with pull-style
output streams, stdin, and wait()."""
import asyncio
from dataclasses import dataclass
from typing import Dict, List, Optional

from .attach import AttachFailed, Pump
from .errors import BoxError
from .frames import STDERR
from .rest import Rest, error_of, segment
from .timing import Timing

REST_TIMEOUT = 30.0   # GET box, POST exec: no contract, be generous


@dataclass(frozen=True)
class ExecResult:
    exit_code: int
    error_message: Optional[str]


class OutputStream:
    """One output stream of an execution: `async for chunk in stream` yields
    the bytes as the server sent them and ends with the execution."""

    def __init__(self):
        self._chunks: asyncio.Queue = asyncio.Queue()

    def _put(self, chunk: Optional[bytes]) -> None:
        self._chunks.put_nowait(chunk)

    def __aiter__(self):
        return self

    async def __anext__(self) -> bytes:
        chunk = await self._chunks.get()
        if chunk is None:
            self._chunks.put_nowait(None)   # stays ended for a second reader
            raise StopAsyncIteration
        return chunk


class Execution:
    """A running execution. Every chunk of output is in its stream before
    wait() returns, and both streams end then: a caller that drains the
    streams after wait() misses nothing."""

    def __init__(self, execution_id: str, pump_factory):
        self.id = execution_id
        self.stdout = OutputStream()
        self.stderr = OutputStream()
        self._result: asyncio.Future = asyncio.get_running_loop().create_future()
        self._pump: Pump = pump_factory(self._deliver, self._finish)
        self._task: Optional[asyncio.Task] = None

    def _start(self, conn=None) -> None:
        self._task = asyncio.create_task(self._pump.run(conn))

    def _deliver(self, channel: int, data: bytes) -> None:
        (self.stderr if channel == STDERR else self.stdout)._put(data)

    def _finish(self, exit_code: int, error_message: Optional[str]) -> None:
        self.stdout._put(None)
        self.stderr._put(None)
        self._result.set_result(ExecResult(exit_code, error_message))

    def write_stdin(self, data: bytes) -> None:
        """Queue bytes for the execution's stdin; they go out in order, on
        the current connection or the next one."""
        self._pump.write_stdin(data)

    def close_stdin(self) -> None:
        self._pump.close_stdin()

    async def wait(self) -> ExecResult:
        return await asyncio.shield(self._result)

    async def aclose(self) -> None:
        """Wait until the connection is let go (after wait() this is at most
        a bounded closing handshake)."""
        if self._task is not None:
            await self._task


class Client:
    """A BoxLite REST client: url and api_key as BOXLITE_REST_URL and
    BOXLITE_API_KEY, prefix as BOXLITE_REST_PATH_PREFIX."""

    def __init__(self, url: str, api_key: str, prefix: Optional[str] = None,
                 timing: Timing = Timing()):
        self.rest = Rest(url, api_key, prefix)
        self.timing = timing

    async def _call(self, method: str, path: str, body=None):
        reply = await self.rest.call(method, path, body, timeout=REST_TIMEOUT)
        if not reply.ok:
            raise error_of(reply.status, reply.body)
        return reply

    async def get_box(self, box_id: str) -> dict:
        info = (await self._call("GET", f"/boxes/{segment(box_id)}")).json()
        if not isinstance(info, dict):
            raise BoxError("internal", "box reply is not a JSON object")
        return info

    async def exec(self, box_id: str, command: str, args: List[str] = (),
                   env: Optional[Dict[str, str]] = None, tty: bool = False,
                   timeout_seconds: Optional[float] = None,
                   working_dir: Optional[str] = None) -> Execution:
        body = {"command": command, "args": list(args), "tty": tty}
        if env is not None:
            body["env"] = env
        if timeout_seconds is not None:
            body["timeout_seconds"] = timeout_seconds
        if working_dir is not None:
            body["working_dir"] = working_dir
        info = (await self._call("POST", f"/boxes/{segment(box_id)}/exec", body)).json()
        execution_id = info.get("execution_id") if isinstance(info, dict) else None
        if not isinstance(execution_id, str):
            raise BoxError("internal", "exec reply has no execution_id")
        execution = self._execution(box_id, execution_id, readonly=False)
        execution._start()
        return execution

    async def attach(self, box_id: str, execution_id: str, readonly: bool = False) -> Execution:
        """Attach to a running execution. The first upgrade happens here, so
        a refusal fails this call: 404 session_reaped, 409 already_attached."""
        execution = self._execution(box_id, execution_id, readonly)
        try:
            conn = await execution._pump.open()
        except AttachFailed as e:
            raise _attach_error(execution_id, e) from None
        execution._start(conn)
        return execution

    def _execution(self, box_id: str, execution_id: str, readonly: bool) -> Execution:
        return Execution(execution_id, lambda deliver, finish: Pump(
            self.rest, self.timing, box_id, execution_id, readonly, deliver, finish))


# docs/contract.md "Attach to a running execution": a refused upgrade's kind.
_ATTACH_KIND_BY_STATUS = {404: "session_reaped", 409: "already_attached",
                          410: "session_reaped", 401: "auth", 403: "auth",
                          502: "network", 503: "network", 504: "network"}


def _attach_error(execution_id: str, failed: AttachFailed) -> BoxError:
    if failed.status is None:          # no answer at all
        return BoxError("network", failed.cause)
    kind = _ATTACH_KIND_BY_STATUS.get(failed.status, "internal")
    if kind == "session_reaped":
        return BoxError(kind, f"session {execution_id} not found, likely reaped "
                        f"after a disconnect: {failed.cause}")
    if kind == "already_attached":
        return BoxError(kind, f"session {execution_id} has another client "
                        f"attached: {failed.cause}")
    return BoxError(kind, failed.cause)
