"""Shared column helpers for the tables."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return str(uuid.uuid4())


def sql_ts(value: datetime) -> str:
    """A UTC datetime in the text form SQLAlchemy's DateTime stores in SQLite (for plain
    DBAPI statements on hot paths; ``UTCDateTime`` reads it back as an aware datetime)."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def from_sql_ts(text: str) -> datetime:
    """The aware UTC datetime of a timestamp read as stored text by a plain DBAPI statement."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC, always returns aware datetimes (SQLite keeps no zone of its own)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def ts_field(*, nullable: bool = False, index: bool = False, default_now: bool = False) -> Any:
    """A UTC timestamp column."""
    kwargs: dict[str, Any] = {}
    if default_now:
        kwargs["default_factory"] = utcnow
    elif nullable:
        kwargs["default"] = None
    return Field(sa_column=Column(UTCDateTime(), nullable=nullable, index=index), **kwargs)


def json_field(default_factory: Any = list) -> Any:
    return Field(default_factory=default_factory, sa_column=Column(JSON, nullable=False))
