"""Clips made from the shared photos, and the live pipeline run over them (for the tests)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from pose.camera import VideoFileSource
from pose.estimator import create_estimator
from pose.library import PoseLibrary
from pose.pipeline import PosePipeline
from pose.types import FrameAnalysis

Frame = Callable[[np.ndarray, np.random.Generator], np.ndarray]


def first_photos(photos_dir: Path, poses: list[str]) -> list[str]:
    """The first photo of each pose in labels.csv order (a fixed rule, not a pick)."""
    with (photos_dir / "labels.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    return [next(r["path"] for r in rows if r["pose"] == pose) for pose in poses]


def write_clip(out: Path, photos_dir: Path, poses: list[str], seconds: int, fps: int, frame: Frame) -> Path:
    """A 640x480 MP4 holding each pose's first photo for ``seconds``, through ``frame``."""
    rng = np.random.default_rng(11)
    writer = cv2.VideoWriter(str(out), cv2.VideoWriter.fourcc(*"mp4v"), float(fps), (640, 480))
    for rel in first_photos(photos_dir, poses):
        base = cv2.imread(str(photos_dir / rel))
        for _ in range(seconds * fps):
            writer.write(frame(base, rng))
    writer.release()
    return out


def run_live(clip: Path, library: PoseLibrary) -> tuple[PosePipeline, list[FrameAnalysis]]:
    """Every frame of ``clip`` through a fresh live pipeline (2 s holds); the pipeline, closed."""
    source = VideoFileSource(clip)
    pipeline = PosePipeline(library, create_estimator(), hold_seconds=2.0)
    try:
        return pipeline, [pipeline.process(f.image, f.t_s) for f in source.frames()]
    finally:
        source.close()
        pipeline.close()
