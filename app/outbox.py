"""Outbox: the record of local changes that sync must push.

Every service that changes a syncable record calls ``enqueue`` inside the SAME session
(transaction) as the change, so a change and its outbox entry are committed together or
not at all. Consecutive pending upserts of one record collapse into one entry.
"""

from __future__ import annotations

from sqlmodel import Session, select

from app.models.sync import OutboxEntry

PROVIDER_OF_ENTITY = {
    "team": "team",
    "player": "team",
    "match": "team",
    "lineup": "team",
    "event": "team",
    "practice_session": "yoga",
}


def enqueue(session: Session, entity: str, entity_id: str, op: str = "upsert") -> None:
    """Queue ``entity``/``entity_id`` for push. Must be called inside the change's transaction."""
    provider = PROVIDER_OF_ENTITY[entity]
    if op == "upsert":
        existing = session.exec(
            select(OutboxEntry.seq).where(
                OutboxEntry.provider == provider,
                OutboxEntry.entity == entity,
                OutboxEntry.entity_id == entity_id,
                OutboxEntry.status == "pending",
                OutboxEntry.op == "upsert",
            )
        ).first()
        if existing is not None:
            return
    session.add(OutboxEntry(provider=provider, entity=entity, entity_id=entity_id, op=op))


def pending_count(session: Session, provider: str | None = None) -> int:
    """How many changes wait to be pushed (for one provider, or all)."""
    from sqlalchemy import func

    query = select(func.count()).select_from(OutboxEntry).where(OutboxEntry.status == "pending")
    if provider is not None:
        query = query.where(OutboxEntry.provider == provider)
    return int(session.exec(query).one())
