"""Real photos under laptop-camera conditions, as clips: a dim room, feet out of the picture."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from pose.camera import VideoFileSource
from pose.framing import FEET
from pose.library import PoseLibrary
from pose.search import is_dark
from pose.timeline import analyze_video
from tests.pose.clips import run_live, write_clip

pytestmark = [pytest.mark.shared, pytest.mark.slow]

WANTED = ["warrior_ii", "tree", "downward_dog", "triangle"]
#: 4 s per photo: after a hard cut from one photo to the next (nobody teleports on a mat)
#: tracking MediaPipe needs up to ~1.5 s in the dark to let go of the previous body.
SECONDS, FPS = 4, 10


def _letterbox(image: np.ndarray, w: int = 640, h: int = 480) -> np.ndarray:
    scale = min(w / image.shape[1], h / image.shape[0])
    resized = cv2.resize(image, (round(image.shape[1] * scale), round(image.shape[0] * scale)))
    canvas = np.full((h, w, 3), 255, np.uint8)
    y, x = (h - resized.shape[0]) // 2, (w - resized.shape[1]) // 2
    canvas[y : y + resized.shape[0], x : x + resized.shape[1]] = resized
    return canvas


def _dim_room(photo: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """As ../shared/tools/webcam_conditions.py's dim_noise, over the whole frame (the room is
    dark, not only the person): brightness x0.35 and fresh sensor noise every frame."""
    noisy = _letterbox(photo).astype(np.float32) * 0.35 + rng.normal(0, 12, (480, 640, 3))
    return np.clip(noisy, 0, 255).astype(np.uint8)


def _feet_cut(photo: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """As webcam_conditions.py's feet_cut: the bottom 20% of the person's picture missing."""
    return _letterbox(photo[: int(photo.shape[0] * 0.80)])


def test_a_dark_clip_made_from_shared_photos_is_recognised(
    photos_dir: Path, tmp_path: Path, library: PoseLibrary
) -> None:
    clip = write_clip(tmp_path / "dim.mp4", photos_dir, WANTED, SECONDS, FPS, _dim_room)
    first = next(iter(VideoFileSource(clip).frames()))
    assert is_dark(first.image)  # the clip really is a dim room
    timeline = analyze_video(clip, library, hold_seconds=2.0)
    assert [s.pose_id for s in timeline.segments] == WANTED
    for i, s in enumerate(timeline.segments):
        assert SECONDS * i <= s.start_s and s.end_s <= SECONDS * (i + 1)


def test_feet_cut_off_gives_the_framing_cue_first_and_still_recognises_upper_body_poses(
    photos_dir: Path, tmp_path: Path, library: PoseLibrary
) -> None:
    clip = write_clip(tmp_path / "feet.mp4", photos_dir, WANTED, SECONDS, FPS, _feet_cut)
    pipeline, out = run_live(clip, library)
    pipeline.finish(out[-1].t_s)
    seen = [a for a in out if a.landmarks is not None]
    assert seen and seen[0].framing == FEET  # the first thing said is to step back
    # While a pose is not yet held well the framing cue is the one cue shown.
    assert all(a.framing == FEET for a in out[:FPS] if a.landmarks is not None)
    held = [h.pose_id for h in pipeline.pop_completed()]
    # Poses judged from the upper body and the legs' upper half are still recognised.
    assert {"warrior_ii", "triangle"} <= set(held)
    assert set(held) <= set(WANTED)
