"""The match clock read from the database: stored ``ClockMark`` rows, or, for an imported
match without marks, the marks rebuilt from its period_start/period_end events."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select

from app.db import Database
from app.errors import NotFound
from app.match import clock as clk
from app.match.records import match_row
from app.match.rules import PERIOD_KINDS
from app.match.types import ClockState
from app.models.match import ClockMark, Match, MatchEvent


def clock_of(s: Session, match: Match, now: datetime) -> ClockState:
    """The clock of ``match`` at ``now`` (ORM read inside session ``s``)."""
    rows = s.exec(select(ClockMark.action, ClockMark.period, ClockMark.at).where(ClockMark.match_id == match.id)).all()
    marks = sorted((clk.Mark(a, p, t) for a, p, t in rows), key=lambda m: m.at)
    if not marks and match.current_period > 0:
        marks = marks_from_events(s, match)
    return clk.clock_state(
        current_period=match.current_period,
        match_status=match.status,
        period_count=match.period_count,
        period_length_min=match.period_length_min,
        marks=marks,
        now=now,
        extra_time_min=match.extra_time_length_min,
    )


def fast_clock(db: Database, cur: sqlite3.Cursor, match_id: str, now: datetime) -> ClockState:
    """The clock read with two indexed DBAPI queries (the logging hot path)."""
    row = cur.execute(
        "SELECT current_period, status, period_count, period_length_min, deleted, extra_time_length_min "
        "FROM match WHERE id = ?",
        (match_id,),
    ).fetchone()
    if row is None or row[4]:
        raise NotFound(f"match {match_id} not found")
    marks = sorted(
        (
            clk.Mark(a, p, datetime.fromisoformat(t).replace(tzinfo=UTC))
            for a, p, t in cur.execute("SELECT action, period, at FROM clock_mark WHERE match_id = ?", (match_id,))
        ),
        key=lambda m: m.at,
    )
    if not marks and row[0] > 0:
        with db.session() as s:
            return clock_of(s, match_row(s, match_id), now)
    return clk.clock_state(
        current_period=row[0],
        match_status=row[1],
        period_count=row[2],
        period_length_min=row[3],
        marks=marks,
        now=now,
        extra_time_min=row[5],
    )


def marks_from_events(s: Session, match: Match) -> list[clk.Mark]:
    """Clock marks rebuilt from period_start/period_end events (an imported match)."""
    rows = s.exec(
        select(MatchEvent).where(
            MatchEvent.match_id == match.id,
            col(MatchEvent.kind).in_(PERIOD_KINDS),
            col(MatchEvent.deleted).is_(False),
        )
    ).all()
    marks: list[clk.Mark] = []
    ends = {e.period: e for e in rows if e.kind == "period_end"}
    starts = {e.period: e for e in rows if e.kind == "period_start"}
    for period in sorted(set(ends) | set(starts)):
        if period in ends:
            end = ends[period]
            marks.append(clk.Mark("start", period, end.logged_at - timedelta(milliseconds=end.clock_ms)))
            marks.append(clk.Mark("end", period, end.logged_at))
        else:
            marks.append(clk.Mark("start", period, starts[period].logged_at))
    return sorted(marks, key=lambda m: m.at)
