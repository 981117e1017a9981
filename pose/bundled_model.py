"""The pose model that ships inside the mediapipe wheel, described without loading mediapipe.

``MediaPipePoseEstimator`` (``model_complexity=1``, its default) runs MediaPipe's bundled
"full" landmark model after the pose detector. Both files must be on disk: for the other
complexities mediapipe would download a model at run time, which Fieldmat never does.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
from pathlib import Path

# Relative to the mediapipe package folder.
LANDMARK_MODEL = Path("modules/pose_landmark/pose_landmark_full.tflite")
DETECTOR_MODEL = Path("modules/pose_detection/pose_detection.tflite")


def mediapipe_folder() -> Path | None:
    """The installed (or bundled) mediapipe package folder, found without importing it."""
    spec = importlib.util.find_spec("mediapipe")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def describe_pose_model() -> str:
    """One line: mediapipe's version and the landmark model's file, size and digest, or what is missing."""
    try:
        version = importlib.metadata.version("mediapipe")
    except importlib.metadata.PackageNotFoundError:
        version = "(version unknown)"
    folder = mediapipe_folder()
    if folder is None:
        return f"MediaPipe {version}: not installed, no pose model"
    missing = [str(rel) for rel in (LANDMARK_MODEL, DETECTOR_MODEL) if not (folder / rel).is_file()]
    if missing:
        return f"MediaPipe {version}: pose model missing ({', '.join(missing)})"
    data = (folder / LANDMARK_MODEL).read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:12]
    return f"MediaPipe {version}, pose model {LANDMARK_MODEL.name} (bundled, {len(data) / 1e6:.1f} MB, sha256 {digest})"
