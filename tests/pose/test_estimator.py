"""Estimators (real MediaPipe), the Tasks backend, lazy imports and the staged runner."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from pose.camera import VideoFileSource
from pose.draw import draw_skeleton
from pose.estimator import EstimatorError, TasksPoseEstimator, create_estimator
from pose.library import PoseLibrary
from pose.pipeline import PosePipeline
from pose.stages import run_staged
from pose.types import FrameAnalysis

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("FIELDMAT_SHARED", REPO / ".." / "shared")).resolve()


@pytest.mark.subprocess
def test_importing_pose_and_cli_does_not_load_mediapipe_or_cv2() -> None:
    code = (
        "import sys, app.__main__, app.cli_pose, pose.pipeline, pose.camera, pose.draw, pose.timeline, "
        "pose.evaluation, pose.teach, pose.stages; app.__main__.build_parser(); "
        "print(sorted(m for m in ('mediapipe', 'cv2') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_tasks_backend_rejects_missing_model(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        create_estimator(tmp_path / "missing.task")


def test_tasks_backend_reports_a_corrupt_model(tmp_path: Path) -> None:
    bad = tmp_path / "pose_landmarker.task"
    bad.write_bytes(b"not a model" * 100)
    with pytest.raises(EstimatorError, match="cannot load pose model"):
        create_estimator(bad)


def _task_file() -> Path | None:
    env = os.environ.get("FIELDMAT_POSE_TASK")
    if env and Path(env).is_file():
        return Path(env)
    found = sorted(SHARED.glob("**/*.task")) if SHARED.is_dir() else []
    return found[0] if found else None


@pytest.mark.mediapipe
def test_tasks_backend_with_a_real_model(photos_dir: Path) -> None:
    task = _task_file()
    if task is None:
        pytest.skip("no PoseLandmarker .task model available (set FIELDMAT_POSE_TASK)")
    est = create_estimator(task, static_image_mode=True)
    assert isinstance(est, TasksPoseEstimator)
    try:
        image = cv2.imread(str(photos_dir / "warrior_ii" / sorted(os.listdir(photos_dir / "warrior_ii"))[0]))
        lm = est.estimate(np.asarray(image, np.uint8))
    finally:
        est.close()
    assert lm is not None and lm.image.shape == (33, 4) and lm.world is not None


@pytest.mark.mediapipe
def test_mediapipe_estimator_on_a_photo(photos_dir: Path) -> None:
    est = create_estimator(static_image_mode=True)
    try:
        image = cv2.imread(str(photos_dir / "tree" / sorted(os.listdir(photos_dir / "tree"))[0]))
        lm = est.estimate(np.asarray(image, np.uint8))
        nobody = est.estimate(np.full((240, 320, 3), 255, np.uint8))
    finally:
        est.close()
    assert lm is not None and lm.image.shape == (33, 4) and lm.world is not None
    assert (lm.width, lm.height) == (image.shape[1], image.shape[0])
    assert lm.visibility.min() >= 0 and lm.visibility.max() <= 1
    assert nobody is None


@pytest.mark.mediapipe
def test_staged_run_processes_every_frame_in_order(photos_dir: Path, tmp_path: Path) -> None:
    video = tmp_path / "still.mp4"
    frame = cv2.resize(
        cv2.imread(str(photos_dir / "warrior_ii" / sorted(os.listdir(photos_dir / "warrior_ii"))[0])), (320, 240)
    )
    out = cv2.VideoWriter(str(video), cv2.VideoWriter.fourcc(*"mp4v"), 10.0, (320, 240))
    for _ in range(25):
        out.write(frame)
    out.release()
    pipe = PosePipeline(PoseLibrary.load(), create_estimator())
    seen: list[tuple[int, FrameAnalysis]] = []

    def sink(f: object, a: FrameAnalysis) -> None:
        draw_skeleton(f.image, a)  # type: ignore[attr-defined]
        seen.append((f.index, a))  # type: ignore[attr-defined]

    src = VideoFileSource(video)
    try:
        assert run_staged(src.frames(), pipe, sink) == 25
    finally:
        src.close()
        pipe.close()
    assert [i for i, _ in seen] == list(range(25))
    assert seen[-1][1].pose_id == "warrior_ii" and seen[-1][1].held
