from __future__ import annotations

import pytest

from pose.tracking import HoldTracker
from pose.types import HoldRecord

FPS = 10


def feed(
    tracker: HoldTracker, t0: float, seconds: float, pose: str | None, accuracy: float = 80.0
) -> tuple[float, list[HoldRecord]]:
    done = []
    n = round(seconds * FPS)
    t = t0
    for i in range(n):
        t = t0 + i / FPS
        state = tracker.update(t, pose, pose, accuracy + i if pose else None, ["Bend your knee"] if pose else [])
        if state.completed:
            done.append(state.completed)
    return t0 + n / FPS, done


def test_hold_counts_after_hold_seconds_and_is_emitted_when_it_ends() -> None:
    tr = HoldTracker(hold_seconds=2.0)
    s = tr.update(0.0, "tree", "Tree", 50.0)
    assert not s.held and s.hold_s == 0
    t, done = feed(tr, 0.1, 1.8, "tree")
    assert not tr.update(t, "tree", "Tree", 50.0).held  # 1.9 s
    t, done = feed(tr, t + 0.1, 1.0, "tree")
    state = tr.update(t, "tree", "Tree", 60.0)
    assert state.held and state.hold_s == pytest.approx(t, abs=1e-6)
    t2, done = feed(tr, t + 0.1, 3.0, "mountain")
    assert len(done) == 1
    rec = done[0]
    assert rec.pose_id == "tree" and rec.start_s == 0.0
    assert rec.end_s == pytest.approx(t, abs=0.11)
    assert rec.best_accuracy >= rec.mean_accuracy > 0
    assert rec.feedback == ["Bend your knee"]
    final = tr.finish(t2)
    assert final is not None and final.pose_id == "mountain"
    assert final.start_s == pytest.approx(t + 0.1)


def test_short_runs_are_transitions_and_dropped() -> None:
    tr = HoldTracker(hold_seconds=2.0)
    t, _ = feed(tr, 0.0, 1.5, "chair")
    t, done = feed(tr, t, 3.0, None)
    assert done == []
    assert tr.finish(t) is None


def test_single_frame_flicker_and_short_gap_do_not_break_a_hold() -> None:
    tr = HoldTracker(hold_seconds=2.0)
    t, _ = feed(tr, 0.0, 1.0, "plank")
    assert tr.update(t, "cobra").pose_id == "plank"  # one odd frame
    t, _ = feed(tr, t + 0.1, 0.3, None)  # 0.3 s without a pose
    t, done = feed(tr, t, 1.5, "plank")
    assert done == []
    rec = tr.finish(t)
    assert rec is not None and rec.pose_id == "plank" and rec.start_s == 0.0 and rec.hold_s > 2.5


def test_hold_seconds_setting() -> None:
    tr = HoldTracker(hold_seconds=5.0)
    t, _ = feed(tr, 0.0, 4.0, "tree")
    assert not tr.update(t, "tree").held
    assert tr.finish(t) is None
