"""The high-contrast outdoor theme (readable in direct sunlight, usable with cold hands).

``apply_outdoor_theme(app, True)`` switches the whole application to near-black on white
with thick dark borders, bold larger text and large touch targets; ``apply_outdoor_theme(app,
False)`` restores exactly what was there before. Idempotent both ways. Presentation only.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

OUTDOOR_PROPERTY = "fieldmatOutdoor"
_BEGIN = "/* fieldmat-outdoor-begin */"
_END = "/* fieldmat-outdoor-end */"
MIN_TOUCH_PX = 64

INK = "#000000"
PAPER = "#ffffff"
ACCENT = "#0033cc"  # dark blue: still readable on white in glare, distinct from black
WARN = "#b00000"

OUTDOOR_QSS = f"""{_BEGIN}
QWidget {{ color: {INK}; background-color: {PAPER}; }}
QPushButton, QToolButton {{
    border: 3px solid {INK}; border-radius: 6px; padding: 8px 12px; min-height: 44px;
    background-color: {PAPER}; color: {INK};
}}
QPushButton:pressed, QToolButton:pressed, QPushButton:checked, QToolButton:checked {{
    background-color: {INK}; color: {PAPER};
}}
QPushButton:disabled, QToolButton:disabled {{ border-color: #777777; color: #555555; }}
QLineEdit, QSpinBox, QComboBox, QDateTimeEdit, QPlainTextEdit, QTextEdit {{
    border: 3px solid {INK}; padding: 6px; min-height: 36px; background-color: {PAPER}; color: {INK};
}}
QTableView, QTableWidget, QTreeView, QListView, QListWidget {{
    border: 3px solid {INK}; gridline-color: {INK}; background-color: {PAPER}; color: {INK};
    selection-background-color: {INK}; selection-color: {PAPER};
}}
QHeaderView::section {{ background-color: {INK}; color: {PAPER}; padding: 6px; border: 1px solid {PAPER}; }}
QTabBar::tab {{ border: 3px solid {INK}; padding: 10px 18px; min-height: 36px; }}
QTabBar::tab:selected {{ background-color: {INK}; color: {PAPER}; }}
QScrollBar:vertical {{ width: 28px; }}
QScrollBar:horizontal {{ height: 28px; }}
QScrollBar::handle {{ background-color: {INK}; min-height: 48px; min-width: 48px; }}
QCheckBox::indicator, QRadioButton::indicator {{ width: 32px; height: 32px; }}
QToolTip {{ color: {PAPER}; background-color: {INK}; border: 2px solid {INK}; }}
{_END}"""

# What the application looked like before the theme went on (keyed by the app object).
_saved: dict[int, tuple[QPalette, QFont]] = {}


def outdoor_palette() -> QPalette:
    """A palette with maximum contrast: black ink on white paper, dark blue highlights."""
    ink, paper, accent = QColor(INK), QColor(PAPER), QColor(ACCENT)
    palette = QPalette()
    roles = QPalette.ColorRole
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        for role in (roles.Window, roles.Base, roles.AlternateBase, roles.Button, roles.ToolTipText):
            palette.setColor(group, role, paper)
        for role in (roles.WindowText, roles.Text, roles.ButtonText, roles.ToolTipBase, roles.PlaceholderText):
            palette.setColor(group, role, ink)
        palette.setColor(group, roles.Highlight, ink)
        palette.setColor(group, roles.HighlightedText, paper)
        palette.setColor(group, roles.Link, accent)
        palette.setColor(group, roles.BrightText, QColor(WARN))
    grey = QColor("#555555")
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, grey)
    return palette


def _strip(qss: str) -> str:
    start = qss.find(_BEGIN)
    if start < 0:
        return qss
    end = qss.find(_END, start)
    end = len(qss) if end < 0 else end + len(_END)
    return (qss[:start] + qss[end:]).strip()


def is_outdoor(app: QApplication) -> bool:
    return bool(app.property(OUTDOOR_PROPERTY))


def apply_outdoor_theme(app: QApplication, on: bool) -> None:
    """Switch the high-contrast outdoor theme on or off for the whole application."""
    if on == is_outdoor(app):
        return
    app.setProperty(OUTDOOR_PROPERTY, on)  # first: widgets reacting to the change see the new state
    if on:
        _saved[id(app)] = (QPalette(app.palette()), QFont(app.font()))
        font = QFont(app.font())
        size = font.pointSizeF()
        font.setPointSizeF(max(size if size > 0 else 10.0, 10.0) * 1.25)
        font.setBold(True)
        app.setPalette(outdoor_palette())
        app.setFont(font)
        app.setStyleSheet((_strip(app.styleSheet()) + "\n" + OUTDOOR_QSS).strip())
    else:
        palette, font = _saved.pop(id(app), (app.style().standardPalette(), app.font()))
        app.setStyleSheet(_strip(app.styleSheet()))
        app.setPalette(palette)
        app.setFont(font)
