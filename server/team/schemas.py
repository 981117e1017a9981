"""What a client may send for each record: pydantic models that ignore unknown fields.

A PUT is validated by merging the body into the stored record and checking the result with
the same model as a POST, so both directions keep one set of rules.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictBool

EVENT_KINDS = (
    "goal", "assist", "key_pass", "save", "interception", "tackle", "foul", "penalty", "free_kick", "ball_out",
    "own_goal", "substitution", "yellow_card", "red_card", "period_start", "period_end",
    "shot_on_target", "shot_off_target", "corner", "offside", "shootout_goal", "shootout_miss",
)  # fmt: skip


def canonical_uuid(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except (ValueError, AttributeError) as exc:
        raise ValueError("a UUID is expected") from exc


def parse_instant(value: str) -> datetime:
    text = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value
    dt = datetime.fromisoformat(text)
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _instant(value: str) -> str:
    try:
        parse_instant(value)
    except (ValueError, TypeError) as exc:
        raise ValueError("an ISO 8601 date-time is expected") from exc
    return value


def _json_integer(value: object) -> object:
    """JSON Schema's integer: 3 and 3.0, never true or "3"."""
    if isinstance(value, bool | str):
        raise ValueError("a whole number is expected")
    return value


def _blank_is_none(value: object) -> object:
    return None if value == "" else value


Uuid = Annotated[str, AfterValidator(canonical_uuid)]
# An optional reference (player_id, home_team_id...): "" means none, as null does.
RefUuid = Annotated[Uuid | None, BeforeValidator(_blank_is_none)]
Integer = Annotated[int, BeforeValidator(_json_integer)]
Instant = Annotated[str, Field(max_length=64), AfterValidator(_instant)]
Name = Annotated[str, Field(min_length=1, max_length=120)]


class Incoming(BaseModel):
    model_config = ConfigDict(extra="ignore")


class TeamIn(Incoming):
    id: Uuid
    name: Name


class PlayerIn(Incoming):
    id: Uuid
    team_id: Uuid
    name: Name
    shirt_number: Annotated[Integer, Field(ge=0, le=99)] | None = None
    position: Literal["GK", "DF", "MF", "FW"] | None = None


class MatchIn(Incoming):
    id: Uuid
    team_id: RefUuid = None
    home_team: Annotated[str, Field(max_length=200)]
    away_team: Annotated[str, Field(max_length=200)]
    home_team_id: RefUuid = None
    away_team_id: RefUuid = None
    regular_periods: Annotated[Integer, Field(ge=1, le=4)] = 2
    extra_time_length_min: Annotated[Integer, Field(ge=1, le=30)] = 15
    kickoff_at: Instant
    venue: Annotated[str, Field(max_length=200)] | None = None
    status: Literal["scheduled", "live", "finished"] = "scheduled"
    current_period: Annotated[Integer, Field(ge=0, le=5)] = 0
    period_length_min: Annotated[Integer, Field(ge=1, le=60)] = 45


class EventIn(Incoming):
    id: Uuid
    match_id: Uuid
    kind: Literal[EVENT_KINDS]  # type: ignore[valid-type]
    team: Literal["home", "away"]
    player_id: RefUuid = None
    related_player_id: RefUuid = None
    reason: Literal["second_yellow"] | None = None
    period: Annotated[Integer, Field(ge=1, le=5)]
    clock_ms: Annotated[Integer, Field(ge=0, le=10**10)]
    note: Annotated[str, Field(max_length=500)] | None = None
    logged_at: Instant | None = None


class LineupItemIn(Incoming):
    player_id: Uuid
    starting: StrictBool
    shirt_number: Integer | None = None  # the contract bounds a player's number, not a lineup's


class LineupIn(Incoming):
    items: list[LineupItemIn] = Field(default_factory=list)


class LoginIn(Incoming):
    email: Annotated[str, Field(max_length=320)]
    password: Annotated[str, Field(max_length=1024)]


class BatchIn(Incoming):
    events: Annotated[list[Any], Field(max_length=500)]


SCHEMAS: dict[str, type[Incoming]] = {"team": TeamIn, "player": PlayerIn, "match": MatchIn, "event": EventIn}
