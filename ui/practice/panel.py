"""Practice panel: live pose coaching from the webcam (or a video file / image folder).

Composes the source and mode pickers, the live view, spoken cues and the full-screen
practice mode. All work (camera, model, session writes) runs in a :class:`PracticeWorker`
thread; this panel only shows what it sends. Nothing opens the camera until Start.
GUI thread only. ``shutdown()`` (and destruction of the panel) stops the worker cleanly.

Teach a pose (rules in :mod:`app.practice.user_poses`):
- "Teach this pose" takes the landmarks of the frame on screen (the worker's analysis that
  came with it; the GUI never reads the camera), asks for the names and saves the pose. A
  running worker gets the new definition through ``PracticeWorker.add_pose`` (a thread-safe
  queue drained on the worker thread); the next Start loads it from disk anyway.
- "Teach from a photo…" estimates the body in an image file off the GUI thread
  (``run_op``), shows it with its skeleton, then the same naming dialog.
- "Pose library…" lists built-in and own poses; own poses can be deleted. After every
  change the library, the mode picker and the open library dialog are reloaded.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QCloseEvent, QImage, QKeyEvent
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget
from shiboken6 import isValid

from app.context import AppContext
from app.errors import FieldmatError, ValidationError
from app.practice.sequences import Sequence, builtin_sequences, user_sequences
from app.practice.snapshots import save_snapshot
from app.practice.user_poses import (
    USER_POSES_DIR,
    PoseCatalog,
    check_landmarks,
    check_new_pose,
    create_pose,
    delete_pose,
    estimate_photo,
    load_catalog,
    similar_poses,
    user_pose_dir,
)
from pose.coaching import pose_placeholder, shown_cues, spoken_cue
from pose.library import PoseDefinition
from ui.bus import ChangeBus
from ui.ops import CancelToken, Op, run_op
from ui.practice.controls import ModePicker, SourcePicker
from ui.practice.live_view import PracticeLiveView
from ui.practice.pose_dialogs import PoseLibraryDialog, TeachPoseDialog
from ui.practice.speech import CueSpeaker
from ui.practice.stage import FullScreenMode
from ui.practice.worker_handle import WorkerHandle

if TYPE_CHECKING:
    # The worker (camera, pose pipeline, numpy) loads on the first Start, not with the tab.
    from pose.types import Landmarks
    from ui.practice.worker import LiveFrame, SourceFactory

__all__ = ["USER_POSES_DIR", "PracticePanel"]
PHOTO_FILTER = "Images (*.jpg *.jpeg *.png *.bmp *.webp);;All files (*)"
ENDED_MESSAGES = {
    "end_of_source": "The video ended.",
    "end_of_photos": "The photos are done.",
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
        self.catalog = self._load_catalog(notes)
        self.library = self.catalog.library
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
        self.teach_button = QPushButton("Teach this pose")
        self.teach_button.setObjectName("teachButton")
        self.teach_button.setToolTip("Save the pose on screen as your own pose")
        self.teach_button.setEnabled(False)
        self.teach_photo_button = QPushButton("Teach from a photo…")
        self.teach_photo_button.setObjectName("teachPhotoButton")
        self.library_button = QPushButton("Pose library…")
        self.library_button.setObjectName("poseLibraryButton")
        self.teach_dialog: TeachPoseDialog | None = None
        self.library_dialog: PoseLibraryDialog | None = None
        self._photo_op: Op | None = None
        self.message = QLabel("\n".join(notes))
        self.message.setObjectName("practiceMessage")
        self.message.setWordWrap(True)
        self.view = PracticeLiveView()
        self.speaker = CueSpeaker(ctx.settings, engine=speech_engine, parent=self)

        pickers = QHBoxLayout()
        pickers.addWidget(self.source_picker, 1)
        pickers.addWidget(self.mode_picker, 1)
        buttons = QHBoxLayout()
        for button in (self.start_button, self.full_button, self.mute_button, self.snapshot_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self.teach_button, self.teach_photo_button, self.library_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(pickers)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.view, 1)
        self.full_screen = FullScreenMode(
            self.view,
            layout,
            layout.indexOf(self.view),
            [("Start / Stop", self.toggle_run), ("Mute / unmute", lambda: self.set_muted(not self.muted))],
        )

        self.start_button.clicked.connect(self.toggle_run)
        self.full_button.clicked.connect(self.toggle_practice_mode)
        self.mute_button.toggled.connect(self.set_muted)
        self.snapshot_button.clicked.connect(self.save_snapshot)
        self.teach_button.clicked.connect(self.teach_from_live)
        self.teach_photo_button.clicked.connect(lambda: self.teach_from_photo())
        self.library_button.clicked.connect(self.show_library)
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
        from ui.practice.worker import PracticeConfig, PracticeWorker

        config = PracticeConfig(
            source=spec,
            mirror=settings.mirror_camera,
            hold_seconds=settings.hold_seconds,
            auto_start=settings.auto_start_session,
            task_file=Path(settings.pose_task_file) if settings.pose_task_file else None,
            sequence=self.mode_picker.sequence(),
            user_pose_dir=user_pose_dir(self.ctx.home),
        )
        worker = PracticeWorker(self.ctx, config, self._source_factory)
        worker.frame.connect(self._on_frame)
        worker.session_event.connect(self._on_event)
        worker.failed.connect(self._on_failed)
        worker.ended.connect(self._on_ended)
        self._handle.worker = worker
        self._last_frame = None
        self._sequence = config.sequence
        self.view.reset("Starting… (loading the pose model)")  # also clears the step line and timers
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
        if self._photo_op is not None:
            self._photo_op.cancel()  # its result is then dropped (estimation itself cannot be interrupted)
        for dialog in (self.teach_dialog, self.library_dialog):
            if dialog is not None:
                dialog.close()
        self.speaker.shutdown()
        self.full_screen.exit()
        self._update_buttons()

    # -- worker results (GUI thread) ---------------------------------------------------
    def _on_frame(self, live: LiveFrame) -> None:
        from ui.practice.reactions import step_line

        self._last_frame = live
        a = live.analysis
        english = sanskrit = None
        if a.pose_id is not None and a.pose_id in self.library:
            pose = self.library.get(a.pose_id)
            english, sanskrit = pose.english, pose.sanskrit
        self.view.show_image(live.image)
        self.view.show_pose(english, sanskrit, a.accuracy, placeholder=pose_placeholder(a))
        self.view.show_cues(shown_cues(a))
        session_s = None
        if live.session_started_at is not None:
            session_s = (self.ctx.clock() - live.session_started_at).total_seconds()
        self.view.show_timers(a.hold_s, session_s)
        if live.step is not None and live.step_index is not None:
            seq = self._sequence
            total = len(seq.steps) if seq is not None else live.step_index + 1
            name = self._pose_name(live.step.pose)
            self.view.show_step(step_line(live.step_index, total, name, live.step_held_s, live.step.hold_s))
        if (spoken := spoken_cue(a)) is not None:
            self.speaker.offer(spoken)
        self.snapshot_button.setEnabled(True)
        self.teach_button.setEnabled(True)
        worker = self._handle.worker
        if worker is not None:
            worker.frame_shown()

    def _on_event(self, event: object) -> None:
        from ui.practice.reactions import react

        reaction = react(event, self._pose_name)
        if reaction.message:
            self._say(reaction.message)
        if reaction.step_text is not None:
            self.view.show_step(reaction.step_text)
        if reaction.speak:
            self.speaker.announce(reaction.speak)
        self.bus.announce(reaction.changes)  # nothing is sent when nothing changed

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
    def _load_catalog(self, notes: list[str]) -> PoseCatalog:
        catalog = load_catalog(user_pose_dir(self.ctx.home))
        notes.extend(f"One of your pose files could not be loaded and is skipped: {e}" for e in catalog.errors)
        return catalog

    def reload_library(self) -> list[str]:
        """Reload the poses from disk; refresh the mode picker and the library dialog. Returns notes."""
        notes: list[str] = []
        self.catalog = self._load_catalog(notes)
        self.library = self.catalog.library
        ids = self.library.ids()
        mine, errors = user_sequences(self.ctx.home, ids)
        notes.extend(errors)
        self.mode_picker.set_choices(self.library, builtin_sequences(ids) + mine)
        if self.library_dialog is not None:
            self.library_dialog.set_catalog(self.catalog)
        return notes

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

        run_op(
            self,
            work,
            on_success=lambda p: self._say(f"Snapshot saved to {p}"),
            on_failure=lambda e: self._say(f"Snapshot not saved: {e}", error=True),
        )

    # -- teach a pose / pose library -----------------------------------------------------
    def teach_from_live(self) -> bool:
        """Ask for a name for the pose in the frame on screen; False (with the reason) if none."""
        frame = self._last_frame
        if frame is None:
            self._say("Start a practice first: the pose is taken from the picture on screen.", error=True)
            return False
        landmarks = frame.analysis.landmarks
        try:
            check_landmarks(landmarks)
        except FieldmatError as exc:
            self._say(f"This pose cannot be taught: {exc}", error=True)
            return False
        assert landmarks is not None
        self._open_teach_dialog(frame.image, landmarks, "the picture on screen")
        return True

    def teach_from_photo(self, photo: Path | None = None) -> Op | None:
        """Find the body in an image file (chosen by the user when ``photo`` is None), off the
        GUI thread, then ask for a name. Returns the running operation (None: nothing started)."""
        if self._photo_op is not None:
            return None
        if photo is None:
            chosen, _ = QFileDialog.getOpenFileName(self, "Teach a pose from a photo", "", PHOTO_FILTER)
            if not chosen:
                return None
            photo = Path(chosen)
        path = photo
        task_file = Path(self.ctx.settings.pose_task_file) if self.ctx.settings.pose_task_file else None

        def work(token: CancelToken) -> tuple[Landmarks, QImage] | None:  # pool thread: no widgets
            from pose.draw import draw_skeleton
            from pose.types import FrameAnalysis
            from ui.practice.worker import to_qimage

            found = estimate_photo(path, task_file)
            if token.cancelled:
                return None
            if found.landmarks is None:
                raise ValidationError(f"No person was found in {path.name}.")
            check_landmarks(found.landmarks)
            drawn = found.bgr.copy()
            draw_skeleton(drawn, FrameAnalysis(0.0, found.landmarks, None, None, 0.0, None))
            return found.landmarks, to_qimage(drawn)

        def done(result: tuple[Landmarks, QImage] | None) -> None:
            if not isValid(self):  # the panel went away while the photo was analysed
                return
            self._photo_finished()
            if result is None:
                self._say("Teaching from the photo was cancelled.")
                return
            landmarks, image = result
            self._say(f"Found the pose in {path.name}: name it to save it.")
            self._open_teach_dialog(image, landmarks, path.name)

        def failed(exc: BaseException) -> None:
            if not isValid(self):
                return
            self._photo_finished()
            reason = str(exc) if isinstance(exc, FieldmatError) else f"{type(exc).__name__}: {exc}"
            self._say(f"Cannot teach from {path.name}: {reason}", error=True)

        self.teach_photo_button.setEnabled(False)
        if self.library_dialog is not None:
            self.library_dialog.teach_button.setEnabled(False)
        self._say(f"Looking for the pose in {path.name}…")
        self._photo_op = run_op(
            self,
            work,
            on_success=done,
            on_failure=failed,
            label=f"Looking for the pose in {path.name}…",
            cancellable=True,
        )
        return self._photo_op

    def _photo_finished(self) -> None:
        self._photo_op = None
        self.teach_photo_button.setEnabled(True)
        if self.library_dialog is not None:
            self.library_dialog.teach_button.setEnabled(True)

    def _open_teach_dialog(self, image: QImage, landmarks: Landmarks, source: str) -> None:
        if self.teach_dialog is not None:
            self.teach_dialog.close()
        folder = user_pose_dir(self.ctx.home)

        def save(english: str, sanskrit: str, description: str) -> PoseDefinition:
            return create_pose(landmarks, english, folder, self.library, sanskrit=sanskrit, description=description)

        similar = similar_poses(landmarks, self.library)
        note = ""
        if similar:
            names = ", ".join(f"{p.english} ({score * 100:.0f}%)" for p, score in similar[:3])
            note = (
                f"This already looks like {names}. Your pose is named only where it fits clearly better;"
                " where both fit about as well, the built-in pose is named."
            )
        dialog = TeachPoseDialog(
            image, save, lambda name: check_new_pose(name, self.library), source=source, note=note, parent=self
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._on_pose_saved)
        dialog.finished.connect(lambda _result: self._forget_teach_dialog(dialog))
        self.teach_dialog = dialog
        dialog.open()

    def _forget_teach_dialog(self, dialog: TeachPoseDialog) -> None:
        if self.teach_dialog is dialog:
            self.teach_dialog = None

    def _on_pose_saved(self, pose: PoseDefinition) -> None:
        notes = self.reload_library()
        worker = self._handle.worker
        if worker is not None:
            worker.add_pose(pose)  # queued: the worker adds it to its pipeline between frames
            when = "It is recognised from now on."
        else:
            when = "It is recognised from the next Start."
        self._say(" ".join([f"Saved your pose {pose.english!r}. {when}", *notes]))

    def show_library(self) -> PoseLibraryDialog:
        """Open (or raise) the pose library dialog."""
        dialog = self.library_dialog
        if dialog is None:
            dialog = PoseLibraryDialog(self.catalog, self)
            dialog.delete_requested.connect(self.delete_user_pose)
            dialog.teach_photo_requested.connect(lambda: self.teach_from_photo())
            dialog.teach_button.setEnabled(self._photo_op is None)
            self.library_dialog = dialog
        else:
            dialog.set_catalog(self.catalog)
        dialog.show()
        dialog.raise_()
        return dialog

    def delete_user_pose(self, pose_id: str, *, confirm: bool = True) -> bool:
        """Delete one of the user's poses (asking first when ``confirm``); False if not deleted."""
        name = self.library.get(pose_id).english if pose_id in self.library else pose_id
        if confirm and self.catalog.is_user_pose(pose_id):
            parent = self.library_dialog if self.library_dialog is not None else self
            answer = QMessageBox.question(
                parent,
                "Delete pose",
                f"Delete your pose {name!r}? This cannot be undone.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        try:
            delete_pose(self.catalog, pose_id)
        except FieldmatError as exc:
            self._say(f"Not deleted: {exc}", error=True)
            return False
        notes = self.reload_library()
        when = " It is still recognised until this practice stops." if self.running else ""
        self._say(" ".join([f"Deleted your pose {name!r}.{when}", *notes]))
        return True

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
