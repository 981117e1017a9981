from __future__ import annotations

from pathlib import Path

import pytest

from pose.evaluation import NONE_LABEL, evaluate, format_report, read_labels
from pose.library import PoseLibrary
from pose.synthetic import synthesize


def test_labels_from_sub_folders(tmp_path: Path) -> None:
    for rel in ("tree/a.jpg", "tree/more/b.png", "goddess/c.jpeg", "top.jpg", "tree/notes.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(b"")
    assert read_labels(tmp_path) == [("goddess/c.jpeg", "goddess"), ("tree/a.jpg", "tree"), ("tree/more/b.png", "tree")]
    with pytest.raises(FileNotFoundError):
        read_labels(tmp_path / "tree" / "more")


def test_evaluate_counts_and_report(library: PoseLibrary) -> None:
    items = [
        ("a", "tree", synthesize(library.get("tree"))),
        ("b", "chair", synthesize(library.get("goddess"))),  # wrong on purpose
        ("c", "plank", None),  # nobody found
        ("d", "unicorn", synthesize(library.get("tree"))),
    ]
    result = evaluate(items, library)
    assert result.n == 3 and result.no_person == 1 and result.skipped == {"unicorn": 1}
    assert result.top1 == pytest.approx(1 / 3)
    assert result.confusion()["chair"]["goddess"] == 1
    assert result.confusion()["plank"][NONE_LABEL] == 1
    pr = result.precision_recall()
    assert pr["tree"] == (1.0, 1.0) and pr["chair"] == (0.0, 0.0)
    report = format_report(result)
    assert "unicorn" in report and "no person detected: 1" in report
    assert report.splitlines()[-1] == "top1 0.3333 n 3"
