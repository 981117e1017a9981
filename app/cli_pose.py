"""CLI commands of the pose area: ``analyze`` (video timeline) and ``eval-poses``.

Heavy modules (mediapipe, cv2, the pose pipeline) are imported inside the
handlers so building the parser stays cheap.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.cli import CliEnv, Subparsers
    from pose.library import PoseLibrary
    from pose.types import Landmarks


def register(subparsers: Subparsers) -> None:
    """Add ``analyze`` and ``eval-poses`` to ``subparsers``."""
    analyze = subparsers.add_parser("analyze", help="pose timeline of a video file")
    analyze.add_argument("video", type=Path, help="video file to analyse")
    analyze.add_argument("--json", action="store_true", help="print machine-readable JSON")
    analyze.add_argument(
        "--hold-seconds", type=float, default=None, help="shortest hold kept as a segment (default: settings, 2 s)"
    )
    analyze.set_defaults(handler=_analyze)

    evaluate = subparsers.add_parser("eval-poses", help="pose recognition accuracy on labelled photos")
    evaluate.add_argument("folder", type=Path, help="folder with labels.csv (path,pose) or one sub-folder per pose")
    evaluate.add_argument("--json", action="store_true", help="print machine-readable JSON before the summary line")
    evaluate.set_defaults(handler=_eval_poses)


def _settings() -> tuple[PoseLibrary, float, Path | None]:
    from app.config import data_dir, load_settings
    from pose.library import PoseLibrary

    settings = load_settings()
    task = Path(settings.pose_task_file) if settings.pose_task_file else None
    return PoseLibrary.load(data_dir() / "poses"), settings.hold_seconds, task


def _analyze(args: argparse.Namespace, env: CliEnv) -> int:
    from pose.camera import CameraUnavailable
    from pose.timeline import analyze_video

    library, hold_seconds, task = _settings()
    try:
        timeline = analyze_video(args.video, library, hold_seconds=args.hold_seconds or hold_seconds, task_file=task)
    except (FileNotFoundError, CameraUnavailable) as exc:
        print(f"fieldmat: {exc}", file=sys.stderr)
        return 2
    doc = timeline.to_json()
    if args.json:
        print(json.dumps(doc, indent=2))
        return 0
    print(f"{args.video.name}: {doc['frames']} frames at {doc['fps']:.2f} fps")
    if not doc["segments"]:
        print("no pose held long enough")
    print(f"{'pose':<16} {'start':>7} {'end':>7} {'hold':>6} {'mean':>5} {'best':>5}  feedback")
    for s in doc["segments"]:
        print(
            f"{s['pose']:<16} {s['start_s']:>7.2f} {s['end_s']:>7.2f} {s['hold_s']:>6.2f} "
            f"{s['mean_accuracy']:>5.0f} {s['best_accuracy']:>5.0f}  {'; '.join(s['feedback'])}"
        )
    return 0


def _eval_poses(args: argparse.Namespace, env: CliEnv) -> int:
    import cv2
    import numpy as np

    from pose.estimator import create_estimator
    from pose.evaluation import evaluate, format_report, landmarks_of_photos, read_labels

    folder: Path = args.folder
    try:
        pairs = read_labels(folder)
    except FileNotFoundError as exc:
        print(f"fieldmat: {exc}", file=sys.stderr)
        return 2
    library, _, task = _settings()
    estimator = create_estimator(task, static_image_mode=True)

    def detect(path: Path) -> Landmarks | None:
        image = cv2.imread(str(path))
        return None if image is None else estimator.estimate(np.asarray(image, dtype=np.uint8))

    try:
        result = evaluate(landmarks_of_photos(folder, pairs, detect, library), library)
    finally:
        estimator.close()
    if args.json:
        print(
            json.dumps(
                {
                    "top1": result.top1,
                    "n": result.n,
                    "no_person": result.no_person,
                    "skipped_labels": result.skipped,
                    "precision_recall": {
                        k: {"precision": p, "recall": r} for k, (p, r) in result.precision_recall().items()
                    },
                    "confusion": result.confusion(),
                    "predictions": [{"path": p, "label": y, "predicted": q} for p, y, q in result.pairs],
                },
                indent=2,
            )
        )
        print(f"top1 {result.top1:.4f} n {result.n}")
    else:
        print(format_report(result))
    return 0
