"""Score a feature vector against library poses and recognise the best match.

Per feature the score is 1 inside the tolerance and falls linearly to 0 over
``FALLOFF`` beyond it; a pose's score is the weighted mean over the features
that are KNOWN (weights renormalised), times a small coverage penalty so a pose
matched on a handful of visible joints does not beat a fully visible match.
Sided poses are scored as defined and mirrored (left↔right); the better one
wins, which makes recognition independent of the side and of selfie mirroring.

Pure functions; thread-safe.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from pose.features import FEATURE_KINDS
from pose.geometry import mirror_name
from pose.library import PoseDefinition, PoseLibrary

#: Beyond the tolerance a feature's score drops to zero over this span.
FALLOFF: dict[str, float] = {"angle": 35.0, "inclination": 35.0, "distance": 0.7}
#: A pose cannot be scored if less than this share of its weight is visible.
MIN_COVERAGE = 0.4
#: Best score needed to call a pose recognised.
MIN_RECOGNITION_SCORE = 0.6


def feature_score(deviation: float, tol: float, falloff: float) -> float:
    """1 within ``tol`` of the target, linearly down to 0 at ``tol + falloff``."""
    excess = max(0.0, abs(deviation) - tol)
    return max(0.0, 1.0 - excess / falloff)


@dataclass(frozen=True)
class PoseScore:
    """How well one frame matches one pose.

    ``deviations`` are signed (measured − target) and keyed by the PERSON's
    feature names (after mirroring); ``feature_scores`` likewise.  ``roles``
    maps the person's limbs (``left_leg``...) to the pose's role words.
    """

    pose: PoseDefinition
    score: float
    coverage: float
    mirrored: bool
    deviations: dict[str, float] = field(default_factory=dict)
    feature_scores: dict[str, float] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)

    @property
    def accuracy(self) -> float:
        """Score as 0-100 (without the coverage penalty)."""
        return 100.0 * self.raw_score

    @property
    def raw_score(self) -> float:
        """Weighted mean over visible features, 0..1."""
        return sum(self.feature_scores[k] * self.weight(k) for k in self.feature_scores) / max(
            1e-9, sum(self.weight(k) for k in self.feature_scores)
        )

    def weight(self, person_feature: str) -> float:
        """Weight of a person-side feature in this match."""
        name = mirror_name(person_feature) if self.mirrored else person_feature
        return self.pose.targets[name].weight

    def target(self, person_feature: str) -> tuple[float, float]:
        """(target value, tolerance) of a person-side feature in this match."""
        name = mirror_name(person_feature) if self.mirrored else person_feature
        t = self.pose.targets[name]
        return t.value, t.tol


def _score_oriented(
    features: dict[str, float], pose: PoseDefinition, mirrored: bool
) -> PoseScore | None:
    total_w = sum(t.weight for t in pose.targets.values())
    known_w = 0.0
    acc = 0.0
    deviations: dict[str, float] = {}
    scores: dict[str, float] = {}
    for name, t in pose.targets.items():
        person = mirror_name(name) if mirrored else name
        value = features.get(person, math.nan)
        if math.isnan(value) or t.weight <= 0:
            continue
        dev = value - t.value
        s = feature_score(dev, t.tol, FALLOFF[FEATURE_KINDS[name]])
        deviations[person] = dev
        scores[person] = s
        known_w += t.weight
        acc += s * t.weight
    coverage = known_w / total_w if total_w > 0 else 0.0
    if coverage < MIN_COVERAGE or known_w <= 0:
        return None
    raw = acc / known_w
    roles = {(mirror_name(k) if mirrored else k): v for k, v in pose.roles.items()}
    return PoseScore(
        pose=pose, score=raw * (0.85 + 0.15 * coverage), coverage=coverage,
        mirrored=mirrored, deviations=deviations, feature_scores=scores, roles=roles,
    )


def score_pose(features: dict[str, float], pose: PoseDefinition) -> PoseScore | None:
    """Best of the pose and its mirror; None if too few of its features are visible."""
    best: PoseScore | None = None
    for mirrored in (False, True):
        s = _score_oriented(features, pose, mirrored)
        if s is not None and (best is None or s.score > best.score):
            best = s
    return best


@dataclass(frozen=True)
class Recognition:
    """Result of :func:`recognise`: ``best`` is None when nothing matches well enough."""

    best: PoseScore | None
    confidence: float
    ranked: list[PoseScore]


def recognise(
    features: dict[str, float],
    library: PoseLibrary,
    min_score: float = MIN_RECOGNITION_SCORE,
) -> Recognition:
    """Rank all library poses; confidence blends the best score and its margin."""
    ranked = [s for p in library.all() if (s := score_pose(features, p)) is not None]
    ranked.sort(key=lambda s: s.score, reverse=True)
    if not ranked:
        return Recognition(None, 0.0, [])
    top = ranked[0]
    second = ranked[1].score if len(ranked) > 1 else 0.0
    # A clear winner (margin >= 0.15) keeps its full score as confidence.
    margin = min(1.0, (top.score - second) / 0.15)
    confidence = top.score * (0.5 + 0.5 * margin)
    best = top if top.score >= min_score else None
    return Recognition(best, confidence, ranked)


def score_against(features: dict[str, float], pose: PoseDefinition) -> PoseScore | None:
    """Guided mode: score against a chosen pose regardless of recognition."""
    return score_pose(features, pose)
