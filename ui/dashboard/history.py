"""The Practice page's history actions: load more sessions, open one, delete one.

GUI thread only. Each function takes the panel; the queries and the delete run in the panel's
worker pool (``DashboardPanel._side``) and their results are applied on the GUI thread. The
history shows the panel's ``history`` rows, one page (``history_page`` sessions) at a time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QMessageBox

from app.errors import NotFound
from app.practice.service import PracticeService
from app.stats.practice import HistoryRow, session_history, session_holds
from ui.dashboard.dialogs import SessionDialog
from ui.dashboard.tables import history_rows
from ui.ops import CancelToken, Op

if TYPE_CHECKING:
    from ui.dashboard.panel import DashboardPanel


def update_note(panel: DashboardPanel) -> None:
    """Show how many sessions are loaded of how many; "Load more" only while some are left."""
    total = panel.data.history_total if panel.data is not None else len(panel.history)
    shown = len(panel.history)
    panel.tables["history"].note.setText(f"{shown} of {total} sessions" if total > shown else f"{total} sessions")
    panel.more_button.setEnabled(total > shown)


def load_more(panel: DashboardPanel) -> Op | None:
    """Load the next page of the practice history (newest first); None before the first data."""
    if panel.data is None:
        return None
    db, period, tz, offset, page = panel.ctx.db, panel.data.period, panel.tz, len(panel.history), panel.history_page

    def work(token: CancelToken) -> tuple[list[HistoryRow], Any]:
        rows = session_history(db, period, limit=page, offset=offset)
        return rows, history_rows(rows, tz)

    def done(result: tuple[list[HistoryRow], Any]) -> None:
        rows, (cells, ids) = result
        if len(panel.history) != offset:  # refreshed meanwhile
            return
        panel.history.extend(rows)
        panel.tables["history"].model.append_rows(cells, ids)
        update_note(panel)

    return panel._side(work, done)


def open_session(panel: DashboardPanel, session_id: str) -> Op:
    """Open the dialog listing the holds of a session (loaded in the worker), closing one open."""
    db = panel.ctx.db
    row = next((h for h in panel.history if h.session_id == session_id), None)

    def show(holds: Any) -> None:
        if panel.dialog is not None:
            panel.dialog.close()
        panel.dialog = SessionDialog(row, holds, panel.tz, panel)
        panel.dialog.open()

    return panel._side(lambda token: session_holds(db, session_id), show)


def delete_session(panel: DashboardPanel, session_id: str, *, confirm: bool) -> Op | None:
    """Delete a practice session (soft delete, synced), after asking when ``confirm``.

    None when the user says no. Once done, "practice" is announced (unless the session was
    already gone) and the panel refreshes.
    """
    if confirm:
        answer = QMessageBox.question(
            panel,
            "Delete practice session",
            "Delete this practice session? It is removed from the history and from the yoga cloud "
            "at the next sync.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
    service = PracticeService(panel.ctx)

    def work(token: CancelToken) -> bool:
        try:
            service.delete_session(session_id)  # soft delete + outbox, one transaction
        except NotFound:
            return False  # already gone (deleted elsewhere meanwhile)
        return True

    def done(deleted: bool) -> None:
        if deleted:
            panel.bus.announce("practice")
        panel._dirty = True
        panel.refresh()

    return panel._side(work, done)
