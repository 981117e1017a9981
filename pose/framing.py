"""Framing guidance: is the athlete well placed in the picture?  One cue at a time.

:func:`framing_cue` looks at the frame's brightness and the landmarks and returns the
single most useful instruction, in this order (the first that applies wins, because
the later checks are unreliable until the earlier ones are fixed):

1. too dark              → "It's too dark — turn on a light"
2. nobody found          → "Step into the picture"
3. a defining joint of the pose unseen → "Can't see your legs — step back so they are
   in the picture" (recognition's ``unseen``, see :mod:`pose.seen`)
4. feet not in the frame → "Step back so your feet are in the picture"
5. hands not in the frame → "Step back so your hands are in the picture"
6. body off centre       → "Move to the centre"
7. a side-judged pose seen from the front → "Turn side-on to the camera"

This is how the app says what it cannot see: a pose whose defining joints are out of the
picture is not guessed (recognition returns no pose and the defining joints it cannot
see), and the cue names what to bring into view.

Pure functions, thread-safe.
"""

from __future__ import annotations

from collections.abc import Iterable

from pose.geometry import DEFAULT_VISIBILITY
from pose.landmark_ids import SIDE_INDEX, SIDES
from pose.seen import cannot_see_text
from pose.types import Landmarks

DARK = "It's too dark — turn on a light"
STEP_IN = "Step into the picture"
FEET = "Step back so your feet are in the picture"
HANDS = "Step back so your hands are in the picture"
CENTRE = "Move to the centre"
SIDE_ON = "Turn side-on to the camera"

#: Mean luminance (0-255) below which the room is too dark to coach.  Lower than the
#: search's ``DARK_LUMA`` (where brightening is merely tried): a studio photo on a black
#: background is darkish but fine, and a nagging cue costs more than a silent retry.
TOO_DARK_LUMA = 60.0
#: The body's mid-point must lie within this share of the width around the centre.
CENTRE_BAND = (0.2, 0.8)
#: A landmark beyond this (normalised, from either edge) is at the edge of the picture.
EDGE = 0.98
#: Poses whose alignment (hips, spine, legs) is judged from the side.
SIDE_VIEW_POSES = frozenset({"downward_dog", "plank", "cobra", "pyramid", "chair", "bridge", "dancer"})
#: Shoulder width / torso length below which the body is seen side-on.
SIDE_ON_RATIO = 0.45


def _out_of_frame(lm: Landmarks, parts: tuple[str, ...], visibility: float) -> bool:
    """True when none of ``parts`` (either side) is visible inside the picture."""
    for side in SIDES:
        for part in parts:
            x, y, _z, vis = lm.image[SIDE_INDEX[side][part]]
            if vis >= visibility and 1 - EDGE < x < EDGE and 1 - EDGE < y < EDGE:
                return False
    return True


def feet_out_of_frame(lm: Landmarks, visibility: float = DEFAULT_VISIBILITY) -> bool:
    """True when neither foot is visible inside the picture."""
    return _out_of_frame(lm, ("ankle", "heel", "foot"), visibility)


def hands_out_of_frame(lm: Landmarks, visibility: float = DEFAULT_VISIBILITY) -> bool:
    """True when neither wrist is visible inside the picture."""
    return _out_of_frame(lm, ("wrist",), visibility)


def off_centre(lm: Landmarks) -> bool:
    """True when the mid-point of shoulders and hips is outside :data:`CENTRE_BAND`."""
    ids = [SIDE_INDEX[s][p] for s in SIDES for p in ("shoulder", "hip")]
    x = float(lm.image[ids, 0].mean())
    return not CENTRE_BAND[0] <= x <= CENTRE_BAND[1]


def facing_camera(lm: Landmarks) -> bool:
    """True when the shoulders are wide in the picture compared with the torso (front view)."""
    px = lm.pixel_xy()
    sh = px[SIDE_INDEX["left"]["shoulder"]] - px[SIDE_INDEX["right"]["shoulder"]]
    mid_sh = (px[SIDE_INDEX["left"]["shoulder"]] + px[SIDE_INDEX["right"]["shoulder"]]) / 2
    mid_hp = (px[SIDE_INDEX["left"]["hip"]] + px[SIDE_INDEX["right"]["hip"]]) / 2
    torso = float(((mid_sh - mid_hp) ** 2).sum() ** 0.5)
    return torso > 1e-6 and float((sh**2).sum() ** 0.5) / torso > SIDE_ON_RATIO


def cannot_see_cue(joints: Iterable[str]) -> str:
    """``"Can't see your feet — step back so they are in the picture"`` ("" for no joints)."""
    text = cannot_see_text(joints)
    return f"{text} — step back so they are in the picture" if text else ""


def framing_cue(
    lm: Landmarks | None, luma: float | None, pose_id: str | None = None, cannot_see: Iterable[str] = ()
) -> str | None:
    """The one framing instruction for this frame, or None when the framing is fine.

    ``luma`` is the frame's mean luminance (None = unknown, not judged); ``pose_id`` the
    pose recognised or aimed at, for the side-on check; ``cannot_see`` the defining joints
    recognition could not see (:attr:`pose.scoring.Recognition.unseen`).
    """
    if luma is not None and luma < TOO_DARK_LUMA:
        return DARK
    if lm is None:
        return STEP_IN
    unseen = cannot_see_cue(cannot_see)
    if unseen:
        return unseen
    if feet_out_of_frame(lm):
        return FEET
    if hands_out_of_frame(lm):
        return HANDS
    if off_centre(lm):
        return CENTRE
    if pose_id in SIDE_VIEW_POSES and facing_camera(lm):
        return SIDE_ON
    return None
