"""How well ``fieldmat analyze --json`` agrees with a clip's captioned segments (segments.csv).

One computation for every test that checks it: the source install's (test_shared_analyze) and
the bundle's (tests/bundle).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from pose.library import PoseLibrary
from pose.timeline import segment_label_at
from pose.types import HoldRecord


def caption_agreement(doc: dict[str, Any], segments_csv: Path, library: PoseLibrary) -> tuple[int, int]:
    """(frames whose analysed pose equals the caption, captioned frames), counting only frames
    captioned with a pose of ``library`` (transitions are excluded)."""
    fps = float(doc["fps"])
    segments = [
        HoldRecord(
            s["pose"],
            s["pose"],
            s["start_s"],
            s["end_s"],
            s["hold_s"],
            s["mean_accuracy"],
            s["best_accuracy"],
            s["feedback"],
        )
        for s in doc["segments"]
    ]
    agree = total = 0
    with segments_csv.open() as fh:
        for row in csv.DictReader(fh):
            if row["label"] not in library:
                continue
            for frame in range(int(row["start_frame"]), int(row["end_frame"]) + 1):
                total += 1
                agree += segment_label_at(segments, frame / fps) == row["label"]
    return agree, total
