"""Pose estimators: MediaPipe Pose (bundled model) and the Tasks ``PoseLandmarker``.

mediapipe is imported lazily, when an estimator is CREATED, so importing this
module (and app start-up) stays cheap.  Estimators are NOT thread-safe: create
and use each one from a single thread.  :meth:`close` releases the graph.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

# Re-exported: callers name the protocol and frame type through this module as before.
from pose.estimator_protocol import EstimatorError as EstimatorError
from pose.estimator_protocol import Frame as Frame
from pose.estimator_protocol import PoseEstimator as PoseEstimator
from pose.types import Landmarks


def _to_array(points: Any, with_visibility: bool) -> NDArray[np.float64]:
    cols = 4 if with_visibility else 3
    out = np.empty((len(points), cols), dtype=np.float64)
    for i, p in enumerate(points):
        out[i, 0], out[i, 1], out[i, 2] = p.x, p.y, p.z
        if with_visibility:
            out[i, 3] = getattr(p, "visibility", 1.0) or 0.0
    return out


class MediaPipePoseEstimator:
    """``mp.solutions.pose.Pose`` with the model bundled in the mediapipe wheel (offline).

    ``static_image_mode=True`` treats every frame independently (photos);
    False tracks between frames (video / camera; faster and steadier).
    """

    def __init__(
        self, *, static_image_mode: bool = False, model_complexity: int = 1, min_detection_confidence: float = 0.5
    ) -> None:
        import cv2
        import mediapipe as mp

        self._cv2_cvt = cv2.cvtColor
        self._rgb = cv2.COLOR_BGR2RGB
        self._pose = mp.solutions.pose.Pose(
            static_image_mode=static_image_mode,
            model_complexity=model_complexity,
            min_detection_confidence=min_detection_confidence,
            # The pipeline smooths with its own One Euro filter; smoothing twice only adds lag.
            smooth_landmarks=False,
        )

    def estimate(self, frame_bgr: Frame, t_s: float | None = None) -> Landmarks | None:
        """See :class:`PoseEstimator`."""
        rgb = self._cv2_cvt(frame_bgr, self._rgb)
        rgb.flags.writeable = False  # lets mediapipe avoid a copy
        result = self._pose.process(rgb)
        if result.pose_landmarks is None:
            return None
        image = _to_array(result.pose_landmarks.landmark, True)
        world = None
        if result.pose_world_landmarks is not None:
            world = _to_array(result.pose_world_landmarks.landmark, False)
        h, w = frame_bgr.shape[:2]
        return Landmarks(image=image, width=int(w), height=int(h), world=world)

    def close(self) -> None:
        """See :class:`PoseEstimator`."""
        self._pose.close()


class TasksPoseEstimator:
    """MediaPipe Tasks ``PoseLandmarker`` running a user-supplied ``.task`` model.

    ``video=True`` uses VIDEO running mode (needs increasing ``t_s``); otherwise
    IMAGE mode.  Raises ``FileNotFoundError`` if the file is missing and
    :class:`EstimatorError` if mediapipe rejects it.
    """

    def __init__(self, task_file: Path, *, video: bool = False) -> None:
        if not task_file.is_file():
            raise FileNotFoundError(f"pose model not found: {task_file}")
        import cv2
        import mediapipe as mp
        from mediapipe.tasks.python import BaseOptions, vision

        self._mp = mp
        self._cvt = cv2.cvtColor
        self._rgb = cv2.COLOR_BGR2RGB
        self._video = video
        self._last_ms = -1
        mode = vision.RunningMode.VIDEO if video else vision.RunningMode.IMAGE
        options = vision.PoseLandmarkerOptions(
            base_options=BaseOptions(model_asset_path=str(task_file)),
            running_mode=mode,
            num_poses=1,
        )
        try:
            self._landmarker = vision.PoseLandmarker.create_from_options(options)
        except (RuntimeError, ValueError) as exc:
            raise EstimatorError(f"cannot load pose model {task_file}: {exc}") from exc

    def estimate(self, frame_bgr: Frame, t_s: float | None = None) -> Landmarks | None:
        """See :class:`PoseEstimator`."""
        rgb = np.ascontiguousarray(self._cvt(frame_bgr, self._rgb))
        image = self._mp.Image(image_format=self._mp.ImageFormat.SRGB, data=rgb)
        if self._video:
            # VIDEO mode demands strictly increasing timestamps.
            ms = round((t_s or 0.0) * 1000)
            ms = max(ms, self._last_ms + 1)
            self._last_ms = ms
            result = self._landmarker.detect_for_video(image, ms)
        else:
            result = self._landmarker.detect(image)
        if not result.pose_landmarks:
            return None
        img = _to_array(result.pose_landmarks[0], True)
        world = _to_array(result.pose_world_landmarks[0], False) if result.pose_world_landmarks else None
        h, w = frame_bgr.shape[:2]
        return Landmarks(image=img, width=int(w), height=int(h), world=world)

    def close(self) -> None:
        """See :class:`PoseEstimator`."""
        self._landmarker.close()


def create_estimator(
    task_file: Path | None = None, *, static_image_mode: bool = False, search: bool = True
) -> PoseEstimator:
    """The Tasks backend when ``task_file`` is given, else the bundled MediaPipe Pose.

    ``static_image_mode`` selects per-image detection (photos) instead of tracking.
    ``search`` wraps it in :class:`pose.search.SearchingEstimator`: when nobody is found,
    enhanced / zoomed / rotated copies are tried (on a live stream at most twice a second);
    photos are also estimated mirrored and the two estimates averaged (flip test).
    """

    def make(static: bool) -> PoseEstimator:
        if task_file is not None:
            return TasksPoseEstimator(task_file, video=not static)
        return MediaPipePoseEstimator(static_image_mode=static)

    primary = make(static_image_mode)
    if not search:
        return primary
    from pose.search import SearchingEstimator

    if static_image_mode:
        return SearchingEstimator(primary, flip_test=True)
    return SearchingEstimator(primary, lambda: make(True), search_every_s=0.5)
