"""Preferences: the user's settings (never secrets; sign-ins live in the Sync tab's Accounts)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from app.context import AppContext


class SettingsDialog(QDialog):
    """Edits ``ctx.settings`` and saves them on OK. GUI thread only."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Preferences")
        s = ctx.settings
        form = QFormLayout(self)

        self.hold_seconds = QDoubleSpinBox()
        self.hold_seconds.setRange(0.5, 30.0)
        self.hold_seconds.setSingleStep(0.5)
        self.hold_seconds.setSuffix(" s")
        self.hold_seconds.setValue(s.hold_seconds)
        form.addRow("A pose counts as held after", self.hold_seconds)

        self.auto_start = QCheckBox("Start a practice session on the first held pose")
        self.auto_start.setChecked(s.auto_start_session)
        form.addRow("", self.auto_start)

        self.camera = QLineEdit(s.camera_source)
        self.camera.setToolTip("A webcam number (0 is the first camera), a video file or a folder of images")
        form.addRow("Camera source", self.camera)

        self.mirror = QCheckBox("Mirror the camera picture (selfie view)")
        self.mirror.setChecked(s.mirror_camera)
        form.addRow("", self.mirror)

        task_row = QWidget()
        task_layout = QHBoxLayout(task_row)
        task_layout.setContentsMargins(0, 0, 0, 0)
        self.task_file = QLineEdit(s.pose_task_file)
        self.task_file.setPlaceholderText("built-in MediaPipe Pose model")
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._choose_task_file)
        task_layout.addWidget(self.task_file, 1)
        task_layout.addWidget(browse)
        form.addRow("Pose model (.task file)", task_row)

        self.speech = QCheckBox("Speak corrections aloud")
        self.speech.setChecked(s.speech_enabled)
        form.addRow("", self.speech)

        self.cooldown = QDoubleSpinBox()
        self.cooldown.setRange(1.0, 60.0)
        self.cooldown.setSuffix(" s")
        self.cooldown.setValue(s.speech_cooldown_s)
        form.addRow("Pause between spoken cues", self.cooldown)

        self.auto_sync = QCheckBox("Sync automatically when the network comes back")
        self.auto_sync.setChecked(s.auto_sync_on_reconnect)
        form.addRow("", self.auto_sync)

        self.backfill = QSpinBox()
        self.backfill.setRange(1, 365)
        self.backfill.setSuffix(" days")
        self.backfill.setValue(s.backfill_days)
        form.addRow("History to fetch on first provider sync", self.backfill)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _choose_task_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "MediaPipe pose model", "", "MediaPipe task (*.task)")
        if path:
            self.task_file.setText(path)

    def accept(self) -> None:
        s = self.ctx.settings
        s.hold_seconds = self.hold_seconds.value()
        s.auto_start_session = self.auto_start.isChecked()
        s.camera_source = self.camera.text().strip() or "0"
        s.mirror_camera = self.mirror.isChecked()
        s.pose_task_file = self.task_file.text().strip()
        s.speech_enabled = self.speech.isChecked()
        s.speech_cooldown_s = self.cooldown.value()
        s.auto_sync_on_reconnect = self.auto_sync.isChecked()
        s.backfill_days = self.backfill.value()
        self.ctx.save_settings()
        super().accept()
