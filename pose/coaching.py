"""What the athlete is told for one frame: the framing cue or the corrections, never both.

One place for the selection rule that the live view shows and the speaker says:

* a framing cue (:mod:`pose.framing`) comes first and alone: fixing the picture makes
  every correction after it trustworthy;
* otherwise at most :data:`MAX_CUES` corrections, most impactful first;
* nothing while between poses (the pipeline gives no cues then).

The pipeline already drops the framing cue while a pose is held well
(:func:`held_well`).  Pure functions, thread-safe.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pose.types loads numpy: the Practice tab imports this module at start-up
    from pose.types import FrameAnalysis

#: Corrections shown (and made by :func:`pose.feedback.make_cues`) at most. Defined here, not
#: in the numpy-backed feedback module, so the Practice tab can import this one at start-up.
MAX_CUES = 2

#: Accuracy (0-100) from which a held pose counts as held well (the gauge turns green).
HELD_WELL_ACCURACY = 80.0


def held_well(held: bool, accuracy: float | None) -> bool:
    """A pose held (past the hold time) at :data:`HELD_WELL_ACCURACY` or better."""
    return held and accuracy is not None and accuracy >= HELD_WELL_ACCURACY


def shown_cues(analysis: FrameAnalysis) -> list[str]:
    """The cue lines to show: the framing cue alone, else up to MAX_CUES corrections."""
    if analysis.framing is not None:
        return [analysis.framing]
    return [c.text for c in analysis.cues[:MAX_CUES]]


def spoken_cue(analysis: FrameAnalysis) -> str | None:
    """The one cue worth saying for this frame (the speaker applies cooldown and mute)."""
    cues = shown_cues(analysis)
    return cues[0] if cues else None


#: What the pose line says while a person is seen but no pose is recognised.
MOVING = "Moving…"
#: ... and while nobody is seen.
NO_POSE = "–"


def pose_placeholder(analysis: FrameAnalysis) -> str:
    """The pose line's text when no pose is named: "Moving…" with a person, "–" without."""
    return MOVING if analysis.landmarks is not None and analysis.pose_id is None else NO_POSE
