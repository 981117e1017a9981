"""Framing guidance and the one-place cue selection (pose.framing, pose.coaching)."""

from __future__ import annotations

import pytest

from pose.coaching import MOVING, NO_POSE, held_well, pose_placeholder, shown_cues, spoken_cue
from pose.framing import CENTRE, DARK, FEET, HANDS, SIDE_ON, STEP_IN, framing_cue
from pose.library import PoseLibrary
from pose.pipeline import PosePipeline
from pose.synthetic import build_landmarks, fit_params
from pose.types import Cue, FrameAnalysis, Landmarks

BRIGHT = 130.0


@pytest.fixture(scope="module")
def mountain(library: PoseLibrary) -> Landmarks:
    return build_landmarks(fit_params(library.get("mountain")))


def shifted(lm: Landmarks, dx: float = 0.0, dy: float = 0.0) -> Landmarks:
    image = lm.image.copy()
    image[:, 0] += dx
    image[:, 1] += dy
    return Landmarks(image, lm.width, lm.height)


def test_a_well_framed_person_gets_no_framing_cue(mountain: Landmarks) -> None:
    assert framing_cue(mountain, BRIGHT, "mountain") is None


def test_each_framing_problem_has_its_cue(mountain: Landmarks) -> None:
    assert framing_cue(mountain, 20.0) == DARK
    assert framing_cue(None, BRIGHT) == STEP_IN
    feet_low = shifted(mountain, dy=0.5)  # the figure slides down: its feet leave the picture
    assert float(feet_low.image[27:33, 1].min()) > 1.0
    assert framing_cue(feet_low, BRIGHT) == FEET
    hidden = Landmarks(mountain.image.copy(), mountain.width, mountain.height)
    hidden.image[[15, 16], 3] = 0.1  # both wrists unseen (e.g. out of a close camera's picture)
    assert framing_cue(hidden, BRIGHT) == HANDS
    assert framing_cue(shifted(mountain, dx=0.4), BRIGHT) == CENTRE
    # Mountain's stick figure faces the camera: fine for mountain, not for a side-judged pose.
    assert framing_cue(mountain, BRIGHT, "pyramid") == SIDE_ON


def test_one_framing_cue_at_a_time_the_most_basic_first(mountain: Landmarks) -> None:
    both = shifted(mountain, dx=0.4, dy=0.5)  # off centre AND feet cut, in a dark room
    assert framing_cue(both, 20.0) == DARK
    assert framing_cue(both, BRIGHT) == FEET


def _analysis(**kw: object) -> FrameAnalysis:
    a = FrameAnalysis(0.0, None, "tree", "Tree", 0.9, 70.0)
    for k, v in kw.items():
        setattr(a, k, v)
    return a


def test_framing_cue_is_shown_alone_else_at_most_two_corrections() -> None:
    cues = [Cue(f"cue {i}", "left_knee", "left", "bend_more", 10 - i) for i in range(3)]
    assert shown_cues(_analysis(cues=cues)) == ["cue 0", "cue 1"]
    assert spoken_cue(_analysis(cues=cues)) == "cue 0"
    framed = _analysis(cues=cues, framing=FEET)
    assert shown_cues(framed) == [FEET] and spoken_cue(framed) == FEET
    assert spoken_cue(_analysis()) is None


def test_held_well_and_the_pose_placeholder(mountain: Landmarks) -> None:
    assert held_well(True, 85.0) and not held_well(True, 60.0) and not held_well(False, 95.0)
    assert pose_placeholder(FrameAnalysis(0.0, mountain, None, None, 0.0, None)) == MOVING
    assert pose_placeholder(FrameAnalysis(0.0, None, None, None, 0.0, None)) == NO_POSE


def test_pipeline_gives_no_framing_cue_while_a_pose_is_held_well(library: PoseLibrary, mountain: Landmarks) -> None:
    pipe = PosePipeline(library, None, hold_seconds=1.0)
    off = shifted(mountain, dx=0.4)  # off centre, but otherwise a perfect mountain
    first = pipe.process_landmarks(off, 0.0, luma=BRIGHT)
    assert first.pose_id == "mountain" and first.framing == CENTRE and not first.held
    later = [pipe.process_landmarks(off, t / 10, luma=BRIGHT) for t in range(1, 16)]
    assert later[-1].held and later[-1].accuracy is not None and later[-1].accuracy >= 80
    assert later[-1].framing is None and shown_cues(later[-1]) == [c.text for c in later[-1].cues]
    # Nobody in a dark room: the darkness is the first thing to fix.
    assert pipe.process_landmarks(None, 2.0, luma=10.0).framing == DARK
