"""PracticeRun: one live practice, from analysed frames to stored sessions and holds (no Qt).

It owns the pose pipeline's session side: it starts the session (at once, or on the first
held pose when ``auto_start``), stores every hold when it ends, drives a guided sequence
(switching the pipeline's target pose when a step's hold time is reached) and stops the
session at the end. Frame timestamps (``t_s``, the source's clock) are mapped to wall-clock
times anchored at the first frame.

Thread contract: NOT thread-safe. Create it and call every method from the one thread that
runs the pipeline (the practice worker); the database writes it makes are small, durable
and serialized by the database. The events it returns are plain values for the GUI.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.practice.sequences import GuidedRun, Sequence, SequenceStep
from app.practice.service import HoldSaved, NewHold, PracticeService, SessionStarted, SessionStopped
from pose.estimator import Frame
from pose.pipeline import PosePipeline
from pose.types import FrameAnalysis, HoldRecord, Landmarks


@dataclass(frozen=True)
class StepChanged:
    """The guided sequence moved to step ``index`` (0-based); ``step`` None means it is complete."""

    sequence: Sequence
    index: int
    step: SequenceStep | None


Event = SessionStarted | HoldSaved | SessionStopped | StepChanged


class PracticeRun:
    """See the module docstring. Call ``begin()``, then ``process()`` per frame, then ``end()``."""

    def __init__(
        self,
        service: PracticeService,
        pipeline: PosePipeline,
        *,
        auto_start: bool = True,
        sequence: Sequence | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.service = service
        self.pipeline = pipeline
        self.auto_start = auto_start
        self.clock = clock or service.ctx.clock
        self.guided = GuidedRun(sequence) if sequence is not None else None
        if self.guided is not None and self.guided.current is not None:
            pipeline.target_pose = self.guided.current.pose
        self.session_id: str | None = None
        self.session_started_at: datetime | None = None
        self.holds_saved = 0
        self._anchor: tuple[float, datetime] | None = None
        self._last_t: float | None = None
        self._ended = False

    @property
    def finished(self) -> bool:
        """True once a guided sequence is complete (the caller should then ``end()``)."""
        return self.guided is not None and self.guided.done

    def begin(self) -> list[Event]:
        """Start the session now unless it auto-starts on the first held pose."""
        return [] if self.auto_start else [self._start(self.clock())]

    def process(self, frame_bgr: Frame, t_s: float) -> tuple[FrameAnalysis, list[Event]]:
        """Analyse one frame and store what it completed."""
        analysis = self.pipeline.process(frame_bgr, t_s)
        return analysis, self.handle(analysis)

    def process_landmarks(self, landmarks: Landmarks | None, t_s: float) -> tuple[FrameAnalysis, list[Event]]:
        """Like ``process`` for already-estimated landmarks."""
        analysis = self.pipeline.process_landmarks(landmarks, t_s)
        return analysis, self.handle(analysis)

    def handle(self, analysis: FrameAnalysis) -> list[Event]:
        """Session bookkeeping for one analysed frame (the pipeline already ran)."""
        self._last_t = analysis.t_s
        wall = self.wall_time(analysis.t_s)
        events: list[Event] = []
        if self.session_id is None and analysis.held and not self._ended:
            events.append(self._start(wall - timedelta(seconds=analysis.hold_s)))
        events.extend(self._save_completed())
        guided = self.guided
        if guided is not None and guided.is_step_done(analysis.pose_id, analysis.hold_s):
            self.pipeline.finish(analysis.t_s)
            events.extend(self._save_completed())
            step = guided.advance()
            if step is not None:
                self.pipeline.target_pose = step.pose
            events.append(StepChanged(guided.sequence, guided.index, step))
        return events

    def end(self, t_s: float | None = None) -> list[Event]:
        """Close the hold in progress and stop the session; idempotent."""
        if self._ended:
            return []
        t = t_s if t_s is not None else self._last_t
        self.pipeline.finish(t)
        events = list(self._save_completed())
        self._ended = True
        if self.session_id is not None:
            ended_at = self.wall_time(t) if t is not None else self.clock()
            events.append(self.service.stop_session(self.session_id, ended_at))
            self.session_id = None
        return events

    def wall_time(self, t_s: float) -> datetime:
        """Wall-clock time of source time ``t_s`` (anchored at the first frame seen)."""
        if self._anchor is None:
            self._anchor = (t_s, self.clock())
        t0, wall0 = self._anchor
        return wall0 + timedelta(seconds=t_s - t0)

    def _start(self, started_at: datetime) -> SessionStarted:
        mode = "guided" if self.guided is not None else "free"
        name = self.guided.sequence.name if self.guided is not None else None
        result = self.service.start_session(mode=mode, sequence_name=name, started_at=started_at)
        self.session_id = result.session.id
        self.session_started_at = result.session.started_at
        return result

    def _save_completed(self) -> list[Event]:
        events: list[Event] = []
        for record in self.pipeline.pop_completed():
            if self.session_id is None:
                if self._ended:
                    continue
                events.append(self._start(self.wall_time(record.start_s)))
            assert self.session_id is not None
            events.append(self.service.record_hold(self.session_id, self._new_hold(record)))
            self.holds_saved += 1
        return events

    def _new_hold(self, record: HoldRecord) -> NewHold:
        return NewHold(
            pose_id=record.pose_id,
            pose_name=record.pose_name,
            started_at=self.wall_time(record.start_s),
            ended_at=self.wall_time(record.end_s),
            hold_s=round(record.hold_s, 2),
            accuracy=round(min(100.0, max(0.0, record.mean_accuracy)), 2),
            best_accuracy=round(min(100.0, max(0.0, record.best_accuracy)), 2),
            feedback=list(record.feedback),
            improvements=list(record.improvements),
        )
