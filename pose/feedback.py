"""Turn signed per-feature deviations into at most two plain-language cues.

Direction contract: a deviation is ``measured - target``.  For joint angles a
positive deviation means the joint is too OPEN (too straight), so the cue is
"bend ... more"; negative means too closed → "straighten".  For inclinations a
positive deviation means the segment points too far UP → "lower"; negative →
"raise".  A joint bent too far is therefore never told to bend more.

Pure functions; thread-safe.
"""

from __future__ import annotations

from dataclasses import dataclass

from pose.coaching import MAX_CUES
from pose.features import FEATURE_KINDS
from pose.scoring import FALLOFF, PoseScore
from pose.types import Cue, Direction, Side


@dataclass(frozen=True)
class _Phrase:
    part: str  # body part word used in the text
    limb: str  # "arm" / "leg" / "" – which role table applies
    more: tuple[str, Direction]  # text verb + direction when the deviation is positive
    less: tuple[str, Direction]  # ... when negative


_PHRASES: dict[str, _Phrase] = {
    "elbow": _Phrase(
        "arm", "arm", ("Bend your {w} elbow more", "bend_more"), ("Straighten your {w} arm", "straighten")
    ),
    "shoulder": _Phrase("arm", "arm", ("Lower your {w} arm", "lower"), ("Raise your {w} arm", "raise")),
    "arm_incl": _Phrase("arm", "arm", ("Lower your {w} arm", "lower"), ("Raise your {w} arm", "raise")),
    "hip": _Phrase("hip", "leg", ("Fold more at your {w} hip", "bend_more"), ("Open your {w} hip", "straighten")),
    "knee": _Phrase(
        "knee", "leg", ("Bend your {w} knee more", "bend_more"), ("Straighten your {w} knee", "straighten")
    ),
    "thigh_incl": _Phrase("thigh", "leg", ("Lower your {w} thigh", "lower"), ("Lift your {w} thigh higher", "raise")),
    "shin_incl": _Phrase("shin", "leg", ("Lower your {w} foot", "lower"), ("Lift your {w} foot higher", "raise")),
    "foot_lift": _Phrase("foot", "leg", ("Lower your {w} foot", "lower"), ("Lift your {w} foot higher", "raise")),
    "torso_incl": _Phrase(
        "torso", "", ("Bring your torso more upright", "raise"), ("Lean your torso further", "lower")
    ),
    "hip_height": _Phrase("hips", "", ("Lower your hips", "lower"), ("Lift your hips", "raise")),
    "stance_width": _Phrase(
        "feet", "", ("Bring your feet closer together", "move_in"), ("Step your feet wider apart", "move_out")
    ),
}


def _split(feature: str) -> tuple[Side, str]:
    for side in ("left", "right"):
        if feature.startswith(side + "_"):
            return side, feature[len(side) + 1 :]
    return "none", feature


def _suffix(kind: str, direction: Direction, target: float) -> str:
    # Name the goal for arm raises/lowers, e.g. "Raise your arms to shoulder height".
    if kind in ("arm_incl", "shoulder") and 70 <= target <= 110:
        return " to shoulder height"
    if kind in ("arm_incl", "shoulder") and target >= 150 and direction == "raise":
        return " overhead"
    return ""


def cue_for(score: PoseScore, feature: str) -> Cue | None:
    """The cue for one out-of-tolerance feature, or None if within tolerance/unknown."""
    dev = score.deviations.get(feature)
    if dev is None:
        return None
    target, tol = score.target(feature)
    if abs(dev) <= tol:
        return None
    side, kind = _split(feature)
    phrase = _PHRASES.get(kind)
    if phrase is None:
        return None
    template, direction = phrase.more if dev > 0 else phrase.less
    role = score.roles.get(f"{side}_{phrase.limb}") if phrase.limb else None
    who = f"{role} ({side})" if role else side
    if kind == "thigh_incl" and 60 <= target <= 110:
        # Near-horizontal thigh targets (lunges, lifted legs): name the goal, not a motion.
        template = (
            "Bring your {w} thigh closer to parallel with the floor"
            if dev < 0
            else "Lower your {w} thigh to parallel with the floor"
        )
    if kind == "torso_incl" and target > 90:
        # Inverted torso (downward dog, bridge...): "upright" would be the wrong picture.
        template = "Lift your chest a little" if dev > 0 else "Lower your chest further"
    elif kind == "torso_incl" and dev < 0 and "front" in score.roles.values():
        template = "Lean your torso further over your front leg"
    text = template.format(w=who) + _suffix(kind, direction, target)
    # Impact: accuracy points lost on this feature (weight share x score shortfall).
    total_w = sum(score.weight(k) for k in score.feature_scores)
    loss = 1.0 - score.feature_scores.get(feature, 1.0)
    if loss <= 0:
        # Just outside tolerance still deserves a tiny impact so it can be ranked.
        loss = (abs(dev) - tol) / FALLOFF[FEATURE_KINDS[feature]]
    impact = 100.0 * score.weight(feature) * loss / max(total_w, 1e-9)
    return Cue(text=text, joint=feature, side=side, direction=direction, impact=impact)


def _merge_arms(cues: list[Cue]) -> list[Cue]:
    """Fold matching left/right arm cues into one ("Raise your arms ...")."""
    out: list[Cue] = []
    used: set[int] = set()
    for i, a in enumerate(cues):
        if i in used:
            continue
        _, kind = _split(a.joint)
        partner = None
        if kind in ("arm_incl", "shoulder") and a.side in ("left", "right"):
            for j in range(i + 1, len(cues)):
                b = cues[j]
                if j not in used and _split(b.joint)[1] == kind and b.side != a.side and b.direction == a.direction:
                    partner = j
                    break
        if partner is None:
            out.append(a)
            continue
        used.add(partner)
        verb = "Raise" if a.direction == "raise" else "Lower"
        tail = a.text.split(" arm", 1)[1] if " arm" in a.text else ""
        out.append(
            Cue(
                text=f"{verb} your arms{tail}",
                joint=a.joint,
                side="both",
                direction=a.direction,
                impact=a.impact + cues[partner].impact,
            )
        )
    return out


def make_cues(score: PoseScore, max_cues: int = MAX_CUES) -> list[Cue]:
    """At most ``max_cues`` cues ranked by impact, one per body part and side."""
    cues = [c for f in score.deviations if (c := cue_for(score, f)) is not None]
    cues.sort(key=lambda c: c.impact, reverse=True)
    # Keep only the most impactful cue per (side, body part) so an arm is not told twice.
    seen: set[tuple[str, str]] = set()
    unique: list[Cue] = []
    for c in cues:
        key = (c.side, _PHRASES[_split(c.joint)[1]].part)
        if key not in seen:
            seen.add(key)
            unique.append(c)
    merged = _merge_arms(unique)
    merged.sort(key=lambda c: c.impact, reverse=True)
    return merged[:max_cues]
