"""The Sync button's icon: a sync glyph with a small count badge (changes waiting)."""

from __future__ import annotations

from PySide6.QtCore import QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QAction, QBrush, QColor, QFont, QIcon, QPainter, QPainterPath, QPen, QPixmap

SIZE = 32


def _glyph(painter: QPainter, color: QColor, offline: bool) -> None:
    """Two circular arrows (drawn, so no icon theme is needed)."""
    pen = QPen(color, 3.0)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    box = QRectF(5, 5, 20, 20)
    painter.drawArc(box, 30 * 16, 150 * 16)
    painter.drawArc(box, 210 * 16, 150 * 16)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(color))
    for points in (((25.5, 6.0), (27.5, 14.0), (19.5, 13.0)), ((4.5, 24.0), (2.5, 16.0), (10.5, 17.0))):
        head = QPainterPath(QPointF(*points[0]))
        for x, y in points[1:]:
            head.lineTo(QPointF(x, y))
        head.closeSubpath()
        painter.drawPath(head)
    if offline:
        pen = QPen(QColor("#b00020"), 3.0)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawLine(QPointF(4, 27), QPointF(27, 4))


def sync_icon(count: int, *, running: bool = False, offline: bool = False) -> QIcon:
    """The toolbar icon; ``count`` > 0 draws a red badge with the number (99+ above 99)."""
    pixmap = QPixmap(SIZE, SIZE)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        _glyph(painter, QColor("#1565c0") if running else QColor("#455a64"), offline)
        if count > 0:
            text = "99+" if count > 99 else str(count)
            width = 14 if len(text) == 1 else 8 + 6 * len(text)
            rect = QRectF(SIZE - width, 0, width, 14)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(QColor("#d32f2f")))
            painter.drawRoundedRect(rect, 7, 7)
            font = QFont()
            font.setPixelSize(10)
            font.setBold(True)
            painter.setFont(font)
            painter.setPen(QColor("white"))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
    finally:
        painter.end()
    return QIcon(pixmap)


def make_sync_action(parent: QObject) -> QAction:
    """The Sync button before anything is known: plain icon, no badge. Its owner connects
    ``triggered``; the Sync panel keeps icon, tooltip and enabled state current once built."""
    action = QAction("Sync", parent)
    action.setObjectName("syncAction")
    action.setStatusTip("Send your changes and fetch new data from the connected accounts")
    action.setIcon(sync_icon(0))
    return action
