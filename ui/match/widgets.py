"""Small building blocks of the match screens: big touch buttons, big labels, error text."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton, QSizePolicy, QTableWidgetItem, QWidget

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


def big_button(text: str, name: str | None = None, *, px: int = 20, min_px: int = MIN_TOUCH_PX) -> QPushButton:
    """A large button that never takes keyboard focus (the screen keeps the keys)."""
    button = QPushButton(text)
    button.setFont(big_font(px))
    button.setMinimumSize(min_px, min_px)
    button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setAutoDefault(False)
    if name:
        button.setObjectName(name)
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
