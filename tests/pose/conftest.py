"""Fixtures of the pose tests: the pose library and the optional ../shared data."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import numpy as np
import pytest

from pose.library import PoseLibrary
from pose.types import Landmarks

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("FIELDMAT_SHARED", REPO / ".." / "shared")).resolve()
PHOTOS = SHARED / "data" / "yoga-poses"
VIDEO_DIR = SHARED / "data" / "yoga-video"


@pytest.fixture(scope="session")
def library() -> PoseLibrary:
    return PoseLibrary.load()


@pytest.fixture(scope="session")
def photos_dir() -> Path:
    if not (PHOTOS / "labels.csv").is_file():
        pytest.skip(f"shared yoga photos not found at {PHOTOS} (set FIELDMAT_SHARED)")
    return PHOTOS


@pytest.fixture(scope="session")
def video_dir() -> Path:
    if not (VIDEO_DIR / "segments.csv").is_file():
        pytest.skip(f"shared yoga video not found at {VIDEO_DIR} (set FIELDMAT_SHARED)")
    return VIDEO_DIR


@pytest.fixture(scope="session")
def photo_landmarks(photos_dir: Path) -> list[tuple[str, str, Landmarks]]:
    """(path, label, landmarks) from the shared MediaPipe JSON, with each photo's size."""
    data = json.loads((photos_dir / "landmarks_mediapipe_0.10.21.json").read_text())["landmarks"]
    with (photos_dir / "provenance.csv").open() as fh:
        prov = {r["path"]: r for r in csv.DictReader(fh)}
    return [
        (
            path,
            prov[path]["pose"],
            Landmarks(np.asarray(arr, dtype=np.float64), int(prov[path]["width"]), int(prov[path]["height"])),
        )
        for path, arr in sorted(data.items())
    ]
