"""Recognition on the shared real photos (skips without ../shared)."""

from __future__ import annotations

import csv
from pathlib import Path

import cv2
import numpy as np
import pytest

from app.__main__ import run as cli_main
from pose.evaluation import evaluate, format_report
from pose.library import PoseLibrary
from pose.types import Landmarks

pytestmark = pytest.mark.shared


def test_recognition_on_shared_landmarks(
    library: PoseLibrary, photo_landmarks: list[tuple[str, str, Landmarks]]
) -> None:
    result = evaluate(photo_landmarks, library)
    assert result.n == 64 and result.no_person == 0
    print(format_report(result))
    assert result.top1 >= 0.95
    for _pose, (_precision, recall) in result.precision_recall().items():
        assert recall >= 0.75


def test_mirrored_photos_are_recognised_too(
    library: PoseLibrary, photo_landmarks: list[tuple[str, str, Landmarks]]
) -> None:
    from pose.geometry import mirror_landmarks

    plain = evaluate(photo_landmarks, library)
    mirrored = evaluate([(p, y, mirror_landmarks(lm)) for p, y, lm in photo_landmarks], library)
    assert mirrored.top1 == pytest.approx(plain.top1)


@pytest.mark.mediapipe
def test_eval_poses_cli_on_real_photos(photos_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["eval-poses", str(photos_dir)]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    words = out[-1].split()
    assert words[0] == "top1" and words[2] == "n" and int(words[3]) == 64
    assert float(words[1]) >= 0.95
    assert any(line.startswith("no person detected: 0") for line in out)
    assert any(line.startswith("confusion") for line in out)


@pytest.mark.mediapipe
def test_eval_poses_skips_unknown_labels_and_counts_no_person(
    photos_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with (photos_dir / "labels.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    blank = tmp_path / "blank.jpg"
    cv2.imwrite(str(blank), np.full((240, 320, 3), 255, np.uint8))
    with (tmp_path / "labels.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["path", "pose"])
        w.writerow([str(photos_dir / rows[0]["path"]), rows[0]["pose"]])  # absolute paths: no copies
        w.writerow([str(photos_dir / rows[8]["path"]), "unicorn"])
        w.writerow([str(blank), "tree"])
    assert cli_main(["eval-poses", str(tmp_path), "--json"]) == 0
    out = capsys.readouterr().out
    assert "unicorn" in out
    assert out.strip().splitlines()[-1] == "top1 0.5000 n 2"
