"""PosePipeline: frame → landmarks → smoothing → features → recognition → score,
cues and hold tracking, as one :class:`~pose.types.FrameAnalysis` per frame.

Not thread-safe: call ``process``/``finish`` from one thread (the estimator
inside is single-threaded too).  Completed holds are attached to the frame's
analysis (``completed_hold``) and queued for :meth:`pop_completed`.
"""

from __future__ import annotations

from pose.coaching import held_well
from pose.estimator import Frame, PoseEstimator
from pose.features import extract_features
from pose.feedback import make_cues
from pose.framing import framing_cue
from pose.geometry import DEFAULT_VISIBILITY
from pose.library import PoseLibrary
from pose.scoring import (
    MIN_CONFIDENCE,
    MIN_RECOGNITION_SCORE,
    PoseScore,
    guided_presence,
    recognise,
    score_pose,
    unseen_defining,
)
from pose.search import mean_luma
from pose.seen import unseen_joints
from pose.smoothing import LandmarkSmoother
from pose.tracking import HoldTracker
from pose.types import FrameAnalysis, HoldRecord, Landmarks


class PosePipeline:
    """Analyse a stream of frames against ``library``.

    ``target_pose`` (an id) switches to guided mode: accuracy and cues are
    always against that pose and it counts as present once its score reaches
    the recognition threshold.  Raises ``KeyError`` for an unknown id.
    """

    def __init__(
        self,
        library: PoseLibrary,
        estimator: PoseEstimator | None,
        *,
        hold_seconds: float = 2.0,
        target_pose: str | None = None,
        smooth: bool = True,
        visibility_threshold: float = DEFAULT_VISIBILITY,
        min_score: float = MIN_RECOGNITION_SCORE,
    ) -> None:
        self.library = library
        self.estimator = estimator
        self.visibility_threshold = visibility_threshold
        self.min_score = min_score
        self._smoother = LandmarkSmoother() if smooth else None
        self._tracker = HoldTracker(hold_seconds=hold_seconds)
        self._completed: list[HoldRecord] = []
        self._target: str | None = None
        self.target_pose = target_pose

    @property
    def target_pose(self) -> str | None:
        """Guided-mode pose id, or None for free recognition."""
        return self._target

    @target_pose.setter
    def target_pose(self, pose_id: str | None) -> None:
        if pose_id is not None:
            self.library.get(pose_id)  # raises KeyError early
        self._target = pose_id

    @property
    def hold_seconds(self) -> float:
        """Seconds a pose must be stable to count as held."""
        return self._tracker.hold_seconds

    def process(self, frame_bgr: Frame, t_s: float) -> FrameAnalysis:
        """Estimate and analyse one BGR frame taken at ``t_s`` seconds."""
        if self.estimator is None:
            raise RuntimeError("PosePipeline has no estimator; use process_landmarks")
        luma = mean_luma(frame_bgr)
        return self.process_landmarks(self.estimator.estimate(frame_bgr, t_s), t_s, luma=luma)

    def process_landmarks(self, landmarks: Landmarks | None, t_s: float, *, luma: float | None = None) -> FrameAnalysis:
        """Analyse already-estimated landmarks (None = nobody in the frame).

        ``luma`` is the frame's mean luminance (0-255) for the framing cue; None = not judged.
        """
        if landmarks is None:
            if self._smoother is not None:
                self._smoother.reset()
            state = self._tracker.update(t_s, None)
            empty = FrameAnalysis(t_s, None, None, None, 0.0, None, framing=framing_cue(None, luma))
            return self._emit(empty, state.completed)
        lm = self._smoother(landmarks, t_s) if self._smoother is not None else landmarks
        features = extract_features(lm, self.visibility_threshold, use_depth=False)
        # A pose whose defining joints cannot be seen is not guessed; the framing cue says why.
        unseen = unseen_joints(lm)
        cannot_see: tuple[str, ...] = ()
        score: PoseScore | None
        if self._target is not None:
            target = self.library.get(self._target)
            score, present = guided_presence(features, self.library, target, self.min_score, unseen)
            confidence = score.score if score is not None else 0.0
            cannot_see = unseen_defining(target, score.mirrored if score is not None else False, unseen)
        else:
            rec = recognise(features, self.library, self.min_score, unseen)
            cannot_see = rec.unseen
            confidence = rec.confidence
            # Transitions are not poses: a pose that only just wins over another is not shown.
            present = rec.best if confidence >= MIN_CONFIDENCE else None
        raw_cues = make_cues(present) if present is not None else []
        state = self._tracker.update(
            t_s,
            present.pose.id if present is not None else None,
            present.pose.name if present is not None else None,
            present.accuracy if present is not None else None,
            [c.text for c in raw_cues],
        )
        # Shown only while the tracker's (stable) pose is recognised: in this frame, or - when
        # no other pose is - within the tracker's switch time (one noisy frame is flicker, not
        # a transition).  Between poses the view says so and gives no correction, and no hold
        # time runs.
        now = present is not None and state.pose_id == present.pose.id
        recent = present is None and state.seen_s is not None and t_s - state.seen_s <= self._tracker.switch_s
        shown = state.pose_id is not None and (now or recent)
        coached: PoseScore | None
        if now:
            coached = present
        elif shown and state.pose_id is not None:
            coached = score_pose(features, self.library.get(state.pose_id))
        else:
            # Guided mode keeps scoring and coaching towards the chosen pose: that is the guidance.
            # (but not a pose whose defining joints it cannot see: there is nothing to judge).
            coached = score if self._target is not None and not cannot_see else None
        analysis = FrameAnalysis(
            t_s=t_s,
            landmarks=lm,
            pose_id=state.pose_id if shown else None,
            pose_name=state.pose_name if shown else None,
            confidence=confidence,
            accuracy=coached.accuracy if coached is not None else None,
            deviations=dict(coached.deviations) if coached is not None else {},
            cues=make_cues(coached) if coached is not None else [],
            held=state.held and shown,
            hold_s=state.hold_s if shown else 0.0,
            in_transition=not (state.held and shown),
        )
        if not held_well(analysis.held, analysis.accuracy):
            analysis.framing = framing_cue(lm, luma, analysis.pose_id or self._target, cannot_see)
        analysis.cannot_see = cannot_see
        return self._emit(analysis, state.completed)

    def _emit(self, analysis: FrameAnalysis, completed: HoldRecord | None) -> FrameAnalysis:
        if completed is not None:
            analysis.completed_hold = completed
            self._completed.append(completed)
        return analysis

    def finish(self, t_s: float | None = None) -> HoldRecord | None:
        """Close the hold in progress (end of session/video); also queued for pop_completed."""
        record = self._tracker.finish(t_s)
        if record is not None:
            self._completed.append(record)
        return record

    def pop_completed(self) -> list[HoldRecord]:
        """Holds finished since the last call, oldest first."""
        out, self._completed = self._completed, []
        return out

    def close(self) -> None:
        """Release the estimator."""
        if self.estimator is not None:
            self.estimator.close()
