"""A pose whose defining joints cannot be seen is not guessed: the app says what it cannot see."""

from __future__ import annotations

import math

import numpy as np
import pytest

from pose.features import extract_features
from pose.framing import FEET, cannot_see_cue, framing_cue
from pose.landmark_ids import SIDE_INDEX, SIDES
from pose.library import PoseLibrary, PoseLibraryError, parse_pose
from pose.pipeline import PosePipeline
from pose.scoring import recognise, recognise_best
from pose.seen import OFF_FRAME_TORSOS, cannot_see_text, part_words, unseen_joints
from pose.synthetic import synthesize
from pose.types import Landmarks

BRIGHT = 130.0
LEG_PARTS = ("knee", "ankle", "heel", "foot")


@pytest.fixture(scope="module")
def tree(library: PoseLibrary) -> Landmarks:
    return synthesize(library.get("tree"))


def _legs(lm: Landmarks, parts: tuple[str, ...] = LEG_PARTS) -> list[int]:
    return [SIDE_INDEX[s][p] for s in SIDES for p in parts]


def without_legs(lm: Landmarks) -> Landmarks:
    """Both legs gone: no position and no visibility for knees, ankles, heels and feet."""
    image = lm.image.copy()
    image[_legs(lm)] = [math.nan, math.nan, math.nan, 0.0]
    return Landmarks(image, lm.width, lm.height)


def torso_px(lm: Landmarks) -> float:
    px = lm.pixel_xy()
    return float(np.linalg.norm((px[11] + px[12]) / 2 - (px[23] + px[24]) / 2))


def ankles_at(lm: Landmarks, y: float, visibility: float) -> Landmarks:
    """The figure moved down so its lowest ankle is at normalised height ``y``; feet points
    get ``visibility``."""
    image = lm.image.copy()
    ankles = [SIDE_INDEX[s]["ankle"] for s in SIDES]
    image[:, 1] += y - image[ankles, 1].max()
    image[_legs(lm, ("ankle", "heel", "foot")), 3] = visibility
    return Landmarks(image, lm.width, lm.height)


def _recognise(lm: Landmarks, library: PoseLibrary) -> tuple[str | None, tuple[str, ...]]:
    rec = recognise(extract_features(lm, use_depth=False), library, unseen=unseen_joints(lm))
    return (rec.best.pose.id if rec.best is not None else None), rec.unseen


def test_every_builtin_pose_lists_its_defining_joints(library: PoseLibrary) -> None:
    for pose in library.all():
        assert pose.defining, pose.id
    tree = library.get("tree")
    # Tree is the standing leg and the lifted foot.
    assert {"left_knee", "left_ankle", "right_ankle"} <= set(tree.defining)


def test_an_unknown_defining_joint_is_rejected() -> None:
    with pytest.raises(PoseLibraryError, match="defining"):
        parse_pose({"id": "x", "targets": {"left_knee": [90, 10, 1]}, "defining": ["left_tail"]}, builtin=False)
    pose = parse_pose({"id": "x", "targets": {"left_knee": [90, 10, 1]}, "defining": ["left_knee"]}, builtin=False)
    assert parse_pose(pose.to_json(), builtin=False) == pose


def test_the_whole_tree_is_recognised(tree: Landmarks, library: PoseLibrary) -> None:
    assert unseen_joints(tree) == frozenset()
    assert _recognise(tree, library) == ("tree", ())


def test_a_tree_with_both_legs_removed_is_not_guessed_and_names_the_legs(tree: Landmarks, library: PoseLibrary) -> None:
    legless = without_legs(tree)
    # What the upper body alone fits is a guess (Warrior I, before defining joints existed).
    assert recognise(extract_features(legless, use_depth=False), library).best is not None
    assert {"left_knee", "right_knee", "left_ankle", "right_ankle"} <= unseen_joints(legless)
    pose_id, unseen = _recognise(legless, library)
    assert pose_id is None
    assert unseen and all(j.endswith(("_knee", "_ankle")) for j in unseen)
    assert part_words(unseen) == ["legs"]
    assert cannot_see_text(unseen) == "Can't see your legs"


def test_legs_far_below_the_picture_with_low_visibility_are_unseen(tree: Landmarks, library: PoseLibrary) -> None:
    """The same as a camera cut at the hips: MediaPipe still places the legs, far outside."""
    image = tree.image.copy()
    legs = _legs(tree)
    image[legs, 1] += 1.0  # a whole picture height below where they were
    image[legs, 3] = 0.05
    far = Landmarks(image, tree.width, tree.height)
    pose_id, unseen = _recognise(far, library)
    assert pose_id is None and part_words(unseen) == ["legs"]


