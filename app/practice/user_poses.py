"""The user's own poses ("Teach a pose"): list, create and delete them (no Qt).

A taught pose is one JSON file ``<home>/poses/<id>.json`` written by :mod:`pose.teach`;
the id is a slug of the English name. Business rules live here, the Practice view only
asks:

- :func:`load_catalog` loads the built-in poses plus every user file; a malformed user file
  is skipped and reported in ``errors`` (the others still load). The user's poses come
  FIRST in the library: recognition breaks ties in library order, so a pose the user taught
  wins over a built-in that matches the body equally well (:func:`with_pose_first` keeps
  that rule when a running practice gets a new pose).
- :func:`similar_poses` tells which poses already match a body (shown while teaching).
- :func:`slug_for` / :func:`check_new_pose` validate a new name: not empty, a usable id,
  and neither the id nor the English name already in the library.
- :func:`check_landmarks` tells, before any name is asked, whether a body can be taught.
- :func:`create_pose` builds the pose from landmarks (targets taken from that body) and
  saves it; too few visible joints raise :class:`~app.errors.ValidationError` with the
  core's explanation.
- :func:`estimate_photo` finds the landmarks in a photo (slow: MediaPipe; call it off the
  GUI thread).
- :func:`delete_pose` removes a user pose's file; built-in poses cannot be deleted.

Thread contract: pure functions over files; safe from any thread, apart from concurrent
writes of the same pose.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.errors import NotFound, ValidationError
from pose.library import PoseDefinition, PoseLibrary, PoseLibraryError, parse_pose

if TYPE_CHECKING:
    # numpy and the pose maths load when a pose is taught, not when the Practice tab lists poses.
    import numpy as np
    from numpy.typing import NDArray

    from pose.types import Landmarks

USER_POSES_DIR = "poses"
MAX_ID_LENGTH = 48
MAX_NAME_LENGTH = 80


def user_pose_dir(home: Path) -> Path:
    """Where the user's poses live: ``<home>/poses``."""
    return home / USER_POSES_DIR


@dataclass(frozen=True)
class PoseCatalog:
    """The pose library with, for each user pose, the file it came from."""

    library: PoseLibrary
    files: dict[str, Path] = field(default_factory=dict)  # user pose id → its JSON file
    errors: list[str] = field(default_factory=list)  # user files that could not be loaded

    def is_user_pose(self, pose_id: str) -> bool:
        return pose_id in self.files

    def poses(self) -> list[PoseDefinition]:
        """Every pose for display: built-ins first, then the user's (library order within each)."""
        return sorted(self.library.all(), key=lambda p: p.id in self.files)


def load_catalog(user_dir: Path | None) -> PoseCatalog:
    """Built-in poses plus each ``*.json`` in ``user_dir`` (missing folder: none).

    Unlike ``PoseLibrary.load`` one bad file does not hide the others: it is skipped and
    described in ``errors``. A user pose with a built-in id replaces the built-in.
    """
    builtins = PoseLibrary.load().all()
    files: dict[str, Path] = {}
    errors: list[str] = []
    mine: dict[str, PoseDefinition] = {}
    if user_dir is not None and user_dir.is_dir():
        for path in sorted(user_dir.glob("*.json")):
            try:
                poses = _parse_file(path)
            except (OSError, ValueError) as exc:  # PoseLibraryError and JSONDecodeError are ValueErrors
                errors.append(f"{path.name}: {exc}")
                continue
            for pose in poses:
                mine[pose.id] = pose
                files[pose.id] = path
    library = PoseLibrary([*mine.values(), *(p for p in builtins if p.id not in mine)])
    return PoseCatalog(library, files, errors)


def with_pose_first(library: PoseLibrary, pose: PoseDefinition) -> PoseLibrary:
    """A new library: ``pose`` first (it wins ties), then ``library``'s other poses."""
    return PoseLibrary([pose, *(p for p in library.all() if p.id != pose.id)])


def similar_poses(
    landmarks: Landmarks, library: PoseLibrary, min_score: float = 0.9
) -> list[tuple[PoseDefinition, float]]:
    """Poses that already match ``landmarks`` with a score (0-1) of at least ``min_score``, best first."""
    from pose.features import extract_features
    from pose.scoring import recognise

    ranked = recognise(extract_features(landmarks, use_depth=False), library).ranked
    return [(r.pose, r.score) for r in ranked if r.score >= min_score]


def _parse_file(path: Path) -> list[PoseDefinition]:
    doc: Any = json.loads(path.read_text("utf-8"))
    if isinstance(doc, dict) and "poses" in doc and isinstance(doc["poses"], list):
        return [parse_pose(p, builtin=False) for p in doc["poses"]]
    if isinstance(doc, dict):
        return [parse_pose(doc, builtin=False)]
    raise PoseLibraryError("pose file must hold an object")


