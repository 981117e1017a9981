"""Finding the person in poor pictures: retries on altered copies when nobody is found.

:class:`SearchingEstimator` wraps any :class:`~pose.estimator.PoseEstimator`.  The
first pass is the wrapped estimator on the frame as it is, so a good picture costs
nothing extra.  Only when that pass finds nobody are the copies of :func:`variants`
tried in order, on a separate per-image estimator (a tracking estimator must not be
fed pictures of a different geometry), and the first person found is mapped back
to the original frame's coordinates:

1. ``denoise+gain`` (only when the frame is dark): a 5-pixel median filter removes
   the sensor noise of a dim room, then the luminance is scaled to a normal mean.
2. ``zoom_out``: a border around the picture; a person filling the frame or cut at
   its edge is easier for the person detector to box.
3. ``zoom_in``: the central part enlarged, for a small person further back.
4. ``rotate``: +/-10 degrees, for a tilted camera.

On a live stream the search runs at most every ``search_every_s`` seconds, so an
empty room does not slow the frame rate.  On photos (``flip_test=True``) every copy is
tried, with its mirror image, and all the estimates found are kept (see
:meth:`SearchingEstimator._search_all`).

``flip_test=True`` (photos only: it doubles the model's work) is the usual test-time
augmentation of pose estimators: the picture and its mirror image are both estimated
and the landmarks averaged (the mirror's left and right swapped back), which halves
the model's independent errors on a noisy, dim or cut-off picture.  The two passes are
kept as the average's ``alternatives``: when they disagree (a limb cut off by the frame,
a leg the model placed on the other side), the mean is a body neither pass saw, and
recognition takes whichever of the three it is most confident about
(:func:`pose.scoring.recognise_best`).

Not thread-safe (like the estimators).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from pose.estimator_protocol import Frame, PoseEstimator
from pose.geometry import mirror_landmarks  # flipping back is the same flip
from pose.types import Landmarks

#: Mean luminance (0-255) below which a frame counts as dark.
DARK_LUMA = 90.0
#: The luminance mean a dark frame is brought up to.
TARGET_LUMA = 115.0
#: Largest luminance gain applied (more only amplifies noise).
MAX_GAIN = 4.0


def mean_luma(frame_bgr: Frame) -> float:
    """Mean luminance 0-255 (Rec. 601 weights), on a subsample for speed."""
    sub = frame_bgr[::4, ::4].astype(np.float32)
    return float((sub[..., 0] * 0.114 + sub[..., 1] * 0.587 + sub[..., 2] * 0.299).mean())


def is_dark(frame_bgr: Frame) -> bool:
    """True when the frame is too dark for a reliable estimate (see :data:`DARK_LUMA`)."""
    return mean_luma(frame_bgr) < DARK_LUMA


@dataclass(frozen=True)
class Variant:
    """An altered copy of a frame and the 2x3 affine map from original to copy pixels."""

    name: str
    image: Frame
    to_copy: NDArray[np.float64]


def _identity() -> NDArray[np.float64]:
    return np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])


def brighten(frame_bgr: Frame) -> Frame:
    """Median-denoised copy with its luminance scaled to :data:`TARGET_LUMA` (capped gain)."""
    import cv2

    clean = cv2.medianBlur(frame_bgr, 5)
    lab = cv2.cvtColor(clean, cv2.COLOR_BGR2LAB)
    luma = lab[..., 0].astype(np.float32)
    gain = min(MAX_GAIN, TARGET_LUMA / max(1.0, float(luma.mean())))
    lab[..., 0] = np.clip(luma * gain, 0, 255).astype(np.uint8)
    return np.asarray(cv2.cvtColor(lab, cv2.COLOR_LAB2BGR), dtype=np.uint8)


def variants(frame_bgr: Frame) -> Iterator[Variant]:
    """The copies tried, in order, when nobody is found (see the module docstring)."""
    import cv2

    base = frame_bgr
    if is_dark(frame_bgr):
        base = brighten(frame_bgr)
        yield Variant("denoise+gain", base, _identity())
    h, w = base.shape[:2]
    pad = int(0.25 * max(h, w))
    fill = [int(v) for v in np.median(base[::8, ::8].reshape(-1, 3), axis=0)]
    padded = cv2.copyMakeBorder(base, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=fill)
    yield Variant("zoom_out", np.asarray(padded, dtype=np.uint8), np.array([[1.0, 0.0, pad], [0.0, 1.0, pad]]))
    # The central 70%, enlarged back to the frame size.
    x0, y0 = int(0.15 * w), int(0.15 * h)
    crop = base[y0 : h - y0, x0 : w - x0]
    sx, sy = w / crop.shape[1], h / crop.shape[0]
    zoomed = cv2.resize(crop, (w, h), interpolation=cv2.INTER_LINEAR)
    yield Variant("zoom_in", np.asarray(zoomed, dtype=np.uint8), np.array([[sx, 0.0, -x0 * sx], [0.0, sy, -y0 * sy]]))
    for angle in (10.0, -10.0):
        m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        rotated = cv2.warpAffine(base, m, (w, h), borderMode=cv2.BORDER_REPLICATE)
        yield Variant("rotate", np.asarray(rotated, dtype=np.uint8), np.asarray(m, dtype=np.float64))


def average(a: Landmarks, b: Landmarks) -> Landmarks:
    """The mean of two estimates of the same body in the same picture; the two estimates
    are kept as its ``alternatives``."""
    world = (a.world + b.world) / 2 if a.world is not None and b.world is not None else a.world
    return Landmarks(image=(a.image + b.image) / 2, width=a.width, height=a.height, world=world, alternatives=(a, b))


def map_back(lm: Landmarks, to_copy: NDArray[np.float64], width: int, height: int) -> Landmarks:
    """Landmarks found on a copy, in the original frame's normalised coordinates."""
    a = np.vstack([to_copy, [0.0, 0.0, 1.0]])
    inv = np.linalg.inv(a)[:2]
    px = lm.image[:, :2] * np.array([lm.width, lm.height])
    orig = px @ inv[:, :2].T + inv[:, 2]
    scale = float(np.sqrt(abs(np.linalg.det(to_copy[:, :2]))))
    image = lm.image.copy()
    image[:, 0] = orig[:, 0] / width
    image[:, 1] = orig[:, 1] / height
    # z is on the x scale of the copy: bring it back to the original width.
    image[:, 2] = lm.image[:, 2] * lm.width / (scale * width)
    return Landmarks(image=image, width=width, height=height, world=lm.world)


