"""Writing team records: one transaction per request, stamped in commit order, with live messages.

A write locks its club's row first (``SELECT ... FOR UPDATE`` on PostgreSQL, ``BEGIN
IMMEDIATE`` on SQLite), so ``updated_at`` stamps strictly increase in commit order within a
club: a client that pulls ``updated_since`` its newest stamp never misses a later commit.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, cast

from fastapi import HTTPException
from pydantic import ValidationError
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from server.db import write_lock
from server.live import CHANNEL, Live, encode_notice
from server.models import Club, EventRow, LiveChange, MatchRow, PlayerRow, TeamRow
from server.team.records import (
    FIELDS,
    MODELS,
    Row,
    affects_score,
    clock_text,
    fields_of,
    latest_clock,
    now_micros,
    out,
    player_name,
    timeline_item,
    to_micros,
)
from server.team.schemas import SCHEMAS, canonical_uuid, parse_instant


class Rejected(Exception):
    """An item the client must fix: answered 422 alone, or ``rejected`` inside a batch."""


@dataclass
class Tx:
    s: Session
    club: Club
    notices: list[tuple[str, int, str]] = field(default_factory=list)
    # Within one transaction: records made so far, ids known to be free (a batch looks them up
    # at once), and each match's latest clock in its current period.
    created: dict[str, Row] = field(default_factory=dict)
    free_ids: set[str] = field(default_factory=set)
    clocks: dict[str, int | None] = field(default_factory=dict)

    def find(self, kind: str, record_id: str) -> Row | None:
        if record_id in self.created:
            return self.created[record_id]
        if record_id in self.free_ids:
            return None
        return cast(Row | None, self.s.get(MODELS[kind], record_id))

    def clock(self, match: MatchRow) -> str:
        if match.id not in self.clocks:
            self.clocks[match.id] = latest_clock(self.s, match)
        latest = self.clocks[match.id]
        return clock_text(latest) if latest is not None else "00:00"

    def clock_moved(self, match: MatchRow, event: EventRow | None) -> None:
        """A new event only moves the clock forward; anything else is read again when needed."""
        latest = self.clocks.get(match.id)
        if event is not None and match.id in self.clocks and event.period == match.current_period:
            self.clocks[match.id] = event.clock_ms if latest is None else max(latest, event.clock_ms)
        elif event is None or event.period == match.current_period:
            self.clocks.pop(match.id, None)

    def stamp(self) -> int:
        self.club.last_stamp = max(now_micros(), self.club.last_stamp + 1)
        return self.club.last_stamp

    def broadcast(self, match: MatchRow, message: dict[str, Any]) -> None:
        match.live_seq += 1
        message["seq"] = match.live_seq
        body = json.dumps(message, separators=(",", ":"))
        self.s.add(LiveChange(match_id=match.id, seq=match.live_seq, message=body))
        self.notices.append((match.id, match.live_seq, body))


@contextmanager
def write(engine: Engine, club_id: int, live: Live) -> Iterator[Tx]:
    postgres = engine.dialect.name == "postgresql"
    with write_lock(engine), Session(engine) as s:
        club = s.execute(select(Club).where(Club.id == club_id).with_for_update()).scalar_one()
        tx = Tx(s, club)
        yield tx
        s.flush()
        if postgres:
            for match_id, seq, body in tx.notices:
                s.execute(text("SELECT pg_notify(:c, :p)"), {"c": CHANNEL, "p": encode_notice(match_id, seq, body)})
        s.commit()
    if not postgres:
        for match_id, seq, body in tx.notices:
            live.notify(match_id, seq, body)


def not_found(kind: str) -> HTTPException:
    return HTTPException(404, f"{kind} not found")


def own(s: Session, kind: str, record_id: str, club_id: int, *, alive: bool = True) -> Any:
    """The club's record, else 404 (another club's id, or no id at all, answers as an unknown one)."""
    try:
        record_id = canonical_uuid(record_id)
    except ValueError:
        raise not_found(kind) from None
    row = cast(Row | None, s.get(MODELS[kind], record_id))
    if row is None or row.club_id != club_id or (alive and row.deleted):
        raise not_found(kind)
    return row


def validate(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    try:
        clean = SCHEMAS[kind].model_validate(data)
    except ValidationError as exc:
        detail = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise Rejected(detail) from exc
    return clean.model_dump()


def _id_of(body: Any) -> str | None:
    if not isinstance(body, dict) or not isinstance(body.get("id"), str):
        return None
    try:
        return canonical_uuid(body["id"])
    except ValueError:
        return None


def _live_event(tx: Tx, event: EventRow, match: MatchRow, scored: bool) -> None:
    """The event's message, then the match's when the score may have changed."""
    name = player_name(tx.s, event.player_id, event.club_id)
    tx.broadcast(
        match,
        {
            "type": "event",
            "event": out(tx.s, "event", event),
            "item": timeline_item(event, name),
            "clock_time": tx.clock(match),
        },
    )
    if scored:
        live_match(tx, match)


def live_match(tx: Tx, match: MatchRow) -> None:
    tx.broadcast(match, {"type": "match", "match": out(tx.s, "match", match), "clock_time": tx.clock(match)})


def create(tx: Tx, kind: str, body: Any, forced: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """201 and the new record, or 200 and the stored one when the id exists (replay: nothing changes)."""
    record_id = _id_of(body)
    if record_id is not None:
        existing = tx.find(kind, record_id)
        if existing is not None:
            if existing.club_id != tx.club.id:
                raise Rejected("id: already used by another record")
            return 200, out(tx.s, kind, existing)
    data = validate(kind, {**body, **forced} if isinstance(body, dict) else body)
    match: MatchRow | None = None
    if kind == "event":
        match = tx.s.get(MatchRow, data["match_id"])
        if match is None or match.club_id != tx.club.id or match.deleted:
            raise not_found("match")
    row = MODELS[kind](**data, club_id=tx.club.id, updated_at=tx.stamp(), deleted=False)
    tx.s.add(row)
    tx.created[row.id] = row
    if isinstance(row, EventRow) and match is not None:
        tx.clock_moved(match, row)
        _live_event(tx, row, match, affects_score(row.kind, row.period))
    return 201, out(tx.s, kind, row)


def _version(if_match: str) -> int | None:
    try:
        return to_micros(parse_instant(if_match.strip().strip('"')))
    except (ValueError, OverflowError):
        return None


def update(tx: Tx, kind: str, record_id: str, body: Any, if_match: str | None) -> tuple[int, dict[str, Any]]:
    """200 and the record; 409 and the current record when ``If-Match`` names an older version."""
    row = own(tx.s, kind, record_id, tx.club.id)
    if if_match is not None and _version(if_match) != row.updated_at:
        return 409, out(tx.s, kind, row)
    if body is None:
        body = {}
    if not isinstance(body, dict):
        raise Rejected("the body must be a JSON object")
    changes = {k: v for k, v in body.items() if k in FIELDS[kind]}
    # A record stays where it was made: its team, its match.
    changes.pop("team_id" if kind == "player" else "match_id", None)
    data = validate(kind, {**fields_of(kind, row), **changes, "id": row.id})
    match = own(tx.s, "match", row.match_id, tx.club.id) if isinstance(row, EventRow) else None
    scored = isinstance(row, EventRow) and affects_score(row.kind, row.period)
    for name in FIELDS[kind]:
        setattr(row, name, data[name])
    row.updated_at = tx.stamp()
    if isinstance(row, EventRow) and match is not None:
        tx.clock_moved(match, None)
        _live_event(tx, row, match, scored or affects_score(row.kind, row.period))
    elif isinstance(row, MatchRow):
        tx.clock_moved(row, None)
        live_match(tx, row)
    return 200, out(tx.s, kind, row)


def delete(tx: Tx, kind: str, record_id: str) -> None:
    """Marks the record deleted (a match with its events); deleting it again changes nothing."""
    row: Row = own(tx.s, kind, record_id, tx.club.id, alive=False)
    if row.deleted:
        return
    row.deleted = True
    row.updated_at = tx.stamp()
    if isinstance(row, MatchRow):
        for event in tx.s.execute(
            select(EventRow).where(EventRow.match_id == row.id, EventRow.deleted.is_(False))
        ).scalars():
            event.deleted = True
            event.updated_at = tx.stamp()
        live_match(tx, row)
    elif isinstance(row, EventRow):
        match = tx.s.get(MatchRow, row.match_id)
        if match is not None:
            tx.clock_moved(match, None)
            _live_event(tx, row, match, affects_score(row.kind, row.period))


def team_of_club(s: Session, team_id: str, club_id: int) -> TeamRow:
    row: TeamRow = own(s, "team", team_id, club_id)
    return row


def players_exist(s: Session, player_ids: list[str], club_id: int) -> bool:
    found = s.execute(select(PlayerRow.id).where(PlayerRow.id.in_(player_ids), PlayerRow.club_id == club_id)).scalars()
    return set(found) == set(player_ids)


def look_up_ids(tx: Tx, kind: str, ids: list[Any]) -> None:
    """Loads the records of a batch in one query; the other ids are marked free."""
    wanted = {i for i in (_id_of({"id": v}) for v in ids) if i is not None}
    model = MODELS[kind]
    rows = cast(list[Row], list(tx.s.execute(select(model).where(model.id.in_(wanted))).scalars()))
    found = {row.id for row in rows}
    tx.free_ids |= wanted - found
