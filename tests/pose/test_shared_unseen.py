"""Shared photos cut at the hips (the bottom 45% missing): no pose is guessed, the app says
what it cannot see - in the live pipeline, in ``fieldmat analyze`` and in ``eval-poses``."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from pose.estimator import create_estimator
from pose.evaluation import NONE_LABEL, evaluate
from pose.framing import FEET
from pose.library import PoseLibrary
from pose.timeline import analyze_video
from tests.pose.clips import first_photos, run_live, write_clip

pytestmark = [pytest.mark.shared, pytest.mark.mediapipe, pytest.mark.slow]

#: Poses defined by their legs; the first photo of each in labels.csv order (a fixed rule).
WANTED = ["tree", "triangle"]
SECONDS, FPS = 3, 10
CUT = 0.45


def _cut(photo: np.ndarray) -> np.ndarray:
    return photo[: int(photo.shape[0] * (1 - CUT))]


def _camera_frame(photo: np.ndarray, w: int = 640, h: int = 480) -> np.ndarray:
    """The cut photo as a 640x480 camera frame whose bottom edge is the cut (padding above
    and at the sides only: a camera's picture ends where its view ends)."""
    scale = min(w / photo.shape[1], h / photo.shape[0])
    resized = cv2.resize(photo, (round(photo.shape[1] * scale), round(photo.shape[0] * scale)))
    canvas = np.full((h, w, 3), 255, np.uint8)
    x = (w - resized.shape[1]) // 2
    canvas[h - resized.shape[0] :, x : x + resized.shape[1]] = resized
    return canvas


def test_photos_cut_at_the_hips_are_not_guessed(photos_dir: Path, library: PoseLibrary) -> None:
    estimator = create_estimator(static_image_mode=True)
    try:
        items = [
            (rel, pose, estimator.estimate(_cut(cv2.imread(str(photos_dir / rel)))))
            for rel, pose in zip(first_photos(photos_dir, WANTED), WANTED, strict=True)
        ]
    finally:
        estimator.close()
    assert all(lm is not None for _, _, lm in items)  # the person is found...
    result = evaluate(items, library)
    assert [p for _, _, p in result.pairs] == [NONE_LABEL] * len(WANTED)  # ...and no pose guessed


def test_a_clip_cut_at_the_hips_names_no_pose_and_says_what_it_cannot_see(
    photos_dir: Path, tmp_path: Path, library: PoseLibrary
) -> None:
    clip = write_clip(
        tmp_path / "hips.mp4", photos_dir, WANTED, SECONDS, FPS, lambda photo, _rng: _camera_frame(_cut(photo))
    )
    pipeline, out = run_live(clip, library)
    seen = [a for a in out if a.landmarks is not None]
    assert len(seen) >= 0.8 * len(out)  # the upper body is found
    assert all(a.pose_id is None and not a.cues and a.hold_s == 0.0 for a in out)
    # Each frame says what is missing: the legs a pose is defined by, or at least the feet.
    assert all(a.framing is not None and (a.framing.startswith("Can't see your") or a.framing == FEET) for a in seen)
    # Once tracking has settled (the first second), the tree's frames name the legs.
    tree = [a for a in seen if 1.0 <= a.t_s < SECONDS]
    assert tree and all(a.framing is not None and a.framing.startswith("Can't see your legs") for a in tree)
    assert pipeline.finish(out[-1].t_s) is None
    assert analyze_video(clip, library, hold_seconds=2.0).segments == []
