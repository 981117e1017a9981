"""Public value types of the pose pipeline (no Qt, no mediapipe, no cv2).

These dataclasses are the contract between ``pose/`` and its consumers (the
Practice screen, the CLI).  They are plain immutable-ish values: safe to pass
between threads once constructed, as long as nobody mutates the arrays.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

#: Number of BlazePose landmarks.
NUM_LANDMARKS = 33

Side = Literal["left", "right", "both", "none"]
Direction = Literal[
    "bend_more",
    "straighten",
    "raise",
    "lower",
    "lean_forward",
    "lean_back",
    "move_out",
    "move_in",
]


@dataclass(frozen=True, eq=False)  # arrays: == would be element-wise, so compare by identity
class Landmarks:
    """One person's 33 BlazePose landmarks for one frame.

    ``image`` is a (33, 4) float array of x, y, z, visibility where x and y are
    normalised to the image width and height (0..1, y down) and z is MediaPipe's
    relative depth.  ``world`` is an optional (33, 3) array in metres (hip
    centred).  ``width``/``height`` are the image size in pixels, needed to turn
    normalised coordinates back into an undistorted aspect ratio.

    ``alternatives`` are other estimates of the same body in the same picture (the
    plain and the mirrored pass of a photo's flip test, whose mean these landmarks
    are): where the passes disagree, their mean is a body neither pass saw, so a
    consumer may judge which of them explains the picture best.  Empty for video.
    """

    image: NDArray[np.float64]
    width: int
    height: int
    world: NDArray[np.float64] | None = None
    alternatives: tuple[Landmarks, ...] = ()

    def __post_init__(self) -> None:
        if self.image.shape != (NUM_LANDMARKS, 4):
            raise ValueError(f"image landmarks must be (33, 4), got {self.image.shape}")
        if self.world is not None and self.world.shape != (NUM_LANDMARKS, 3):
            raise ValueError(f"world landmarks must be (33, 3), got {self.world.shape}")
        if self.width <= 0 or self.height <= 0:
            raise ValueError("width and height must be positive")

    @property
    def visibility(self) -> NDArray[np.float64]:
        """(33,) visibility scores in 0..1."""
        return self.image[:, 3]

    def pixel_xy(self) -> NDArray[np.float64]:
        """(33, 2) landmark positions in pixels (x right, y down)."""
        scale = np.array([self.width, self.height], dtype=np.float64)
        return self.image[:, :2] * scale


@dataclass(frozen=True)
class Cue:
    """One corrective instruction, e.g. "Bend your front (left) knee more".

    ``joint`` is a feature name of :mod:`pose.geometry` (e.g. ``"left_knee"``),
    ``side`` the body side it concerns, ``direction`` a machine-readable verb and
    ``impact`` how many accuracy points fixing it would roughly gain.
    """

    text: str
    joint: str
    side: Side
    direction: Direction
    impact: float


@dataclass
class FrameAnalysis:
    """Everything the pipeline knows about one frame.

    ``pose_id``/``pose_name`` are None when no pose is recognised (no person,
    nothing matches, or in transition).  ``accuracy`` is 0..100 against the
    recognised pose (or the target pose in guided mode), None if there is no
    pose to score against.  ``deviations`` maps feature names to signed
    deviation in degrees (measured minus target; positive means "more open /
    higher" for that feature).  ``cues`` holds at most two cues, most impactful
    first.  ``completed_hold`` is set on the frame on which a hold ended.  A pose is
    named (and ``hold_s`` runs) only on frames where it is recognised with
    confidence; between poses ``pose_id`` is None and ``cues`` is empty.
    """

    t_s: float
    landmarks: Landmarks | None
    pose_id: str | None
    pose_name: str | None
    confidence: float
    accuracy: float | None
    deviations: dict[str, float] = field(default_factory=dict)
    cues: list[Cue] = field(default_factory=list)
    held: bool = False
    hold_s: float = 0.0
    in_transition: bool = False
    completed_hold: HoldRecord | None = None
    #: The one framing instruction (see :mod:`pose.framing`), None when framing is fine
    #: or the pose is held well.
    framing: str | None = None
    #: Defining joints (``left_knee``...) of the best candidate (or the guided target) that
    #: cannot be seen: the pose is then not named (see :mod:`pose.seen`).
    cannot_see: tuple[str, ...] = ()


@dataclass(frozen=True)
class HoldRecord:
    """A finished hold of one pose, emitted when the hold ENDS.

    ``start_s`` is when the pose was first recognised (not when it became
    "held"); ``hold_s = end_s - start_s``.  ``feedback`` lists the most frequent
    cue texts during the hold, ``improvements`` short suggestions for next time.
    """

    pose_id: str
    pose_name: str
    start_s: float
    end_s: float
    hold_s: float
    mean_accuracy: float
    best_accuracy: float
    feedback: list[str] = field(default_factory=list)
    improvements: list[str] = field(default_factory=list)
