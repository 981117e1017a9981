"""Body geometry: joint angles, inclinations to the vertical, scale, mirroring.

All functions are pure and thread-safe.  Landmarks whose visibility is below
``visibility_threshold`` are UNKNOWN: their coordinates become NaN and every
feature that depends on them is NaN (never 0), so scoring can skip them.

Coordinates are pixels with the y axis pointing DOWN (image convention); depth
uses MediaPipe's relative ``z`` scaled like ``x`` (by the image width), which
makes joint angles roughly invariant to the camera's viewing angle.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from pose.landmark_ids import MIRROR_PERMUTATION
from pose.types import Landmarks

DEFAULT_VISIBILITY = 0.5

Points = NDArray[np.float64]
_DOWN = np.array([0.0, 1.0, 0.0])
_UP = -_DOWN


def landmark_points(lm: Landmarks, visibility_threshold: float = DEFAULT_VISIBILITY, use_depth: bool = True) -> Points:
    """(33, 3) pixel coordinates, NaN rows where visibility < threshold."""
    pts = np.empty((33, 3), dtype=np.float64)
    pts[:, 0] = lm.image[:, 0] * lm.width
    pts[:, 1] = lm.image[:, 1] * lm.height
    # MediaPipe documents z "with roughly the same scale as x".
    pts[:, 2] = lm.image[:, 2] * lm.width if use_depth else 0.0
    pts[lm.image[:, 3] < visibility_threshold] = np.nan
    return pts


def angle_between(u: Points, v: Points) -> float:
    """Angle in degrees between two vectors; NaN if either is unknown or zero."""
    nu = float(np.linalg.norm(u))
    nv = float(np.linalg.norm(v))
    if not (nu > 1e-9 and nv > 1e-9):  # also catches NaN
        return math.nan
    cos = float(np.dot(u, v)) / (nu * nv)
    return math.degrees(math.acos(max(-1.0, min(1.0, cos))))


def joint_angle(a: Points, b: Points, c: Points) -> float:
    """Angle ABC at vertex ``b`` in degrees (180 = straight); NaN if unknown."""
    return angle_between(a - b, c - b)


def inclination_from_down(start: Points, end: Points) -> float:
    """Angle of segment start→end to the downward vertical: 0 hanging, 180 pointing up."""
    return angle_between(end - start, _DOWN)


def inclination_from_up(start: Points, end: Points) -> float:
    """Angle of segment start→end to the upward vertical: 0 upright, 90 horizontal."""
    return angle_between(end - start, _UP)


def midpoint(a: Points, b: Points) -> Points:
    """Mean of two points, falling back to whichever one is known (NaN if neither)."""
    stacked = np.vstack([a, b])
    known = ~np.isnan(stacked).any(axis=1)
    if not known.any():
        return np.full(3, np.nan)
    return np.asarray(stacked[known].mean(axis=0), dtype=np.float64)


def body_scale(pts: Points) -> float:
    """Torso length (mid-shoulder to mid-hip), the unit for distance features; NaN if unknown."""
    s = midpoint(pts[11], pts[12])
    h = midpoint(pts[23], pts[24])
    length = float(np.linalg.norm(s - h))
    return length if length > 1e-6 else math.nan


def normalise(pts: Points) -> Points:
    """Points centred on the mid-hip and divided by :func:`body_scale` (NaN stays NaN)."""
    centre = midpoint(pts[23], pts[24])
    return (pts - centre) / body_scale(pts)


def mirror_landmarks(lm: Landmarks) -> Landmarks:
    """The landmarks of the horizontally flipped image (selfie view): x→1-x, sides swapped."""
    image = lm.image[MIRROR_PERMUTATION].copy()
    image[:, 0] = 1.0 - image[:, 0]
    world = None
    if lm.world is not None:
        world = lm.world[MIRROR_PERMUTATION].copy()
        world[:, 0] = -world[:, 0]
    return Landmarks(image=image, width=lm.width, height=lm.height, world=world)


def mirror_name(name: str) -> str:
    """Feature/joint name with its side swapped (``left_knee`` ↔ ``right_knee``)."""
    if name.startswith("left_"):
        return "right_" + name[5:]
    if name.startswith("right_"):
        return "left_" + name[6:]
    return name


def mirror_features(features: dict[str, float]) -> dict[str, float]:
    """Features with left and right swapped (the same body seen as the other side)."""
    return {mirror_name(k): v for k, v in features.items()}
