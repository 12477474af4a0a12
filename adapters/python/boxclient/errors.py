"""The one error type the client raises."""


class BoxError(Exception):
    """A failed call. kind is one of docs/adapter.md's error kinds (not_found,
    session_reaped, already_attached, network, auth, invalid_argument,
    conflict, exhausted, unsupported, storage, internal); str(error) is the
    message."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
