"""The team server's records, one pydantic schema per entity (contract 1.1), serving the
``fieldmat.match/1`` export, its import and the team server's payloads alike.

Each schema lists the wire fields. ``COLUMNS`` maps a wire name to the local column where
they differ (``regular_periods`` is kept in ``Match.period_count``; a 1.0 file's
``period_count`` is still read). ``LOCAL`` fields travel in the export file but not to the
team server (``our_side``). ``SERVER_ONLY`` fields are set by whoever stores the record.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar, Literal, Self, cast

from pydantic import AfterValidator, AliasChoices, BaseModel, ConfigDict, Field, field_serializer, model_validator

from app.match.rules import MAX_PERIODS, MAX_REGULAR_PERIODS
from app.models.match import EventKind


def _uuid(value: str) -> str:
    try:
        uuid.UUID(value)
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a UUID") from exc
    return value


Uuid = Annotated[str, Field(min_length=1), AfterValidator(_uuid)]
Name = Annotated[str, Field(min_length=1, max_length=120)]


def iso(value: datetime | None) -> str | None:
    """ISO 8601 UTC with a ``Z`` (microseconds kept)."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def aware(value: datetime | None) -> datetime | None:
    """A datetime in UTC (a naive one is taken as UTC)."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Record(BaseModel):
    """A record of the team server: ``id``, ``updated_at``, ``deleted`` and its own fields."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    COLUMNS: ClassVar[dict[str, str]] = {}
    LOCAL: ClassVar[tuple[str, ...]] = ()

    id: Uuid
    updated_at: datetime | None = None
    deleted: bool = False

    @field_serializer("*", when_used="json")
    def _iso(self, value: Any) -> Any:
        return iso(value) if isinstance(value, datetime) else value

    @classmethod
    def from_row(cls, row: Any) -> Self:
        """The record of a local row, as stored: not validated, so a row the server would refuse
        still travels and is refused there (and an export stays a faithful copy)."""
        values = {name: getattr(row, cls.COLUMNS.get(name, name)) for name in cls.model_fields}
        return cast(Self, cls.model_construct(**values))

    @classmethod
    def content_fields(cls) -> tuple[str, ...]:
        """Wire fields the team server keeps (besides id, updated_at and deleted)."""
        return tuple(n for n in cls.model_fields if n not in ("id", "updated_at", "deleted", *cls.LOCAL))

    def columns(self) -> dict[str, Any]:
        """Local column values (id and deleted included, updated_at left to the writer);
        datetimes in UTC."""
        out: dict[str, Any] = {}
        for name in type(self).model_fields:
            if name == "updated_at":
                continue
            value = getattr(self, name)
            out[self.COLUMNS.get(name, name)] = aware(value) if isinstance(value, datetime) else value
        return out

    def doc(self) -> dict[str, Any]:
        """The JSON form (export file; ISO 8601 UTC timestamps)."""
        return self.model_dump(mode="json", by_alias=False)

    def payload(self) -> dict[str, Any]:
        """The team server's POST/PUT body."""
        doc = self.doc()
        return {"id": doc["id"], **{name: doc[name] for name in self.content_fields()}}


class TeamRecord(Record):
    name: Name


class PlayerRecord(Record):
    team_id: Uuid
    name: Name
    shirt_number: int | None = Field(default=None, ge=0, le=99)
    position: Literal["GK", "DF", "MF", "FW"] | None = None


class MatchRecord(Record):
    COLUMNS: ClassVar[dict[str, str]] = {"regular_periods": "period_count"}
    LOCAL: ClassVar[tuple[str, ...]] = ("our_side",)

    team_id: Uuid | None = None
    our_side: Literal["home", "away"] = "home"
    home_team: Name
    away_team: Name
    home_team_id: Uuid | None = None
    away_team_id: Uuid | None = None
    kickoff_at: datetime
    venue: str | None = None
    status: Literal["scheduled", "live", "finished"] = "scheduled"
    current_period: int = Field(default=0, ge=0, le=MAX_PERIODS)
    regular_periods: int = Field(
        default=2, ge=1, le=MAX_REGULAR_PERIODS, validation_alias=AliasChoices("regular_periods", "period_count")
    )
    period_length_min: int = Field(default=45, ge=1, le=60)
    extra_time_length_min: int = Field(default=15, ge=1, le=30)

    @model_validator(mode="after")
    def _our_squad(self) -> Self:
        """Our team is our side's squad (a 1.0 record names only ``team_id``)."""
        side = f"{self.our_side}_team_id"
        if self.team_id is not None and getattr(self, side) is None:
            setattr(self, side, self.team_id)
        return self


class LineupRecord(BaseModel):
    """One lineup entry (the server's LineupEntry; the whole lineup travels as a list)."""

    model_config = ConfigDict(extra="ignore")

    player_id: Uuid
    starting: bool
    shirt_number: int | None = Field(default=None, ge=0, le=99)

    @classmethod
    def from_row(cls, row: Any) -> Self:
        return cast(
            Self, cls.model_construct(player_id=row.player_id, starting=row.starting, shirt_number=row.shirt_number)
        )


class EventRecord(Record):
    match_id: Uuid
    kind: EventKind
    team: Literal["home", "away"]
    player_id: Uuid | None = None
    related_player_id: Uuid | None = None
    reason: Literal["second_yellow"] | None = None
    period: int = Field(ge=1, le=MAX_PERIODS)
    clock_ms: int = Field(ge=0)
    note: str | None = Field(default=None, max_length=500)
    logged_at: datetime | None = None


SCHEMAS: dict[str, type[Record]] = {
    "team": TeamRecord,
    "player": PlayerRecord,
    "match": MatchRecord,
    "event": EventRecord,
}
