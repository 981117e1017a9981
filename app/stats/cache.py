"""Dashboard results kept per data version, so a refresh with no new data costs ~nothing.

The version is SQLite's ``PRAGMA data_version`` on a connection of the cache's own that
only ever reads: it changes whenever any other connection (any thread or process) commits.
Reading it costs microseconds. What a result depends on besides the data: the local date
of ``now`` (ranges and cards are calendar days), the zone, the range, the pose and the
history page. The range-independent parts (the sessions' facts behind the cards and the
minutes per day, and the Reboot joint angles) are kept apart, so switching ranges reuses them.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from app.db import Database

T = TypeVar("T")
MAX_RESULTS = 8  # whole results kept (ranges x poses); each is at most a few hundred kB


class DashboardCache:
    """Thread-safe cache of Dashboard results for one database; ``close()`` when done."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._lock = threading.Lock()
        self._probe: sqlite3.Connection | None = None
        self._version: int | None = None
        self._parts: dict[Any, Any] = {}
        self._results: OrderedDict[Any, Any] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def version(self) -> int:
        """The database's data version now (any commit elsewhere changes it)."""
        with self._lock:
            if self._probe is None:
                self._probe = sqlite3.connect(str(self._db.path), check_same_thread=False)  # reads only
            return int(self._probe.execute("PRAGMA data_version").fetchone()[0])

    def _sync(self, version: int) -> None:
        """Forget everything computed from another data version (call with the lock held)."""
        if version != self._version:
            self._version = version
            self._parts.clear()
            self._results.clear()

    def result(self, version: int, key: tuple[Any, ...]) -> Any | None:
        with self._lock:
            self._sync(version)
            found = self._results.get(key)
            if found is None:
                self.misses += 1
                return None
            self._results.move_to_end(key)
            self.hits += 1
            return found

    def store(self, version: int, key: tuple[Any, ...], value: Any) -> None:
        with self._lock:
            if version != self._version:
                return  # the data changed while it was computed: keep nothing
            self._results[key] = value
            while len(self._results) > MAX_RESULTS:
                self._results.popitem(last=False)

    def part(self, version: int, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """A range-independent part of the result, computed once per data version."""
        with self._lock:
            self._sync(version)
            if key in self._parts:
                value: T = self._parts[key]
                return value
        value = compute()
        with self._lock:
            if version == self._version:
                self._parts[key] = value
        return value

    def clear(self) -> None:
        with self._lock:
            self._version = None
            self._parts.clear()
            self._results.clear()

    def close(self) -> None:
        with self._lock:
            if self._probe is not None:
                self._probe.close()
                self._probe = None
            self._version = None
            self._parts.clear()
            self._results.clear()


def day_key(today: date, tz: Any) -> tuple[str, str]:
    """The part of (now, zone) a result depends on: the local date and the zone."""
    return today.isoformat(), str(getattr(tz, "key", None) or tz)
