"""The live practice view: video with skeleton, pose names, accuracy gauge, cues, timers.

Pure display (GUI thread only): the panel feeds it; it computes nothing about poses.
``set_large(True)`` switches to the very large type used in full-screen practice mode,
readable from the mat 2-3 m away.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPaintEvent, QPen, QPixmap, QResizeEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

# Point sizes: (normal, large) per role.
_SIZES = {"name": (24, 64), "sanskrit": (16, 40), "cue": (15, 38), "timer": (16, 40), "step": (14, 32)}


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
        rect = QRectF((self.width() - side) / 2 + pen_w / 2, (self.height() - side) / 2 + pen_w / 2,
                      side - pen_w, side - pen_w)
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


class LiveView(QWidget):
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
        timers = QGridLayout()
        timers.addWidget(self.hold_label, 0, 0)
        timers.addWidget(self.session_label, 0, 1)
        side.addLayout(timers)
        side.addWidget(self.step_label)
        for label in self.cue_labels:
            side.addWidget(label)
        side.addStretch(1)
        layout = QGridLayout(self)
        layout.addWidget(self.video, 0, 0)
        layout.addLayout(side, 0, 1)
        layout.setColumnStretch(0, 3)
        layout.setColumnStretch(1, 2)
        self._apply_fonts()

    @property
    def large(self) -> bool:
        return self._large

    def set_large(self, large: bool) -> None:
        self._large = large
        self._apply_fonts()

    def show_image(self, image: QImage) -> None:
        self._image = image
        self._render()

    def show_pose(
        self, english: str | None, sanskrit: str | None, accuracy: float | None, placeholder: str = "–"
    ) -> None:
        """The pose's names and accuracy; ``placeholder`` stands in for no pose ("Moving…", "–")."""
        self.pose_label.setText(english or placeholder)
        self.sanskrit_label.setText(sanskrit or "")
        self.gauge.set_value(accuracy)

    def show_cues(self, cues: list[str]) -> None:
        for label, text in zip(self.cue_labels, [*cues[:2], "", ""], strict=False):
            label.setText(f"• {text}" if text else "")

    def show_timers(self, hold_s: float, session_s: float | None) -> None:
        self.hold_label.setText(f"Hold {format_clock(hold_s)}")
        self.session_label.setText("Session –" if session_s is None else f"Session {format_clock(session_s)}")

    def show_step(self, text: str) -> None:
        self.step_label.setText(text)

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
        self._render()

    def _render(self) -> None:
        if self._image is None:
            return
        pixmap = QPixmap.fromImage(self._image)
        size = self.video.size()
        if size.width() > 1 and size.height() > 1:
            pixmap = pixmap.scaled(size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation)
        self.video.setPixmap(pixmap)

    def _apply_fonts(self) -> None:
        i = 1 if self._large else 0
        roles = {
            "name": [self.pose_label], "sanskrit": [self.sanskrit_label], "cue": self.cue_labels,
            "timer": [self.hold_label, self.session_label], "step": [self.step_label],
        }
        for role, labels in roles.items():
            for label in labels:
                font = QFont(label.font())
                font.setPointSize(_SIZES[role][i])
                font.setBold(role in ("name", "timer"))
                font.setItalic(role == "sanskrit")
                label.setFont(font)
