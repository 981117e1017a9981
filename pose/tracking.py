"""Hold tracking: turns per-frame recognitions into holds of a pose.

A label must persist for ``switch_s`` before it replaces the current one (so
flicker is ignored) and the new hold is backdated to when that label first
appeared.  A hold counts once it lasted ``hold_seconds``; shorter runs are
transitions and are dropped.  Gaps (no pose) shorter than ``gap_s`` do not
break a hold.  Time comes from the caller (``t_s``), so tests use a fake clock.
Not thread-safe.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from pose.types import HoldRecord


@dataclass
class _Run:
    pose_id: str
    pose_name: str
    start_s: float
    last_s: float
    accuracies: list[float] = field(default_factory=list)
    cues: Counter[str] = field(default_factory=Counter)
    frames: int = 0

    def add(self, t_s: float, accuracy: float | None, cues: list[str]) -> None:
        self.last_s = t_s
        self.frames += 1
        if accuracy is not None:
            self.accuracies.append(accuracy)
        self.cues.update(cues)


@dataclass(frozen=True)
class HoldState:
    """Tracker state after one update."""

    pose_id: str | None
    pose_name: str | None
    held: bool
    hold_s: float
    completed: HoldRecord | None
    seen_s: float | None = None  # when the current pose was last recognised


class HoldTracker:
    """Track which pose is held, for how long, and emit a record when a hold ends."""

    def __init__(self, hold_seconds: float = 2.0, switch_s: float = 0.3, gap_s: float = 0.5) -> None:
        self.hold_seconds = hold_seconds
        self.switch_s = switch_s
        self.gap_s = gap_s
        self._current: _Run | None = None
        self._pending: _Run | None = None

    def update(
        self,
        t_s: float,
        pose_id: str | None,
        pose_name: str | None = None,
        accuracy: float | None = None,
        cues: list[str] | None = None,
    ) -> HoldState:
        """Feed one frame's recognition; returns the state (with a finished hold, if any)."""
        texts = cues or []
        completed: HoldRecord | None = None
        cur = self._current
        if pose_id is not None and cur is not None and pose_id == cur.pose_id:
            cur.add(t_s, accuracy, texts)
            self._pending = None
        elif pose_id is not None:
            pend = self._pending
            if pend is None or pend.pose_id != pose_id:
                pend = self._pending = _Run(pose_id, pose_name or pose_id, t_s, t_s)
            pend.add(t_s, accuracy, texts)
            if cur is None or t_s - pend.start_s >= self.switch_s:
                completed = self._close(end_s=pend.start_s)
                self._current, self._pending = pend, None
        elif cur is not None and t_s - cur.last_s > self.gap_s:
            completed = self._close(end_s=cur.last_s)
        if self._pending is not None and t_s - self._pending.last_s > self.gap_s:
            self._pending = None
        cur = self._current
        if cur is None:
            return HoldState(None, None, False, 0.0, completed)
        hold_s = max(0.0, cur.last_s - cur.start_s)
        return HoldState(cur.pose_id, cur.pose_name, hold_s >= self.hold_seconds, hold_s, completed, cur.last_s)

    def finish(self, t_s: float | None = None) -> HoldRecord | None:
        """Close the run in progress (end = last frame it was seen, capped at ``t_s``)."""
        cur = self._current
        if cur is None:
            return None
        end = cur.last_s if t_s is None else min(cur.last_s, t_s)
        return self._close(end_s=end)

    def _close(self, end_s: float) -> HoldRecord | None:
        run, self._current = self._current, None
        if run is None:
            return None
        end_s = min(max(end_s, run.start_s), run.last_s)
        duration = end_s - run.start_s
        if duration < self.hold_seconds or not run.accuracies:
            return None
        frequent = [text for text, _ in run.cues.most_common(3)]
        # Suggest what came up in at least half of the hold's frames.
        improvements = [text for text, n in run.cues.most_common(2) if n >= run.frames / 2]
        return HoldRecord(
            pose_id=run.pose_id,
            pose_name=run.pose_name,
            start_s=run.start_s,
            end_s=end_s,
            hold_s=duration,
            mean_accuracy=sum(run.accuracies) / len(run.accuracies),
            best_accuracy=max(run.accuracies),
            feedback=frequent,
            improvements=improvements,
        )
