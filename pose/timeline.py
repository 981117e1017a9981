"""Offline analysis of a video file: the pose timeline behind ``fieldmat analyze``.

Every frame is read in order (no drops) and run through :class:`PosePipeline`
with tracking-mode MediaPipe.  A segment is a completed hold: it starts when
the pose is first recognised and is kept only if it lasted ``hold_seconds``.
Not thread-safe (owns its estimator while running).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pose.camera import VideoFileSource
from pose.estimator import PoseEstimator, create_estimator
from pose.library import PoseLibrary
from pose.pipeline import PosePipeline
from pose.types import HoldRecord


@dataclass(frozen=True)
class VideoTimeline:
    """Result of :func:`analyze_video`; ``frame_poses`` is the per-frame stable pose id."""

    fps: float
    frames: int
    segments: list[HoldRecord]
    frame_poses: list[str | None]

    def to_json(self) -> dict[str, Any]:
        """The ``fieldmat analyze --json`` document."""
        return {
            "fps": round(self.fps, 3),
            "frames": self.frames,
            "segments": [
                {
                    "pose": s.pose_id,
                    "start_s": round(s.start_s, 3),
                    "end_s": round(s.end_s, 3),
                    "hold_s": round(s.hold_s, 3),
                    "mean_accuracy": round(s.mean_accuracy, 1),
                    "best_accuracy": round(s.best_accuracy, 1),
                    "feedback": list(s.feedback),
                }
                for s in self.segments
            ],
        }


def analyze_video(
    path: Path,
    library: PoseLibrary,
    *,
    hold_seconds: float = 2.0,
    estimator: PoseEstimator | None = None,
    task_file: Path | None = None,
    progress: Callable[[int], None] | None = None,
) -> VideoTimeline:
    """Pose timeline of a video.  Raises ``FileNotFoundError``/``CameraUnavailable``.

    The estimator (default: tracking MediaPipe, or the ``task_file`` model) is
    closed at the end only if this function created it.
    """
    source = VideoFileSource(path)
    own = estimator is None
    est = estimator if estimator is not None else create_estimator(task_file)
    pipeline = PosePipeline(library, est, hold_seconds=hold_seconds)
    frame_poses: list[str | None] = []
    last_t = 0.0
    try:
        for frame in source.frames():
            analysis = pipeline.process(frame.image, frame.t_s)
            frame_poses.append(analysis.pose_id)
            last_t = frame.t_s
            if progress is not None:
                progress(frame.index)
        pipeline.finish(last_t)
    finally:
        source.close()
        if own:
            est.close()
    return VideoTimeline(source.fps, len(frame_poses), pipeline.pop_completed(), frame_poses)


def segment_label_at(segments: list[HoldRecord], t_s: float) -> str | None:
    """The pose of the segment covering ``t_s`` (inclusive), or None."""
    for s in segments:
        if s.start_s <= t_s <= s.end_s:
            return s.pose_id
    return None
