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
import threading
import weakref
from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from pose.features import FEATURE_KINDS, FEATURE_NAMES
from pose.geometry import mirror_name
from pose.library import PoseDefinition, PoseLibrary

#: Beyond the tolerance a feature's score drops to zero over this span.
FALLOFF: dict[str, float] = {"angle": 35.0, "inclination": 35.0, "distance": 0.7}
#: A pose cannot be scored if less than this share of its weight is visible.
MIN_COVERAGE = 0.4
#: Best score needed to call a pose recognised.
MIN_RECOGNITION_SCORE = 0.6
#: Confidence (score blended with the margin over the runner-up) needed to SHOW a pose:
#: below it two poses fit about equally, which is what a transition between them looks like.
MIN_CONFIDENCE = 0.5
#: Guided mode: the target counts as present only if no other pose beats it by more than this.
GUIDED_MARGIN = 0.05
#: A taught pose is scored against the very body it was taught from, so it fits that user
#: better than any built-in ever can: it wins over the best built-in only by more than this.
TAUGHT_MARGIN = 0.05


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


def _score_oriented(features: dict[str, float], pose: PoseDefinition, mirrored: bool) -> PoseScore | None:
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
        pose=pose,
        score=raw * (0.85 + 0.15 * coverage),
        coverage=coverage,
        mirrored=mirrored,
        deviations=deviations,
        feature_scores=scores,
        roles=roles,
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
    """Result of :func:`recognise`: ``best`` is None when nothing matches well enough.

    ``unseen`` names the defining joints (person-side, ``left_knee``...) of the best
    candidate that cannot be seen: when it is not empty ``best`` is None - the pose is
    not guessed - and :func:`pose.seen.cannot_see_text` says what is missing.
    """

    best: PoseScore | None
    confidence: float
    ranked: list[RankedPose]
    unseen: tuple[str, ...] = ()


