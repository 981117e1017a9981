"""Guided practice: sequences of poses with target hold times, and their progression.

Sequence JSON format (``fieldmat-sequence/1``), one sequence per file::

    {
      "format": "fieldmat-sequence/1",          # optional; if present must be this value
      "name": "Morning flow",                   # required, 1-80 characters
      "description": "...",                     # optional
      "steps": [                                # required, 1-100 steps
        {"pose": "warrior_ii", "hold_s": 20},   # pose: a pose library id; hold_s: 1-600 seconds
        ...
      ]
    }

Unknown keys are rejected (a typo such as ``"hold"`` must not silently become a default).
Two built-in sequences ship as package data (``app/practice/data/*.json``); user sequences
are ``<home>/sequences/*.json``. Everything here is plain data: thread-safe once built,
except :class:`GuidedRun`, which belongs to one thread (the practice worker).
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from app.errors import ValidationError

FORMAT = "fieldmat-sequence/1"
SEQUENCES_DIR = "sequences"
MIN_HOLD_S, MAX_HOLD_S = 1.0, 600.0
MAX_STEPS = 100
_TOP_KEYS = {"format", "name", "description", "steps"}
_STEP_KEYS = {"pose", "hold_s"}


class SequenceError(ValidationError):
    """A sequence file or object is malformed; the message says where and why."""


@dataclass(frozen=True)
class SequenceStep:
    """Hold ``pose`` (a library id) for ``hold_s`` seconds."""

    pose: str
    hold_s: float


@dataclass(frozen=True)
class Sequence:
    """A named list of steps. ``builtin`` is False for user files (``path`` says which)."""

    name: str
    steps: tuple[SequenceStep, ...]
    description: str = ""
    builtin: bool = True
    path: Path | None = None

    @property
    def total_s(self) -> float:
        return sum(step.hold_s for step in self.steps)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "name": self.name,
            "description": self.description,
            "steps": [{"pose": s.pose, "hold_s": s.hold_s} for s in self.steps],
        }


def single_pose(pose_id: str, name: str, hold_s: float) -> Sequence:
    """A one-step guided practice of one pose."""
    if not MIN_HOLD_S <= hold_s <= MAX_HOLD_S:
        raise SequenceError(f"hold time must be {MIN_HOLD_S:g}-{MAX_HOLD_S:g} s, got {hold_s:g}")
    return Sequence(name=name, steps=(SequenceStep(pose_id, float(hold_s)),))


def parse_sequence(
    obj: Any, *, known_poses: Collection[str] | None = None, builtin: bool = False, path: Path | None = None
) -> Sequence:
    """Validate one sequence object (see the module docstring). Raises :class:`SequenceError`.

    ``known_poses`` (the library's ids) rejects steps naming a pose that does not exist.
    """
    where = f"{path.name}: " if path is not None else ""

    def fail(message: str) -> SequenceError:
        return SequenceError(f"{where}{message}")

    if not isinstance(obj, dict):
        raise fail("a sequence must be a JSON object")
    unknown = set(obj) - _TOP_KEYS
    if unknown:
        raise fail(f"unknown key(s) {', '.join(sorted(map(str, unknown)))}")
    if "format" in obj and obj["format"] != FORMAT:
        raise fail(f"format must be {FORMAT!r}, got {obj['format']!r}")
    name = obj.get("name")
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > 80:
        raise fail("'name' must be a non-empty text of at most 80 characters")
    description = obj.get("description", "")
    if not isinstance(description, str):
        raise fail("'description' must be text")
    raw_steps = obj.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise fail("'steps' must be a non-empty list")
    if len(raw_steps) > MAX_STEPS:
        raise fail(f"at most {MAX_STEPS} steps are allowed, got {len(raw_steps)}")
    steps = [_parse_step(raw, i + 1, known_poses, fail) for i, raw in enumerate(raw_steps)]
    return Sequence(name.strip(), tuple(steps), description, builtin, path)


def _parse_step(raw: Any, number: int, known: Collection[str] | None, fail: Any) -> SequenceStep:
    if not isinstance(raw, dict):
        raise fail(f"step {number} must be an object with 'pose' and 'hold_s'")
    unknown = set(raw) - _STEP_KEYS
    if unknown:
        raise fail(f"step {number}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
    pose = raw.get("pose")
    if not isinstance(pose, str) or not pose:
        raise fail(f"step {number}: 'pose' must be a pose id")
    if known is not None and pose not in known:
        raise fail(f"step {number}: unknown pose {pose!r}")
    hold = raw.get("hold_s")
    if isinstance(hold, bool) or not isinstance(hold, int | float):
        raise fail(f"step {number}: 'hold_s' must be a number of seconds")
    if not MIN_HOLD_S <= hold <= MAX_HOLD_S:
        raise fail(f"step {number}: 'hold_s' must be {MIN_HOLD_S:g}-{MAX_HOLD_S:g} s, got {hold:g}")
    return SequenceStep(pose, float(hold))


def load_sequence_file(path: Path, *, known_poses: Collection[str] | None = None) -> Sequence:
    """Read and validate one user sequence file. Raises :class:`SequenceError`."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SequenceError(f"{path.name}: not readable JSON ({exc})") from exc
    return parse_sequence(doc, known_poses=known_poses, builtin=False, path=path)


def builtin_sequences(known_poses: Collection[str] | None = None) -> list[Sequence]:
    """The sequences shipped with Fieldmat, sorted by name."""
    out = []
    for entry in resources.files("app.practice").joinpath("data").iterdir():
        if entry.name.endswith(".json"):
            doc = json.loads(entry.read_text(encoding="utf-8"))
            out.append(parse_sequence(doc, known_poses=known_poses, builtin=True))
    return sorted(out, key=lambda s: s.name)


def user_sequences(home: Path, known_poses: Collection[str] | None = None) -> tuple[list[Sequence], list[str]]:
    """``<home>/sequences/*.json``: the valid sequences and one message per rejected file.

    A bad file never hides the good ones; a missing folder is no error.
    """
    folder = home / SEQUENCES_DIR
    good: list[Sequence] = []
    errors: list[str] = []
    if not folder.is_dir():
        return good, errors
    for path in sorted(folder.glob("*.json")):
        try:
            good.append(load_sequence_file(path, known_poses=known_poses))
        except SequenceError as exc:
            errors.append(str(exc))
    return good, errors


class GuidedRun:
    """Progress through a sequence: a step is done when its pose has been held ``hold_s``.

    ``is_step_done(pose_id, hold_s)`` takes the pipeline's current pose and hold time;
    ``advance()`` moves to the next step and returns it (None when the sequence is done).
    Not thread-safe: used by the practice worker only.
    """

    def __init__(self, sequence: Sequence) -> None:
        self.sequence = sequence
        self.index = 0

    @property
    def current(self) -> SequenceStep | None:
        steps = self.sequence.steps
        return steps[self.index] if self.index < len(steps) else None

    @property
    def done(self) -> bool:
        return self.current is None

    def step_credit(self, pose_id: str | None, hold_s: float) -> float:
        """Seconds credited to the current step: the hold time only while ITS pose is held."""
        step = self.current
        return hold_s if step is not None and pose_id == step.pose else 0.0

    def is_step_done(self, pose_id: str | None, hold_s: float) -> bool:
        step = self.current
        return step is not None and self.step_credit(pose_id, hold_s) >= step.hold_s

    def advance(self) -> SequenceStep | None:
        if self.index < len(self.sequence.steps):
            self.index += 1
        return self.current
