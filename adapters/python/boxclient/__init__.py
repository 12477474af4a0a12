"""boxclient: a BoxLite REST exec-attach client on asyncio, python3-websockets
(10.4, its legacy client) and the standard library's http.client.

    client = Client(url, api_key, prefix)          # Timing() = production
    box = await client.get_box("box-1")
    ex = await client.exec("box-1", "cat")          # or client.attach(box, eid)
    ex.write_stdin(b"hi"); ex.close_stdin()
    async for chunk in ex.stdout: ...
    result = await ex.wait()                        # ExecResult(exit_code, error_message)

Module map: timing (constants), frames (what a frame means), backoff
(reconnect waits), rest (HTTP calls, error kinds, the status probe),
attach (the WebSocket pump), client (this surface). Errors are BoxError.
"""
from .client import Client, ExecResult, Execution, OutputStream
from .errors import BoxError
from .timing import Timing

__all__ = ["Client", "ExecResult", "Execution", "OutputStream", "BoxError", "Timing"]
