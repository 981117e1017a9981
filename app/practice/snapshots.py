"""Snapshots: the only way a video frame is stored. Written only when the user asks.

Frames are never written, logged or sent anywhere else. A snapshot is a PNG under
``<home>/snapshots/`` named by its UTC time. cv2 is imported lazily. Thread-safe
(call it off the GUI thread: encoding a PNG takes a few tens of milliseconds).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy stays off the start-up path; frames only exist once a camera runs
    import numpy as np
    from numpy.typing import NDArray

SNAPSHOTS_DIR = "snapshots"


def snapshot_path(home: Path, when: datetime) -> Path:
    """A new, unused file name under ``<home>/snapshots/`` for a snapshot taken at ``when``."""
    folder = home / SNAPSHOTS_DIR
    stem = f"practice-{when.strftime('%Y%m%d-%H%M%S')}"
    path = folder / f"{stem}.png"
    n = 2
    while path.exists():
        path = folder / f"{stem}-{n}.png"
        n += 1
    return path


def save_snapshot(home: Path, frame_bgr: NDArray[np.uint8], when: datetime) -> Path:
    """Write ``frame_bgr`` as a PNG; returns its path. Raises OSError when it cannot be written."""
    import cv2

    path = snapshot_path(home, when)
    path.parent.mkdir(parents=True, exist_ok=True)
    ok, encoded = cv2.imencode(".png", frame_bgr)
    if not ok:
        raise OSError(f"could not encode the snapshot as PNG ({path.name})")
    path.write_bytes(encoded.tobytes())
    return path