def test_a_tree_with_ankles_just_past_the_bottom_edge_is_still_recognised(
    tree: Landmarks, library: PoseLibrary
) -> None:
    for visibility in (0.6, 0.3):
        low = ankles_at(tree, 1.03, visibility)
        px = low.pixel_xy()
        assert px[SIDE_INDEX["left"]["ankle"], 1] > low.height  # really outside the picture
        # Just past the edge is not "cannot be seen": MediaPipe's guess there is useful.
        assert not unseen_joints(low) & {"left_ankle", "right_ankle", "left_knee", "right_knee"}
        if visibility >= 0.5:
            assert _recognise(low, library) == ("tree", ())


def test_far_outside_means_relative_to_the_body(tree: Landmarks) -> None:
    """The same low-visibility ankle is unseen only beyond OFF_FRAME_TORSOS torso lengths."""
    scale = torso_px(tree) / tree.height
    near = ankles_at(tree, 1.0 + 0.5 * OFF_FRAME_TORSOS * scale, 0.1)
    far = ankles_at(tree, 1.0 + 1.5 * OFF_FRAME_TORSOS * scale, 0.1)
    # The standing (left) ankle is the lowest; the lifted one stays inside the picture.
    assert "left_ankle" not in unseen_joints(near)
    assert "left_ankle" in unseen_joints(far) and "right_ankle" not in unseen_joints(far)
    # A high visibility means the model is sure of the place: never unseen.
    sure = ankles_at(tree, 1.0 + 1.5 * OFF_FRAME_TORSOS * scale, 0.9)
    assert not unseen_joints(sure) & {"left_ankle", "right_ankle"}


def test_a_joint_the_model_gives_up_on_is_unseen_unless_it_hangs_from_a_seen_one(tree: Landmarks) -> None:
    """MediaPipe squeezes legs it cannot see into the picture with a visibility near 0."""

    def with_visibility(**vis: float) -> Landmarks:
        image = tree.image.copy()
        for name, v in vis.items():
            side, part = name.split("_")
            image[SIDE_INDEX[side][part], 3] = v
        return Landmarks(image, tree.width, tree.height)

    inside = with_visibility(left_knee=0.01, left_ankle=0.01)
    assert {"left_knee", "left_ankle"} <= unseen_joints(inside)
    # An ankle given up under a knee the model sees: feet just out of the picture, a useful guess.
    carried = with_visibility(left_knee=0.9, left_ankle=0.01)
    assert not unseen_joints(carried)
    assert "left_ankle" in unseen_joints(with_visibility(left_knee=0.1, left_ankle=0.01))
    # Occlusion (a low visibility, not a given-up joint) is never "cannot see".
    assert not unseen_joints(with_visibility(left_knee=0.2, left_ankle=0.2))


def test_part_words_name_the_larger_part() -> None:
    assert part_words(["left_ankle", "right_foot"]) == ["feet"]
    assert part_words(["left_knee", "left_ankle"]) == ["legs"]
    assert part_words(["left_wrist", "right_ankle"]) == ["feet", "hands"]
    assert cannot_see_text(["left_wrist", "right_ankle"]) == "Can't see your feet or hands"
    assert cannot_see_text([]) == ""


def test_the_framing_cue_says_what_it_cannot_see_before_anything_else(tree: Landmarks) -> None:
    legless = without_legs(tree)
    cue = framing_cue(legless, BRIGHT, None, ("left_knee", "left_ankle"))
    assert cue == cannot_see_cue(["left_knee"]) and cue.startswith("Can't see your legs")
    assert framing_cue(legless, BRIGHT, None) == FEET  # without recognition's word: the old cue


def test_recognise_best_takes_one_unseen_set_per_candidate(tree: Landmarks, library: PoseLibrary) -> None:
    legless = without_legs(tree)
    feats = [extract_features(legless, use_depth=False)]
    assert recognise_best(feats, library, unseen=[unseen_joints(legless)]).best is None
    with pytest.raises(ValueError, match="one unseen set per candidate"):
        recognise_best(feats, library, unseen=[])


def test_pipeline_names_no_pose_and_gives_the_cannot_see_cue(tree: Landmarks, library: PoseLibrary) -> None:
    pipe = PosePipeline(library, None, hold_seconds=1.0)
    out = [pipe.process_landmarks(without_legs(tree), t / 10, luma=BRIGHT) for t in range(20)]
    assert all(a.pose_id is None and not a.cues and a.hold_s == 0.0 for a in out)
    assert all(a.framing is not None and a.framing.startswith("Can't see your legs") for a in out)
    assert out[-1].cannot_see
    # Guided mode: the target's legs cannot be seen, so it is not present and not coached.
    pipe.target_pose = "tree"
    guided = pipe.process_landmarks(without_legs(tree), 3.0, luma=BRIGHT)
    assert guided.pose_id is None and not guided.cues
    assert guided.framing is not None and guided.framing.startswith("Can't see your legs")
