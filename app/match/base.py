"""What every part of ``MatchService`` shares: the database, the injected clock and the
undo history of this instance."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from app.db import Database
from app.match.history import UndoHistory
from app.match.rules import check_aware
from app.models.base import utcnow


class ServiceBase:
    """State of one ``MatchService`` instance; its parts (mixins) add the operations."""

    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock
        self._history = UndoHistory()

    def _now(self) -> datetime:
        return check_aware(self.clock(), "clock()")

    def _at(self, now: datetime | None) -> datetime:
        """``now`` checked, or the injected clock's time when None."""
        return check_aware(now, "now") if now is not None else self._now()
