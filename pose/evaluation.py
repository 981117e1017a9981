"""Recognition accuracy on a labelled photo folder (``fieldmat eval-poses``).

Labels come from ``DIR/labels.csv`` (columns ``path,pose``) or, without it,
from each image's sub-folder name.  Labels that are not library ids are
reported and skipped.  Photos use static-image MediaPipe (each independent).
An image with no person detected counts as scored and wrong ("none").
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pose.camera import IMAGE_SUFFIXES
from pose.features import extract_features
from pose.library import PoseLibrary
from pose.scoring import recognise_best
from pose.seen import unseen_joints
from pose.types import Landmarks

NONE_LABEL = "none"


def read_labels(folder: Path) -> list[tuple[str, str]]:
    """(relative path, label) pairs of ``folder``; raises ``FileNotFoundError`` if none."""
    csv_path = folder / "labels.csv"
    if csv_path.is_file():
        with csv_path.open(newline="", encoding="utf-8") as fh:
            return [(row["path"], row["pose"]) for row in csv.DictReader(fh)]
    # The label is the top-level sub-folder, whatever the nesting below it.
    pairs = [
        (p.relative_to(folder).as_posix(), p.relative_to(folder).parts[0])
        for p in sorted(folder.rglob("*"))
        if p.suffix.lower() in IMAGE_SUFFIXES and p.parent != folder
    ]
    if not pairs:
        raise FileNotFoundError(f"no labels.csv and no images in sub-folders of {folder}")
    return pairs


@dataclass
class EvalResult:
    """Counts of a recognition evaluation; predictions use :data:`NONE_LABEL` for no pose."""

    pairs: list[tuple[str, str, str]] = field(default_factory=list)  # path, label, predicted
    skipped: dict[str, int] = field(default_factory=dict)  # label outside library → images
    no_person: int = 0

    @property
    def n(self) -> int:
        """Images scored."""
        return len(self.pairs)

    @property
    def top1(self) -> float:
        """Share of scored images whose prediction equals the label."""
        return sum(1 for _, y, p in self.pairs if y == p) / self.n if self.n else 0.0

    def classes(self) -> list[str]:
        """Labels then any other predicted classes, sorted."""
        labels = sorted({y for _, y, _ in self.pairs})
        extra = sorted({p for _, _, p in self.pairs} - set(labels))
        return labels + extra

    def confusion(self) -> dict[str, dict[str, int]]:
        """confusion[label][predicted] = count."""
        cls = self.classes()
        table = {y: dict.fromkeys(cls, 0) for y in cls}
        for _, y, p in self.pairs:
            table[y][p] += 1
        return table

    def precision_recall(self) -> dict[str, tuple[float, float]]:
        """Per labelled class: (precision, recall); precision is NaN-free (0 when never predicted)."""
        out: dict[str, tuple[float, float]] = {}
        for c in sorted({y for _, y, _ in self.pairs}):
            tp = sum(1 for _, y, p in self.pairs if y == c and p == c)
            predicted = sum(1 for _, _, p in self.pairs if p == c)
            actual = sum(1 for _, y, _ in self.pairs if y == c)
            out[c] = (tp / predicted if predicted else 0.0, tp / actual if actual else 0.0)
        return out


def evaluate(items: Iterable[tuple[str, str, Landmarks | None]], library: PoseLibrary) -> EvalResult:
    """Score (path, label, landmarks) triples; None landmarks = no person detected."""
    result = EvalResult()
    for path, label, lm in items:
        if label not in library:
            result.skipped[label] = result.skipped.get(label, 0) + 1
            continue
        if lm is None:
            result.no_person += 1
            result.pairs.append((path, label, NONE_LABEL))
            continue
        # A photo's flip test keeps its two passes: the most confident of the three wins.
        candidates = [lm, *lm.alternatives]
        # A pose whose defining joints cannot be seen is not guessed: that is a "none".
        rec = recognise_best(
            [extract_features(c, use_depth=False) for c in candidates],
            library,
            unseen=[unseen_joints(c) for c in candidates],
        )
        result.pairs.append((path, label, rec.best.pose.id if rec.best is not None else NONE_LABEL))
    return result


def landmarks_of_photos(
    folder: Path,
    pairs: list[tuple[str, str]],
    detect: Callable[[Path], Landmarks | None],
    library: PoseLibrary,
) -> Iterable[tuple[str, str, Landmarks | None]]:
    """Lazily run ``detect`` on each photo whose label is in ``library`` (others are
    passed through undetected, to be reported as skipped)."""
    for rel, label in pairs:
        yield rel, label, detect(folder / rel) if label in library else None


def format_report(result: EvalResult) -> str:
    """Human-readable report whose LAST line is ``top1 <acc> n <images>``."""
    lines: list[str] = []
    for label, count in sorted(result.skipped.items()):
        lines.append(f"skipped {count} image(s) labelled {label!r}: not a library pose")
    lines.append(f"no person detected: {result.no_person}")
    lines.append("")
    lines.append(f"{'pose':<16} {'precision':>9} {'recall':>7}")
    for c, (p, r) in result.precision_recall().items():
        lines.append(f"{c:<16} {p:>9.3f} {r:>7.3f}")
    lines.append("")
    cls = result.classes()
    lines.append("confusion (rows = label, columns = predicted)")
    width = max([len(c) for c in cls] + [5])
    lines.append(" " * (width + 1) + " ".join(f"{c[:6]:>6}" for c in cls))
    for y, row in result.confusion().items():
        lines.append(f"{y:<{width}} " + " ".join(f"{row[c]:>6}" for c in cls))
    lines.append("")
    lines.append(f"top1 {result.top1:.4f} n {result.n}")
    return "\n".join(lines)
