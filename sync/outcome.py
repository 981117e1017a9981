"""The typed outcome of one provider's part of a sync run: a ``Status`` and a ``FailureKind``.

Everything that reports a run reads these and nothing else: the CLI's JSON (``status``,
``kind``), its exit code (0 only when every provider is ``synced``), the words of the Sync
screen and the ``SyncLog`` row. No caller decides "offline" from an error's wording.

Status (what the user should think):

- ``synced``           everything went through
- ``partial``          something went through, some did not (what came is kept)
- ``offline``          the provider could not be reached at all (network, timeouts)
- ``needs_reconnect``  the provider refused the sign-in; the user must connect again
- ``rejected``         the provider refused records (they wait under "refused")
- ``cancelled``        the user stopped the run
- ``failed``           anything else stopped the run (server errors after the retry budget,
                       unreadable answers, not connected, not in this build, a bug)

Kind (why it went wrong; ``none`` when synced): see ``FailureKind``.
"""

from __future__ import annotations

from enum import StrEnum

from sync import errors


class Status(StrEnum):
    SYNCED = "synced"
    PARTIAL = "partial"
    OFFLINE = "offline"
    NEEDS_RECONNECT = "needs_reconnect"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    FAILED = "failed"


class FailureKind(StrEnum):
    NONE = "none"
    UNREACHABLE = "unreachable"  # connection refused or dropped
    TIMEOUT = "timeout"  # connect or read timeout
    SERVER_ERROR = "server_error"  # 5xx after the retry budget
    RATE_LIMITED = "rate_limited"  # 429 asking for longer than we wait
    AUTH = "auth"  # sign-in refused or spent
    RECORDS_REJECTED = "records_rejected"  # the provider refused records (4xx per record)
    PROTOCOL = "protocol"  # an answer Fieldmat cannot read, after retries
    NOT_CONNECTED = "not_connected"
    UNAVAILABLE = "unavailable"  # the provider's module is not part of this build
    INSECURE_URL = "insecure_url"
    CANCELLED = "cancelled"
    UNEXPECTED = "unexpected"  # a bug; details in the log file


# The status a kind means when nothing at all went through.
_STATUS_OF_KIND: dict[FailureKind, Status] = {
    FailureKind.NONE: Status.SYNCED,
    FailureKind.UNREACHABLE: Status.OFFLINE,
    FailureKind.TIMEOUT: Status.OFFLINE,
    FailureKind.AUTH: Status.NEEDS_RECONNECT,
    FailureKind.RECORDS_REJECTED: Status.REJECTED,
    FailureKind.CANCELLED: Status.CANCELLED,
}
# Kinds that stay what they are even when part of the run went through.
_NEVER_PARTIAL = (FailureKind.AUTH, FailureKind.CANCELLED)


def kind_of(exc: BaseException) -> FailureKind:
    """The failure kind of an exception raised during a provider's run."""
    if isinstance(exc, errors.ProviderUnreachable):
        return FailureKind(exc.kind)
    table: tuple[tuple[type[BaseException], FailureKind], ...] = (
        (errors.Cancelled, FailureKind.CANCELLED),
        (errors.AuthRequired, FailureKind.AUTH),
        (errors.RateLimited, FailureKind.RATE_LIMITED),
        (errors.Rejected, FailureKind.RECORDS_REJECTED),
        (errors.ProtocolError, FailureKind.PROTOCOL),
        (errors.NotConnected, FailureKind.NOT_CONNECTED),
        (errors.ProviderUnavailable, FailureKind.UNAVAILABLE),
        (errors.InsecureURL, FailureKind.INSECURE_URL),
    )
    for cls, kind in table:
        if isinstance(exc, cls):
            return kind
    return FailureKind.UNEXPECTED


def status_of(kind: FailureKind, *, transferred: bool, warnings: bool = False) -> Status:
    """The status for a run that ended with ``kind``.

    ``transferred``: some records were sent or received (and kept) before it ended;
    ``warnings``: the provider noted non-fatal problems (a record it skipped).
    """
    if kind is FailureKind.NONE:
        return Status.PARTIAL if warnings else Status.SYNCED
    if transferred and kind not in _NEVER_PARTIAL:
        return Status.PARTIAL
    return _STATUS_OF_KIND.get(kind, Status.FAILED)


# Words for people (the Sync screen and the terminal); one place so both say the same.
HEADLINE: dict[Status, str] = {
    Status.SYNCED: "synced",
    Status.PARTIAL: "synced, with problems",
    Status.OFFLINE: "offline (could not be reached)",
    Status.NEEDS_RECONNECT: "needs to be connected again",
    Status.REJECTED: "some changes were refused",
    Status.CANCELLED: "cancelled",
    Status.FAILED: "sync failed",
}
SHORT: dict[Status, str] = {
    Status.SYNCED: "Done",
    Status.PARTIAL: "Done, with problems",
    Status.OFFLINE: "Offline",
    Status.NEEDS_RECONNECT: "Reconnect needed",
    Status.REJECTED: "Changes refused",
    Status.CANCELLED: "Cancelled",
    Status.FAILED: "Failed",
}


# SyncLog rows written before these statuses existed.
_LEGACY = {"success": Status.SYNCED}


def parse_status(status: str) -> Status | None:
    try:
        return _LEGACY.get(status) or Status(status)
    except ValueError:
        return None


def headline(status: str) -> str:
    """Words for a stored or reported status (unknown words, e.g. from an older log row, as is)."""
    found = parse_status(status)
    return status if found is None else HEADLINE[found]


def short(status: str) -> str:
    found = parse_status(status)
    return status if found is None else SHORT[found]
