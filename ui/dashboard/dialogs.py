"""The practice session dialog: the holds of one session."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app.stats.practice import HistoryRow, HoldRow
from ui.dashboard.tables import HOLDS_HEADERS, hold_rows, when
from ui.dashboard.widgets import TableBox, write_csv


class SessionDialog(QDialog):
    """Lists the poses held in one practice session (time, pose, hold, accuracy, feedback)."""

    def __init__(
        self, session: HistoryRow | None, holds: Sequence[HoldRow], tz: tzinfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sessionDialog")
        title = "Practice session" if session is None else f"Practice session, {when(session.started, tz)}"
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        if session is not None:
            summary = (
                f"{session.duration_s / 60:.1f} min · {len(holds)} holds · "
                f"average accuracy {session.avg_accuracy:.1f} %"
            )
            layout.addWidget(QLabel(summary))
        self.table = TableBox("holds", "Holds", HOLDS_HEADERS)
        self.table.model.set_rows(hold_rows(holds, tz))
        self.table.csv_requested.connect(lambda p: write_csv(p, HOLDS_HEADERS, self.table.model.text_rows()))
        layout.addWidget(self.table, 1)
        if not holds:
            layout.addWidget(QLabel("No poses were held in this session."))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, 420)
