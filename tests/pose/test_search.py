"""pose.search: retries on altered copies only when nobody is found, mapped back exactly."""

from __future__ import annotations

import numpy as np
import pytest

from pose.estimator import Frame
from pose.library import PoseLibrary
from pose.search import SearchingEstimator, brighten, is_dark, map_back, mean_luma, variants
from pose.synthetic import build_landmarks, fit_params
from pose.types import Landmarks


class MarkerEstimator:
    """The model edge, faked: "finds" a person only where a white marker square is fully inside
    the picture and bright enough; landmark 0 is put on the marker's centre."""

    def __init__(self, min_luma: float = 200.0, min_side: int = 0) -> None:
        self.min_luma, self.min_side = min_luma, min_side
        self.calls = 0
        self.closed = False

    def estimate(self, frame_bgr: Frame, t_s: float | None = None) -> Landmarks | None:
        self.calls += 1
        gray = frame_bgr.mean(axis=2)
        ys, xs = np.nonzero(gray >= self.min_luma)
        if len(xs) == 0 or (xs.max() - xs.min() + 1) < self.min_side:
            return None
        h, w = gray.shape
        image = np.zeros((33, 4))
        image[:, 3] = 1.0
        image[:, 0] = (xs.min() + xs.max()) / 2 / w
        image[:, 1] = (ys.min() + ys.max()) / 2 / h
        return Landmarks(image, w, h)

    def close(self) -> None:
        self.closed = True


def frame_with_marker(x: int, y: int, side: int = 20, level: int = 255, background: int = 120) -> Frame:
    f = np.full((240, 320, 3), background, np.uint8)
    f[y : y + side, x : x + side] = level
    return f


def test_a_good_picture_costs_one_pass() -> None:
    est = MarkerEstimator()
    search = SearchingEstimator(est)
    lm = search.estimate(frame_with_marker(100, 50))
    assert lm is not None and est.calls == 1 and search.found_by == {"first": 1}


def test_a_dark_picture_is_brightened_and_the_person_found() -> None:
    # A marker at level 70 on a background of 20: a dim room.  Brightened, it passes 200.
    dark = frame_with_marker(100, 50, level=70, background=20)
    assert is_dark(dark) and mean_luma(brighten(dark)) > mean_luma(dark) * 2
    est = MarkerEstimator()
    search = SearchingEstimator(est)
    lm = search.estimate(dark)
    assert lm is not None and search.found_by == {"denoise+gain": 1}
    assert lm.image[0, 0] * 320 == pytest.approx(110, abs=1.0) and lm.image[0, 1] * 240 == pytest.approx(60, abs=1.0)


def test_a_small_person_is_found_by_zooming_in_and_mapped_back() -> None:
    est = MarkerEstimator(min_side=14)  # the detector needs the person at least 14 px wide
    search = SearchingEstimator(est)
    lm = search.estimate(frame_with_marker(150, 110, side=12))
    assert lm is not None and search.found_by == {"zoom_in": 1}
    assert lm.width == 320 and lm.height == 240
    assert lm.image[0, 0] * 320 == pytest.approx(156, abs=1.5) and lm.image[0, 1] * 240 == pytest.approx(116, abs=1.5)


def test_every_variant_maps_back_to_the_original_frame(library: PoseLibrary) -> None:
    lm = build_landmarks(fit_params(library.get("warrior_ii")))
    frame = np.full((lm.height, lm.width, 3), 40, np.uint8)
    for v in variants(frame):
        h, w = v.image.shape[:2]
        px = lm.image[:, :2] * [lm.width, lm.height]
        on_copy = px @ v.to_copy[:, :2].T + v.to_copy[:, 2]
        image = lm.image.copy()
        image[:, 0], image[:, 1] = on_copy[:, 0] / w, on_copy[:, 1] / h
        back = map_back(Landmarks(image, w, h), v.to_copy, lm.width, lm.height)
        assert np.allclose(back.image[:, :2], lm.image[:, :2], atol=1e-9), v.name


def test_on_a_live_stream_an_empty_room_is_searched_at_most_twice_a_second() -> None:
    now = [0.0]
    primary, searcher = MarkerEstimator(), MarkerEstimator()
    search = SearchingEstimator(primary, lambda: searcher, search_every_s=0.5, clock=lambda: now[0])
    empty = np.full((240, 320, 3), 120, np.uint8)
    for i in range(30):  # one second at 30 fps
        now[0] = i / 30
        assert search.estimate(empty, now[0]) is None
    assert primary.calls == 30
    per_search = len(list(variants(empty)))
    assert searcher.calls == 2 * per_search  # at 0 s and at 0.5 s
    search.close()
    assert primary.closed and searcher.closed


class BiasedEstimator(MarkerEstimator):
    """A model that places every landmark 3% of the width to the right of where it is."""

    def estimate(self, frame_bgr: Frame, t_s: float | None = None) -> Landmarks | None:
        lm = super().estimate(frame_bgr, t_s)
        if lm is None:
            return None
        image = lm.image.copy()
        image[:, 0] += 0.03
        image[11, 0] += 0.05  # and the left shoulder further still: the sides must come back swapped
        return Landmarks(image, lm.width, lm.height)


def test_the_flip_test_averages_the_picture_and_its_mirror() -> None:
    est = BiasedEstimator()
    plain = SearchingEstimator(est).estimate(frame_with_marker(100, 50))
    flipped = SearchingEstimator(est, flip_test=True)
    lm = flipped.estimate(frame_with_marker(100, 50))
    assert plain is not None and lm is not None and est.calls == 3
    centre = 110 / 320
    assert plain.image[0, 0] == pytest.approx(centre + 0.03, abs=0.005)
    # The mirror's error points the other way: the average cancels the model's bias.
    assert lm.image[0, 0] == pytest.approx(centre, abs=0.005)
    # The mirror's "left shoulder" is the body's right one: swapped back, each shoulder keeps
    # half of the extra error (unswapped, both would average to the centre).
    assert lm.image[11, 0] == pytest.approx(centre + 0.025, abs=0.005)
    assert lm.image[12, 0] == pytest.approx(centre - 0.025, abs=0.005)
    assert flipped.found_by == {"mirror": 1, "first": 1}


def test_photos_try_every_copy_and_keep_every_estimate() -> None:
    # Nobody is found in the dark picture as it is: on photos every copy and its mirror image
    # are estimated, and all the estimates found are kept for recognition to choose from.
    dark = frame_with_marker(100, 50, level=70, background=20)
    est = MarkerEstimator()
    search = SearchingEstimator(est, flip_test=True)
    lm = search.estimate(dark)
    assert lm is not None
    n_copies = len(list(variants(dark)))
    assert est.calls == 2 + 2 * n_copies
    assert len(lm.alternatives) >= 2
    assert lm.image[0, 0] == pytest.approx(lm.alternatives[0].image[0, 0])
    for alt in lm.alternatives:  # every estimate is in the original picture's coordinates
        assert alt.width == 320 and alt.height == 240
        assert alt.image[0, 0] == pytest.approx(110 / 320, abs=0.02)
    assert search.found_by == {"denoise+gain": 1}


def test_the_flip_test_keeps_both_passes() -> None:
    est = BiasedEstimator()
    lm = SearchingEstimator(est, flip_test=True).estimate(frame_with_marker(100, 50))
    assert lm is not None and len(lm.alternatives) == 2
    plain, mirrored = lm.alternatives
    assert plain.image[0, 0] == pytest.approx(110 / 320 + 0.03, abs=0.005)
    assert mirrored.image[0, 0] == pytest.approx(110 / 320 - 0.03, abs=0.005)
