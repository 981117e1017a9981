from __future__ import annotations

import numpy as np
import pytest

from pose.smoothing import LandmarkSmoother, OneEuroFilter
from pose.types import Landmarks


def test_constant_signal_passes_unchanged() -> None:
    f = OneEuroFilter()
    for i in range(30):
        out = f(np.array([0.5, 0.25]), i / 30)
    np.testing.assert_allclose(out, [0.5, 0.25])


def test_jitter_is_reduced_when_still() -> None:
    rng = np.random.default_rng(0)
    f = OneEuroFilter(min_cutoff=1.0, beta=0.0)
    raw = 0.5 + rng.normal(0, 0.01, 300)
    out = np.array([f(np.array([x]), i / 30)[0] for i, x in enumerate(raw)])
    assert out[50:].std() < raw[50:].std() / 2


def test_fast_motion_follows_with_little_lag() -> None:
    slow = OneEuroFilter(min_cutoff=1.0, beta=0.0)
    fast = OneEuroFilter(min_cutoff=1.0, beta=5.0)
    t = np.arange(60) / 30
    signal = t * 2.0  # moving steadily
    a = [slow(np.array([x]), ti)[0] for x, ti in zip(signal, t, strict=True)]
    b = [fast(np.array([x]), ti)[0] for x, ti in zip(signal, t, strict=True)]
    assert abs(b[-1] - signal[-1]) < abs(a[-1] - signal[-1]) / 2


def test_nan_restarts_element_instead_of_poisoning() -> None:
    f = OneEuroFilter()
    f(np.array([1.0, 1.0]), 0.0)
    out = f(np.array([np.nan, 1.0]), 0.1)
    assert np.isnan(out[0]) and out[1] == pytest.approx(1.0)
    out = f(np.array([2.0, 1.0]), 0.2)
    assert out[0] == pytest.approx(2.0)


def test_landmark_smoother_keeps_visibility() -> None:
    s = LandmarkSmoother()
    img = np.full((33, 4), 0.5)
    img[:, 3] = 0.9
    s(Landmarks(img, 100, 100), 0.0)
    img2 = img.copy()
    img2[:, 0] = 0.52
    img2[:, 3] = 0.2
    out = s(Landmarks(img2, 100, 100), 1 / 30)
    assert 0.5 < out.image[0, 0] < 0.52
    assert out.image[0, 3] == pytest.approx(0.2)
