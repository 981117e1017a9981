"""The top of the Sync tab: online/offline line, Sync/Cancel, live progress and the last summary."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from sync import registry
from sync.engine import SyncSummary
from sync.outcome import HEADLINE, SHORT, FailureKind, Status, short
from sync.provider import ProgressEvent
from ui.sync.controller import SyncController

COLUMNS = ("Provider", "State", "Sent", "Received", "Now")
# The words of each finished run come from ``sync.outcome`` (one place for CLI and screen).
STATE_WORDS = {
    "running": "Syncing…",
    "waiting": "Waiting",
    **{str(status): words for status, words in SHORT.items()},
}


def provider_title(name: str) -> str:
    label = registry.label(name)
    return label[:1].upper() + label[1:]


def _one(word: str) -> str:
    """'matches' -> 'match', 'players' -> 'player' (the engine names resources in the plural)."""
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def resource_words(counts: dict[str, int]) -> str:
    parts = []
    for resource, n in sorted(counts.items()):
        if n:
            word = resource.replace("_", " ")
            parts.append(f"{n} {_one(word) if n == 1 else word}")
    return ", ".join(parts) or "nothing"


@dataclass
class _Live:
    """Progress of one provider during a run, from its ProgressEvents.

    Push events count records (changes sent). Pull events count steps whose unit depends
    on the provider (pages, days, files), so during a run the Received column shows the
    step and the exact record counts come with the summary.
    """

    pushed: dict[str, int] = field(default_factory=dict)
    pulling: bool = False
    now: str = ""

    def apply(self, event: ProgressEvent) -> None:
        what = event.resource.replace("_", " ")
        if event.phase == "push":
            self.pushed[event.resource] = max(self.pushed.get(event.resource, 0), event.done)
            of = f" of {event.total}" if event.total is not None else ""
            self.now = event.message or f"Sending {what}: {event.done}{of}"
        else:
            self.pulling = True
            step = f" ({event.done}/{event.total})" if event.total else "…"
            self.now = event.message or f"Receiving {what}{step}"

    @property
    def sent(self) -> int:
        return sum(self.pushed.values())


class SyncStatusView(QWidget):
    """Shows what the controller knows; the only writes are the user's Sync/Cancel/auto-sync."""

    relogin_requested = Signal(str)  # provider

    def __init__(self, controller: SyncController, action: QAction, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.live: dict[str, _Live] = {}

        self.state_label = QLabel()
        self.state_label.setObjectName("syncState")
        font = self.state_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.state_label.setFont(font)

        self.sync_button = QToolButton()
        self.sync_button.setObjectName("syncNow")
        self.sync_button.setDefaultAction(action)
        self.sync_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.cancel_button = QPushButton("Cancel sync")
        self.cancel_button.setObjectName("cancelSync")
        self.cancel_button.setToolTip("Stop after the current step; what was already sent or received is kept.")
        self.cancel_button.clicked.connect(controller.cancel)
        self.auto_sync = QCheckBox("Sync automatically when the connection comes back")
        self.auto_sync.setObjectName("autoSync")
        self.auto_sync.setChecked(controller.ctx.settings.auto_sync_on_reconnect)
        self.auto_sync.toggled.connect(controller.set_auto_sync)
        if controller.probe is None:
            self.auto_sync.setEnabled(False)
            self.auto_sync.setToolTip("Automatic sync is not available here; press Sync instead.")
        else:
            self.auto_sync.setToolTip(
                "While offline, Fieldmat checks every minute whether the accounts answer again, then syncs."
            )

        top = QHBoxLayout()
        top.addWidget(self.state_label, 1)
        top.addWidget(self.sync_button)
        top.addWidget(self.cancel_button)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("syncProgress")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

        self.summary = QLabel()
        self.summary.setObjectName("syncSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

        self.relogin_box = QHBoxLayout()
        self.retry_button = QPushButton()
        self.retry_button.setObjectName("retryRefused")
        self.retry_button.setToolTip("Put the changes the server refused back in the queue (after you fixed them)")
        self.retry_button.clicked.connect(controller.retry_refused)
        self.retry_button.hide()
        refused = QHBoxLayout()
        refused.addWidget(self.retry_button)
        refused.addStretch(1)
        self.relogin_buttons: dict[str, QPushButton] = {}

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.auto_sync)
        layout.addWidget(self.table)
        layout.addWidget(self.summary)
        layout.addLayout(self.relogin_box)
        layout.addLayout(refused)

        controller.state_changed.connect(self.update_state)
        controller.pending_changed.connect(lambda _n: self.update_state())
        controller.statuses_changed.connect(self._statuses_changed)
        controller.started.connect(self._started)
        controller.progressed.connect(self._progressed)
        controller.finished.connect(self._finished)
        controller.failed.connect(self._failed)
        self.update_state()

    # -- the one-line state --------------------------------------------------------------------
    def state_text(self) -> str:
        c = self.controller
        if c.running:
            return "Cancelling…" if c.cancel_requested else "Syncing…"
        if c.offline:
            return c.offline_text
        waiting = c.pending
        if waiting:
            return f"Online — {waiting} change{'s' if waiting != 1 else ''} waiting to be sent"
        return "Online — everything is sent"

    def update_state(self) -> None:
        c = self.controller
        self.state_label.setText(self.state_text())
        self.state_label.setStyleSheet("color: #b00020;" if c.offline and not c.running else "")
        self.cancel_button.setVisible(c.running)
        self.cancel_button.setEnabled(c.running and not c.cancel_requested)

    # -- progress table ------------------------------------------------------------------------
    def _statuses_changed(self) -> None:
        c = self.controller
        refused = sum(st.rejected for st in c.statuses)
        self.retry_button.setVisible(refused > 0 and not c.running)
        self.retry_button.setText(f"Send the {refused} refused change{'s' if refused != 1 else ''} again")
        if not c.running and c.last_summary is None and c.last_error is None:
            self._fill_idle()  # before the first run: what each account last did

    def _fill_idle(self) -> None:
        self.table.setRowCount(0)
        self._table_shown()
        for s in self.controller.statuses:
            if not s.connected:
                continue
            last = short(s.last_status) if s.last_status else "Not synced yet"
            if s.needs_reconnect:
                last = "Needs you to log in again"
            row = self._row_of(s.provider)
            self._set_row(row, provider_title(s.provider), last, "", "", f"{s.pending} waiting" if s.can_push else "")

    def _table_shown(self) -> None:
        rows = self.table.rowCount()
        self.table.setVisible(rows > 0)
        if rows:
            height = self.table.horizontalHeader().height() + 2 * self.table.frameWidth()
            height += sum(self.table.rowHeight(r) for r in range(rows))
            self.table.setFixedHeight(min(height, 200))

    def _set_row(self, row: int, *cells: str) -> None:
        for column, text in enumerate(cells):
            item = self.table.item(row, column)
            if item is None:
                item = QTableWidgetItem()
                self.table.setItem(row, column, item)
            item.setText(text)
        self._table_shown()

    def _row_of(self, provider: str) -> int:
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == provider:
                return row
        row = self.table.rowCount()
        self.table.insertRow(row)
        self._set_row(row, provider_title(provider), STATE_WORDS["waiting"], "0", "0", "")
        item = self.table.item(row, 0)
        assert item is not None
        item.setData(Qt.ItemDataRole.UserRole, provider)
        return row

    def _started(self) -> None:
        self.live.clear()
        self.table.setRowCount(0)
        self._table_shown()
        for provider in self.controller.connected:
            self._row_of(provider)
        self.summary.setText("")
        self._clear_relogin()
        self.update_state()

    def _progressed(self, event: ProgressEvent) -> None:
        live = self.live.setdefault(event.provider, _Live())
        live.apply(event)
        row = self._row_of(event.provider)
        self._set_row(
            row,
            provider_title(event.provider),
            STATE_WORDS["running"],
            str(live.sent),
            "receiving…" if live.pulling else "0",
            live.now,
        )

    def counts(self, provider: str) -> tuple[int, int]:
        """(sent, received) shown for ``provider`` (for tests and the status bar)."""
        row = self._row_of(provider)
        cells = [self.table.item(row, column) for column in (2, 3)]
        sent, received = (int(c.text()) if c is not None and c.text().isdigit() else 0 for c in cells)
        return sent, received

    # -- after the run -------------------------------------------------------------------------
    def _finished(self, summary: SyncSummary) -> None:
        self.live.clear()
        for result in summary.results:
            row = self._row_of(result.provider)
            state = SHORT[result.status]
            if result.needs_reconnect:
                state = "Needs you to log in again"
            self._set_row(
                row,
                provider_title(result.provider),
                state,
                str(result.total_pushed),
                str(result.total_pulled),
                f"{result.pending_after} still waiting" if result.pending_after else "",
            )
        self.summary.setText(summary_text(summary))
        self._clear_relogin()
        for result in summary.results:
            if result.needs_reconnect:
                button = QPushButton(f"Log in to the {registry.label(result.provider)} again…")
                button.setObjectName(f"relogin_{result.provider}")
                button.clicked.connect(lambda _c=False, p=result.provider: self.relogin_requested.emit(p))
                self.relogin_box.addWidget(button)
                self.relogin_buttons[result.provider] = button
        self.update_state()

    def _failed(self, message: str) -> None:
        self.live.clear()
        self.summary.setText(f"Sync did not run: {message}")
        self.update_state()

    def _clear_relogin(self) -> None:
        for button in self.relogin_buttons.values():
            self.relogin_box.removeWidget(button)
            button.deleteLater()
        self.relogin_buttons.clear()


def summary_text(summary: SyncSummary) -> str:
    """The short summary: per provider what was sent and received (by resource) and the errors."""
    if not summary.results:
        return "No account is connected, so nothing was synced. Connect one under Accounts below."
    cancelled = any(r.status is Status.CANCELLED for r in summary.results)
    lines = ["Sync cancelled. What was already sent or received is kept." if cancelled else "Sync finished."]
    for r in summary.results:
        title = provider_title(r.provider)
        if r.kind in (FailureKind.NOT_CONNECTED, FailureKind.UNAVAILABLE):
            lines.append(f"{title}: not synced. " + " ".join(r.errors))
            continue
        head = HEADLINE[r.status]
        lines.append(f"{title}: {head} — sent {resource_words(r.pushed)}; received {resource_words(r.pulled)}.")
        if r.pending_after:
            lines.append(f"    {r.pending_after} change{'s' if r.pending_after != 1 else ''} still waiting.")
        if r.needs_reconnect:
            lines.append(f"    The {registry.label(r.provider)} needs you to log in again.")
        for error in r.errors:
            lines.append(f"    • {error}")
        for rej in r.rejected[:5]:
            lines.append(f"    • Refused {rej.get('entity', '')}: {rej.get('detail', '')}")
        if len(r.rejected) > 5:
            lines.append(f"    • … and {len(r.rejected) - 5} more refused.")
        if r.conflicts:
            n = len(r.conflicts)
            lines.append(f"    • {n} record{'s were' if n != 1 else ' was'} changed on both sides; see Conflicts.")
    return "\n".join(lines)
