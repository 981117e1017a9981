"""Benchmark: MediaPipe model alone vs the full pose pipeline on a 640x480 clip.

    .venv/bin/python bench/pose_pipeline.py [--frames N] [--video PATH]

The clip is made here from ``../shared/data/yoga-video`` (resized to 640x480,
written as MP4 to a temp folder, so the pipeline really decodes it).

* model-only: ``mp.solutions.pose.Pose.process`` on pre-decoded RGB frames.
* pipeline: decode → estimate → smooth → recognise → score/cues → hold
  tracking → draw, with decoding and drawing overlapped in their own threads
  (:func:`pose.stages.run_staged`), measured as wall time per frame.

The LAST line is exactly ``ratio <pipeline/model> fps <pipeline frames/s>``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pose.camera import TimedFrame
    from pose.types import FrameAnalysis

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SHARED = Path(os.environ.get("FIELDMAT_SHARED", REPO.parent / "shared"))
DEFAULT_VIDEO = SHARED / "data" / "yoga-video" / "yoga_warrior2_to_pyramid.mp4"


def make_clip(src: Path, dst: Path, frames: int) -> int:
    """Write the first ``frames`` frames of ``src`` resized to 640x480 into ``dst``."""
    import cv2

    cap = cv2.VideoCapture(str(src))
    fps = cap.get(cv2.CAP_PROP_FPS) or 30.0
    out = cv2.VideoWriter(str(dst), cv2.VideoWriter.fourcc(*"mp4v"), fps, (640, 480))
    n = 0
    while n < frames:
        ok, frame = cap.read()
        if not ok:
            break
        out.write(cv2.resize(frame, (640, 480), interpolation=cv2.INTER_AREA))
        n += 1
    cap.release()
    out.release()
    return n


def model_only(clip: Path) -> tuple[float, int]:
    """Seconds per frame of the bare model on pre-decoded RGB frames."""
    import cv2
    import mediapipe as mp

    cap = cv2.VideoCapture(str(clip))
    rgb = []
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        rgb.append(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
    cap.release()
    # Same settings as the pipeline's estimator (it smooths with its own One Euro filter).
    with mp.solutions.pose.Pose(model_complexity=1, smooth_landmarks=False) as pose:
        pose.process(rgb[0])  # warm-up (graph start) outside the timing
        start = time.perf_counter()
        for image in rgb:
            pose.process(image)
        elapsed = time.perf_counter() - start
    return elapsed / len(rgb), len(rgb)


def full_pipeline(clip: Path) -> tuple[float, int, int]:
    """Seconds per frame of the staged pipeline, frames done, frames with a pose."""
    import numpy as np

    from pose.camera import VideoFileSource
    from pose.draw import draw_skeleton
    from pose.estimator import create_estimator
    from pose.library import PoseLibrary
    from pose.pipeline import PosePipeline
    from pose.stages import run_staged

    library = PoseLibrary.load()
    pipeline = PosePipeline(library, create_estimator())
    pipeline.process(np.zeros((480, 640, 3), np.uint8), 0.0)  # warm-up, as for the model
    recognised = 0

    def sink(frame: TimedFrame, analysis: FrameAnalysis) -> None:
        nonlocal recognised
        draw_skeleton(frame.image, analysis)
        recognised += analysis.pose_id is not None

    source = VideoFileSource(clip)
    start = time.perf_counter()
    n = run_staged(source.frames(), pipeline, sink)
    elapsed = time.perf_counter() - start
    source.close()
    pipeline.close()
    return elapsed / n, n, recognised


def stage_costs(clip: Path, frames: int = 60) -> dict[str, float]:
    """Milliseconds per call of each stage added for poor pictures, on the clip's frames.

    Every frame pays ``luma`` and ``framing``; the search stages run only on a frame where
    the plain pass found nobody (a live stream: at most twice a second), each = making the
    copy + one per-image model pass.
    """
    import numpy as np

    from pose.camera import VideoFileSource
    from pose.estimator import MediaPipePoseEstimator
    from pose.framing import framing_cue
    from pose.search import brighten, mean_luma, variants

    source = VideoFileSource(clip)
    images = [f.image for _, f in zip(range(frames), source.frames(), strict=False)]
    source.close()
    static = MediaPipePoseEstimator(static_image_mode=True)
    static.estimate(images[0])
    lm = static.estimate(images[0])
    out: dict[str, float] = {}

    def timed(name: str, fn: Callable[[np.ndarray], object]) -> None:
        start = time.perf_counter()
        for image in images:
            fn(image)
        out[name] = (time.perf_counter() - start) / len(images) * 1000

    timed("luma (every frame)", mean_luma)
    timed("framing cue (every frame)", lambda image: framing_cue(lm, 120.0, "pyramid"))
    timed("denoise+gain copy (dark, nobody found)", brighten)
    timed("search: all copies made (nobody found)", lambda image: list(variants(image)))
    timed("search: one per-image model pass", static.estimate)
    static.close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--video", type=Path, default=DEFAULT_VIDEO)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    if not args.video.is_file():
        print(f"source video missing: {args.video} (set FIELDMAT_SHARED)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        clip = Path(tmp) / "clip640x480.mp4"
        n = make_clip(args.video, clip, args.frames)
        print(f"clip: {n} frames 640x480 from {args.video.name}; cpus {os.cpu_count()}")
        # Alternate the two measurements and keep each one's best run (as timeit does):
        # other processes on the machine only ever add time, equally to both.
        model_runs: list[float] = []
        pipe_runs: list[float] = []
        for _ in range(args.repeats):
            model_runs.append(model_only(clip)[0])
            pipe_s, done, recognised = full_pipeline(clip)
            pipe_runs.append(pipe_s)
            print(f"  run: model {model_runs[-1] * 1000:.2f} ms, pipeline {pipe_s * 1000:.2f} ms")
        model_s, pipe_s = min(model_runs), min(pipe_runs)
        for name, ms in stage_costs(clip).items():
            print(f"stage {name:<42} {ms:7.2f} ms")
    print(f"model-only  {model_s * 1000:.2f} ms/frame ({1 / model_s:.1f} fps)")
    print(
        f"pipeline    {pipe_s * 1000:.2f} ms/frame ({1 / pipe_s:.1f} fps), "
        f"{done} frames, {recognised} with a recognised pose"
    )
    print(f"ratio {pipe_s / model_s:.3f} fps {1 / pipe_s:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
