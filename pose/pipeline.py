"""PosePipeline: frame → landmarks → smoothing → features → recognition → score,
cues and hold tracking, as one :class:`~pose.types.FrameAnalysis` per frame.

Not thread-safe: call ``process``/``finish`` from one thread (the estimator
inside is single-threaded too).  Completed holds are attached to the frame's
analysis (``completed_hold``) and queued for :meth:`pop_completed`.
"""

from __future__ import annotations

from pose.estimator import Frame, PoseEstimator
from pose.features import extract_features
from pose.feedback import make_cues
from pose.geometry import DEFAULT_VISIBILITY
from pose.library import PoseLibrary
from pose.scoring import MIN_RECOGNITION_SCORE, PoseScore, recognise, score_pose
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
        return self.process_landmarks(self.estimator.estimate(frame_bgr, t_s), t_s)

    def process_landmarks(self, landmarks: Landmarks | None, t_s: float) -> FrameAnalysis:
        """Analyse already-estimated landmarks (None = nobody in the frame)."""
        if landmarks is None:
            if self._smoother is not None:
                self._smoother.reset()
            state = self._tracker.update(t_s, None)
            return self._emit(FrameAnalysis(t_s, None, None, None, 0.0, None), state.completed)
        lm = self._smoother(landmarks, t_s) if self._smoother is not None else landmarks
        features = extract_features(lm, self.visibility_threshold, use_depth=False)
        score: PoseScore | None
        if self._target is not None:
            score = score_pose(features, self.library.get(self._target))
            confidence = score.score if score is not None else 0.0
            present = score if score is not None and score.score >= self.min_score else None
        else:
            rec = recognise(features, self.library, self.min_score)
            present, confidence = rec.best, rec.confidence
            score = present
        raw_cues = make_cues(present) if present is not None else []
        state = self._tracker.update(
            t_s,
            present.pose.id if present is not None else None,
            present.pose.name if present is not None else None,
            present.accuracy if present is not None else None,
            [c.text for c in raw_cues],
        )
        # Report the tracker's stable pose so the label does not flicker frame to frame.
        if state.pose_id is not None and (score is None or score.pose.id != state.pose_id):
            score = score_pose(features, self.library.get(state.pose_id))
        if state.pose_id is None and self._target is None:
            score = None  # nothing recognised: nothing to score against
        analysis = FrameAnalysis(
            t_s=t_s,
            landmarks=lm,
            pose_id=state.pose_id,
            pose_name=state.pose_name,
            confidence=confidence,
            accuracy=score.accuracy if score is not None else None,
            deviations=dict(score.deviations) if score is not None else {},
            cues=make_cues(score) if score is not None else [],
            held=state.held,
            hold_s=state.hold_s,
            in_transition=not state.held,
        )
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
