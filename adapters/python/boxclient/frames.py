"""What a server frame means: the channel split of binary frames and the
control messages of text frames. Pure: no I/O, no state."""
import json
from dataclasses import dataclass
from typing import Optional, Tuple

STDOUT = 0x01
STDERR = 0x02
ERROR_WITHOUT_MESSAGE = "server reported error without message"


def split_output(payload: bytes) -> Tuple[Optional[int], bytes]:
    """(channel, data) of a binary frame. The channel is None for an empty
    frame or an unknown channel byte: the caller ignores both."""
    if not payload or payload[0] not in (STDOUT, STDERR):
        return None, b""
    return payload[0], payload[1:]


def exit_code_of(value) -> int:
    """The server's exit code as a 32-bit signed integer, wrapped like BoxLite's
    client casts it; anything but a JSON integer (absent, null, 1.0, "3",
    true, or beyond 64 bits) is -1."""
    if isinstance(value, bool) or not isinstance(value, int):
        return -1
    if not -(2 ** 63) <= value < 2 ** 63:
        return -1
    return (value + 2 ** 31) % 2 ** 32 - 2 ** 31


@dataclass(frozen=True)
class Control:
    kind: str                      # "exit", "error" or "unknown"
    exit_code: int = -1            # for "exit"
    message: Optional[str] = None  # for "error"


def parse_control(text: str) -> Control:
    """A text frame: {"type":"exit","exit_code":N}, {"type":"error","message":M},
    or anything else (unknown type, not an object, not JSON): unknown."""
    try:
        value = json.loads(text)
    except ValueError:
        return Control("unknown")
    kind = value.get("type") if isinstance(value, dict) else None
    if kind == "exit":
        return Control("exit", exit_code=exit_code_of(value.get("exit_code")))
    if kind == "error":
        message = value.get("message")
        return Control("error", message=message if isinstance(message, str)
                       else ERROR_WITHOUT_MESSAGE)
    return Control("unknown")
