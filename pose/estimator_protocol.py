"""What every pose estimator is: the frame it takes and the protocol it keeps.

Its own module so that wrappers (``pose.search``) and the concrete estimators
(``pose.estimator``) both depend on it, and not on each other.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from pose.types import Landmarks

Frame = NDArray[np.uint8]


class EstimatorError(RuntimeError):
    """The estimator could not be created (bad model file, mediapipe failure)."""


class PoseEstimator(Protocol):
    """Finds one person's landmarks in a BGR frame, or None when nobody is found."""

    def estimate(self, frame_bgr: Frame, t_s: float | None = None) -> Landmarks | None:
        """Landmarks of the most prominent person; ``t_s`` is needed by video modes."""
        ...

    def close(self) -> None:
        """Release native resources; the estimator is unusable afterwards."""
        ...
