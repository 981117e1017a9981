"""Row-level helpers the match service's parts share inside one session: look up a live
(not deleted) row, add an event, apply field snapshots to an event and queue it for sync."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.errors import NotFound
from app.match.rules import EVENT_FIELDS
from app.models.match import Match, MatchEvent, Player, Team
from app.models.sync import OutboxEntry
from app.outbox import enqueue

Row = TypeVar("Row", Team, Player, Match)


def live_row(s: Session, model: type[Row], row_id: str, what: str) -> Row:
    """The row of ``model`` with ``row_id`` unless missing or soft-deleted (then NotFound)."""
    row = s.get(model, row_id)
    if row is None or row.deleted:
        raise NotFound(f"{what} {row_id} not found")
    return row


def save_row(s: Session, row: Row, entity: str, fields: dict[str, Any], now: datetime, op: str = "upsert") -> None:
    """Set ``fields`` on ``row``, stamp ``updated_at`` and queue ``op`` of it for sync."""
    for key, value in fields.items():
        setattr(row, key, value)
    row.updated_at = now
    s.add(row)
    enqueue(s, entity, row.id, op)


def match_row(s: Session, match_id: str) -> Match:
    return live_row(s, Match, match_id, "match")


def event_row(s: Session, event_id: str) -> MatchEvent:
    ev = s.get(MatchEvent, event_id)
    if ev is None:
        raise NotFound(f"event {event_id} not found")
    return ev


def snapshot(ev: MatchEvent) -> dict[str, Any]:
    """The undoable fields of an event."""
    return {name: getattr(ev, name) for name in EVENT_FIELDS}


def new_event(
    s: Session,
    match_id: str,
    kind: str,
    team: str,
    period: int,
    clock_ms: int,
    now: datetime,
    player_id: str | None = None,
    related_player_id: str | None = None,
    note: str | None = None,
    *,
    event_id: str | None = None,
    seq: int | None = None,
) -> MatchEvent:
    """Add an event (next ``seq`` unless given) and queue its upsert."""
    if seq is None:
        last: int | None = s.exec(select(func.max(MatchEvent.seq))).one()
        seq = (last or 0) + 1
    ev = MatchEvent(
        id=event_id or str(uuid.uuid4()),
        seq=seq,
        match_id=match_id,
        kind=kind,
        team=team,
        player_id=player_id,
        related_player_id=related_player_id,
        period=period,
        clock_ms=clock_ms,
        note=note,
        logged_at=now,
        updated_at=now,
    )
    s.add(ev)
    enqueue(s, "event", ev.id)
    return ev


def apply_fields(s: Session, ev: MatchEvent, fields: dict[str, Any], now: datetime) -> None:
    """Set ``fields`` on ``ev`` and queue it for sync (delete when it becomes deleted)."""
    was_deleted = ev.deleted
    changed = False
    for key, value in fields.items():
        if getattr(ev, key) != value:
            setattr(ev, key, value)
            changed = True
    if not changed:
        return
    ev.updated_at = now
    s.add(ev)
    if ev.deleted and not was_deleted:
        enqueue(s, "event", ev.id, "delete")
    else:
        enqueue_upsert(s, "event", ev.id)


def enqueue_upsert(s: Session, entity: str, entity_id: str) -> None:
    """enqueue an upsert; if a pending delete of the record is newer than the pending
    upsert the collapse rule found, queue a fresh upsert so the restore is not lost."""
    enqueue(s, entity, entity_id, "upsert")
    s.flush()
    last = s.exec(
        select(OutboxEntry.op)
        .where(OutboxEntry.entity == entity, OutboxEntry.entity_id == entity_id, OutboxEntry.status == "pending")
        .order_by(col(OutboxEntry.seq).desc())
    ).first()
    if last == "delete":
        s.add(OutboxEntry(provider="team", entity=entity, entity_id=entity_id, op="upsert"))
