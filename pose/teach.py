"""Teach a pose: turn the user's own landmarks into a library entry saved as JSON.

Targets are the user's measured features with default tolerances/weights by
feature kind, so the taught pose is then recognised and scored like a built-in.
The file goes to ``<user_dir>/<pose_id>.json`` (load it with
``PoseLibrary.load(user_dir)``).  Raises ``ValueError`` for a bad id or when
too few joints are visible.  Thread-safe apart from concurrent writes to the
same file.
"""

from __future__ import annotations

import json
import math
import os
import re
import tempfile
from pathlib import Path

import numpy as np

from pose.estimator import PoseEstimator
from pose.features import FEATURE_KINDS, extract_features
from pose.library import PoseDefinition, Target
from pose.types import Landmarks

_ID = re.compile(r"^[a-z0-9][a-z0-9_]{0,47}$")
_TOL = {"angle": 15.0, "inclination": 15.0, "distance": 0.35}
# Weights mirror the built-ins: big joints and the torso decide the shape most.
_WEIGHT = {
    "knee": 2.0,
    "hip": 1.5,
    "torso_incl": 2.0,
    "arm_incl": 1.5,
    "thigh_incl": 1.0,
    "shin_incl": 1.0,
    "shoulder": 1.0,
    "elbow": 0.5,
    "foot_lift": 1.0,
    "stance_width": 1.0,
    "hip_height": 1.0,
}
MIN_FEATURES = 8


def _weight(name: str) -> float:
    kind = name.split("_", 1)[1] if name.startswith(("left_", "right_")) else name
    return _WEIGHT.get(kind, 0.0)


def pose_from_landmarks(
    landmarks: Landmarks, pose_id: str, english: str, *, sanskrit: str = "", description: str = ""
) -> PoseDefinition:
    """A sided :class:`PoseDefinition` whose targets are this body's features."""
    if not _ID.match(pose_id):
        raise ValueError(f"pose id must be lower-case letters, digits and _: {pose_id!r}")
    features = extract_features(landmarks, use_depth=False)
    targets = {
        name: Target(
            round(value, 3 if FEATURE_KINDS[name] == "distance" else 1), _TOL[FEATURE_KINDS[name]], _weight(name)
        )
        for name, value in features.items()
        if not math.isnan(value) and _weight(name) > 0
    }
    if len(targets) < MIN_FEATURES:
        raise ValueError("too few joints visible to teach this pose; step back so your whole body is seen")
    return PoseDefinition(
        id=pose_id,
        english=english,
        sanskrit=sanskrit,
        description=description or f"Your own pose, taught as {english!r}.",
        targets=targets,
        sided=True,
        roles={},
        builtin=False,
    )


def save_pose(pose: PoseDefinition, user_dir: Path) -> Path:
    """Write ``pose`` atomically to ``user_dir/<id>.json`` and return the path."""
    user_dir.mkdir(parents=True, exist_ok=True)
    path = user_dir / f"{pose.id}.json"
    fd, tmp = tempfile.mkstemp(dir=user_dir, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(pose.to_json(), fh, indent=2)
    os.replace(tmp, path)
    return path


def teach_pose(landmarks: Landmarks, pose_id: str, english: str, user_dir: Path, **names: str) -> PoseDefinition:
    """Build the pose from ``landmarks`` and save it; returns the definition."""
    pose = pose_from_landmarks(landmarks, pose_id, english, **names)
    save_pose(pose, user_dir)
    return pose


def teach_pose_from_photo(
    photo: Path, pose_id: str, english: str, user_dir: Path, estimator: PoseEstimator, **names: str
) -> PoseDefinition:
    """Like :func:`teach_pose` from a photo; raises ``ValueError`` if nobody is found."""
    import cv2

    image = cv2.imread(str(photo))
    if image is None:
        raise ValueError(f"cannot read image {photo}")
    lm = estimator.estimate(np.asarray(image, dtype=np.uint8))
    if lm is None:
        raise ValueError(f"no person found in {photo}")
    return teach_pose(lm, pose_id, english, user_dir, **names)
