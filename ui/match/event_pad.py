"""The live view's event pad: one big button per loggable event kind, with its key."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QPushButton, QWidget

from ui.match.keys import EVENT_BUTTONS
from ui.match.widgets import big_button, repolish

EVENT_COLUMNS = 7


class EventPad(QWidget):
    """``kindPressed(kind)`` on a tap; ``show_picked(kind)`` highlights the kind being entered."""

    kindPressed = Signal(str)  # noqa: N815

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout(self)
        grid.setSpacing(6)
        grid.setContentsMargins(0, 0, 0, 0)
        for i, (kind, label, key) in enumerate(EVENT_BUTTONS):
            button = big_button(
                f"{label}\n[{key}]", f"event_{kind}", px=19, on_click=lambda _=False, k=kind: self.kindPressed.emit(k)
            )
            button.setProperty("eventKind", kind)
            button.setToolTip(f"{label} — key {key}")
            grid.addWidget(button, i // EVENT_COLUMNS, i % EVENT_COLUMNS)
            self.buttons[kind] = button

    def show_picked(self, kind: str | None) -> None:
        for button_kind, button in self.buttons.items():
            on = button_kind == kind
            if bool(button.property("picked")) != on:
                button.setProperty("picked", on)
                repolish(button)
