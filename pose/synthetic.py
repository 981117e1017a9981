"""Synthetic landmarks built from a pose's targets (for tests, demos and previews).

A planar stick figure with average proportions is posed by choosing segment
directions from the targets (trying every left/right bend choice) and then
refined by coordinate descent on the pose's own weighted deviation.  Purely
geometric: nothing here is learnt from photos.  Thread-safe (no shared state).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
from numpy.typing import NDArray

from pose.features import FEATURE_KINDS, extract_features
from pose.landmark_ids import SIDE_INDEX
from pose.library import PoseDefinition
from pose.scoring import FALLOFF
from pose.types import Landmarks

# Segment lengths in torso lengths (shoulder-hip = 1).
UPPER_ARM, FOREARM, THIGH, SHIN, FOOT = 0.62, 0.55, 0.92, 0.88, 0.28
SHOULDER_W, HIP_W, HEAD = 0.7, 0.36, 0.35
IMAGE_W, IMAGE_H = 640, 480

_SEGMENTS = ("ua", "fa", "th", "sh")


def _vec(alpha_deg: float) -> NDArray[np.float64]:
    """Unit vector at signed angle ``alpha`` from straight DOWN (image y down)."""
    a = math.radians(alpha_deg)
    return np.array([math.sin(a), math.cos(a)])


def build_landmarks(params: dict[str, float], visibility: float = 1.0) -> Landmarks:
    """Stick figure from segment angles (degrees from down): ``torso`` and
    ``<side>_ua|fa|th|sh`` for upper arm, forearm, thigh and shin."""
    pts = np.zeros((33, 2))
    torso = _vec(params["torso"])
    perp = np.array([-torso[1], torso[0]])  # person's left → image +x when upright
    mid_hip = np.zeros(2)
    mid_sh = mid_hip + torso
    pts[0] = mid_sh + torso * HEAD
    for i in range(1, 11):
        pts[i] = pts[0]
    for side, sign in (("left", 1.0), ("right", -1.0)):
        ids = SIDE_INDEX[side]
        sh = mid_sh + sign * perp * SHOULDER_W / 2
        hp = mid_hip + sign * perp * HIP_W / 2
        el = sh + _vec(params[f"{side}_ua"]) * UPPER_ARM
        wr = el + _vec(params[f"{side}_fa"]) * FOREARM
        kn = hp + _vec(params[f"{side}_th"]) * THIGH
        an = kn + _vec(params[f"{side}_sh"]) * SHIN
        # Foot points "forward" (perpendicular to the shin), heel slightly behind.
        shin = _vec(params[f"{side}_sh"])
        fwd = np.array([shin[1], -shin[0]]) * sign
        pts[ids["shoulder"]], pts[ids["elbow"]], pts[ids["wrist"]] = sh, el, wr
        pts[ids["hip"]], pts[ids["knee"]], pts[ids["ankle"]] = hp, kn, an
        pts[ids["heel"]] = an - fwd * FOOT * 0.3 + shin * 0.05
        pts[ids["foot"]] = an + fwd * FOOT + shin * 0.05
        for j in (17, 19, 21) if side == "left" else (18, 20, 22):
            pts[j] = wr
    # Fit the figure into the image with a margin (uniform scale keeps angles).
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    scale = 0.8 * min(IMAGE_W / max(hi[0] - lo[0], 1e-6), IMAGE_H / max(hi[1] - lo[1], 1e-6))
    px = (pts - (lo + hi) / 2) * scale + np.array([IMAGE_W / 2, IMAGE_H / 2])
    image = np.zeros((33, 4))
    image[:, 0] = px[:, 0] / IMAGE_W
    image[:, 1] = px[:, 1] / IMAGE_H
    image[:, 3] = visibility
    return Landmarks(image=image, width=IMAGE_W, height=IMAGE_H)


def pose_loss(params: dict[str, float], pose: PoseDefinition) -> float:
    """Weighted squared deviation (in falloff units) of the figure from the targets."""
    feats = extract_features(build_landmarks(params), use_depth=False)
    loss = 0.0
    for name, t in pose.targets.items():
        v = feats[name]
        if math.isnan(v):
            loss += t.weight * 4
            continue
        loss += t.weight * ((v - t.value) / FALLOFF[FEATURE_KINDS[name]]) ** 2
    return loss


def _initial_guesses(pose: PoseDefinition) -> list[dict[str, float]]:
    tg = {k: t.value for k, t in pose.targets.items()}
    out: list[dict[str, float]] = []
    torso_incl = tg.get("torso_incl", 0.0)
    for bits in itertools.product((1.0, -1.0), repeat=9):
        p: dict[str, float] = {"torso": 180.0 - bits[0] * torso_incl}
        for k, side in enumerate(("left", "right")):
            s_th, s_sh, s_ua, s_fa = bits[1 + 4 * k : 5 + 4 * k]
            if f"{side}_thigh_incl" in tg:
                th = s_th * tg[f"{side}_thigh_incl"]
            elif f"{side}_hip" in tg:
                th = p["torso"] + s_th * tg[f"{side}_hip"]
            else:
                th = 0.0
            if f"{side}_knee" in tg:
                sh = th + s_sh * (180.0 - tg[f"{side}_knee"])
            elif f"{side}_shin_incl" in tg:
                sh = s_sh * tg[f"{side}_shin_incl"]
            else:
                sh = th
            if f"{side}_arm_incl" in tg:
                ua = s_ua * tg[f"{side}_arm_incl"]
            elif f"{side}_shoulder" in tg:
                ua = p["torso"] + 180.0 + s_ua * tg[f"{side}_shoulder"]
            else:
                ua = s_ua * 10.0
            fa = ua + s_fa * (180.0 - tg.get(f"{side}_elbow", 178.0))
            p.update({f"{side}_th": th, f"{side}_sh": sh, f"{side}_ua": ua, f"{side}_fa": fa})
        out.append(p)
    return out


def fit_params(pose: PoseDefinition) -> dict[str, float]:
    """Segment angles (see :func:`build_landmarks`) that best match the targets."""
    best = min(_initial_guesses(pose), key=lambda p: pose_loss(p, pose))
    loss = pose_loss(best, pose)
    for step in (8.0, 3.0, 1.0):
        improved = True
        while improved:
            improved = False
            for key in list(best):
                for delta in (step, -step):
                    trial = dict(best)
                    trial[key] += delta
                    trial_loss = pose_loss(trial, pose)
                    if trial_loss < loss - 1e-9:
                        best, loss, improved = trial, trial_loss, True
    return best


def synthesize(pose: PoseDefinition, mirrored: bool = False) -> Landmarks:
    """Landmarks of a figure holding ``pose`` (its mirror image if ``mirrored``)."""
    lm = build_landmarks(fit_params(pose))
    if mirrored:
        from pose.geometry import mirror_landmarks

        lm = mirror_landmarks(lm)
    return lm
