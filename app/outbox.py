"""Outbox: the record of local changes that sync must push.

Every service that changes a syncable record calls ``enqueue`` inside the SAME session
(transaction) as the change, so a change and its outbox entry are committed together or
not at all. Consecutive pending upserts of one record collapse into one entry.

``enqueue`` is on the hot path of match logging, so it speaks SQLAlchemy Core on the
session's own connection (one indexed lookup, one insert) instead of building ORM objects.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import bindparam, func, insert, select
from sqlmodel import Session

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

# Built once: constructing a statement costs more than running it (SQLAlchemy caches the
# compiled form of a reused construct; parameters travel separately).
_FIND_PENDING_UPSERT = (
    select(_OUTBOX.c.seq)
    .where(
        _OUTBOX.c.entity_id == bindparam("entity_id"),
        _OUTBOX.c.entity == bindparam("entity"),
        _OUTBOX.c.provider == bindparam("provider"),
        _OUTBOX.c.status == "pending",
        _OUTBOX.c.op == "upsert",
    )
    .limit(1)
)
_INSERT = insert(_OUTBOX)


def enqueue(session: Session, entity: str, entity_id: str, op: str = "upsert") -> None:
    """Queue ``entity``/``entity_id`` for push. Must be called inside the change's transaction."""
    provider = PROVIDER_OF_ENTITY[entity]
    # Core statements do not autoflush: flush pending ORM changes first so that the
    # statement order stays the caller's order (foreign keys are checked per statement).
    session.flush()
    conn = session.connection()
    key = {"entity_id": entity_id, "entity": entity, "provider": provider}
    if op == "upsert" and conn.execute(_FIND_PENDING_UPSERT, key).first() is not None:
        return
    conn.execute(
        _INSERT,
        {**key, "op": op, "status": "pending", "attempts": 0, "created_at": datetime.now(UTC)},
    )


def pending_count(session: Session, provider: str | None = None) -> int:
    """How many changes wait to be pushed (for one provider, or all)."""
    query = select(func.count()).select_from(_OUTBOX).where(_OUTBOX.c.status == "pending")
    if provider is not None:
        query = query.where(_OUTBOX.c.provider == provider)
    return int(session.connection().execute(query).scalar_one())