class SearchingEstimator:
    """See the module docstring.  ``searcher`` builds the per-image estimator for the retries
    (created on first need); ``search_every_s`` = 0 searches on every empty frame (photos)."""

    def __init__(
        self,
        primary: PoseEstimator,
        searcher: Callable[[], PoseEstimator] | None = None,
        *,
        search_every_s: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
        flip_test: bool = False,
    ) -> None:
        self.primary = primary
        self.flip_test = flip_test
        self._make_searcher = searcher
        self._searcher: PoseEstimator | None = None
        self.search_every_s = search_every_s
        self._clock = clock
        self._last_search: float | None = None
        #: How many people each stage found, for measurement (``first`` = the plain pass).
        self.found_by: dict[str, int] = {}

    def estimate(self, frame_bgr: Frame, t_s: float | None = None) -> Landmarks | None:
        """See :class:`~pose.estimator.PoseEstimator`."""
        lm = self.primary.estimate(frame_bgr, t_s)
        if self.flip_test:
            lm = self._with_mirror(frame_bgr, lm)
        if lm is not None:
            self._count("first")
            return lm
        now = self._clock()
        if self.search_every_s > 0 and self._last_search is not None and now - self._last_search < self.search_every_s:
            return None
        self._last_search = now
        searcher = self._searcher_estimator()
        h, w = frame_bgr.shape[:2]
        if self.flip_test:
            return self._search_all(searcher, frame_bgr, int(w), int(h))
        for v in variants(frame_bgr):
            found = searcher.estimate(v.image)
            if found is not None:
                self._count(v.name)
                return map_back(found, v.to_copy, int(w), int(h))
        return None

    def _search_all(self, searcher: PoseEstimator, frame_bgr: Frame, w: int, h: int) -> Landmarks | None:
        """Photos: every copy and its mirror image (multi-scale flip test).  The first person
        found is returned, with every estimate found kept as its ``alternatives``: in a poor
        picture the first copy that finds somebody is not always the one that sees the body
        best (a dim photo brightened in full may place the legs wrongly where the padded copy
        does not), so recognition takes the estimate it is most confident about."""
        found: list[Landmarks] = []
        for v in variants(frame_bgr):
            plain = searcher.estimate(v.image)
            mirrored = searcher.estimate(np.ascontiguousarray(v.image[:, ::-1]))
            for lm in (plain, mirror_landmarks(mirrored) if mirrored is not None else None):
                if lm is not None:
                    if not found:
                        self._count(v.name)
                    found.append(map_back(lm, v.to_copy, w, h))
        if not found:
            return None
        first = found[0]
        return Landmarks(image=first.image, width=w, height=h, world=first.world, alternatives=tuple(found))

    def _with_mirror(self, frame_bgr: Frame, lm: Landmarks | None) -> Landmarks | None:
        mirrored = self.primary.estimate(np.ascontiguousarray(frame_bgr[:, ::-1]))
        if mirrored is None:
            return lm
        self._count("mirror")
        back = mirror_landmarks(mirrored)
        return back if lm is None else average(lm, back)

    def _searcher_estimator(self) -> PoseEstimator:
        if self._searcher is None:
            self._searcher = self._make_searcher() if self._make_searcher is not None else self.primary
        return self._searcher

    def _count(self, stage: str) -> None:
        self.found_by[stage] = self.found_by.get(stage, 0) + 1

    def close(self) -> None:
        """Close both estimators."""
        self.primary.close()
        if self._searcher is not None and self._searcher is not self.primary:
            self._searcher.close()