def slug_for(english: str) -> str:
    """The pose id for an English name: ``"My Goddess 2"`` → ``"my_goddess_2"``.

    Accents are dropped; anything but letters and digits becomes ``_``. Raises
    ValidationError when nothing usable is left.
    """
    ascii_name = unicodedata.normalize("NFKD", english).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")[:MAX_ID_LENGTH].rstrip("_")
    if not slug:
        raise ValidationError("Give the pose a name with at least one letter or digit (A-Z, 0-9).")
    return slug


def check_new_pose(english: str, library: PoseLibrary) -> str:
    """Validate a new pose's English name against ``library``; returns its id.

    Raises ValidationError (message for the user) when the name is empty, too long, or
    its id or name is already taken by a built-in or user pose.
    """
    name = english.strip()
    if not name:
        raise ValidationError("Give the pose a name.")
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(f"The name is too long (at most {MAX_NAME_LENGTH} characters).")
    pose_id = slug_for(name)
    folded = name.casefold()
    for pose in library.all():
        if pose.id == pose_id or pose.english.strip().casefold() == folded:
            kind = "a built-in pose" if pose.builtin else "one of your poses"
            raise ValidationError(f"{pose.english!r} is already {kind}; choose another name.")
    return pose_id


def check_landmarks(landmarks: Landmarks | None) -> None:
    """Raise ValidationError (in words) unless ``landmarks`` show enough joints to teach from."""
    from pose.teach import pose_from_landmarks

    if landmarks is None:
        raise ValidationError("Nobody is visible in this picture: step into view and try again.")
    try:
        pose_from_landmarks(landmarks, "check", "check")
    except ValueError as exc:
        raise ValidationError(_sentence(str(exc))) from exc


def create_pose(
    landmarks: Landmarks | None,
    english: str,
    user_dir: Path,
    library: PoseLibrary,
    *,
    sanskrit: str = "",
    description: str = "",
) -> PoseDefinition:
    """Build a pose from ``landmarks`` (targets = this body's features) and save it.

    Validates the name (see :func:`check_new_pose`) and that enough joints are visible;
    raises ValidationError with a message for the user, before anything is written.
    Returns the saved definition (``builtin=False``); ``library`` is not modified.
    """
    from pose.teach import pose_from_landmarks, save_pose

    pose_id = check_new_pose(english, library)
    if (user_dir / f"{pose_id}.json").exists():  # written since ``library`` was loaded
        raise ValidationError(f"A pose file {pose_id}.json already exists; choose another name.")
    check_landmarks(landmarks)
    assert landmarks is not None
    try:
        pose = pose_from_landmarks(
            landmarks, pose_id, english.strip(), sanskrit=sanskrit.strip(), description=description.strip()
        )
    except ValueError as exc:
        raise ValidationError(_sentence(str(exc))) from exc
    try:
        save_pose(pose, user_dir)
    except OSError as exc:
        raise ValidationError(f"The pose could not be saved: {exc}") from exc
    return pose


def delete_pose(catalog: PoseCatalog, pose_id: str) -> Path:
    """Delete a user pose's JSON file; returns the path removed.

    Raises ValidationError for a built-in pose (or a file holding several poses) and
    NotFound for an unknown id.
    """
    path = catalog.files.get(pose_id)
    if path is None:
        if pose_id in catalog.library:
            raise ValidationError(f"{catalog.library.get(pose_id).english!r} is a built-in pose; it cannot be deleted.")
        raise NotFound(f"pose {pose_id!r} not found")
    others = [other for other, p in catalog.files.items() if p == path and other != pose_id]
    if others:
        raise ValidationError(f"{path.name} also defines {', '.join(others)}; edit that file to remove one pose.")
    try:
        path.unlink()
    except FileNotFoundError:
        pass  # already gone: the outcome the user asked for
    except OSError as exc:
        raise ValidationError(f"The pose could not be deleted: {exc}") from exc
    return path


@dataclass(frozen=True)
class PhotoPose:
    """A photo read from disk and the landmarks found in it (None: nobody found)."""

    bgr: NDArray[np.uint8]
    landmarks: Landmarks | None


def estimate_photo(photo: Path, task_file: Path | None = None) -> PhotoPose:
    """Read ``photo`` and estimate the body in it with a single-image estimator.

    Slow (loads MediaPipe): call it off the GUI thread. Raises ValidationError when the
    file cannot be read as an image; ``landmarks`` is None when nobody is found.
    """
    import cv2
    import numpy as np

    from pose.estimator import create_estimator

    image = cv2.imread(str(photo))
    if image is None:
        raise ValidationError(f"Cannot read {photo.name} as an image.")
    bgr = np.ascontiguousarray(image, dtype=np.uint8)
    estimator = create_estimator(task_file, static_image_mode=True)
    try:
        landmarks = estimator.estimate(bgr)
    finally:
        estimator.close()
    return PhotoPose(bgr, landmarks)


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."
