"""The match area's vocabulary and input checks (no database): sides, positions, event kinds,
period limits, what each kind counts as, the score rule and the automatic assist's id."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime

from app.errors import ValidationError
from app.match.types import Score
from app.models.match import EVENT_KINDS

SIDES = ("home", "away")
POSITIONS = ("GK", "DF", "MF", "FW")
PERIOD_KINDS = ("period_start", "period_end")
LOGGABLE_KINDS = tuple(k for k in EVENT_KINDS if k not in PERIOD_KINDS)
MAX_PERIODS = 5
LAST_PLAYED_PERIOD = 4  # periods 1-4 are played (regular, then extra time); 5 is the shoot-out
SHOOTOUT_PERIOD = 5
MAX_REGULAR_PERIODS = 4
SHOOTOUT_KINDS = ("shootout_goal", "shootout_miss")
SECOND_YELLOW = "second_yellow"
REASONS = (SECOND_YELLOW,)
# Kinds that take a player on the pitch (a bench or sent-off player needs a confirmation).
PLAY_KINDS = (
    "goal",
    "assist",
    "key_pass",
    "save",
    "interception",
    "tackle",
    "foul",
    "penalty",
    "free_kick",
    "own_goal",
    "shot_on_target",
    "shot_off_target",
    "corner",
    "offside",
)
EVENT_FIELDS = (
    "kind",
    "team",
    "player_id",
    "related_player_id",
    "reason",
    "period",
    "clock_ms",
    "note",
    "deleted",
)
EDITABLE_EVENT_FIELDS = frozenset(EVENT_FIELDS) - {"deleted"}
_ASSIST_NS = uuid.UUID("6f1d3c1e-8a51-4d7e-9a3c-2f4b1f0e7a11")

STAT_OF_KIND = {
    "goal": "goals",
    "assist": "assists",
    "own_goal": "own_goals",
    "save": "saves",
    "tackle": "tackles",
    "key_pass": "key_passes",
    "interception": "interceptions",
    "foul": "fouls",
    "yellow_card": "yellow_cards",
    "red_card": "red_cards",
    "shot_on_target": "shots_on_target",
    "shot_off_target": "shots_off_target",
}


def assist_id_for(goal_id: str) -> str:
    """The id of the ``assist`` event logged automatically with goal ``goal_id`` (stable)."""
    return str(uuid.uuid5(_ASSIST_NS, goal_id))


def other_side(side: str) -> str:
    return "away" if side == "home" else "home"


def event_side(kind: str, team: str | None) -> str | None:
    """The side an event belongs to: period markers belong to no team.

    The contract's Event.team must be home|away, so period markers are stored and sent with
    the logging side; every reader asks this function instead of reading ``team`` for them."""
    return None if kind in PERIOD_KINDS else team


def is_extra_time(period: int, regular_periods: int) -> bool:
    return regular_periods < period <= LAST_PLAYED_PERIOD


def period_length_min(period: int, regular_periods: int, length_min: int, extra_time_length_min: int) -> int:
    """Regulation length of ``period`` in minutes (extra time has its own; the shoot-out 0)."""
    if period >= SHOOTOUT_PERIOD:
        return 0
    return extra_time_length_min if is_extra_time(period, regular_periods) else length_min


def shootout_of(events: Iterable[tuple[str, str]]) -> tuple[int, int]:
    """(home, away) shoot-out goals from (kind, team) pairs of live events."""
    goals = {"home": 0, "away": 0}
    for kind, team in events:
        if kind == "shootout_goal" and team in goals:
            goals[team] += 1
    return goals["home"], goals["away"]


def score_with_shootout(current_period: int, events: Iterable[tuple[str, str]]) -> Score:
    """``Score`` from (kind, team) pairs of live events; the shoot-out once period 5 was played."""
    pairs = list(events)
    home, away = score_of(pairs)
    return Score(home, away, shootout_of(pairs) if current_period >= SHOOTOUT_PERIOD else None)


def score_of(events: Iterable[tuple[str, str]]) -> tuple[int, int]:
    """(home, away) from (kind, team) pairs of live events: goal for its team, own_goal for the other."""
    goals = {"home": 0, "away": 0}
    for kind, team in events:
        if kind == "goal" and team in goals:
            goals[team] += 1
        elif kind == "own_goal" and team in goals:
            goals[other_side(team)] += 1
    return goals["home"], goals["away"]


def check_side(side: str, what: str = "team") -> None:
    if side not in SIDES:
        raise ValidationError(f"{what} must be 'home' or 'away', not {side!r}")


def check_aware(value: datetime, what: str) -> datetime:
    if value.tzinfo is None:
        raise ValidationError(f"{what} must be a timezone-aware datetime")
    return value.astimezone(UTC)


def clean_name(name: str, what: str) -> str:
    cleaned = (name or "").strip()
    if not cleaned or len(cleaned) > 120:
        raise ValidationError(f"{what} must be 1 to 120 characters")
    return cleaned


def check_shirt(number: int | None) -> int | None:
    if number is not None and (not isinstance(number, int) or not 0 <= number <= 99):
        raise ValidationError(f"shirt number must be 0..99, not {number!r}")
    return number


def check_position(position: str | None) -> str | None:
    if position in (None, ""):
        return None
    if position not in POSITIONS:
        raise ValidationError(f"position must be one of {', '.join(POSITIONS)}, not {position!r}")
    return position


def check_note(note: str | None) -> str | None:
    if note is None:
        return None
    note = note.strip()
    if len(note) > 500:
        raise ValidationError("a note has at most 500 characters")
    return note or None


def check_period(period: int) -> None:
    if not isinstance(period, int) or not 1 <= period <= MAX_PERIODS:
        raise ValidationError(f"period must be 1..{MAX_PERIODS}, not {period!r}")


def check_periods(period_count: int, period_length_min: int, extra_time_length_min: int = 15) -> None:
    if not 1 <= period_count <= MAX_REGULAR_PERIODS:
        raise ValidationError(f"period count must be 1..{MAX_REGULAR_PERIODS}")
    if not 1 <= period_length_min <= 60:
        raise ValidationError("period length must be 1..60 minutes")
    if not 1 <= extra_time_length_min <= 30:
        raise ValidationError("extra time length must be 1..30 minutes")


def check_fields(fields: Iterable[str], allowed: Iterable[str], what: str) -> None:
    """Refuse any field name outside ``allowed`` ("cannot change <what> field(s): ...")."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError(f"cannot change {what} field(s): {', '.join(sorted(unknown))}")
