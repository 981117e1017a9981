"""A provider run's ``SyncLog`` row and its account's standing, read and written as the run
opens and closes: a few plain statements on the run's own path (bench/sync_push.py counts them in the
push's time; SQLAlchemy's statement machinery cost more than the statements)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from app.db import sqlite_cursor
from app.models.base import sql_ts
from app.models.sync import ProviderAccount, SyncLog
from app.outbox import pending_count
from sync.outcome import Status

if TYPE_CHECKING:
    from app.context import AppContext

_LOG = SyncLog.__tablename__
_ACCOUNT = ProviderAccount.__tablename__
STALE_RUN = "Fieldmat was closed during this sync; nothing was lost, it went on next time."
_CLOSE_STALE = f"UPDATE {_LOG} SET status = ?, error = ?, completed_at = ? WHERE provider = ? AND status = 'running'"
_OPEN = (
    f"INSERT INTO {_LOG} (provider, sync_type, status, records_pushed, records_pulled, details, started_at) "
    "VALUES (?, ?, 'running', 0, 0, '{}', ?)"
)
_CLOSE = (
    f"UPDATE {_LOG} SET status = ?, records_pushed = ?, records_pulled = ?, error = ?, details = ?, "
    "completed_at = ? WHERE id = ?"
)
_SUCCEEDED = f"UPDATE {_ACCOUNT} SET last_success_at = ?, needs_reconnect = 0 WHERE provider = ?"
_REFUSED = f"UPDATE {_ACCOUNT} SET needs_reconnect = 1 WHERE provider = ?"
_CONNECTED = f"SELECT 1 FROM {_ACCOUNT} WHERE provider = ?"


def is_connected(ctx: AppContext, provider: str) -> bool:
    with ctx.db.session() as s:
        return sqlite_cursor(s).execute(_CONNECTED, (provider,)).fetchone() is not None


def open_log(ctx: AppContext, provider: str, sync_type: str, started: datetime) -> int:
    """The run's row, ``running``; a row still running from an earlier run is closed as failed
    (Fieldmat stopped during it: a crash, the power). Returns the row's id."""
    with ctx.db.write(durable=False) as s:
        cursor = sqlite_cursor(s)
        cursor.execute(_CLOSE_STALE, (str(Status.FAILED), STALE_RUN, sql_ts(started), provider))
        cursor.execute(_OPEN, (provider, sync_type, sql_ts(started)))
        log_id = cursor.lastrowid
    assert log_id is not None
    return log_id


def close_log(
    ctx: AppContext,
    log_id: int,
    provider: str,
    status: Status,
    *,
    pushed: int,
    pulled: int,
    error: str | None,
    details: dict[str, Any],
    completed_at: datetime,
) -> int:
    """Record the run's outcome in its row and the account (its last success, or that it needs
    reconnecting). Returns how many changes still wait for the provider."""
    completed = sql_ts(completed_at)
    with ctx.db.write(durable=False) as s:
        cursor = sqlite_cursor(s)
        cursor.execute(_CLOSE, (str(status), pushed, pulled, error, json.dumps(details), completed, log_id))
        if status in (Status.SYNCED, Status.PARTIAL, Status.REJECTED):
            cursor.execute(_SUCCEEDED, (completed, provider))
        elif status is Status.NEEDS_RECONNECT:
            cursor.execute(_REFUSED, (provider,))
        return pending_count(s, provider)
