"""Transitions are not poses: a pose is shown, timed and coached only while recognised."""

from __future__ import annotations

import pytest

from pose.library import PoseLibrary
from pose.pipeline import PosePipeline
from pose.synthetic import build_landmarks, fit_params
from pose.types import FrameAnalysis, Landmarks

FPS = 10


@pytest.fixture(scope="module")
def figures(library: PoseLibrary) -> dict[str, Landmarks]:
    return {pid: build_landmarks(fit_params(library.get(pid))) for pid in ("warrior_ii", "mountain", "pyramid")}


def blend(a: Landmarks, b: Landmarks, w: float) -> Landmarks:
    return Landmarks(a.image * (1 - w) + b.image * w, a.width, a.height)


def clip(figures: dict[str, Landmarks], script: list[tuple[str, float]]) -> list[tuple[float, str, Landmarks]]:
    """Frames (t, label, landmarks): a label is a pose id, or "move" for a step from one pose to the next."""
    frames: list[tuple[float, str, Landmarks]] = []
    t = 0.0
    for i, (label, seconds) in enumerate(script):
        n = round(seconds * FPS)
        for k in range(n):
            if label == "move":
                before, after = figures[script[i - 1][0]], figures[script[i + 1][0]]
                lm = blend(before, after, (k + 1) / (n + 1))
            else:
                lm = figures[label]
            frames.append((t, label, lm))
            t += 1 / FPS
    return frames


def spans(frames: list[tuple[float, str, Landmarks]]) -> list[tuple[str, float, float]]:
    out: list[tuple[str, float, float]] = []
    for t, label, _ in frames:
        if out and out[-1][0] == label:
            out[-1] = (label, out[-1][1], t)
        else:
            out.append((label, t, t))
    return out


SCRIPT = [("warrior_ii", 3.0), ("move", 1.5), ("mountain", 3.0), ("move", 1.5), ("warrior_ii", 3.0)]
#: Pose, standing upright, pose, out of the picture, pose: hard cuts, so each label is exact.
ALTERNATING = [("warrior_ii", 3.0), ("mountain", 2.5), ("warrior_ii", 3.0), ("nobody", 1.0), ("warrior_ii", 2.5)]


def test_each_hold_is_credited_only_with_time_in_its_pose(library: PoseLibrary, figures: dict[str, Landmarks]) -> None:
    frames = [
        (t, label, None if label == "nobody" else lm)
        for t, label, lm in clip({**figures, "nobody": figures["mountain"]}, ALTERNATING)
    ]
    pipe = PosePipeline(library, None, hold_seconds=2.0)
    out = [pipe.process_landmarks(lm, t) for t, _, lm in frames]
    pipe.finish(frames[-1][0])
    holds = pipe.pop_completed()
    labelled = [s for s in spans(frames) if s[0] != "nobody"]
    assert [h.pose_id for h in holds] == [s[0] for s in labelled]
    for hold, (label, start, end) in zip(holds, labelled, strict=True):
        assert hold.pose_id == label
        # Never credited with the steps before or after: within the labelled span, by one frame.
        assert hold.hold_s <= end - start + 1 / FPS + 1e-9
        assert start - 1 / FPS - 1e-9 <= hold.start_s and hold.end_s <= end + 1 / FPS + 1e-9
    # The live hold timer likewise: at every frame at most the time spent in the shown pose.
    start_of = {i: s[1] for i, s in enumerate(spans(frames))}
    seg = 0
    for k, (a, (t, label, _)) in enumerate(zip(out, frames, strict=True)):
        if k and frames[k - 1][1] != label:
            seg += 1
        if a.pose_id is not None:
            assert a.pose_id == label, f"{a.pose_id} shown at {t:.1f}s while the clip is {label}"
            assert a.hold_s <= t - start_of[seg] + 1e-9


def test_between_poses_no_pose_no_cue_no_timer(library: PoseLibrary, figures: dict[str, Landmarks]) -> None:
    frames = clip(figures, SCRIPT)
    pipe = PosePipeline(library, None, hold_seconds=2.0)
    out = [pipe.process_landmarks(lm, t) for t, _, lm in frames]
    steps = [i for i, (_, label, _) in enumerate(frames) if label == "move"]
    neighbours = {"warrior_ii", "mountain"}
    # The ends of a step may still be (or already be) the pose on that side; in between
    # there is no pose, and so no correction, no accuracy and no hold time.
    assert all(out[i].pose_id in neighbours | {None} for i in steps)
    unnamed = [out[i] for i in steps if out[i].pose_id is None]
    assert len(unnamed) >= 8
    for a in unnamed:
        assert a.landmarks is not None
        assert a.cues == [] and a.accuracy is None and a.hold_s == 0.0 and not a.held


def test_guided_wide_stance_is_not_credited_as_mountain(library: PoseLibrary, figures: dict[str, Landmarks]) -> None:
    pipe = PosePipeline(library, None, hold_seconds=1.0, target_pose="mountain")
    out: list[FrameAnalysis] = [pipe.process_landmarks(figures["pyramid"], t / FPS) for t in range(40)]
    assert all(a.pose_id is None and a.hold_s == 0.0 for a in out)
    assert pipe.finish(4.0) is None
    # Coaching towards the target goes on: the gauge and cues are against mountain.
    assert out[-1].accuracy is not None and out[-1].accuracy < 100
    good = [pipe.process_landmarks(figures["mountain"], 4.0 + t / FPS) for t in range(20)]
    assert good[-1].pose_id == "mountain" and good[-1].held
    assert 1.5 <= good[-1].hold_s <= 1.9 + 1e-9  # the smoother needs a frame or two to settle
