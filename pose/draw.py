"""Draw the skeleton onto a frame, joints coloured by deviation (green ok → red off).

Draws IN PLACE on the given BGR frame (no copy; cheap enough per frame).
cv2 is imported lazily.  Thread-safe as long as nobody else writes the frame.
"""

from __future__ import annotations

import math

import numpy as np

from pose.estimator import Frame
from pose.geometry import DEFAULT_VISIBILITY
from pose.landmark_ids import SIDE_INDEX, SKELETON_EDGES
from pose.types import FrameAnalysis

#: Features whose deviation colours each joint landmark.
_JOINT_FEATURES: dict[str, tuple[str, ...]] = {
    "shoulder": ("shoulder", "arm_incl"),
    "elbow": ("elbow",),
    "hip": ("hip",),
    "knee": ("knee", "thigh_incl"),
    "ankle": ("shin_incl",),
}
GREEN_WITHIN_DEG = 10.0  # deviations up to this are fully green
RED_AT_DEG = 35.0  # ... and fully red from this on
NEUTRAL = (200, 200, 200)


def deviation_colour(deviation_deg: float) -> tuple[int, int, int]:
    """BGR colour for an absolute deviation: green → yellow → red."""
    if math.isnan(deviation_deg):
        return NEUTRAL
    t = min(1.0, max(0.0, (abs(deviation_deg) - GREEN_WITHIN_DEG) / (RED_AT_DEG - GREEN_WITHIN_DEG)))
    # Through yellow: green stays high for the first half, red rises first.
    red = int(255 * min(1.0, 2 * t))
    green = int(255 * min(1.0, 2 * (1 - t)))
    return (0, green, red)


def joint_colours(analysis: FrameAnalysis) -> dict[int, tuple[int, int, int]]:
    """Landmark index → colour for joints the current pose scores."""
    out: dict[int, tuple[int, int, int]] = {}
    for side, ids in SIDE_INDEX.items():
        for joint, feats in _JOINT_FEATURES.items():
            devs = [analysis.deviations[f"{side}_{f}"] for f in feats if f"{side}_{f}" in analysis.deviations]
            if devs:
                out[ids[joint]] = deviation_colour(max(abs(d) for d in devs))
    return out


def draw_skeleton(frame_bgr: Frame, analysis: FrameAnalysis, visibility_threshold: float = DEFAULT_VISIBILITY) -> None:
    """Draw bones and joints of ``analysis.landmarks`` onto ``frame_bgr`` (modified in place)."""
    lm = analysis.landmarks
    if lm is None:
        return
    import cv2

    h, w = frame_bgr.shape[:2]
    # Landmarks may come from a differently sized frame: scale normalised coords to this one.
    xy = np.rint(lm.image[:, :2] * np.array([w, h])).astype(np.int32)
    visible = lm.image[:, 3] >= visibility_threshold
    thickness = max(2, round(min(w, h) / 240))
    for a, b in SKELETON_EDGES:
        if visible[a] and visible[b]:
            cv2.line(
                frame_bgr,
                (int(xy[a, 0]), int(xy[a, 1])),
                (int(xy[b, 0]), int(xy[b, 1])),
                (255, 255, 255),
                thickness,
                cv2.LINE_AA,
            )
    colours = joint_colours(analysis)
    for i in range(11, 33):
        if visible[i]:
            colour = colours.get(i, NEUTRAL)
            radius = thickness * (3 if i in colours else 2)
            cv2.circle(frame_bgr, (int(xy[i, 0]), int(xy[i, 1])), radius, colour, -1, cv2.LINE_AA)
