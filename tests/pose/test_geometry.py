from __future__ import annotations

import math

import numpy as np
import pytest

from pose import geometry as g
from pose.features import FEATURE_NAMES, extract_features
from pose.landmark_ids import LEFT_ANKLE, LEFT_KNEE, RIGHT_KNEE
from pose.library import PoseLibrary
from pose.synthetic import synthesize
from pose.types import Landmarks


def test_joint_angle_right_angle_and_straight() -> None:
    a, b, c = np.array([1.0, 0, 0]), np.zeros(3), np.array([0, 1.0, 0])
    assert g.joint_angle(a, b, c) == pytest.approx(90.0)
    assert g.joint_angle(a, b, -a) == pytest.approx(180.0)


def test_inclination_to_vertical() -> None:
    hip, up, side = np.zeros(3), np.array([0, -1.0, 0]), np.array([1.0, 0, 0])
    assert g.inclination_from_up(hip, up) == pytest.approx(0.0)
    assert g.inclination_from_up(hip, side) == pytest.approx(90.0)
    assert g.inclination_from_down(hip, up) == pytest.approx(180.0)


def test_unknown_point_gives_nan_not_zero() -> None:
    nan = np.full(3, np.nan)
    assert math.isnan(g.joint_angle(nan, np.zeros(3), np.ones(3)))
    assert math.isnan(g.angle_between(np.zeros(3), np.ones(3)))  # degenerate: unknown too


def test_low_visibility_makes_dependent_features_unknown(library: PoseLibrary) -> None:
    lm = synthesize(library.get("warrior_ii"))
    image = lm.image.copy()
    image[LEFT_KNEE, 3] = 0.1  # below the 0.5 threshold
    feats = extract_features(Landmarks(image, lm.width, lm.height), use_depth=False)
    for name in ("left_knee", "left_hip", "left_thigh_incl", "left_shin_incl"):
        assert math.isnan(feats[name]), name
    assert not math.isnan(feats["right_knee"])
    assert set(feats) == set(FEATURE_NAMES)


def test_mirror_landmarks_swaps_sides_and_is_an_involution(library: PoseLibrary) -> None:
    lm = synthesize(library.get("tree"))
    mirrored = g.mirror_landmarks(lm)
    assert mirrored.image[RIGHT_KNEE, 0] == pytest.approx(1.0 - lm.image[LEFT_KNEE, 0])
    back = g.mirror_landmarks(mirrored)
    np.testing.assert_allclose(back.image, lm.image)
    f, fm = extract_features(lm, use_depth=False), extract_features(mirrored, use_depth=False)
    swapped = g.mirror_features(f)
    for name in f:
        assert fm[name] == pytest.approx(swapped[name], abs=1e-6), name
    assert fm["right_knee"] != pytest.approx(fm["left_knee"], abs=5)  # tree is asymmetric


def test_body_scale_normalisation_is_distance_invariant(library: PoseLibrary) -> None:
    lm = synthesize(library.get("chair"))
    small = lm.image.copy()
    small[:, :2] = 0.5 + (small[:, :2] - 0.5) * 0.4  # same person, further away
    pts_a = g.normalise(g.landmark_points(lm, use_depth=False))
    pts_b = g.normalise(g.landmark_points(Landmarks(small, lm.width, lm.height), use_depth=False))
    np.testing.assert_allclose(pts_a, pts_b, atol=1e-9)
    fa = extract_features(lm, use_depth=False)
    fb = extract_features(Landmarks(small, lm.width, lm.height), use_depth=False)
    assert fa["stance_width"] == pytest.approx(fb["stance_width"])
    assert fa["hip_height"] == pytest.approx(fb["hip_height"])


def test_landmarks_validate_shape() -> None:
    with pytest.raises(ValueError, match="33, 4"):
        Landmarks(np.zeros((32, 4)), 10, 10)
    assert LEFT_ANKLE == 27
