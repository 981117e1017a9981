"""Small building blocks of the match screens: big touch buttons, big labels, error text,
the team picker and the "something over a row of buttons" layout."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt, SignalInstance
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.models.match import Team
from ui.theme import MIN_TOUCH_PX

# The match screens' own style: sizes only (colours come from the palette / outdoor theme).
MATCH_QSS = """
QPushButton { min-height: 64px; min-width: 64px; }
QDialog QLabel, QDialog QPushButton, QDialog QLineEdit, QDialog QComboBox, QDialog QSpinBox,
QDialog QDateTimeEdit { font-size: 18px; }
QPushButton[eventKind="goal"], QPushButton[eventKind="own_goal"] { font-weight: bold; }
QPushButton[eventKind="yellow_card"] { background-color: #ffd400; color: #000000; }
QPushButton[eventKind="red_card"] { background-color: #c00000; color: #ffffff; }
QPushButton[eventKind="yellow_card"]:pressed, QPushButton[eventKind="red_card"]:pressed {
    background-color: #000000; color: #ffffff;
}
QPushButton[bench="true"] { border: 3px dashed #444444; border-radius: 6px; }
QPushButton[mark="off"], QPushButton[mark="sent off"] { color: #555555; border: 3px dotted #555555; }
QPushButton[picked="true"] { background-color: #000000; color: #ffffff; border: 4px solid #0033cc; }
"""


def big_font(px: int, bold: bool = True) -> QFont:
    font = QFont()
    font.setPixelSize(px)
    font.setBold(bold)
    return font


class FitButton(QPushButton):
    """A push button whose text always shows whole or visibly shortened, never cut: when the
    button is too narrow, its font scales down (to ``MIN_FIT_PX``), then lines are elided
    ("Alex Goalk…") with the whole text as the tooltip. ``full_text()`` is what was set."""

    MIN_FIT_PX = 13

    def __init__(self, text: str = "") -> None:
        super().__init__(text)
        self._full = text
        self._base_px = 0  # the font size asked for (``setFont``); 0: not set yet
        self._fitting = False
        self._full_hint = QPushButton.sizeHint(self)

    def full_text(self) -> str:
        return self._full

    def setText(self, text: str) -> None:  # noqa: N802 - Qt override
        self._full = text
        QPushButton.setText(self, text)
        self._remember_hint()
        self._fit()

    def text_room(self) -> int:
        """Width the text may take: the button less its frame."""
        return self.width() - 4

    def _remember_hint(self) -> None:
        shown, font = QPushButton.text(self), QFont(self.font())
        self._fitting = True
        try:
            if self._base_px:
                font.setPixelSize(self._base_px)
            QPushButton.setFont(self, font)
            QPushButton.setText(self, self._full)
            self._full_hint = QPushButton.sizeHint(self)
            QPushButton.setText(self, shown)
        finally:
            self._fitting = False
        self.updateGeometry()

    def _fit(self) -> None:
        if not self.isVisible() or self._fitting:
            return
        room = self.text_room()
        lines = self._full.split("\n")
        font = QFont(self.font())
        px = self._base_px or font.pixelSize()
        while px > self.MIN_FIT_PX and max(QFontMetrics(_sized(font, px)).horizontalAdvance(x) for x in lines) > room:
            px -= 1
        font = _sized(font, px)
        shown = "\n".join(elide(line, font, room) for line in lines)
        self._fitting = True
        try:
            if font.pixelSize() != self.font().pixelSize():
                QPushButton.setFont(self, font)
            if shown != QPushButton.text(self):
                QPushButton.setText(self, shown)
        finally:
            self._fitting = False
        if shown != self._full and not self.toolTip():
            self.setToolTip(self._full.replace("\n", " "))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and not self._fitting:
            self._base_px = self.font().pixelSize()
            self._remember_hint()
            self._fit()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        # the whole text's size: the layout aims for it, a fitted text does not shrink it
        return self._full_hint

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        # as narrow as the minimum width allows: a narrow window scales or elides instead of clipping
        return QSize(self.minimumWidth(), self._full_hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._fit()


def _sized(font: QFont, px: int) -> QFont:
    out = QFont(font)
    if px > 0:
        out.setPixelSize(px)
    return out


def big_button(
    text: str,
    name: str | None = None,
    *,
    px: int = 20,
    min_px: int = MIN_TOUCH_PX,
    on_click: Callable[..., Any] | SignalInstance | None = None,
) -> QPushButton:
    """A large button that never takes keyboard focus (the screen keeps the keys);
    ``on_click`` is connected to its ``clicked`` signal."""
    button = FitButton(text)
    button.setFont(big_font(px))
    button.setMinimumSize(min_px, min_px)
    button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setAutoDefault(False)
    if name:
        button.setObjectName(name)
    if on_click is not None:
        button.clicked.connect(on_click)
    return button


def big_label(text: str, px: int, name: str | None = None, bold: bool = True) -> QLabel:
    label = QLabel(text)
    label.setFont(big_font(px, bold))
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    if name:
        label.setObjectName(name)
    return label


def item(text: object, data: object = None, align_right: bool = False) -> QTableWidgetItem:
    """A read-only table cell; ``data`` goes into UserRole."""
    cell = QTableWidgetItem("" if text is None else str(text))
    cell.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if data is not None:
        cell.setData(Qt.ItemDataRole.UserRole, data)
    if align_right:
        cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return cell


def show_error(parent: QWidget | None, title: str, exc: BaseException) -> None:
    QMessageBox.warning(parent, title, str(exc) or exc.__class__.__name__)


def save_cancel(dialog: QDialog, on_save: Callable[[], Any]) -> QDialogButtonBox:
    """Big Save and Cancel buttons: Save calls ``on_save``, Cancel rejects ``dialog``."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
    for button in buttons.buttons():
        button.setMinimumSize(120, 64)
    buttons.accepted.connect(on_save)
    buttons.rejected.connect(dialog.reject)
    return buttons


def open_modeless(dialog: QDialog, on_closed: Callable[[], Any], on_accepted: Callable[[], Any] | None = None) -> None:
    """Open ``dialog`` without blocking; it is deleted when closed (``on_closed`` then runs)."""
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if on_accepted is not None:
        dialog.accepted.connect(on_accepted)
    dialog.finished.connect(on_closed)
    dialog.open()


def repolish(widget: QObject) -> None:
    """Re-apply the style sheet after a dynamic property (picked, mark) changed."""
    if isinstance(widget, QWidget):
        style = widget.style()
        style.unpolish(widget)
        style.polish(widget)


def clear_layout(layout: QLayout) -> None:
    """Take every item out of ``layout``; its widgets are deleted."""
    while layout.count():
        child = layout.takeAt(0)
        widget = child.widget() if child is not None else None
        if widget is not None:
            widget.deleteLater()


def over_buttons(owner: QWidget, main: QWidget, buttons: Iterable[QPushButton]) -> QVBoxLayout:
    """Lay ``owner`` out edge to edge: ``main`` (taking the height) over a row of ``buttons``."""
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    layout = QVBoxLayout(owner)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(main, 1)
    layout.addLayout(row)
    return layout


class TeamCombo(QComboBox):
    """A big drop-down of teams (data: the team id)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(56)
        self.setFont(big_font(18))

    def reload(self, teams: Iterable[Team]) -> None:
        """Show ``teams``, keeping the current one (else the first), without signalling."""
        current = self.currentData()
        self.blockSignals(True)
        self.clear()
        for t in teams:
            self.addItem(t.name, t.id)
        index = self.findData(current)
        self.setCurrentIndex(index if index >= 0 else (0 if self.count() else -1))
        self.blockSignals(False)

    def select(self, team_id: str | None) -> None:
        """Make ``team_id`` current (signals only when it changes)."""
        index = self.findData(team_id)
        if index >= 0 and index != self.currentIndex():
            self.setCurrentIndex(index)


KICKOFF_FORMAT = "%a %d %b %Y %H:%M"


def kickoff_text(value: datetime) -> str:
    """A kick-off as the app shows dates everywhere (local time): "Sat 02 May 2026 12:00"."""
    return value.astimezone().strftime(KICKOFF_FORMAT)


def elide(text: str, font: QFont, room: int) -> str:
    """``text`` cut with "…" to ``room`` pixels in ``font`` (unchanged when it fits)."""
    metrics = QFontMetrics(font)
    return (
        text
        if metrics.horizontalAdvance(text) <= room
        else metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(room, 0))
    )
