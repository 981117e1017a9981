"""Outbox: the record of local changes that sync must push.

Every service that changes a syncable record calls ``enqueue`` inside the SAME session
(transaction) as the change, so a change and its outbox entry are committed together or
not at all. Consecutive pending upserts of one record collapse into one entry.

``enqueue`` is on the hot path of match logging, so it runs two plain DBAPI statements on
the session's own connection (one indexed lookup, one insert): SQLAlchemy's statement
machinery cost more than the statements themselves (~0.1 ms each of a ~1 ms commit).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlmodel import Session

from app.db import sqlite_cursor
from app.models.base import sql_ts
from app.models.sync import OutboxEntry

PROVIDER_OF_ENTITY = {
    "team": "team",
    "player": "team",
    "match": "team",
    "lineup": "team",
    "event": "team",
    "practice_session": "yoga",
}

_OUTBOX = OutboxEntry.__table__  # type: ignore[attr-defined]

_FIND_PENDING_UPSERT = (
    "SELECT seq FROM outbox WHERE entity_id = ? AND entity = ? AND provider = ? "
    "AND status = 'pending' AND op = 'upsert' LIMIT 1"
)
_INSERT = (
    "INSERT INTO outbox (provider, entity, entity_id, op, status, attempts, created_at) "
    "VALUES (?, ?, ?, ?, 'pending', 0, ?)"
)


def enqueue(session: Session, entity: str, entity_id: str, op: str = "upsert") -> None:
    """Queue ``entity``/``entity_id`` for push. Must be called inside the change's transaction."""
    provider = PROVIDER_OF_ENTITY[entity]
    # Plain statements do not autoflush: flush pending ORM changes first so that the
    # statement order stays the caller's order (foreign keys are checked per statement).
    session.flush()
    cur = sqlite_cursor(session)
    if op == "upsert" and cur.execute(_FIND_PENDING_UPSERT, (entity_id, entity, provider)).fetchone() is not None:
        return
    cur.execute(_INSERT, (provider, entity, entity_id, op, sql_ts(datetime.now(UTC))))


def pending_count(session: Session, provider: str | None = None) -> int:
    """How many changes wait to be pushed (for one provider, or all)."""
    query = select(func.count()).select_from(_OUTBOX).where(_OUTBOX.c.status == "pending")
    if provider is not None:
        query = query.where(_OUTBOX.c.provider == provider)
    return int(session.connection().execute(query).scalar_one())
