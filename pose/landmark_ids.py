"""BlazePose landmark indices and the left/right pairing used for mirroring."""

from __future__ import annotations

NOSE = 0
LEFT_EYE = 2
RIGHT_EYE = 5
LEFT_EAR = 7
RIGHT_EAR = 8
LEFT_SHOULDER = 11
RIGHT_SHOULDER = 12
LEFT_ELBOW = 13
RIGHT_ELBOW = 14
LEFT_WRIST = 15
RIGHT_WRIST = 16
LEFT_HIP = 23
RIGHT_HIP = 24
LEFT_KNEE = 25
RIGHT_KNEE = 26
LEFT_ANKLE = 27
RIGHT_ANKLE = 28
LEFT_HEEL = 29
RIGHT_HEEL = 30
LEFT_FOOT = 31
RIGHT_FOOT = 32

#: The body's sides, in the order features and cues list them.
SIDES = ("left", "right")

#: Per-side landmark indices, keyed by the part name used in feature names.
SIDE_INDEX: dict[str, dict[str, int]] = {
    "left": {
        "shoulder": LEFT_SHOULDER,
        "elbow": LEFT_ELBOW,
        "wrist": LEFT_WRIST,
        "hip": LEFT_HIP,
        "knee": LEFT_KNEE,
        "ankle": LEFT_ANKLE,
        "heel": LEFT_HEEL,
        "foot": LEFT_FOOT,
    },
    "right": {
        "shoulder": RIGHT_SHOULDER,
        "elbow": RIGHT_ELBOW,
        "wrist": RIGHT_WRIST,
        "hip": RIGHT_HIP,
        "knee": RIGHT_KNEE,
        "ankle": RIGHT_ANKLE,
        "heel": RIGHT_HEEL,
        "foot": RIGHT_FOOT,
    },
}

#: Permutation that swaps every left landmark with its right twin
#: (BlazePose order: nose, then L/R pairs).  ``arr[MIRROR_PERMUTATION]`` relabels sides.
MIRROR_PERMUTATION: list[int] = [0, 4, 5, 6, 1, 2, 3, 8, 7, 10, 9] + [
    i + 1 if i % 2 == 1 else i - 1 for i in range(11, 33)
]

#: Skeleton edges drawn by :mod:`pose.draw`.
SKELETON_EDGES: list[tuple[int, int]] = [
    (LEFT_SHOULDER, RIGHT_SHOULDER),
    (LEFT_HIP, RIGHT_HIP),
    (LEFT_SHOULDER, LEFT_HIP),
    (RIGHT_SHOULDER, RIGHT_HIP),
    (LEFT_SHOULDER, LEFT_ELBOW),
    (LEFT_ELBOW, LEFT_WRIST),
    (RIGHT_SHOULDER, RIGHT_ELBOW),
    (RIGHT_ELBOW, RIGHT_WRIST),
    (LEFT_HIP, LEFT_KNEE),
    (LEFT_KNEE, LEFT_ANKLE),
    (RIGHT_HIP, RIGHT_KNEE),
    (RIGHT_KNEE, RIGHT_ANKLE),
    (LEFT_ANKLE, LEFT_HEEL),
    (LEFT_HEEL, LEFT_FOOT),
    (LEFT_ANKLE, LEFT_FOOT),
    (RIGHT_ANKLE, RIGHT_HEEL),
    (RIGHT_HEEL, RIGHT_FOOT),
    (RIGHT_ANKLE, RIGHT_FOOT),
]
