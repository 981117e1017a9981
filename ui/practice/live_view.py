"""The live practice view: video with skeleton, pose names, accuracy gauge, cues, timers.

Pure display (GUI thread only): the panel feeds it; it computes nothing about poses.
``set_large(True)`` switches to the full-screen practice layout, readable from the mat
2-3 m away: type sized from the window's height (so it scales with the screen), one
correction at a time, the timers stacked, and every text shrunk until it fits its box
(wrapped, never cut).
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPaintEvent, QPen, QPixmap, QResizeEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

# Point sizes in the normal layout, per role.
_SIZES = {"name": 24, "sanskrit": 16, "cue": 15, "timer": 16, "step": 14}
# Large layout: pixel size as a share of the view's height, and the most lines a text may take.
_LARGE = {"name": (0.085, 2), "sanskrit": (0.04, 2), "cue": (0.055, 3), "timer": (0.05, 1), "step": (0.036, 2)}
_MIN_PX = 12


def accuracy_colour(value: float) -> QColor:
    """Red below 50, amber to 80, green above (matches the skeleton's green → red scale)."""
    if value >= 80:
        return QColor(46, 160, 67)
    if value >= 50:
        return QColor(230, 160, 0)
    return QColor(210, 50, 40)


def format_clock(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60:d}:{seconds % 60:02d}"


class AccuracyGauge(QWidget):
    """A 270° arc filled to the accuracy (0-100), the number in the middle; "–" for none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accuracyGauge")
        self.value: float | None = None
        self.setMinimumSize(64, 64)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Accuracy")

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(180, 180)

    def set_value(self, value: float | None) -> None:
        value = None if value is None else max(0.0, min(100.0, value))
        if value != self.value:
            self.value = value
            self.setAccessibleDescription("no pose" if value is None else f"{value:.0f} percent")
            self.update()

    def text(self) -> str:
        return "–" if self.value is None else f"{self.value:.0f}%"

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        side = min(self.width(), self.height()) - 8
        pen_w = max(6.0, side / 10)
        rect = QRectF(
            (self.width() - side) / 2 + pen_w / 2, (self.height() - side) / 2 + pen_w / 2, side - pen_w, side - pen_w
        )
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(QColor(90, 90, 90, 90), pen_w, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        p.setPen(pen)
        p.drawArc(rect, 225 * 16, -270 * 16)
        if self.value is not None:
            pen.setColor(accuracy_colour(self.value))
            p.setPen(pen)
            p.drawArc(rect, 225 * 16, int(-270 * 16 * self.value / 100))
        font = QFont(self.font())
        font.setPixelSize(max(10, int(side / 4)))
        font.setBold(True)
        p.setFont(font)
        p.setPen(self.palette().windowText().color())
        p.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.text())
        p.end()


class PracticeLiveView(QWidget):
    """See the module docstring. Widgets are public for tests (``pose_label``, ``gauge``...)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("liveView")
        self._large = False
        self._image: QImage | None = None
        self.video = QLabel("Press Start to begin.")
        self.video.setObjectName("video")
        self.video.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.video.setMinimumSize(200, 150)
        self.video.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.video.setStyleSheet("background: #111; color: #ddd;")
        self.pose_label = QLabel("–")
        self.sanskrit_label = QLabel("")
        self.gauge = AccuracyGauge()
        self.hold_label = QLabel("Hold 0:00")
        self.session_label = QLabel("Session –")
        self.step_label = QLabel("")
        self.cue_labels = [QLabel(""), QLabel("")]
        for label in (self.pose_label, self.sanskrit_label, self.step_label, *self.cue_labels):
            label.setWordWrap(True)
        self.pose_label.setObjectName("poseName")
        self.sanskrit_label.setObjectName("sanskritName")

        side = QVBoxLayout()
        side.addWidget(self.pose_label)
        side.addWidget(self.sanskrit_label)
        side.addWidget(self.gauge, 2)
        self._timers = QGridLayout()
        self._timers.addWidget(self.hold_label, 0, 0)
        self._timers.addWidget(self.session_label, 0, 1)
        side.addLayout(self._timers)
        side.addWidget(self.step_label)
        for label in self.cue_labels:
            side.addWidget(label)
        side.addStretch(1)
        self._grid = QGridLayout(self)
        self._grid.addWidget(self.video, 0, 0)
        self._grid.addLayout(side, 0, 1)
        self._grid.setColumnStretch(0, 3)
        self._grid.setColumnStretch(1, 2)
        self._apply_fonts()

    @property
    def large(self) -> bool:
        return self._large

    def set_large(self, large: bool) -> None:
        self._large = large
        # Stacked timers and one correction at a time: big type needs the whole width.
        self._timers.addWidget(self.session_label, 1 if large else 0, 0 if large else 1)
        self.cue_labels[1].setVisible(not large)
        self._grid.setColumnStretch(0, 5 if large else 3)
        self._grid.setColumnStretch(1, 3 if large else 2)
        self._apply_fonts()

    def show_image(self, image: QImage) -> None:
        self._image = image
        self._render()

    def show_pose(
        self, english: str | None, sanskrit: str | None, accuracy: float | None, placeholder: str = "–"
    ) -> None:
        """The pose's names and accuracy; ``placeholder`` stands in for no pose ("Moving…", "–")."""
        self._set(self.pose_label, english or placeholder)
        self._set(self.sanskrit_label, sanskrit or "")
        self.gauge.set_value(accuracy)

    def show_cues(self, cues: list[str]) -> None:
        """Show the cues given (the selection rule is pose.coaching's); full screen shows the first."""
        for label, text in zip(self.cue_labels, [*cues[:2], "", ""], strict=False):
            self._set(label, f"• {text}" if text else "")

    def show_timers(self, hold_s: float, session_s: float | None) -> None:
        self._set(self.hold_label, f"Hold {format_clock(hold_s)}")
        self._set(self.session_label, "Session –" if session_s is None else f"Session {format_clock(session_s)}")

    def show_step(self, text: str) -> None:
        self._set(self.step_label, text)

    def _set(self, label: QLabel, text: str) -> None:
        if label.text() != text:
            label.setText(text)
            if self._large:
                self._fit(label)

    def reset(self, message: str = "Press Start to begin.") -> None:
        self._image = None
        self.video.clear()
        self.video.setText(message)
        self.show_pose(None, None, None)
        self.show_cues([])
        self.show_timers(0.0, None)
        self.show_step("")

    def current_pixmap(self) -> QPixmap | None:
        return self.video.pixmap() if self._image is not None else None

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if self._large:
            self._apply_fonts()
        self._render()

    def _render(self) -> None:
        if self._image is None:
            return
        pixmap = QPixmap.fromImage(self._image)
        size = self.video.size()
        if size.width() > 1 and size.height() > 1:
            pixmap = pixmap.scaled(size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation)
        self.video.setPixmap(pixmap)

    def _roles(self) -> dict[str, list[QLabel]]:
        return {
            "name": [self.pose_label],
            "sanskrit": [self.sanskrit_label],
            "cue": self.cue_labels,
            "timer": [self.hold_label, self.session_label],
            "step": [self.step_label],
        }

    def _apply_fonts(self) -> None:
        for role, labels in self._roles().items():
            for label in labels:
                font = QFont(label.font())
                if not self._large:
                    font.setPointSize(_SIZES[role])
                font.setBold(role in ("name", "timer"))
                font.setItalic(role == "sanskrit")
                label.setFont(font)
                if self._large:
                    self._fit(label)

    def _side_width(self) -> int:
        """Width of the side column in the large layout (before the layout has run)."""
        margins = self._grid.contentsMargins()
        inner = self.width() - margins.left() - margins.right() - self._grid.horizontalSpacing()
        return max(80, inner * 3 // 8)

    def _fit(self, label: QLabel) -> None:
        """Large layout: the biggest pixel size (from the view's height) at which the text wraps
        into its role's line budget within the side column's width."""
        role = next(r for r, labels in self._roles().items() if label in labels)
        share, max_lines = _LARGE[role]
        px = max(_MIN_PX, int(self.height() * share))
        width = self._side_width()
        font = QFont(label.font())
        text = label.text() or "Xg"
        while True:
            font.setPixelSize(px)
            metrics = QFontMetrics(font)
            words_fit = all(metrics.horizontalAdvance(w) <= width for w in text.split())
            box = metrics.boundingRect(QRect(0, 0, width, 100_000), int(Qt.TextFlag.TextWordWrap), text)
            if px <= _MIN_PX or (words_fit and box.height() <= max_lines * metrics.lineSpacing()):
                break
            px = max(_MIN_PX, int(px * 0.9))
        label.setFont(font)
