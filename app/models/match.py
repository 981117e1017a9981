"""Teams, players, matches, lineups, events and clock marks (team server model)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, get_args

from sqlalchemy import Column, Computed, Index, Text
from sqlmodel import Field, SQLModel

from app.models.base import new_id, ts_field

# The event kinds of the team server contract, once: the type the schema validates with, and
# the tuple the rules and the UI iterate.
EventKind = Literal[
    "goal", "assist", "key_pass", "save", "interception", "tackle", "foul", "penalty",
    "free_kick", "ball_out", "own_goal", "substitution", "yellow_card", "red_card",
    "period_start", "period_end",
    # team server contract 1.1
    "shot_on_target", "shot_off_target", "corner", "offside", "shootout_goal", "shootout_miss",
]  # fmt: skip
EVENT_KINDS: tuple[str, ...] = get_args(EventKind)


class Team(SQLModel, table=True):
    __tablename__ = "team"

    id: str = Field(default_factory=new_id, primary_key=True)
    name: str
    updated_at: datetime = ts_field(default_now=True)
    deleted: bool = False


class Player(SQLModel, table=True):
    __tablename__ = "player"

    id: str = Field(default_factory=new_id, primary_key=True)
    team_id: str = Field(foreign_key="team.id", index=True)
    name: str
    shirt_number: int | None = None
    position: str | None = None  # GK | DF | MF | FW
    updated_at: datetime = ts_field(default_now=True)
    deleted: bool = False


class Match(SQLModel, table=True):
    """A match. ``team_id`` is our team; ``our_side`` says whether we are home or away.

    ``home_team_id``/``away_team_id`` name the Team of a side whose squad is kept (ours, and the
    opponent's when known). Periods 1..``period_count`` are regular, then extra time of
    ``extra_time_length_min`` up to period 4, and period 5 is the penalty shoot-out."""

    __tablename__ = "match"

    id: str = Field(default_factory=new_id, primary_key=True)
    team_id: str | None = Field(default=None, foreign_key="team.id", index=True)
    our_side: str = "home"
    home_team: str
    away_team: str
    kickoff_at: datetime = ts_field(index=True)
    venue: str | None = None
    status: str = "scheduled"  # scheduled | live | finished
    current_period: int = 0
    period_count: int = 2  # the contract's ``regular_periods``: halves (2) or quarters (4)
    period_length_min: int = 45
    extra_time_length_min: int = 15
    home_team_id: str | None = Field(default=None, foreign_key="team.id")
    away_team_id: str | None = Field(default=None, foreign_key="team.id")
    updated_at: datetime = ts_field(default_now=True)
    deleted: bool = False


class LineupEntry(SQLModel, table=True):
    __tablename__ = "lineup_entry"
    __table_args__ = (Index("ix_lineup_entry_starting", "match_id", "starting", "player_id"),)

    match_id: str = Field(foreign_key="match.id", primary_key=True)
    player_id: str = Field(foreign_key="player.id", primary_key=True)
    starting: bool
    shirt_number: int | None = None
    updated_at: datetime = ts_field(default_now=True)


class MatchEvent(SQLModel, table=True):
    """An event as the team server's Event schema, plus ``seq`` (local logging order)."""

    __tablename__ = "match_event"
    __table_args__ = (
        Index(
            "ix_match_event_kind_stats",
            "kind",
            "match_id",
            "deleted",
            "team",
            "player_id",
            "related_player_id",
            "period",
            "clock_ms",
        ),
    )

    id: str = Field(default_factory=new_id, primary_key=True)
    seq: int | None = Field(default=None, index=True)
    match_id: str = Field(foreign_key="match.id", index=True)
    kind: str
    team: str  # home | away
    player_id: str | None = Field(default=None, foreign_key="player.id")
    related_player_id: str | None = Field(default=None, foreign_key="player.id")
    reason: str | None = None  # "second_yellow" on the red card a second yellow gives
    period: int
    clock_ms: int
    note: str | None = None
    logged_at: datetime = ts_field(default_now=True)
    updated_at: datetime = ts_field(default_now=True)
    deleted: bool = False


def _iso_sql(column: str) -> str:
    """SQL for ``app.match.schema.iso`` of a timestamp stored as SQLAlchemy's text
    ("YYYY-MM-DD HH:MM:SS.ffffff", UTC): "YYYY-MM-DDTHH:MM:SS.ffffffZ", with no fraction when
    it is zero, as Python's ``isoformat`` writes it."""
    return (
        f"CASE WHEN {column} IS NULL THEN NULL ELSE replace(substr({column}, 1, 19), ' ', 'T') || "
        f"CASE WHEN substr({column}, 20) IN ('', '.000000') THEN '' ELSE substr({column}, 20) END || 'Z' END"
    )


_WIRE_FIELDS = (
    "id", "match_id", "kind", "team", "player_id", "related_player_id", "reason", "period", "clock_ms", "note",
)  # fmt: skip
# The event's team-server body (the contract's Event, as JSON text), kept by SQLite in step with
# the row: a STORED generated column, not mapped by the ORM. A push sends it as stored (the
# event batches of sync.team.batches): building 500 bodies per batch on every push cost more
# than the server's own work (bench/sync_push.py). app.match.schema is the contract;
# tests/sync/test_team_payload_paths.py checks this equals its payload for every kind.
# Migrations freeze the text (match_0006): a change of the contract's Event needs a new one.
EVENT_WIRE_JSON = (
    "json_object("
    + ", ".join(f"'{name}', {name}" for name in _WIRE_FIELDS)
    + f", 'logged_at', {_iso_sql('logged_at')})"
)
MatchEvent.__table__.append_column(  # type: ignore[attr-defined]
    Column("wire_json", Text, Computed(EVENT_WIRE_JSON, persisted=True))
)


class ClockMark(SQLModel, table=True):
    """Local-only clock actions (start, pause, resume, end) the match clock is derived from."""

    __tablename__ = "clock_mark"

    id: str = Field(default_factory=new_id, primary_key=True)
    match_id: str = Field(foreign_key="match.id", index=True)
    action: str  # start | pause | resume | end
    period: int
    at: datetime = ts_field()