class _PoseMatrix:
    """All (pose, orientation) targets as arrays, so ranking is one vectorised step."""

    def __init__(self, library: PoseLibrary) -> None:
        self.version = library.version
        rows: list[tuple[PoseDefinition, bool]] = []
        for p in library.all():
            rows.extend([(p, False), (p, True)] if p.sided else [(p, False)])
        self.rows = rows
        index = {n: i for i, n in enumerate(FEATURE_NAMES)}
        shape = (len(rows), len(FEATURE_NAMES))
        self.target = np.zeros(shape)
        self.tol = np.zeros(shape)
        self.weight = np.zeros(shape)
        for r, (pose, mirrored) in enumerate(rows):
            for name, t in pose.targets.items():
                c = index[mirror_name(name) if mirrored else name]
                self.target[r, c], self.tol[r, c], self.weight[r, c] = t.value, t.tol, t.weight
        self.falloff = np.array([FALLOFF[FEATURE_KINDS[n]] for n in FEATURE_NAMES])
        self.total = self.weight.sum(axis=1)

    def scores(self, features: dict[str, float]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """(score with coverage penalty, coverage) per row, as :func:`_score_oriented`."""
        f = np.array([features.get(n, math.nan) for n in FEATURE_NAMES])
        known = ~np.isnan(f)
        w = self.weight * known
        dev = np.abs(np.where(known, f, 0.0) - self.target)
        s = np.clip(1.0 - np.maximum(0.0, dev - self.tol) / self.falloff, 0.0, 1.0)
        known_w = w.sum(axis=1)
        coverage = known_w / self.total
        raw = (s * w).sum(axis=1) / np.maximum(known_w, 1e-12)
        score = np.where(coverage >= MIN_COVERAGE, raw * (0.85 + 0.15 * coverage), -1.0)
        return score, coverage


_MATRICES: weakref.WeakKeyDictionary[PoseLibrary, _PoseMatrix] = weakref.WeakKeyDictionary()
_MATRIX_LOCK = threading.Lock()


def _matrix(library: PoseLibrary) -> _PoseMatrix:
    with _MATRIX_LOCK:
        m = _MATRICES.get(library)
        if m is None or m.version != library.version:
            m = _MATRICES[library] = _PoseMatrix(library)
        return m


@dataclass(frozen=True)
class RankedPose:
    """One entry of :attr:`Recognition.ranked`: a pose and its score (best orientation)."""

    pose: PoseDefinition
    score: float
    mirrored: bool


def rank_poses(features: dict[str, float], library: PoseLibrary) -> list[RankedPose]:
    """Every scorable pose, best first (each in its better orientation)."""
    m = _matrix(library)
    scores, _ = m.scores(features)
    best: dict[str, RankedPose] = {}
    for (pose, mirrored), sc in zip(m.rows, scores.tolist(), strict=True):
        if sc >= 0 and (pose.id not in best or sc > best[pose.id].score):
            best[pose.id] = RankedPose(pose, sc, mirrored)
    ranked = sorted(best.values(), key=lambda r: (round(r.score, 9), r.pose.builtin), reverse=True)
    return _builtins_first_within_margin(ranked)


def _builtins_first_within_margin(ranked: list[RankedPose]) -> list[RankedPose]:
    """Taught poses must not swallow the built-ins they resemble: the best built-in goes
    before every taught pose that does not beat it by more than :data:`TAUGHT_MARGIN`."""
    builtin = next((r for r in ranked if r.pose.builtin), None)
    if builtin is None or ranked[0] is builtin:
        return ranked
    ahead = [r for r in ranked if not r.pose.builtin and r.score > builtin.score + TAUGHT_MARGIN]
    rest = [r for r in ranked if r is not builtin and r not in ahead]
    return [*ahead, builtin, *rest]


def unseen_defining(pose: PoseDefinition, mirrored: bool, unseen: Collection[str]) -> tuple[str, ...]:
    """The defining joints of ``pose`` (in this orientation, person-side names) that are in
    ``unseen`` (see :func:`pose.seen.unseen_joints`)."""
    joints = (mirror_name(j) if mirrored else j for j in pose.defining)
    return tuple(j for j in joints if j in unseen)


def recognise(
    features: dict[str, float],
    library: PoseLibrary,
    min_score: float = MIN_RECOGNITION_SCORE,
    unseen: Collection[str] = (),
) -> Recognition:
    """Rank all library poses; confidence blends the best score and its margin.

    ``unseen`` are the joints that cannot be seen (:func:`pose.seen.unseen_joints`): when
    one of them defines the best candidate, nothing is recognised and the result's
    ``unseen`` says which.  Thread-safe (the per-library score matrix cache is locked).
    """
    ranked = rank_poses(features, library)
    if not ranked:
        return Recognition(None, 0.0, [])
    missing = unseen_defining(ranked[0].pose, ranked[0].mirrored, unseen) if unseen else ()
    if missing:
        return Recognition(None, 0.0, ranked, missing)
    # Taught poses put behind a built-in (see rank_poses) were settled in its favour: they
    # do not make the built-in less certain.
    settled = ranked[0].pose.builtin
    second = max(
        (
            r.score
            for r in ranked[1:]
            if not (settled and not r.pose.builtin and r.score <= ranked[0].score + TAUGHT_MARGIN)
        ),
        default=0.0,
    )
    top = _score_oriented(features, ranked[0].pose, ranked[0].mirrored)
    if top is None:  # cannot happen: the matrix applies the same coverage rule
        return Recognition(None, 0.0, ranked)
    # A clear winner (margin >= 0.15) keeps its full score as confidence.
    margin = max(0.0, min(1.0, (top.score - second) / 0.15))
    confidence = top.score * (0.5 + 0.5 * margin)
    best = top if top.score >= min_score else None
    return Recognition(best, confidence, ranked)


def recognise_best(
    candidates: list[dict[str, float]],
    library: PoseLibrary,
    min_score: float = MIN_RECOGNITION_SCORE,
    unseen: list[frozenset[str]] | None = None,
) -> Recognition:
    """Recognise several estimates of the same body in one picture (a photo's flip-test
    mean and its two passes) and keep the most confident recognition; one that names a
    pose beats one that does not, and on a tie the earliest candidate wins.  ``unseen``
    gives each candidate's unseen joints (see :func:`recognise`)."""
    if not candidates:
        raise ValueError("recognise_best needs at least one feature set")
    if unseen is not None and len(unseen) != len(candidates):
        raise ValueError("recognise_best needs one unseen set per candidate")
    gone = unseen if unseen is not None else [frozenset[str]() for _ in candidates]
    recs = [recognise(f, library, min_score, u) for f, u in zip(candidates, gone, strict=True)]
    named = [r for r in recs if r.best is not None] or recs[:1]
    return max(named, key=lambda r: r.confidence)


def score_against(features: dict[str, float], pose: PoseDefinition) -> PoseScore | None:
    """Guided mode: score against a chosen pose regardless of recognition."""
    return score_pose(features, pose)


def guided_presence(
    features: dict[str, float],
    library: PoseLibrary,
    target: PoseDefinition,
    min_score: float = MIN_RECOGNITION_SCORE,
    unseen: Collection[str] = (),
) -> tuple[PoseScore | None, PoseScore | None]:
    """Guided mode: (score against ``target``, that score if the target is PRESENT else None).

    Present = the target scores at least ``min_score`` AND no other pose fits clearly better
    (by more than :data:`GUIDED_MARGIN`): a wide-leg stance can score 0.7 against Mountain,
    but it is not Mountain when Pyramid fits at 0.9.  Nor is it present when one of its
    defining joints is in ``unseen``.
    """
    score = score_pose(features, target)
    if score is None or score.score < min_score:
        return score, None
    if unseen and unseen_defining(target, score.mirrored, unseen):
        return score, None
    ranked = rank_poses(features, library)
    rival = next((r.score for r in ranked if r.pose.id != target.id), 0.0)
    return score, (score if score.score >= rival - GUIDED_MARGIN else None)
