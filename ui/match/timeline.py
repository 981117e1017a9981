"""The event timeline of a match (live view and summary) and the dialog that edits an event."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.match.service import LOGGABLE_KINDS, PERIOD_KINDS, MatchService
from app.match.types import Change, TimelineEvent
from ui.match.keys import kind_label
from ui.match.service_page import ServicePage
from ui.match.widgets import big_button, big_font, item, open_modeless, over_buttons, save_cancel

COLUMNS = ("Min", "Event", "Team", "Player", "Related", "Note")


def _player_text(name: str | None, pid: str | None, shirts: dict[str, int | None]) -> str:
    if not pid:
        return ""
    number = shirts.get(pid)
    prefix = f"#{number} " if number is not None else ""
    return prefix + (name or "?")


class TimelineTable(QTableWidget):
    """One row per event, newest first when ``newest_first``; the event id is in UserRole."""

    editRequested = Signal(str)  # noqa: N815 - Qt signal naming

    def __init__(self, newest_first: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.newest_first = newest_first
        self.events: list[TimelineEvent] = []
        self.setHorizontalHeaderLabels(list(COLUMNS))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(44)  # rows are touch targets too
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)
        self.setFont(big_font(16, bold=False))
        self.cellDoubleClicked.connect(self._double_clicked)

    def show_events(self, events: list[TimelineEvent], sides: dict[str, str], shirts: dict[str, int | None]) -> None:
        selected = self.selected_event_id()
        rows = list(reversed(events)) if self.newest_first else list(events)
        self.events = rows
        header = self.horizontalHeader()
        # Sized to contents once, after the fill: left on, every setItem re-measures the whole
        # column (a 300-event match took seconds per logged event).
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        try:
            self.setRowCount(len(rows))
            for r, e in enumerate(rows):
                cells = (
                    e.minute,
                    kind_label(e.kind),
                    "" if e.team is None else sides.get(e.team, e.team),  # period markers: no team
                    _player_text(e.player_name, e.player_id, shirts),
                    _player_text(e.related_player_name, e.related_player_id, shirts),
                    e.note or "",
                )
                for c, text in enumerate(cells):
                    self.setItem(r, c, item(text, e.id))
        finally:
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        if selected is not None:
            self.select_event(selected)

    def selected_event_id(self) -> str | None:
        rows = self.selectionModel().selectedRows() if self.selectionModel() else []
        if not rows:
            return None
        cell = self.item(rows[0].row(), 0)
        return None if cell is None else str(cell.data(Qt.ItemDataRole.UserRole))

    def select_event(self, event_id: str) -> bool:
        for r, e in enumerate(self.events):
            if e.id == event_id:
                self.selectRow(r)
                return True
        return False

    def row_texts(self) -> list[tuple[str, ...]]:
        """What the table shows, row by row (for tests and accessibility)."""
        out = []
        for r in range(self.rowCount()):
            cells = (self.item(r, c) for c in range(self.columnCount()))
            out.append(tuple(cell.text() if cell is not None else "" for cell in cells))
        return out

    def _double_clicked(self, row: int, _column: int) -> None:
        if 0 <= row < len(self.events):
            self.editRequested.emit(self.events[row].id)


class EventEditDialog(QDialog):
    """Edit one event: kind, side, player, related player, period, time in period, note."""

    def __init__(
        self,
        event: TimelineEvent,
        sides: dict[str, str],
        players: list[tuple[str, str]],
        period_count: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit event")
        self.setMinimumWidth(620)
        self.timeline_event = event
        self.setFont(big_font(18, bold=False))
        form = QFormLayout()

        self.kind = QComboBox()
        for kind in (event.kind,) if event.kind in PERIOD_KINDS else LOGGABLE_KINDS:
            self.kind.addItem(kind_label(kind), kind)
        self.kind.setCurrentIndex(max(0, self.kind.findData(event.kind)))
        self.team = QComboBox()
        for side in ("home", "away"):
            self.team.addItem(sides.get(side, side), side)
        self.team.setCurrentIndex(max(0, self.team.findData(event.team)))
        self.player = self._player_combo(players, event.player_id, event.player_name)
        self.related = self._player_combo(players, event.related_player_id, event.related_player_name)
        self.period = QSpinBox()
        self.period.setRange(1, max(period_count, event.period, 1))
        self.period.setValue(max(1, event.period))
        self.minutes = QSpinBox()
        self.minutes.setRange(0, 300)
        self.minutes.setSuffix(" min")
        self.minutes.setValue(event.clock_ms // 60000)
        self.seconds = QSpinBox()
        self.seconds.setRange(0, 59)
        self.seconds.setSuffix(" s")
        self.seconds.setValue((event.clock_ms // 1000) % 60)
        time_row = QHBoxLayout()
        time_row.addWidget(self.minutes)
        time_row.addWidget(self.seconds)
        self.note = QLineEdit(event.note or "")

        for widget in (
            self.kind,
            self.team,
            self.player,
            self.related,
            self.period,
            self.minutes,
            self.seconds,
            self.note,
        ):
            widget.setMinimumHeight(56)
        form.addRow("Event", self.kind)
        form.addRow("Team", self.team)
        form.addRow("Player", self.player)
        form.addRow("Related player\n(assist by / player on)", self.related)
        form.addRow("Period", self.period)
        form.addRow("Time in period", time_row)
        form.addRow("Note", self.note)
        if event.kind in PERIOD_KINDS:  # the clock depends on these: only the note can change
            for widget in (self.kind, self.team, self.player, self.related, self.period, self.minutes, self.seconds):
                widget.setEnabled(False)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(save_cancel(self, self.accept))

    @staticmethod
    def _player_combo(players: list[tuple[str, str]], current: str | None, current_name: str | None) -> QComboBox:
        combo = QComboBox()
        combo.addItem("(nobody)", None)
        for pid, label in players:
            combo.addItem(label, pid)
        if current is not None and combo.findData(current) < 0:
            combo.addItem(current_name or "(removed player)", current)
        combo.setCurrentIndex(max(0, combo.findData(current)) if current is not None else 0)
        return combo

    def changes(self) -> dict[str, Any]:
        """Only the fields the user changed (what ``edit_event`` receives)."""
        e = self.timeline_event
        values: dict[str, Any] = {
            "kind": self.kind.currentData(),
            "team": self.team.currentData(),
            "player_id": self.player.currentData(),
            "related_player_id": self.related.currentData(),
            "period": self.period.value(),
            "clock_ms": (self.minutes.value() * 60 + self.seconds.value()) * 1000
            if (self.minutes.value(), self.seconds.value()) != (e.clock_ms // 60000, (e.clock_ms // 1000) % 60)
            else e.clock_ms,
            "note": self.note.text().strip() or None,
        }
        return {k: v for k, v in values.items() if v != getattr(e, k)}


class TimelineBox(ServicePage):
    """Timeline table with big Edit and Delete buttons; double-click a row to edit it."""

    def __init__(
        self,
        service: MatchService,
        on_change: Callable[[Change], None],
        on_error: Callable[[BaseException], None],
        newest_first: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(service, on_change, on_error, parent)
        self.match_id: str | None = None
        self.sides: dict[str, str] = {}
        self.players: list[tuple[str, str]] = []
        self.shirts: dict[str, int | None] = {}
        self.period_count = 2
        self.edit_dialog: EventEditDialog | None = None

        self.table = TimelineTable(newest_first)
        self.table.editRequested.connect(self.edit_event)
        # The newest event stays in view unless the coach scrolled away on purpose; then a
        # "↓ newest" button brings it back (and following resumes).
        self.following = True
        self._scrolling = False
        self.newest_button = big_button("↓ newest", "newestButton", px=16, on_click=self.show_newest)
        self.newest_button.setVisible(False)
        self.table.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.edit_button = big_button("Edit…", "editEvent", px=18, on_click=self.edit_selected)
        self.delete_button = big_button("Delete", "deleteEvent", px=18, on_click=self.delete_selected)
        over_buttons(self, self.table, (self.newest_button, self.edit_button, self.delete_button))

    def set_context(
        self,
        match_id: str,
        sides: dict[str, str],
        players: list[tuple[str, str]],
        shirts: dict[str, int | None],
        period_count: int,
    ) -> None:
        self.match_id = match_id
        self.sides, self.players, self.shirts, self.period_count = sides, players, shirts, period_count

    def refresh(self) -> None:
        if self.match_id is None:
            self.table.show_events([], {}, {})
            return
        self._scrolling = True
        try:
            self.table.show_events(self.service.timeline(self.match_id), self.sides, self.shirts)
            if self.following:
                self._scroll_to_newest()
        finally:
            self._scrolling = False
        self.newest_button.setVisible(not self.following)

    def newest_row(self) -> int:
        return 0 if self.table.newest_first else self.table.rowCount() - 1

    def newest_visible(self) -> bool:
        """The newest event's row is inside the visible part of the table."""
        row = self.newest_row()
        if row < 0:
            return True
        rect = self.table.visualRect(self.table.model().index(row, 0))
        view = self.table.viewport().rect()
        return rect.height() > 0 and view.contains(rect.topLeft()) and view.contains(rect.bottomLeft())

    def show_newest(self) -> None:
        self.following = True
        self._scrolling = True
        try:
            self._scroll_to_newest()
        finally:
            self._scrolling = False
        self.newest_button.setVisible(False)

    def _scroll_to_newest(self) -> None:
        bar = self.table.verticalScrollBar()
        bar.setValue(bar.minimum() if self.table.newest_first else bar.maximum())

    def _scrolled(self, value: int) -> None:
        if self._scrolling:
            return  # our own scroll (a refresh, a re-selection), not the coach's
        bar = self.table.verticalScrollBar()
        self.following = value == (bar.minimum() if self.table.newest_first else bar.maximum())
        self.newest_button.setVisible(not self.following)

    def edit_selected(self) -> None:
        event_id = self.table.selected_event_id()
        if event_id is not None:
            self.edit_event(event_id)

    def edit_event(self, event_id: str) -> None:
        """Open the edit dialog (non-blocking; Save applies the change through the service)."""
        event = next((e for e in self.table.events if e.id == event_id), None)
        if event is None:
            return
        dialog = EventEditDialog(event, self.sides, self.players, self.period_count, self)
        self.edit_dialog = dialog
        open_modeless(dialog, self._dialog_closed, lambda: self._apply_edit(dialog))

    def _dialog_closed(self) -> None:
        self.edit_dialog = None

    def _apply_edit(self, dialog: EventEditDialog) -> None:
        fields = dialog.changes()
        if fields:
            event_id = dialog.timeline_event.id
            self._apply(lambda: self.service.edit_event(event_id, **fields))

    def delete_selected(self) -> None:
        event_id = self.table.selected_event_id()
        if event_id is not None:
            self._apply(lambda: self.service.delete_event(event_id))
