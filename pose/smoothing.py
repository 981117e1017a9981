"""One Euro filter (Casiez et al., CHI 2012) for landmark jitter.

Low speed → strong smoothing (kills jitter while holding a pose); high speed →
little smoothing (no lag while moving).  Not thread-safe: one filter per stream.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from pose.types import Landmarks

FloatArray = NDArray[np.float64]


def _alpha(cutoff_hz: float, dt: float) -> float:
    tau = 1.0 / (2.0 * math.pi * cutoff_hz)
    return 1.0 / (1.0 + tau / dt)


class OneEuroFilter:
    """Element-wise One Euro filter over arrays of a fixed shape.

    ``min_cutoff`` (Hz) sets smoothing at rest, ``beta`` how fast the cutoff
    rises with speed.  NaN inputs pass through as NaN and reset that element.
    """

    def __init__(self, min_cutoff: float = 1.0, beta: float = 0.5, d_cutoff: float = 1.0) -> None:
        self.min_cutoff = min_cutoff
        self.beta = beta
        self.d_cutoff = d_cutoff
        self._x: FloatArray | None = None
        self._dx: FloatArray | None = None
        self._t: float | None = None

    def reset(self) -> None:
        """Forget the history (e.g. after the person was lost)."""
        self._x = self._dx = None
        self._t = None

    def __call__(self, x: FloatArray, t_s: float) -> FloatArray:
        """Filtered value of ``x`` sampled at time ``t_s`` (seconds, increasing)."""
        x = np.asarray(x, dtype=np.float64)
        if self._x is None or self._dx is None or self._t is None or self._x.shape != x.shape:
            self._x, self._dx, self._t = x.copy(), np.zeros_like(x), t_s
            return x.copy()
        dt = t_s - self._t
        if dt <= 0:
            return self._x.copy()
        dx = (x - self._x) / dt
        a_d = _alpha(self.d_cutoff, dt)
        dx_hat = a_d * dx + (1 - a_d) * self._dx
        cutoff = self.min_cutoff + self.beta * np.abs(dx_hat)
        tau = 1.0 / (2.0 * math.pi * cutoff)
        a = 1.0 / (1.0 + tau / dt)
        x_hat = a * x + (1 - a) * self._x
        # Unknown samples restart from the next known value instead of dragging NaN.
        fresh = np.isnan(self._x) & ~np.isnan(x)
        x_hat = np.where(fresh, x, x_hat)
        dx_hat = np.where(np.isnan(dx_hat), 0.0, dx_hat)
        self._x, self._dx, self._t = x_hat, dx_hat, t_s
        return np.asarray(x_hat.copy(), dtype=np.float64)


class LandmarkSmoother:
    """One Euro smoothing of landmark positions (x, y, z); visibility passes unchanged.

    ``min_cutoff`` and ``beta`` are in normalised image units per second.
    """

    def __init__(self, min_cutoff: float = 1.5, beta: float = 2.0) -> None:
        self._image = OneEuroFilter(min_cutoff, beta)
        self._world = OneEuroFilter(min_cutoff, beta)

    def reset(self) -> None:
        """Forget the history."""
        self._image.reset()
        self._world.reset()

    def __call__(self, lm: Landmarks, t_s: float) -> Landmarks:
        """Smoothed copy of ``lm``."""
        image = lm.image.copy()
        image[:, :3] = self._image(lm.image[:, :3], t_s)
        world = self._world(lm.world, t_s) if lm.world is not None else None
        return Landmarks(image=image, width=lm.width, height=lm.height, world=world)
