"""BoxLite's REST calls: http.client composes each request and parses each
reply, asyncio streams carry the bytes.

http.client alone blocks: on a worker thread, every reply would cost a
thread wake-up and a hand-back to the loop, and a timed-out call would leave
its thread behind. Here the loop does the I/O itself, so the call's timeout
is one asyncio timer (libfaketime accelerates it) and a cancelled call just
closes its socket. Each request says `Connection: close`, so a reply ends
where the stream does.
"""
import asyncio
import http.client
import io
import json
from dataclasses import dataclass
from typing import Optional
from urllib.parse import quote, urlsplit

from .errors import BoxError
from .frames import exit_code_of

TERMINAL = ("completed", "killed", "timed_out")

# docs/adapter.md "Error kinds": the envelope's code decides, else the status.
_KIND_BY_CODE = {
    "invalid_argument": "invalid_argument",
    "unsupported": "unsupported",
    "unauthenticated": "auth", "permission_denied": "auth",
    "not_found": "not_found",
    "session_reaped": "session_reaped",
    "already_exists": "conflict", "invalid_state": "conflict", "stopped": "conflict",
    "resource_exhausted": "exhausted",
    "network_unavailable": "network", "runner_non_json_error": "network",
    "upstream_unavailable": "network",
    "storage_error": "storage",
}

_KIND_BY_STATUS = {
    400: "invalid_argument", 422: "invalid_argument",
    401: "auth", 403: "auth",
    404: "not_found",
    409: "conflict",
    429: "exhausted",
    502: "network", 503: "network", 504: "network",
}


def kind_of_status(status: int) -> str:
    """docs/adapter.md's error kind of a bare HTTP status."""
    return _KIND_BY_STATUS.get(status, "internal")


def _error_body(body: bytes) -> dict:
    """The error body as an object, {} when it is empty or not an object."""
    try:
        value = json.loads(body)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _message_in(value: dict) -> Optional[str]:
    """The text of an error body in any of its forms: runner {"error":"t"},
    envelope {"error":{"message":"t"}}, flat {"message":"t"}."""
    err = value.get("error")
    if isinstance(err, str):
        return err
    if isinstance(err, dict) and isinstance(err.get("message"), str):
        return err["message"]
    message = value.get("message")
    return message if isinstance(message, str) else None


def _code_in(value: dict) -> Optional[str]:
    """The error code of an envelope {"error":{"code":"c"}} or a flat
    {"message","code":"c"}; any other code (a number) says nothing."""
    err = value.get("error")
    code = err.get("code") if isinstance(err, dict) else value.get("code")
    return code if isinstance(code, str) else None


def error_of(status: int, body: bytes) -> BoxError:
    value = _error_body(body)
    text = _message_in(value)
    kind = _KIND_BY_CODE.get(_code_in(value)) or kind_of_status(status)
    return BoxError(kind, f"HTTP {status}: {text}" if text else f"HTTP {status}")


def segment(value: str) -> str:
    """A path segment, percent-encoded."""
    return quote(value, safe="")


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def json(self):
        """The body as JSON, or None when it is not JSON."""
        try:
            return json.loads(self.body)
        except ValueError:
            return None


@dataclass(frozen=True)
class Probe:
    state: str          # "terminal", "running", "gone" or "unavailable"
    exit_code: int = -1


class _Composer(http.client.HTTPConnection):
    """http.client writing a request into a buffer instead of a socket."""

    def __init__(self, host: str, port: int):
        super().__init__(host, port)
        self.wire = bytearray()

    def connect(self) -> None:
        pass

    def send(self, data) -> None:
        self.wire += data


class _Received:
    """A whole reply, offered to http.client.HTTPResponse as its socket."""

    def __init__(self, data: bytes):
        self._data = data

    def makefile(self, mode: str):
        return io.BytesIO(self._data)


def _parse_reply(method: str, data: bytes) -> Reply:
    response = http.client.HTTPResponse(_Received(data), method=method)
    response.begin()
    return Reply(response.status, response.read())


class Rest:
    """The REST side of one client: where the server is and how to call it."""

    def __init__(self, url: str, api_key: str, prefix: Optional[str] = None):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise BoxError("invalid_argument", f"not an http(s) URL: {url!r}")
        self.secure = parts.scheme == "https"
        self.host = parts.hostname
        self.port = parts.port or (443 if self.secure else 80)
        prefix = (prefix or "").strip("/")
        self.base_path = parts.path.rstrip("/") + "/v1" + (f"/{prefix}" if prefix else "")
        self.authorization = f"Bearer {api_key}"

    def ws_url(self, path: str) -> str:
        scheme = "wss" if self.secure else "ws"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{scheme}://{host}:{self.port}{self.base_path}{path}"

    def _request_bytes(self, method: str, path: str, data: Optional[bytes],
                       headers: dict) -> bytes:
        composer = _Composer(self.host, self.port)
        composer.request(method, self.base_path + path, body=data, headers=headers)
        return bytes(composer.wire)

    async def _exchange(self, request: bytes) -> bytes:
        reader, writer = await asyncio.open_connection(
            self.host, self.port, ssl=self.secure or None,
            server_hostname=self.host if self.secure else None)
        try:
            writer.write(request)
            return await reader.read()       # to the server's close
        finally:
            writer.close()

    async def call(self, method: str, path: str, body=None, timeout: float = 30.0) -> Reply:
        """One call; a transport failure, a broken reply or a timeout raises
        BoxError("network")."""
        headers = {"Authorization": self.authorization, "Connection": "close"}
        data = None
        if body is not None:
            data = json.dumps(body, separators=(",", ":")).encode()
            headers["Content-Type"] = "application/json"
        request = self._request_bytes(method, path, data, headers)
        try:
            return _parse_reply(method, await asyncio.wait_for(self._exchange(request), timeout))
        except asyncio.TimeoutError:
            raise BoxError("network", f"{method} {path}: no answer within {timeout:g} s") from None
        except (OSError, http.client.HTTPException) as e:
            raise BoxError("network", f"{method} {path}: {e or type(e).__name__}") from None

    async def probe(self, box_id: str, execution_id: str, timeout: float) -> Probe:
        """GET the execution's status: terminal (with its exit code), running
        (any other status string), gone (404) or unavailable (anything else:
        an error status, a timeout, a body without a status)."""
        path = f"/boxes/{segment(box_id)}/executions/{segment(execution_id)}"
        try:
            reply = await self.call("GET", path, timeout=timeout)
        except BoxError:
            return Probe("unavailable")
        if reply.status == 404:
            return Probe("gone")
        info = reply.json() if reply.ok else None
        status = info.get("status") if isinstance(info, dict) else None
        if not isinstance(status, str):
            return Probe("unavailable")
        if status in TERMINAL:
            return Probe("terminal", exit_code_of(info.get("exit_code")))
        return Probe("running")
