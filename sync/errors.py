"""Typed sync errors. Every message is written for the user (plain words, no secrets).

Exception tree::

    FieldmatError (app.errors)
    └── SyncError                   anything that stopped or spoiled a sync
        ├── ProviderUnreachable     connection refused/dropped, timeout, or 5xx after retries
        ├── AuthRequired            no sign-in, or the provider refused it; the user must reconnect
        ├── RateLimited             429 for longer than we are willing to wait (``retry_after`` s)
        ├── Rejected                the provider refused one record (4xx; ``detail`` from the server)
        ├── Conflict                409 on a conditional PUT (``current`` = the server's record)
        ├── ProtocolError           an answer we cannot read (malformed JSON, missing fields)
        ├── InsecureURL             plain http:// to a non-loopback host
        ├── NotConnected            the provider has no account connected
        ├── ProviderUnavailable     the provider's module is not installed in this build
        ├── NotSynced               e.g. sharing a match the team server does not have yet
        ├── SyncBusy                a sync is already running (this process or another one)
        └── Cancelled               the user cancelled the run
"""

from __future__ import annotations

from typing import Any

from app.errors import FieldmatError


class SyncError(FieldmatError):
    """Base of every sync error; ``str(exc)`` is shown to the user."""


class ProviderUnreachable(SyncError):
    """``kind``: "unreachable" (refused/dropped), "timeout" or "server_error" (5xx), as in
    ``sync.outcome.FailureKind``."""

    def __init__(self, message: str, kind: str = "unreachable") -> None:
        super().__init__(message)
        self.kind = kind


class AuthRequired(SyncError):
    pass


class RateLimited(SyncError):
    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Rejected(SyncError):
    def __init__(self, message: str, status: int = 400, detail: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.detail = detail or message


class Conflict(SyncError):
    def __init__(self, message: str, current: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.current = current or {}


class ProtocolError(SyncError):
    pass


class InsecureURL(SyncError):
    pass


class NotConnected(SyncError):
    pass


class ProviderUnavailable(SyncError):
    pass


class NotSynced(SyncError):
    pass


class Cancelled(SyncError):
    pass


class SyncBusy(SyncError):
    """A sync is already running on this data folder, here or in another Fieldmat process."""
