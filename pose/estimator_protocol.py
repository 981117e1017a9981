"""What every pose estimator offers (``PoseEstimator``) and the frame it reads (``Frame``).

Apart from ``pose.estimator`` (the MediaPipe implementations and ``create_estimator``) so that
a wrapper such as ``pose.search.SearchingEstimator`` depends on the protocol only, while
``create_estimator`` builds the wrapper: no import cycle.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from pose.types import Landmarks

Frame = NDArray[np.uint8]


class PoseEstimator(Protocol):
    """Finds one person's landmarks in a BGR frame, or None when nobody is found."""

    def estimate(self, frame_bgr: Frame, t_s: float | None = None) -> Landmarks | None:
        """Landmarks of the most prominent person; ``t_s`` is needed by video modes."""
        ...

    def close(self) -> None:
        """Release native resources; the estimator is unusable afterwards."""
        ...
