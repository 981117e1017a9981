"""SQL helpers shared by the statistics modules."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import ColumnElement, String, Table, func, type_coerce
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from app.db import Database
from app.stats.periods import Period

Source = Database | Connection


def table_of(model: type[SQLModel]) -> Table:
    """The Core table of a SQLModel table class (for aggregate queries without ORM objects)."""
    return SQLModel.metadata.tables[str(model.__tablename__)]


@contextmanager
def connect(source: Source) -> Iterator[Connection]:
    """A connection for reads: ``source`` itself, or a new one from a Database."""
    if isinstance(source, Connection):
        yield source
        return
    with source.engine.connect() as conn:
        yield conn


def epoch(column: Any) -> ColumnElement[float]:
    """UNIX seconds of a stored UTC timestamp, computed by SQLite (no datetime parsing in Python).

    Rounded to the millisecond: julianday's float carries ~10 µs of error, enough to move a
    session at exactly midnight onto the day before.
    """
    return func.round((func.julianday(column) - 2440587.5) * 86400.0, 3)


def within(column: Any, period: Period) -> ColumnElement[bool]:
    """``column`` in [period.start, period.end); uses the column's index."""
    if period.start is None:
        return column < period.end  # type: ignore[no-any-return]
    return (column >= period.start) & (column < period.end)  # type: ignore[no-any-return]


def raw_text(column: Any) -> ColumnElement[str]:
    """The column's stored text, without the type's conversion (fast bulk timestamp reads)."""
    return type_coerce(column, String)


def stamps_from_text(values: list[Any]) -> npt.NDArray[np.float64]:
    """UNIX seconds from stored UTC timestamp texts ("YYYY-MM-DD HH:MM:SS[.ffffff]"), vectorised.

    numpy parses the texts in C; anything it cannot parse falls back to ``datetime``.
    """
    if not values:
        return np.zeros(0)
    try:
        parsed = np.array(values, dtype="datetime64[us]")
    except ValueError:
        from datetime import UTC, datetime

        def one(v: Any) -> float:
            dt = v if isinstance(v, datetime) else datetime.fromisoformat(str(v))
            return (dt if dt.tzinfo else dt.replace(tzinfo=UTC)).timestamp()

        return np.array([one(v) for v in values], dtype=np.float64)
    return parsed.astype(np.int64).astype(np.float64) / 1e6
