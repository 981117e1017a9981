"""Conflicts: records changed on both sides. The newer edit won; the other version is kept here."""

from __future__ import annotations

import contextlib
import json
import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.models.sync import SyncConflict
from sync import registry
from ui.ops import CancelToken, close_ops, ops_closed, run_op
from ui.sync.controller import SyncController

log = logging.getLogger(__name__)


class ConflictsView(QWidget):
    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.rows: list[SyncConflict] = []
        intro = QLabel(
            "When a record was changed here and on the server, the newer edit wins and the other "
            "version is kept below so nothing is lost. Dismiss a row once you have looked at it."
        )
        intro.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("conflicts")
        self.tree.setHeaderLabels(["When", "Where", "Record", "Kept version"])
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.itemSelectionChanged.connect(self._selected)
        self.detail = QPlainTextEdit()
        self.detail.setObjectName("conflictDetail")
        self.detail.setReadOnly(True)
        self.dismiss_button = QPushButton("Dismiss")
        self.dismiss_button.setObjectName("dismiss")
        self.dismiss_button.setEnabled(False)
        self.dismiss_button.clicked.connect(self.dismiss_selected)
        self.empty = QLabel("No conflicts.")
        self.empty.setObjectName("noConflicts")
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.tree)
        splitter.addWidget(self.detail)
        buttons = QHBoxLayout()
        buttons.addWidget(self.empty)
        buttons.addStretch(1)
        buttons.addWidget(self.dismiss_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        controller.statuses_changed.connect(self.refresh)

    def refresh(self) -> None:
        """Re-read the open conflicts (a small indexed read; on the GUI thread)."""
        try:
            rows = self.controller.engine_factory(self.controller.ctx).conflicts()
        except Exception:
            log.exception("could not read conflicts")
            return
        self.rows = rows
        self.tree.clear()
        for row in rows:
            kept = "yours (this computer)" if row.winner == "remote" else "the server's"
            item = QTreeWidgetItem(
                [
                    row.created_at.astimezone().strftime("%Y-%m-%d %H:%M") if row.created_at else "",
                    registry.label(row.provider),
                    f"{row.entity.replace('_', ' ')} {row.entity_id[:8]}",
                    kept,
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, row.id)
            self.tree.addTopLevelItem(item)
        self.empty.setVisible(not rows)
        self.detail.clear()
        self._selected()

    def _failed(self, exc: BaseException) -> None:
        log.error("could not dismiss conflicts", exc_info=exc)

    def _selected(self) -> None:
        items = self.tree.selectedItems()
        self.dismiss_button.setEnabled(bool(items))
        if len(items) == 1:
            conflict_id = items[0].data(0, Qt.ItemDataRole.UserRole)
            row = next((r for r in self.rows if r.id == conflict_id), None)
            if row is not None:
                self.detail.setPlainText(json.dumps(row.kept_version, indent=2, ensure_ascii=False, default=str))

    def dismiss_selected(self) -> None:
        ids = [int(i.data(0, Qt.ItemDataRole.UserRole)) for i in self.tree.selectedItems()]
        if not ids:
            return
        ctx, factory = self.controller.ctx, self.controller.engine_factory

        def work(token: CancelToken) -> None:
            engine = factory(ctx)
            for conflict_id in ids:
                engine.dismiss_conflict(conflict_id)

        self.dismiss_button.setEnabled(False)
        run_op(self, work, on_success=lambda _r: self._dismissed(), on_failure=self._failed)

    def _dismissed(self) -> None:
        self.controller.bus.announce_topic("sync")

    def shutdown(self) -> None:
        if ops_closed(self):  # already shut down
            return
        close_ops(self)
        with contextlib.suppress(RuntimeError, TypeError):  # already disconnected
            self.controller.statuses_changed.disconnect(self.refresh)
