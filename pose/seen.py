"""What the camera cannot see: joints genuinely out of view, and how to say so.

A pose whose DEFINING joints (``defining`` in ``pose/pose_data/poses.json``: the joints
that make the pose what it is, e.g. the standing leg and the lifted foot of Tree) cannot
be seen is not guessed; recognition names what it cannot see instead (see
:func:`pose.scoring.recognise`).

"Cannot be seen" is deliberately narrow.  MediaPipe places every landmark, including
the ones outside the picture, and its guess for an ankle just past the bottom edge is
usually good (the shin's direction and length carry it), so a joint counts as unseen
only when it is

* missing: no finite position, or
* given up by the model: a visibility below :data:`ABSENT_VISIBILITY` (MediaPipe still
  places such a joint, e.g. legs squeezed into the bottom of a picture cut at the hips) -
  for an ankle or wrist only when the knee or elbow it hangs from is not seen either
  (below :data:`CARRIER_VISIBILITY`), or
* far outside the picture - more than :data:`OFF_FRAME_TORSOS` torso lengths beyond an
  edge, so the model had no limb in the picture to extend - AND given a low visibility
  by the model (below :data:`LOW_VISIBILITY`).

An occluded joint inside the picture (the far leg of a side view) keeps a visibility well
above :data:`ABSENT_VISIBILITY`: scoring handles it by skipping the features it cannot
measure.  The thresholds were checked on ../shared/tools/webcam_conditions.py's set (no
condition loses a photo; a visibility floor of 0.1, or 0.3 torso lengths, would) - nothing
is tuned per photo.

Pure functions, thread-safe.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
from numpy.typing import NDArray

from pose.geometry import DEFAULT_VISIBILITY
from pose.landmark_ids import SIDE_INDEX, SIDES
from pose.types import Landmarks

#: A joint further than this many torso lengths (shoulder to hip) outside the picture...
OFF_FRAME_TORSOS = 1.0
#: ... and with a visibility below this is unseen.
LOW_VISIBILITY = DEFAULT_VISIBILITY
#: A joint with a visibility below this is the model's own verdict that it is not in the
#: picture: unseen wherever it is placed...
ABSENT_VISIBILITY = 0.05
#: ... unless the joint it hangs from is seen at least this well: the model's guess for an
#: ankle at the edge below a knee it sees is useful (feet just out of the picture).
CARRIER_VISIBILITY = 0.25
#: Joint judged by :data:`ABSENT_VISIBILITY` → the joint it hangs from (None: judged alone).
CARRIED_BY: dict[str, str | None] = {"knee": None, "ankle": "knee", "elbow": None, "wrist": "elbow"}

#: Landmark part → the word for the body part the user is told about.
PART_WORDS: dict[str, str] = {
    "shoulder": "shoulders",
    "elbow": "arms",
    "wrist": "hands",
    "hip": "hips",
    "knee": "legs",
    "ankle": "feet",
    "heel": "feet",
    "foot": "feet",
}
#: A larger part includes the smaller one: legs cover feet, arms cover hands.
_COVERS = {"legs": "feet", "arms": "hands"}
#: Order in which parts are named.
_ORDER = ("legs", "feet", "hips", "arms", "hands", "shoulders")


def _torso_px(px: NDArray[np.float64]) -> float:
    """Shoulder-to-hip length in pixels from the estimates (visible or not); NaN if unknown."""
    mid_sh = (px[SIDE_INDEX["left"]["shoulder"]] + px[SIDE_INDEX["right"]["shoulder"]]) / 2
    mid_hp = (px[SIDE_INDEX["left"]["hip"]] + px[SIDE_INDEX["right"]["hip"]]) / 2
    return float(np.linalg.norm(mid_sh - mid_hp))


def unseen_joints(lm: Landmarks) -> frozenset[str]:
    """Names (``left_knee``...) of the joints that cannot be seen (see the module docstring)."""
    px = lm.pixel_xy()
    torso = _torso_px(px)
    limit = OFF_FRAME_TORSOS * torso if math.isfinite(torso) and torso > 0 else math.inf
    out: set[str] = set()
    for side in SIDES:
        for part, idx in SIDE_INDEX[side].items():
            x, y = float(px[idx, 0]), float(px[idx, 1])
            vis = float(lm.image[idx, 3])
            if not (math.isfinite(x) and math.isfinite(y)):
                out.add(f"{side}_{part}")
                continue
            beyond = max(0.0, -x, x - lm.width, -y, y - lm.height)
            if beyond > limit and not vis >= LOW_VISIBILITY:
                out.add(f"{side}_{part}")
        for part, carrier in CARRIED_BY.items():
            vis = float(lm.image[SIDE_INDEX[side][part], 3])
            held = float(lm.image[SIDE_INDEX[side][carrier], 3]) if carrier is not None else 0.0
            if not vis >= ABSENT_VISIBILITY and not held >= CARRIER_VISIBILITY:
                out.add(f"{side}_{part}")
    return frozenset(out)


def part_words(joints: Iterable[str]) -> list[str]:
    """The body parts (``legs``, ``feet``, ``hands``...) these joints belong to, a larger
    part replacing the smaller one it covers, in a fixed order."""
    words = {PART_WORDS[j.split("_", 1)[1]] for j in joints}
    words -= {small for big, small in _COVERS.items() if big in words}
    return [w for w in _ORDER if w in words]


def cannot_see_text(joints: Iterable[str]) -> str:
    """``"Can't see your feet"``, ``"Can't see your legs or hands"``; empty for no joints."""
    words = part_words(joints)
    if not words:
        return ""
    return "Can't see your " + (" or ".join(words) if len(words) <= 2 else ", ".join(words[:-1]) + " or " + words[-1])
