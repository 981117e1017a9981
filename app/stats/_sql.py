"""SQL helpers shared by the statistics modules."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import ColumnElement, String, Table, func, type_coerce
from sqlalchemy.engine import Connection
from sqlalchemy.sql.expression import Executable
from sqlmodel import SQLModel

from app.db import Database
from app.stats.periods import Period

Source = Database | Connection
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


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


def micros_from_text(values: list[Any]) -> npt.NDArray[np.int64]:
    """UNIX microseconds (exact integers) from stored UTC timestamp texts, vectorised.

    Comparing these with ``micros(bound)`` gives the same answer as SQLite's comparison of the
    stored texts with a bound parameter (the texts sort as the instants they name).
    """
    if not values:
        return np.zeros(0, dtype=np.int64)
    try:
        micros: npt.NDArray[np.int64] = np.array(values, dtype="datetime64[us]").astype(np.int64)
    except ValueError:
        fallback: npt.NDArray[np.int64] = np.rint(stamps_from_text(values) * 1e6).astype(np.int64)
        return fallback
    return micros


def micros(when: datetime) -> int:
    """UNIX microseconds of an aware datetime, exactly (no float rounding)."""
    return (when - EPOCH) // timedelta(microseconds=1)


def stamps_from_text(values: list[Any]) -> npt.NDArray[np.float64]:
    """UNIX seconds from stored UTC timestamp texts ("YYYY-MM-DD HH:MM:SS[.ffffff]"), vectorised.

    numpy parses the texts in C; anything it cannot parse falls back to ``datetime``.
    """
    if not values:
        return np.zeros(0)
    try:
        parsed = np.array(values, dtype="datetime64[us]")
    except ValueError:

        def one(v: Any) -> float:
            dt = v if isinstance(v, datetime) else datetime.fromisoformat(str(v))
            return (dt if dt.tzinfo else dt.replace(tzinfo=UTC)).timestamp()

        return np.array([one(v) for v in values], dtype=np.float64)
    return parsed.astype(np.int64).astype(np.float64) / 1e6


def fetch_all(conn: Connection, statement: Executable) -> list[tuple[Any, ...]]:
    """All rows of ``statement`` as the driver's plain tuples.

    For bulk reads of numbers and texts: it skips building a ``Row`` per row (and their
    garbage), which matters for thousands of rows. Only for columns without a result
    conversion (no ``DateTime``: select ``raw_text`` or ``epoch`` instead).
    """
    result = conn.execute(statement)
    try:
        cursor = result.cursor
        return list(cursor.fetchall()) if cursor is not None else []
    finally:
        result.close()


_gc_lock = threading.Lock()
_gc_pauses = 0
_gc_was_enabled = False


@contextmanager
def gc_paused() -> Iterator[None]:
    """Hold Python's cycle collector while the statistics build their short-lived rows.

    A refresh allocates tens of thousands of tuples; with the collector on, that starts
    dozens of collections and now and then a full one over the whole (Qt) heap, which costs
    more than the refresh itself. Rows hold no reference cycles, so reference counting frees
    them; the collector runs as usual once every pause has ended. Nests across threads.
    """
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()
