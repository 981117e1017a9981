"""The pose library: built-in poses (package data) plus user-taught poses.

Poses are DATA: ``pose/pose_data/poses.json`` ships with the package and each
user pose is one JSON file in a user folder (see :mod:`pose.teach`).  A pose
lists target features (see :mod:`pose.features`) as ``[value, tolerance,
weight]``.  For sided poses the targets describe the LEFT side in the role
named by ``roles`` (e.g. ``left_leg: front``); recognition also tries the
mirror image, so either side is recognised.

:class:`PoseLibrary` is read-only after construction apart from :meth:`add`;
share it between threads only if nobody calls :meth:`add` concurrently.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from pose.feature_names import FEATURE_KINDS
from pose.landmark_ids import SIDE_INDEX, SIDES

BUILTIN_RESOURCE = "poses.json"
#: Joint names a pose may list as ``defining`` (``left_knee``, ``right_ankle``...).
JOINT_NAMES: frozenset[str] = frozenset(f"{s}_{p}" for s in SIDES for p in SIDE_INDEX[s])


class PoseLibraryError(ValueError):
    """A pose definition file is malformed (unknown feature, missing field...)."""


@dataclass(frozen=True)
class Target:
    """One target feature value with its tolerance (no penalty inside) and weight."""

    value: float
    tol: float
    weight: float


@dataclass(frozen=True)
class PoseDefinition:
    """A library pose.  ``roles`` maps ``left_leg``/``right_arm``... to words like "front"."""

    id: str
    english: str
    sanskrit: str
    description: str
    targets: dict[str, Target]
    sided: bool = False
    roles: dict[str, str] = field(default_factory=dict)
    builtin: bool = True
    #: The joints that define the pose (``left_knee``...; LEFT side in its ``roles`` for a
    #: sided pose): when one cannot be seen the pose is not guessed (see :mod:`pose.seen`).
    defining: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """Display name, e.g. ``"Warrior II (Virabhadrasana II)"``."""
        return f"{self.english} ({self.sanskrit})" if self.sanskrit else self.english

    def to_json(self) -> dict[str, Any]:
        """The JSON object this definition was (or would be) loaded from."""
        return {
            "id": self.id,
            "english": self.english,
            "sanskrit": self.sanskrit,
            "description": self.description,
            "sided": self.sided,
            "roles": dict(self.roles),
            "targets": {k: [t.value, t.tol, t.weight] for k, t in self.targets.items()},
            **({"defining": list(self.defining)} if self.defining else {}),
        }


def parse_pose(obj: dict[str, Any], *, builtin: bool) -> PoseDefinition:
    """Validate one pose JSON object.  Raises :class:`PoseLibraryError`."""
    try:
        pose_id = str(obj["id"])
        raw_targets = obj["targets"]
        targets: dict[str, Target] = {}
        for name, spec in raw_targets.items():
            if name not in FEATURE_KINDS:
                raise PoseLibraryError(f"pose {pose_id!r}: unknown feature {name!r}")
            value, tol, weight = (float(x) for x in spec)
            if tol < 0 or weight < 0:
                raise PoseLibraryError(f"pose {pose_id!r}: negative tol/weight for {name}")
            targets[name] = Target(value, tol, weight)
        if not targets:
            raise PoseLibraryError(f"pose {pose_id!r} has no targets")
        defining = tuple(str(j) for j in obj.get("defining", ()))
        unknown = [j for j in defining if j not in JOINT_NAMES]
        if unknown:
            raise PoseLibraryError(f"pose {pose_id!r}: unknown defining joint(s) {unknown}")
        return PoseDefinition(
            id=pose_id,
            english=str(obj.get("english", pose_id)),
            sanskrit=str(obj.get("sanskrit", "")),
            description=str(obj.get("description", "")),
            targets=targets,
            sided=bool(obj.get("sided", False)),
            roles={str(k): str(v) for k, v in obj.get("roles", {}).items()},
            builtin=builtin,
            defining=defining,
        )
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, PoseLibraryError):
            raise
        raise PoseLibraryError(f"malformed pose definition: {exc!r}") from exc


def _parse_document(doc: Any, *, builtin: bool) -> list[PoseDefinition]:
    if isinstance(doc, dict) and "poses" in doc:
        return [parse_pose(p, builtin=builtin) for p in doc["poses"]]
    if isinstance(doc, dict):
        return [parse_pose(doc, builtin=builtin)]
    raise PoseLibraryError("pose file must hold an object")


class PoseLibrary:
    """Ordered collection of :class:`PoseDefinition` keyed by id."""

    def __init__(self, poses: list[PoseDefinition]) -> None:
        self._poses: dict[str, PoseDefinition] = {}
        self.version = 0  # bumped by add(); lets scoring caches notice changes
        for p in poses:
            self.add(p)

    @classmethod
    def load(cls, user_dir: Path | None = None) -> PoseLibrary:
        """Built-in poses plus every ``*.json`` in ``user_dir`` (a missing dir is fine).

        User poses with a built-in id replace the built-in.  Raises
        :class:`PoseLibraryError` for a malformed file.
        """
        text = resources.files("pose.pose_data").joinpath(BUILTIN_RESOURCE).read_text("utf-8")
        poses = _parse_document(json.loads(text), builtin=True)
        if user_dir is not None and user_dir.is_dir():
            for path in sorted(user_dir.glob("*.json")):
                try:
                    doc = json.loads(path.read_text("utf-8"))
                except json.JSONDecodeError as exc:
                    raise PoseLibraryError(f"{path}: {exc}") from exc
                poses.extend(_parse_document(doc, builtin=False))
        return cls(poses)

    def add(self, pose: PoseDefinition) -> None:
        """Add or replace a pose (not thread-safe)."""
        self._poses[pose.id] = pose
        self.version += 1

    def get(self, pose_id: str) -> PoseDefinition:
        """The pose with this id; raises ``KeyError`` if absent."""
        return self._poses[pose_id]

    def __contains__(self, pose_id: object) -> bool:
        return pose_id in self._poses

    def __len__(self) -> int:
        return len(self._poses)

    def all(self) -> list[PoseDefinition]:
        """All poses in load order."""
        return list(self._poses.values())

    def ids(self) -> list[str]:
        """All pose ids in load order."""
        return list(self._poses)
