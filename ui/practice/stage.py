"""Full-screen practice mode: the live view moves into a full-screen window in large type.

The athlete is on the mat 2-3 m from the screen: the stage shows only the live view (big
names, gauge, cues, timers) and three large buttons. F11 or Escape leaves it. GUI thread only.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QFont, QKeyEvent
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from ui.practice.live_view import PracticeLiveView


class PracticeStage(QWidget):
    """The full-screen practice window: hosts the live view in large type.

    F11 or Escape (or closing it) emits ``exit_requested``; the panel takes its view back.
    """

    exit_requested = Signal()

    def __init__(self, controls: list[QWidget]) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.setObjectName("practiceStage")
        self.setWindowTitle("Fieldmat — Practice")
        self.setStyleSheet("background: #000; color: #fff;")
        self.body = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addStretch(1)
        for widget in controls:
            bar.addWidget(widget)
        self.body.addLayout(bar)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_F11, Qt.Key.Key_Escape):
            self.exit_requested.emit()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.exit_requested.emit()
        super().closeEvent(event)


class FullScreenMode:
    """Moves ``view`` into a :class:`PracticeStage` and back into ``home`` (at ``home_index``).

    ``buttons`` are (label, callback) pairs shown on the stage, e.g. Start/Stop and Mute.
    """

    def __init__(
        self, view: PracticeLiveView, home: QBoxLayout, home_index: int, buttons: list[tuple[str, Callable[[], None]]]
    ) -> None:
        self.view, self.home, self.home_index, self.buttons = view, home, home_index, buttons
        self.stage: PracticeStage | None = None

    @property
    def active(self) -> bool:
        return self.stage is not None

    def toggle(self) -> None:
        if self.stage is None:
            self.enter()
        else:
            self.exit()

    def enter(self) -> None:
        if self.stage is not None:
            return
        widgets: list[QWidget] = []
        font = QFont()
        font.setPointSize(20)
        for label, callback in [*self.buttons, ("Exit full screen (F11)", self.exit)]:
            button = QPushButton(label)
            button.setFont(font)
            button.clicked.connect(callback)
            widgets.append(button)
        stage = PracticeStage(widgets)
        stage.body.insertWidget(0, self.view, 1)
        self.view.set_large(True)
        stage.exit_requested.connect(self.exit)
        self.stage = stage
        stage.showFullScreen()

    def exit(self) -> None:
        stage, self.stage = self.stage, None
        if stage is None:
            return
        self.view.set_large(False)
        self.home.insertWidget(self.home_index, self.view, 1)
        stage.hide()
        stage.deleteLater()
