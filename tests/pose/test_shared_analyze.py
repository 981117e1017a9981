"""``fieldmat analyze`` on real video: the shared clip and a clip made from photos."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from app.__main__ import run as cli_main
from pose.library import PoseLibrary
from tests.pose.caption_agreement import caption_agreement

pytestmark = [pytest.mark.shared, pytest.mark.mediapipe]


def _analyze_json(video: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    assert cli_main(["analyze", str(video), "--json"]) == 0
    doc: dict[str, object] = json.loads(capsys.readouterr().out)
    assert set(doc) == {"fps", "frames", "segments"}
    return doc


def test_shared_video_agrees_with_caption_segments(
    video_dir: Path, library: PoseLibrary, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = _analyze_json(video_dir / "yoga_warrior2_to_pyramid.mp4", capsys)
    fps = float(doc["fps"])  # type: ignore[arg-type]
    assert abs(fps - 29.97) < 0.1 and doc["frames"] == 527
    for s in doc["segments"]:  # type: ignore[attr-defined]
        assert s["hold_s"] >= 2.0 and 0 <= s["mean_accuracy"] <= s["best_accuracy"] <= 100
        assert set(s) == {"pose", "start_s", "end_s", "hold_s", "mean_accuracy", "best_accuracy", "feedback"}
    agree, total = caption_agreement(doc, video_dir / "segments.csv", library)
    print(f"agreement {agree}/{total} = {agree / total:.3f}; segments {[s['pose'] for s in doc['segments']]}")  # type: ignore[attr-defined]
    assert agree / total >= 0.85
    poses = {s["pose"] for s in doc["segments"]}  # type: ignore[attr-defined]
    assert {"warrior_ii", "reverse_warrior", "side_angle", "triangle"} <= poses


def _letterbox(image: np.ndarray, w: int = 640, h: int = 480) -> np.ndarray:
    scale = min(w / image.shape[1], h / image.shape[0])
    resized = cv2.resize(image, (round(image.shape[1] * scale), round(image.shape[0] * scale)))
    canvas = np.full((h, w, 3), 255, np.uint8)
    y, x = (h - resized.shape[0]) // 2, (w - resized.shape[1]) // 2
    canvas[y : y + resized.shape[0], x : x + resized.shape[1]] = resized
    return canvas


def test_video_made_from_photos_gives_the_right_segments(
    photos_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wanted = ["warrior_ii", "tree", "downward_dog", "triangle"]
    with (photos_dir / "labels.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    # The first photo of each pose in labels.csv order: a fixed rule, not a pick.
    photos = [next(r["path"] for r in rows if r["pose"] == pose) for pose in wanted]
    video = tmp_path / "photos.mp4"
    out = cv2.VideoWriter(str(video), cv2.VideoWriter.fourcc(*"mp4v"), 10.0, (640, 480))
    for rel in photos:
        frame = _letterbox(cv2.imread(str(photos_dir / rel)))
        for _ in range(30):  # 3 s at 10 fps
            out.write(frame)
    out.release()
    doc = _analyze_json(video, capsys)
    segs = doc["segments"]
    assert [s["pose"] for s in segs] == wanted  # type: ignore[attr-defined]
    for i, s in enumerate(segs):  # type: ignore[arg-type]
        # Tracking-mode MediaPipe needs a few frames to re-lock after a hard cut between photos.
        assert 3.0 * i <= s["start_s"] <= 3.0 * i + 1.0
        assert s["end_s"] == pytest.approx(3.0 * i + 2.9, abs=0.35)
