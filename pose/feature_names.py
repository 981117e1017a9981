"""Feature names and kinds (meanings in :mod:`pose.features`).

Kept apart from the computation so that reading the pose library (names only) does not load
numpy: the Practice tab lists poses long before any frame is analysed.
"""

from __future__ import annotations

from typing import Literal

from pose.landmark_ids import SIDES

FeatureKind = Literal["angle", "inclination", "distance"]

_PER_SIDE: dict[str, FeatureKind] = {
    "elbow": "angle",
    "shoulder": "angle",
    "hip": "angle",
    "knee": "angle",
    "ankle": "angle",
    "arm_incl": "inclination",
    "thigh_incl": "inclination",
    "shin_incl": "inclination",
    "foot_lift": "distance",
}
_GLOBAL: dict[str, FeatureKind] = {
    "torso_incl": "inclination",
    "hip_height": "distance",
    "stance_width": "distance",
}

#: Every feature name and its kind.
FEATURE_KINDS: dict[str, FeatureKind] = {
    **{f"{s}_{n}": k for s in SIDES for n, k in _PER_SIDE.items()},
    **_GLOBAL,
}
FEATURE_NAMES: tuple[str, ...] = tuple(FEATURE_KINDS)
