"""The pose feature vector: named angles (degrees) and body-scaled distances.

Feature names and meaning (``<s>`` is ``left`` or ``right``; angles in degrees):

* ``<s>_elbow``   shoulder-elbow-wrist angle, 180 = arm straight.
* ``<s>_shoulder`` hip-shoulder-elbow angle, 0 = arm by the side, 180 = overhead.
* ``<s>_hip``     shoulder-hip-knee angle, 180 = standing straight, 90 = folded.
* ``<s>_knee``    hip-knee-ankle angle, 180 = leg straight.
* ``<s>_ankle``   knee-ankle-toe angle.
* ``<s>_arm_incl`` shoulder→wrist to the downward vertical, 0 hanging, 180 up.
* ``<s>_thigh_incl`` hip→knee to the downward vertical, 90 = thigh horizontal.
* ``<s>_shin_incl`` knee→ankle to the downward vertical.
* ``<s>_foot_lift`` height of the ankle above the lowest foot point, in torso lengths.
* ``torso_incl``  mid-hip→mid-shoulder to the upward vertical, 0 upright, 90 flat.
* ``hip_height``  mid-hip height above the lowest foot point, in torso lengths.
* ``stance_width`` ankle-to-ankle distance in torso lengths.

Unknown features are NaN.  Pure functions, thread-safe.
"""

from __future__ import annotations

import math

import numpy as np

from pose import geometry as g
from pose.feature_names import FEATURE_KINDS, FEATURE_NAMES, FeatureKind
from pose.landmark_ids import SIDE_INDEX, SIDES
from pose.types import Landmarks

__all__ = ["FEATURE_KINDS", "FEATURE_NAMES", "FeatureKind", "extract_features"]


def extract_features(
    lm: Landmarks,
    visibility_threshold: float = g.DEFAULT_VISIBILITY,
    use_depth: bool = True,
) -> dict[str, float]:
    """All features of :data:`FEATURE_NAMES` for one person (NaN where unknown)."""
    pts = g.landmark_points(lm, visibility_threshold, use_depth)
    flat = g.landmark_points(lm, visibility_threshold, use_depth=False)
    out: dict[str, float] = {}
    scale = g.body_scale(pts)
    foot_ids = [SIDE_INDEX[s][p] for s in SIDES for p in ("ankle", "heel", "foot")]
    foot_y = flat[foot_ids, 1]
    ground = float(np.nanmax(foot_y)) if not np.isnan(foot_y).all() else math.nan
    flat_scale = g.body_scale(flat)
    for side in SIDES:
        i = SIDE_INDEX[side]
        sh, el, wr = pts[i["shoulder"]], pts[i["elbow"]], pts[i["wrist"]]
        hp, kn, an, ft = pts[i["hip"]], pts[i["knee"]], pts[i["ankle"]], pts[i["foot"]]
        out[f"{side}_elbow"] = g.joint_angle(sh, el, wr)
        out[f"{side}_shoulder"] = g.joint_angle(hp, sh, el)
        out[f"{side}_hip"] = g.joint_angle(sh, hp, kn)
        out[f"{side}_knee"] = g.joint_angle(hp, kn, an)
        out[f"{side}_ankle"] = g.joint_angle(kn, an, ft)
        out[f"{side}_arm_incl"] = g.inclination_from_down(sh, wr)
        out[f"{side}_thigh_incl"] = g.inclination_from_down(hp, kn)
        out[f"{side}_shin_incl"] = g.inclination_from_down(kn, an)
        # Heights are measured in the image plane: the vertical is the image y axis.
        out[f"{side}_foot_lift"] = (ground - float(flat[i["ankle"], 1])) / flat_scale
    mid_sh = g.midpoint(pts[11], pts[12])
    mid_hp = g.midpoint(pts[23], pts[24])
    out["torso_incl"] = g.inclination_from_up(mid_hp, mid_sh)
    flat_mid_hp = g.midpoint(flat[23], flat[24])
    out["hip_height"] = (ground - float(flat_mid_hp[1])) / flat_scale
    ankles = pts[[SIDE_INDEX["left"]["ankle"], SIDE_INDEX["right"]["ankle"]]]
    out["stance_width"] = float(np.linalg.norm(ankles[0] - ankles[1])) / scale
    return {k: float(v) for k, v in out.items()}
