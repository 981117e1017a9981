"""The live view's key list: a full-size overlay in large type (``?`` or F1 opens it; any key
or a tap closes it, and that key does nothing else). Pitch-side users forget keys."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ui.match.keys import CONTROL_KEY_HELP, ENTRY_KEY_HELP, EVENT_BUTTONS
from ui.match.widgets import big_font, big_label

MODIFIER_KEYS = frozenset(
    int(k) for k in (Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta, Qt.Key.Key_AltGr)
)
KEY_PX = 26
TEXT_PX = 22


def is_modifier(event: QKeyEvent) -> bool:
    """A key that only modifies others (Shift to type ``?``) closes nothing."""
    return int(event.key()) in MODIFIER_KEYS


class HelpOverlay(QFrame):
    """Covers its parent with every key of the live view. ``closed`` fires when dismissed."""

    closed = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("helpOverlay")
        self.setAutoFillBackground(True)  # opaque: the palette's window colour (outdoor theme too)
        self.setFrameShape(QFrame.Shape.Box)
        self.setLineWidth(4)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.rows: list[tuple[str, str]] = []
        title = big_label("Keys", 36, "helpTitle")
        columns = QHBoxLayout()
        columns.setSpacing(48)
        events = [(key, label) for _kind, label, key in EVENT_BUTTONS]
        columns.addLayout(self._column("Events (number first, or event first)", events), 1)
        right = QVBoxLayout()
        right.addLayout(self._column("Typing", list(ENTRY_KEY_HELP)))
        right.addSpacing(16)
        right.addLayout(self._column("Clock and corrections", list(CONTROL_KEY_HELP)))
        right.addStretch(1)
        columns.addLayout(right, 1)
        footer = big_label("Press any key or tap to close", TEXT_PX, "helpFooter", bold=False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 16, 32, 16)
        layout.addWidget(title)
        layout.addLayout(columns, 1)
        layout.addWidget(footer)
        self.hide()

    def _column(self, heading: str, rows: list[tuple[str, str]]) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(4)
        head = QLabel(heading)
        head.setFont(big_font(TEXT_PX))
        grid.addWidget(head, 0, 0, 1, 2)
        for r, (keys, text) in enumerate(rows, start=1):
            key_label = QLabel(keys)
            key_label.setFont(big_font(KEY_PX))
            key_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            text_label = QLabel(text)
            text_label.setFont(big_font(TEXT_PX, bold=False))
            text_label.setWordWrap(True)
            grid.addWidget(key_label, r, 0)
            grid.addWidget(text_label, r, 1)
            self.rows.append((keys, text))
        grid.setColumnStretch(1, 1)
        return grid

    def text(self) -> str:
        """Every key and what it does, one per line (tests, accessibility)."""
        return "\n".join(f"{keys}: {text}" for keys, text in self.rows)

    def open_over_parent(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.raise_()
        self.show()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def dismiss(self) -> None:
        if self.isVisible():
            self.hide()
            self.closed.emit()

    def event(self, event: QEvent) -> bool:
        # every key (Tab too, before it can move the focus) closes the list and does nothing else
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if not is_modifier(event):
                self.dismiss()
            event.accept()
            return True
        return super().event(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        event.accept()
        self.dismiss()
