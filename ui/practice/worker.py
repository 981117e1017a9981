"""PracticeWorker: camera → pose pipeline → session bookkeeping, on its own QThread.

Thread contract:
- Everything slow happens in ``run()`` on the worker thread: opening the source, loading the
  model (mediapipe/cv2 are imported there, lazily), inference, drawing the skeleton, and the
  small durable session writes (``PracticeRun`` → ``PracticeService``).
- Results reach the GUI only through signals (queued connections): ``frame`` carries a
  :class:`LiveFrame` (the drawn frame AND the analysis that produced it, so the skeleton
  always belongs to the frame shown), ``session_event`` carries session events (never dropped, rare),
  ``failed`` a message for the user, ``ended`` the reason the run stopped (always last).
- At most ONE frame is in flight to the GUI: the next is emitted only after the GUI called
  ``frame_shown()``; frames produced meanwhile are dropped (counted in ``dropped``).
- ``request_stop()`` / ``frame_shown()`` / ``add_pose()`` may be called from any thread. The
  worker never touches a widget, and nobody else touches its pipeline: a pose taught while it
  runs is handed over through a thread-safe queue and put into the pipeline's library on the
  worker thread, between two frames, first in line like the user's poses loaded at start
  (``pose_added`` then carries its id).
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import QThread, Signal
from PySide6.QtGui import QImage

from app.context import AppContext
from app.errors import FieldmatError
from app.practice.run import PracticeRun
from app.practice.sequences import Sequence, SequenceStep
from app.practice.service import PracticeService
from app.practice.user_poses import load_catalog, with_pose_first
from pose.camera import CameraUnavailable, FrameSource, ImageFolderSource, LatestFrameGrabber, NoPhotos, open_source
from pose.library import PoseDefinition
from pose.types import FrameAnalysis

log = logging.getLogger(__name__)

SourceFactory = Callable[[str, bool], FrameSource]


def default_source_factory(spec: str, mirror: bool) -> FrameSource:
    """Webcam index, video file or image folder (the camera edge; tests may replace it)."""
    return open_source(spec, mirror=mirror and spec.strip().isdigit())


@dataclass(frozen=True)
class PracticeConfig:
    """What to run; read from the settings on the GUI thread before the worker starts."""

    source: str
    mirror: bool = True
    hold_seconds: float = 2.0
    auto_start: bool = True
    task_file: Path | None = None
    sequence: Sequence | None = None
    user_pose_dir: Path | None = None


@dataclass(frozen=True)
class LiveFrame:
    """One processed frame: the image with the skeleton drawn, and its analysis."""

    image: QImage
    bgr: NDArray[np.uint8]
    analysis: FrameAnalysis
    step_index: int | None
    step: SequenceStep | None
    session_started_at: datetime | None
    dropped: int
    step_held_s: float = 0.0  # seconds credited to the current step (app.practice.sequences.GuidedRun)


def to_qimage(bgr: NDArray[np.uint8]) -> QImage:
    """A deep-copied QImage of a BGR frame (QImage, unlike QPixmap, is fine off the GUI thread)."""
    h, w = bgr.shape[:2]
    data = np.ascontiguousarray(bgr)
    return QImage(data.data, w, h, int(data.strides[0]), QImage.Format.Format_BGR888).copy()


def user_message(exc: BaseException, source: str) -> str:
    """What to tell the athlete when the practice cannot run."""
    if isinstance(exc, NoPhotos):
        return str(exc)
    if isinstance(exc, CameraUnavailable):
        if source.strip().isdigit():
            return (
                f"Camera {source.strip()} is not available: it is missing or another app is using it. "
                "Close the other app, try another camera number, or practise from a video file or image folder."
            )
        return f"This video cannot be read: {exc}"
    if isinstance(exc, FileNotFoundError):
        return f"Not found: {exc}"
    if isinstance(exc, FieldmatError):
        return str(exc)
    return f"Practice stopped by an error: {exc}"


class PracticeWorker(QThread):
    """Runs one practice (see the module docstring). Start with ``start()``; one use only."""

    frame = Signal(object)  # LiveFrame
    session_event = Signal(object)  # app.practice.run.Event
    failed = Signal(str)
    ended = Signal(str)  # "stopped" | "end_of_source" | "end_of_photos" | "sequence_complete" | "error"
    pose_added = Signal(str)  # id of a pose given to add_pose(), once the pipeline recognises it

    def __init__(self, ctx: AppContext, config: PracticeConfig, source_factory: SourceFactory | None = None) -> None:
        super().__init__()
        self.setObjectName("practice-worker")
        self.ctx = ctx
        self.config = config
        self._source_factory = source_factory or default_source_factory
        self._stop = threading.Event()
        self._gui_ready = threading.Event()
        self._gui_ready.set()
        self._new_poses: queue.SimpleQueue[PoseDefinition] = queue.SimpleQueue()
        self.dropped = 0
        self.processed = 0

    def request_stop(self) -> None:
        """Ask the run to stop after the current frame; the session is then closed. Any thread."""
        self._stop.set()

    def frame_shown(self) -> None:
        """The GUI finished showing the last frame: the next one may be sent. Any thread."""
        self._gui_ready.set()

    def add_pose(self, pose: PoseDefinition) -> None:
        """Recognise ``pose`` from the next frame on (added on the worker thread). Any thread."""
        self._new_poses.put(pose)

    def run(self) -> None:  # worker thread
        reason = "error"
        try:
            reason = self._run()
        except Exception as exc:  # every failure must reach the user, not die in a thread
            if isinstance(exc, CameraUnavailable | FileNotFoundError):
                log.warning("practice source %r unavailable: %s", self.config.source, exc)
            else:
                log.exception("practice worker failed")
            self.failed.emit(user_message(exc, self.config.source))
        finally:
            self.ended.emit(reason)

    def _run(self) -> str:
        cfg = self.config
        source = self._source_factory(cfg.source, cfg.mirror)
        grabber: LatestFrameGrabber | None = None
        try:
            from pose.estimator import create_estimator
            from pose.pipeline import PosePipeline

            estimator = create_estimator(cfg.task_file, static_image_mode=isinstance(source, ImageFolderSource))
            library = load_catalog(cfg.user_pose_dir).library  # a bad user file is skipped, not fatal
            pipeline = PosePipeline(library, estimator, hold_seconds=cfg.hold_seconds)
            try:
                run = PracticeRun(PracticeService(self.ctx), pipeline, auto_start=cfg.auto_start, sequence=cfg.sequence)
                pace = getattr(source, "fps", None) if not cfg.source.strip().isdigit() else None
                grabber = LatestFrameGrabber(source, pace_fps=pace)
                try:
                    reason = self._loop(run, grabber)
                    photos = isinstance(source, ImageFolderSource)
                    return "end_of_photos" if reason == "end_of_source" and photos else reason
                finally:
                    self._emit_events(run.end())
            finally:
                pipeline.close()
        finally:
            if grabber is not None:
                grabber.stop()
            else:
                source.close()

    def _loop(self, run: PracticeRun, grabber: LatestFrameGrabber) -> str:
        from pose.draw import draw_skeleton

        self._emit_events(run.begin())
        while not self._stop.is_set():
            self._take_new_poses(run)
            timed = grabber.latest(timeout=0.1)
            if timed is None:
                if grabber.ended:
                    if grabber.error is not None:
                        raise grabber.error
                    return "end_of_source"
                continue
            analysis, events = run.process(timed.image, timed.t_s)
            self.processed += 1
            self._emit_events(events)
            if self._gui_ready.is_set():
                self._gui_ready.clear()
                draw_skeleton(timed.image, analysis)
                guided = run.guided
                credit = guided.step_credit(analysis.pose_id, analysis.hold_s) if guided is not None else 0.0
                self.frame.emit(
                    LiveFrame(
                        image=to_qimage(timed.image),
                        bgr=timed.image,
                        analysis=analysis,
                        step_index=guided.index if guided is not None and not guided.done else None,
                        step=guided.current if guided is not None else None,
                        session_started_at=run.session_started_at if run.session_id is not None else None,
                        dropped=self.dropped + grabber.dropped,
                        step_held_s=credit,
                    )
                )
            else:
                self.dropped += 1
            if run.finished:
                return "sequence_complete"
        return "stopped"

    def _take_new_poses(self, run: PracticeRun) -> None:
        """Add the poses taught since the last frame to this run's library (worker thread only)."""
        while True:
            try:
                pose = self._new_poses.get_nowait()
            except queue.Empty:
                return
            # A new library object built and swapped in on this thread; nobody else holds it.
            run.pipeline.library = with_pose_first(run.pipeline.library, pose)
            self.pose_added.emit(pose.id)

    def _emit_events(self, events: Iterable[object]) -> None:
        for event in events:
            self.session_event.emit(event)
