"""What a client may send for each record: pydantic models that ignore unknown fields.

A PUT is validated by merging the body into the stored record and checking the result with
the same model as a POST, so both directions keep one set of rules.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StrictInt

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


Uuid = Annotated[str, AfterValidator(canonical_uuid)]
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
    shirt_number: Annotated[StrictInt, Field(ge=0, le=99)] | None = None
    position: Literal["GK", "DF", "MF", "FW"] | None = None


class MatchIn(Incoming):
    id: Uuid
    team_id: Uuid | None = None
    home_team: Annotated[str, Field(max_length=200)]
    away_team: Annotated[str, Field(max_length=200)]
    home_team_id: Uuid | None = None
    away_team_id: Uuid | None = None
    regular_periods: Annotated[StrictInt, Field(ge=1, le=4)] = 2
    extra_time_length_min: Annotated[StrictInt, Field(ge=1, le=30)] = 15
    kickoff_at: Instant
    venue: Annotated[str, Field(max_length=200)] | None = None
    status: Literal["scheduled", "live", "finished"] = "scheduled"
    current_period: Annotated[StrictInt, Field(ge=0, le=5)] = 0
    period_length_min: Annotated[StrictInt, Field(ge=1, le=60)] = 45


class EventIn(Incoming):
    id: Uuid
    match_id: Uuid
    kind: Literal[EVENT_KINDS]  # type: ignore[valid-type]
    team: Literal["home", "away"]
    player_id: Uuid | None = None
    related_player_id: Uuid | None = None
    reason: Literal["second_yellow"] | None = None
    period: Annotated[StrictInt, Field(ge=1, le=5)]
    clock_ms: Annotated[StrictInt, Field(ge=0, le=10**10)]
    note: Annotated[str, Field(max_length=500)] | None = None
    logged_at: Instant | None = None


class LineupItemIn(Incoming):
    player_id: Uuid
    starting: StrictBool
    shirt_number: Annotated[StrictInt, Field(ge=0, le=99)] | None = None


class LineupIn(Incoming):
    items: list[LineupItemIn]


class LoginIn(Incoming):
    email: Annotated[str, Field(max_length=320)]
    password: Annotated[str, Field(max_length=1024)]


class BatchIn(Incoming):
    events: Annotated[list[Any], Field(max_length=500)]


SCHEMAS: dict[str, type[Incoming]] = {"team": TeamIn, "player": PlayerIn, "match": MatchIn, "event": EventIn}
