"""Team records as the API shows them: times, the score, the match view, and paging.

The score rule lives here only: goals of periods 1-4 count for their side and own goals for
the other; the shoot-out score is present only once period 5 was played.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import HTTPException
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from server.models import EventRow, MatchRow, PlayerRow, TeamRow
from server.team.schemas import SCHEMAS, parse_instant

MODELS: dict[str, type[TeamRow | PlayerRow | MatchRow | EventRow]] = {
    "team": TeamRow,
    "player": PlayerRow,
    "match": MatchRow,
    "event": EventRow,
}
FIELDS = {kind: tuple(name for name in schema.model_fields if name != "id") for kind, schema in SCHEMAS.items()}
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
PAGE_DEFAULT = 100
PAGE_MAX = 500
VIEW_EVENTS = 50
Row = TeamRow | PlayerRow | MatchRow | EventRow


def iso(micros: int) -> str:
    return (EPOCH + timedelta(microseconds=micros)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def to_micros(dt: datetime) -> int:
    return (dt - EPOCH) // timedelta(microseconds=1)


def now_micros() -> int:
    return to_micros(datetime.now(UTC))


def fields_of(kind: str, row: Row) -> dict[str, Any]:
    return {name: getattr(row, name) for name in FIELDS[kind]}


SCORING = ("goal", "own_goal", "shootout_goal")


def affects_score(kind: str, period: int) -> bool:
    """Whether an event of this kind and period can change its match's score (see ``score``)."""
    return kind in SCORING or period == 5


def score(s: Session, match: MatchRow) -> dict[str, Any]:
    rows = s.execute(
        select(EventRow.kind, EventRow.team, EventRow.period).where(
            EventRow.match_id == match.id,
            EventRow.deleted.is_(False),
            or_(EventRow.kind.in_(SCORING), EventRow.period == 5),
        )
    ).all()
    goals = {"home": 0, "away": 0}
    shootout = {"home": 0, "away": 0}
    played_shootout = match.current_period == 5
    for kind, team, period in rows:
        other = "away" if team == "home" else "home"
        if period == 5:
            played_shootout = True
            if kind == "shootout_goal":
                shootout[team] += 1
        elif kind == "goal":
            goals[team] += 1
        elif kind == "own_goal":
            goals[other] += 1
    return {**goals, "shootout": shootout if played_shootout else None}


def out(s: Session, kind: str, row: Row) -> dict[str, Any]:
    data = {"id": row.id, **fields_of(kind, row), "updated_at": iso(row.updated_at), "deleted": row.deleted}
    if isinstance(row, MatchRow):
        data["score"] = score(s, row)
    return data


def clock_text(clock_ms: int) -> str:
    return f"{clock_ms // 60000:02d}:{clock_ms // 1000 % 60:02d}"


def timeline_item(event: EventRow, player_name: str | None) -> dict[str, Any]:
    return {
        "id": event.id,
        "kind": event.kind,
        "player": player_name,
        "team": event.team,
        "timestamp": clock_text(event.clock_ms),
        "period": event.period,
    }


def player_name(s: Session, player_id: str | None, club_id: int) -> str | None:
    if player_id is None:
        return None
    row = s.get(PlayerRow, player_id)
    return row.name if row is not None and row.club_id == club_id else None


def match_view(s: Session, match: MatchRow) -> dict[str, Any]:
    """The contract's MatchView. ``clock_time`` is the clock of the latest event of the current period."""
    events = list(
        s.execute(
            select(EventRow)
            .where(EventRow.match_id == match.id, EventRow.deleted.is_(False))
            .order_by(EventRow.period, EventRow.clock_ms, EventRow.id)
        ).scalars()
    )
    names = {
        p.id: p.name
        for p in s.execute(
            select(PlayerRow).where(PlayerRow.id.in_({e.player_id for e in events if e.player_id}))
        ).scalars()
        if p.club_id == match.club_id
    }
    return {
        "match": {
            "id": match.id,
            "home_team": match.home_team,
            "away_team": match.away_team,
            "score": score(s, match),
            "status": match.status,
            "current_period": match.current_period,
            "clock_time": clock_time(events, match.current_period),
        },
        "recent_events": [timeline_item(e, names.get(e.player_id or "")) for e in events[-VIEW_EVENTS:]],
    }


def clock_time(events: list[EventRow], period: int) -> str:
    in_period = [e.clock_ms for e in events if e.period == period]
    return clock_text(max(in_period)) if in_period else "00:00"


def latest_clock(s: Session, match: MatchRow) -> int | None:
    """The clock of the latest event of the match's current period (``clock_time`` of the view)."""
    latest: int | None = s.execute(
        select(func.max(EventRow.clock_ms)).where(
            EventRow.match_id == match.id, EventRow.deleted.is_(False), EventRow.period == match.current_period
        )
    ).scalar_one_or_none()
    return latest


def _bad(detail: str) -> HTTPException:
    return HTTPException(422, detail)


def _encode_cursor(stamp: int, record_id: str) -> str:
    return base64.urlsafe_b64encode(f"{stamp}|{record_id}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[int, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, record_id = raw.split("|", 1)
        return int(stamp), record_id
    except (ValueError, UnicodeDecodeError) as exc:
        raise _bad("cursor: not a cursor this server gave") from exc


def page(
    s: Session,
    kind: str,
    query: Select[Any],
    updated_since: str | None,
    cursor: str | None,
    limit: int | None,
) -> dict[str, Any]:
    """One page in (updated_at, id) order; deleted records included, as the contract asks."""
    model = MODELS[kind]
    size = PAGE_DEFAULT if limit is None else limit
    if size < 1:
        raise _bad("limit: at least 1")
    size = min(size, PAGE_MAX)
    if updated_since:
        try:
            since = to_micros(parse_instant(updated_since))
        except (ValueError, OverflowError) as exc:
            raise _bad("updated_since: an ISO 8601 date-time is expected") from exc
        query = query.where(model.updated_at > since)
    if cursor:
        stamp, after_id = _decode_cursor(cursor)
        query = query.where(or_(model.updated_at > stamp, and_(model.updated_at == stamp, model.id > after_id)))
    rows = list(s.execute(query.order_by(model.updated_at, model.id).limit(size + 1)).scalars())
    more = len(rows) > size
    rows = rows[:size]
    return {
        "items": [out(s, kind, r) for r in rows],
        "next_cursor": _encode_cursor(rows[-1].updated_at, rows[-1].id) if more and rows else None,
    }
