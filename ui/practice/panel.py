"""Practice panel: live pose coaching from the webcam (or a video file / image folder).

Composes the source and mode pickers, the live view, spoken cues and the full-screen
practice mode. All work (camera, model, session writes) runs in a :class:`PracticeWorker`
thread; this panel only shows what it sends. Nothing opens the camera until Start.
GUI thread only. ``shutdown()`` (and destruction of the panel) stops the worker cleanly.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.context import AppContext
from app.practice.sequences import Sequence, builtin_sequences, user_sequences
from app.practice.snapshots import save_snapshot
from pose.library import PoseLibrary, PoseLibraryError
from ui.bus import ChangeBus
from ui.ops import CancelToken, run_op
from ui.practice.controls import ModePicker, SourcePicker
from ui.practice.live_view import LiveView
from ui.practice.reactions import react, step_line
from ui.practice.speech import CueSpeaker
from ui.practice.stage import FullScreenMode
from ui.practice.worker import LiveFrame, PracticeConfig, PracticeWorker, SourceFactory, WorkerHandle

USER_POSES_DIR = "poses"
ENDED_MESSAGES = {
    "end_of_source": "The video ended.",
    "sequence_complete": "Sequence complete. Well done!",
    "stopped": "Practice stopped.",
}


class PracticePanel(QWidget):
    """See the module docstring. ``speech_engine``/``source_factory`` are the OS/camera edges."""

    def __init__(
        self,
        ctx: AppContext,
        bus: ChangeBus,
        parent: QWidget | None = None,
        *,
        speech_engine: str | None = None,
        source_factory: SourceFactory | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.bus = ctx, bus
        self._source_factory = source_factory
        self._handle = WorkerHandle()
        handle = self._handle
        self.destroyed.connect(lambda *_args: handle.stop_and_wait())
        self._last_frame: LiveFrame | None = None
        self._sequence: Sequence | None = None
        notes: list[str] = []
        self.library = self._load_library(notes)
        ids = self.library.ids()
        mine, errors = user_sequences(ctx.home, ids)
        notes.extend(errors)

        self.source_picker = SourcePicker()
        self.source_picker.set_spec(ctx.settings.camera_source)
        self.mode_picker = ModePicker(self.library, builtin_sequences(ids) + mine)
        self.start_button = QPushButton("Start")
        self.start_button.setObjectName("startButton")
        self.full_button = QPushButton("Full screen (F11)")
        self.mute_button = QPushButton()
        self.mute_button.setCheckable(True)
        self.mute_button.setChecked(not ctx.settings.speech_enabled)
        self.snapshot_button = QPushButton("Save snapshot")
        self.snapshot_button.setEnabled(False)
        self.message = QLabel("\n".join(notes))
        self.message.setObjectName("practiceMessage")
        self.message.setWordWrap(True)
        self.view = LiveView()
        self.speaker = CueSpeaker(ctx.settings, engine=speech_engine, parent=self)

        pickers = QHBoxLayout()
        pickers.addWidget(self.source_picker, 1)
        pickers.addWidget(self.mode_picker, 1)
        buttons = QHBoxLayout()
        for button in (self.start_button, self.full_button, self.mute_button, self.snapshot_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(pickers)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.view, 1)
        self.full_screen = FullScreenMode(
            self.view, layout, layout.indexOf(self.view),
            [("Start / Stop", self.toggle_run), ("Mute / unmute", lambda: self.set_muted(not self.muted))],
        )

        self.start_button.clicked.connect(self.toggle_run)
        self.full_button.clicked.connect(self.toggle_practice_mode)
        self.mute_button.toggled.connect(self.set_muted)
        self.snapshot_button.clicked.connect(self.save_snapshot)
        self._update_buttons()

    # -- running -------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._handle.worker is not None

    def toggle_run(self) -> None:
        if self.running:
            self.stop()
        else:
            self.start()

    def start(self) -> bool:
        """Start a practice with the chosen source and mode; False (with a message) if not possible."""
        if self.running:
            return False
        spec = self.source_picker.spec()
        if spec is None:
            self._say("Choose a video file or image folder first.")
            return False
        settings = self.ctx.settings
        if settings.camera_source != spec:
            settings.camera_source = spec
            self._save_settings()
        config = PracticeConfig(
            source=spec,
            mirror=settings.mirror_camera,
            hold_seconds=settings.hold_seconds,
            auto_start=settings.auto_start_session,
            task_file=Path(settings.pose_task_file) if settings.pose_task_file else None,
            sequence=self.mode_picker.sequence(),
            user_pose_dir=self.ctx.home / USER_POSES_DIR,
        )
        worker = PracticeWorker(self.ctx, config, self._source_factory)
        worker.frame.connect(self._on_frame)
        worker.session_event.connect(self._on_event)
        worker.failed.connect(self._on_failed)
        worker.ended.connect(self._on_ended)
        self._handle.worker = worker
        self._last_frame = None
        self._sequence = config.sequence
        self.view.reset("Starting… (loading the pose model)")
        if config.sequence is not None:
            first = config.sequence.steps[0]
            self.view.show_step(f"Step 1/{len(config.sequence.steps)}: {self._pose_name(first.pose)}")
        self._say("Hold a pose to start the session." if config.auto_start else "Session started.")
        if not self.muted and not self.speaker.available():
            self._say(f"{self.message.text()} {self.speaker.status}")
        worker.start()
        self._update_buttons()
        return True

    def stop(self) -> None:
        """Ask the worker to stop; the session is closed and saved on its thread."""
        worker = self._handle.worker
        if worker is not None:
            worker.request_stop()
            self.start_button.setText("Stopping…")
            self.start_button.setEnabled(False)

    def shutdown(self) -> None:
        """Stop the worker (waiting for it), silence speech, close full-screen mode."""
        self._handle.stop_and_wait()
        self.speaker.shutdown()
        self.full_screen.exit()
        self._update_buttons()

    # -- worker results (GUI thread) ---------------------------------------------------
    def _on_frame(self, live: LiveFrame) -> None:
        self._last_frame = live
        a = live.analysis
        english = sanskrit = None
        if a.pose_id is not None and a.pose_id in self.library:
            pose = self.library.get(a.pose_id)
            english, sanskrit = pose.english, pose.sanskrit
        self.view.show_image(live.image)
        self.view.show_pose(english, sanskrit, a.accuracy)
        self.view.show_cues([c.text for c in a.cues[:2]])
        session_s = None
        if live.session_started_at is not None:
            session_s = (self.ctx.clock() - live.session_started_at).total_seconds()
        self.view.show_timers(a.hold_s if a.pose_id else 0.0, session_s)
        if live.step is not None and live.step_index is not None:
            seq = self._sequence
            total = len(seq.steps) if seq is not None else live.step_index + 1
            held = a.hold_s if a.pose_id == live.step.pose else 0.0
            name = self._pose_name(live.step.pose)
            self.view.show_step(step_line(live.step_index, total, name, held, live.step.hold_s))
        if a.pose_id is not None and a.cues:
            self.speaker.offer(a.cues[0].text)
        self.snapshot_button.setEnabled(True)
        worker = self._handle.worker
        if worker is not None:
            worker.frame_shown()

    def _on_event(self, event: object) -> None:
        reaction = react(event, self._pose_name)
        if reaction.message:
            self._say(reaction.message)
        if reaction.step_text is not None:
            self.view.show_step(reaction.step_text)
        if reaction.speak:
            self.speaker.announce(reaction.speak)
        if reaction.changed:
            self.bus.announce("practice")

    def _on_failed(self, message: str) -> None:
        self._say(message, error=True)
        self.view.reset(message)

    def _on_ended(self, reason: str) -> None:
        worker = self._handle.worker
        if worker is not None and worker is self.sender():
            worker.wait()
            worker.deleteLater()
            self._handle.worker = None
        if reason in ENDED_MESSAGES and not self.message.property("error"):
            self.message.setText(f"{self.message.text()}  {ENDED_MESSAGES[reason]}".strip())
        self._update_buttons()

    # -- helpers -------------------------------------------------------------------
    def _load_library(self, notes: list[str]) -> PoseLibrary:
        try:
            return PoseLibrary.load(self.ctx.home / USER_POSES_DIR)
        except PoseLibraryError as exc:
            notes.append(f"Your own poses could not be loaded ({exc}); using the built-in poses.")
            return PoseLibrary.load()

    def _pose_name(self, pose_id: str) -> str:
        return self.library.get(pose_id).english if pose_id in self.library else pose_id

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setProperty("error", error)
        self.message.setStyleSheet("color: #c0392b; font-weight: bold;" if error else "")
        self.message.setText(text)

    def _save_settings(self) -> None:
        try:
            self.ctx.save_settings()
        except OSError as exc:
            self._say(f"Settings could not be saved: {exc}", error=True)

    def _update_buttons(self) -> None:
        self.start_button.setEnabled(True)
        self.start_button.setText("Stop" if self.running else "Start")
        self.source_picker.setEnabled(not self.running)
        self.mode_picker.setEnabled(not self.running)
        muted = self.mute_button.isChecked()
        self.mute_button.setText("Unmute cues" if muted else "Mute cues")

    @property
    def muted(self) -> bool:
        return self.mute_button.isChecked()

    def set_muted(self, muted: bool) -> None:
        """Mute/unmute spoken cues (persisted in the settings)."""
        if self.mute_button.isChecked() != muted:
            self.mute_button.setChecked(muted)  # re-enters through toggled
            return
        self.speaker.set_muted(muted)
        self._save_settings()
        self._update_buttons()
        if not muted and not self.speaker.available():
            self._say(self.speaker.status)

    def save_snapshot(self) -> None:
        """Write the frame on screen (with its skeleton) as a PNG under <home>/snapshots/."""
        frame = self._last_frame
        if frame is None:
            return
        home, when, bgr = self.ctx.home, self.ctx.clock(), frame.bgr

        def work(_token: CancelToken) -> Path:
            return save_snapshot(home, bgr, when)

        run_op(self, work, on_success=lambda p: self._say(f"Snapshot saved to {p}"),
               on_failure=lambda e: self._say(f"Snapshot not saved: {e}", error=True))

    # -- full-screen practice mode -------------------------------------------------------
    def toggle_practice_mode(self) -> None:
        """Enter/leave the full-screen practice mode (also F11 inside the Practice area)."""
        self.full_screen.toggle()

    @property
    def in_practice_mode(self) -> bool:
        return self.full_screen.active

    def event(self, event: QEvent) -> bool:
        # F11 inside the Practice area opens practice mode rather than the window's full screen.
        is_override = event.type() == QEvent.Type.ShortcutOverride
        if is_override and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_F11:
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_F11:
            self.toggle_practice_mode()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.shutdown()
        super().closeEvent(event)
