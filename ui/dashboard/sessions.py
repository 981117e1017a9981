"""The practice sessions the Dashboard lists (its "Practice history" table): loaded a page at a
time, and the work its actions (load more, open, delete) do in the panel's worker pool.
(Not to be confused with ``app.match.history``, the match log's undo stack.)

``SessionList`` is plain state (GUI thread); the ``*_work`` functions run in a worker and
touch no widget. ``DashboardPanel`` wires them to the Practice page; nothing here knows the
panel or the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from typing import Any

from PySide6.QtWidgets import QMessageBox, QWidget

from app.db import Database
from app.errors import NotFound
from app.practice.service import PracticeService
from app.stats.periods import Period
from app.stats.practice import HistoryRow, HoldRow, session_history, session_holds
from ui.dashboard.tables import history_rows

PageRows = tuple[list[HistoryRow], Any]  # the sessions, and their table (cells, ids)


class SessionList:
    """The sessions loaded so far (newest first) of ``total`` in the range; ``page_size`` per load."""

    def __init__(self, page_size: int) -> None:
        self.page_size = page_size
        self.rows: list[HistoryRow] = []
        self.total = 0
        self.generation = 0  # bumped by each reset: a page loaded before it is stale

    def reset(self, rows: Sequence[HistoryRow], total: int) -> None:
        """Start over from the first page of a new computation."""
        self.rows = list(rows)
        self.total = total
        self.generation += 1

    def extend(self, generation: int, offset: int, rows: Sequence[HistoryRow]) -> bool:
        """Add the page loaded from ``offset`` in ``generation``; False (nothing added) if that is stale."""
        if generation != self.generation or len(self.rows) != offset:
            return False
        self.rows.extend(rows)
        return True

    def find(self, session_id: str) -> HistoryRow | None:
        return next((h for h in self.rows if h.session_id == session_id), None)


def load_page_work(db: Database, period: Period, tz: tzinfo, offset: int, limit: int) -> PageRows:
    """Worker: the sessions ``offset .. offset+limit`` of ``period``, with their table rows."""
    rows = session_history(db, period, limit=limit, offset=offset)
    return rows, history_rows(rows, tz)


def holds_work(db: Database, session_id: str) -> list[HoldRow]:
    """Worker: the holds of one session, for the session dialog."""
    return list(session_holds(db, session_id))


def delete_work(service: PracticeService, session_id: str) -> bool:
    """Worker: soft-delete a session (with its outbox entry, one transaction); False if already gone."""
    try:
        service.delete_session(session_id)
    except NotFound:
        return False  # deleted elsewhere meanwhile
    return True


def confirm_delete(parent: QWidget) -> bool:
    """Ask the user before deleting a practice session."""
    answer = QMessageBox.question(
        parent,
        "Delete practice session",
        "Delete this practice session? It is removed from the history and from the yoga cloud at the next sync.",
    )
    return answer == QMessageBox.StandardButton.Yes
