"""Teach a pose and the pose library in the Practice view.

Real widgets, real files, real MediaPipe (on the shared photos); only the camera is faked
(a cv2.VideoCapture look-alike that keeps returning one shared photo).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.context import AppContext
from app.errors import NotFound, ValidationError
from app.practice.user_poses import (
    check_new_pose,
    create_pose,
    delete_pose,
    load_catalog,
    slug_for,
    user_pose_dir,
)
from pose.camera import WebcamSource
from pose.library import PoseLibrary
from pose.synthetic import build_landmarks
from pose.types import FrameAnalysis, Landmarks
from tests.fakes import FakeCapture
from ui.bus import ChangeBus
from ui.practice.panel import PracticePanel
from ui.practice.pose_dialogs import TeachPoseDialog
from ui.practice.worker import LiveFrame

# Standing with the arms straight out to the sides: not a built-in pose.
T_POSE = {
    "torso": 180.0,
    "left_ua": 90.0,
    "left_fa": 90.0,
    "right_ua": -90.0,
    "right_fa": -90.0,
    "left_th": 2.0,
    "left_sh": 2.0,
    "right_th": -2.0,
    "right_sh": -2.0,
}


def t_pose(visibility: float = 1.0) -> Landmarks:
    return build_landmarks(T_POSE, visibility=visibility)


def make_panel(qtbot: QtBot, ctx: AppContext, factory: Any = None) -> PracticePanel:
    panel = PracticePanel(ctx, ChangeBus(), speech_engine="mock", source_factory=factory)
    qtbot.addWidget(panel)
    return panel


def show_frame(panel: PracticePanel, landmarks: Landmarks | None) -> None:
    """What the worker hands the GUI with each frame (here without a worker)."""
    image = QImage(320, 240, QImage.Format.Format_RGB888)
    image.fill(0x5A5A5A)
    analysis = FrameAnalysis(0.0, landmarks, None, None, 0.0, None)
    bgr = np.full((240, 320, 3), 90, dtype=np.uint8)
    panel._on_frame(LiveFrame(image, bgr, analysis, None, None, None, 0))


def fill_and_save(
    qtbot: QtBot, dialog: TeachPoseDialog, english: str, sanskrit: str = "", description: str = ""
) -> None:
    dialog.english.clear()
    qtbot.keyClicks(dialog.english, english)
    dialog.sanskrit.setText(sanskrit)
    dialog.description.setPlainText(description)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


def goddess_photo(shared_dir: Path) -> Path:
    folder = shared_dir / "data" / "yoga-poses" / "goddess"
    photos = sorted(folder.glob("*.jpg"))
    if not photos:
        pytest.skip(f"no goddess photos in {folder}")
    return photos[0]


def photo_landmarks(photo: Path) -> Landmarks:
    import cv2

    from pose.estimator import create_estimator

    estimator = create_estimator(static_image_mode=True)
    try:
        lm = estimator.estimate(np.asarray(cv2.imread(str(photo)), dtype=np.uint8))
    finally:
        estimator.close()
    assert lm is not None
    return lm


# -- the rules (app.practice.user_poses) ---------------------------------------------------
def test_names_become_unique_slugs_and_duplicates_are_rejected(tmp_path: Path) -> None:
    assert slug_for("  My Goddess 2! ") == "my_goddess_2"
    assert slug_for("Śavāsana (rest)") == "savasana_rest"
    library = PoseLibrary.load()
    assert check_new_pose("Star", library) == "star"
    for taken in ("Warrior II", "warrior ii", "warrior_ii", "  TREE "):
        with pytest.raises(ValidationError, match="already a built-in pose"):
            check_new_pose(taken, library)
    for bad in ("", "   ", "!!!", "ॐ"):
        with pytest.raises(ValidationError):
            check_new_pose(bad, library)
    folder = tmp_path / "poses"
    pose = create_pose(t_pose(), "Star", folder, library, sanskrit="Tara", description="Arms wide.")
    assert (pose.id, pose.builtin) == ("star", False)
    assert json.loads((folder / "star.json").read_text())["sanskrit"] == "Tara"
    catalog = load_catalog(folder)
    with pytest.raises(ValidationError, match="already one of your poses"):
        create_pose(t_pose(), "STAR", folder, catalog.library)
    with pytest.raises(ValidationError, match=r"(?i)too few joints"):
        create_pose(t_pose(visibility=0.1), "Faint", folder, catalog.library)
    with pytest.raises(ValidationError, match="Nobody is visible"):
        create_pose(None, "Empty", folder, catalog.library)
    assert sorted(p.name for p in folder.iterdir()) == ["star.json"]


def test_built_ins_cannot_be_deleted_and_bad_files_do_not_hide_good_ones(tmp_path: Path) -> None:
    folder = tmp_path / "poses"
    create_pose(t_pose(), "Star", folder, PoseLibrary.load())
    (folder / "broken.json").write_text("{not json", encoding="utf-8")
    catalog = load_catalog(folder)
    assert "star" in catalog.library and catalog.is_user_pose("star")
    assert len(catalog.errors) == 1 and "broken.json" in catalog.errors[0]
    with pytest.raises(ValidationError, match="built-in"):
        delete_pose(catalog, "tree")
    with pytest.raises(NotFound):
        delete_pose(catalog, "no_such_pose")
    assert delete_pose(catalog, "star") == folder / "star.json"
    assert not (folder / "star.json").exists()
    assert "star" not in load_catalog(folder).library


# -- the Practice view ----------------------------------------------------------------------
def test_teach_dialog_validates_names_and_what_is_on_screen(qtbot: QtBot, ctx: AppContext) -> None:
    panel = make_panel(qtbot, ctx)
    assert not panel.teach_button.isEnabled()
    assert not panel.teach_from_live()  # nothing shown yet
    show_frame(panel, None)
    assert panel.teach_button.isEnabled()
    assert not panel.teach_from_live()
    assert "Nobody is visible" in panel.message.text() and panel.teach_dialog is None
    show_frame(panel, t_pose(visibility=0.1))
    qtbot.mouseClick(panel.teach_button, Qt.MouseButton.LeftButton)
    assert "too few joints visible" in panel.message.text().lower() and panel.teach_dialog is None

    show_frame(panel, t_pose())
    qtbot.mouseClick(panel.teach_button, Qt.MouseButton.LeftButton)
    dialog = panel.teach_dialog
    assert dialog is not None and dialog.isVisible()
    assert not dialog.save_button.isEnabled()  # no name yet
    folder = user_pose_dir(ctx.home)
    fill_and_save(qtbot, dialog, "Warrior II")
    assert "already a built-in pose" in dialog.error.text()
    assert dialog.isVisible() and not folder.exists()
    fill_and_save(qtbot, dialog, "Star", "Tara", "Arms out wide.")
    assert not dialog.isVisible() and panel.teach_dialog is None
    saved = json.loads((folder / "star.json").read_text())
    assert (saved["english"], saved["sanskrit"], saved["description"]) == ("Star", "Tara", "Arms out wide.")
    assert "Saved your pose 'Star'" in panel.message.text()
    assert panel.mode_picker.select("pose", "star")  # the guided-mode picker knows it at once

    # The same name again (any case) is refused: nothing is overwritten.
    qtbot.mouseClick(panel.teach_button, Qt.MouseButton.LeftButton)
    again = panel.teach_dialog
    assert again is not None
    qtbot.keyClicks(again.english, "STAR")
    assert "already one of your poses" in again.hint.text()
    qtbot.mouseClick(again.save_button, Qt.MouseButton.LeftButton)
    assert "already one of your poses" in again.error.text() and again.isVisible()
    assert json.loads((folder / "star.json").read_text())["english"] == "Star"
    assert sorted(p.name for p in folder.iterdir()) == ["star.json"]
    again.reject()
    assert panel.teach_dialog is None


def test_library_lists_every_pose_and_deletes_only_the_users_own(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = user_pose_dir(ctx.home)
    create_pose(t_pose(), "Star", folder, PoseLibrary.load(), sanskrit="Tara", description="Arms out wide.")
    panel = make_panel(qtbot, ctx)
    assert panel.mode_picker.select("pose", "star")
    qtbot.mouseClick(panel.library_button, Qt.MouseButton.LeftButton)
    dialog = panel.library_dialog
    assert dialog is not None and dialog.isVisible()
    assert len(dialog.pose_ids()) == len(PoseLibrary.load()) + 1
    assert dialog.row_texts("star") == ["Star", "Tara", "Yours", "Arms out wide."]
    tree = dialog.row_texts("tree")
    assert tree is not None and tree[:3] == ["Tree", "Vrksasana", "Built-in"] and tree[3]

    # Built-ins: the Delete button stays disabled and the panel refuses too.
    assert dialog.select("tree")
    assert not dialog.delete_button.isEnabled()
    assert not panel.delete_user_pose("tree", confirm=False)
    assert "built-in" in panel.message.text()
    assert "tree" in panel.library

    # The user's own pose: asks first; "No" keeps it.
    asked: list[str] = []

    def answer(reply: QMessageBox.StandardButton) -> Any:
        def question(parent: Any, title: str, text: str, *args: Any) -> QMessageBox.StandardButton:
            asked.append(text)
            return reply

        return question

    assert dialog.select("star")
    assert dialog.delete_button.isEnabled()
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert (folder / "star.json").exists() and "star" in dialog.pose_ids()
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 2 and "Star" in asked[0]
    assert not (folder / "star.json").exists()
    assert "star" not in dialog.pose_ids() and dialog.row_texts("star") is None
    assert "star" not in panel.library and "star" not in panel.mode_picker.pose_ids()
    assert panel.mode_picker.sequence() is None  # the deleted pose was chosen: back to free practice
    assert "Deleted your pose 'Star'" in panel.message.text()
    panel.shutdown()
    assert not dialog.isVisible()


@pytest.mark.mediapipe
@pytest.mark.shared
def test_teach_from_a_photo_is_listed_and_recognised(qtbot: QtBot, ctx: AppContext, shared_dir: Path) -> None:
    from pose.pipeline import PosePipeline

    photo = goddess_photo(shared_dir)
    panel = make_panel(qtbot, ctx)
    panel.show()
    assert panel.teach_from_photo(photo) is not None
    assert not panel.teach_photo_button.isEnabled()  # one photo at a time
    qtbot.waitUntil(lambda: panel.teach_dialog is not None, timeout=60_000)
    dialog = panel.teach_dialog
    assert dialog is not None and panel.teach_photo_button.isEnabled()
    pixmap = dialog.preview.pixmap()
    assert pixmap is not None and not pixmap.isNull()
    # The photo is a goddess: the dialog says so, and the user's pose will win the tie.
    assert "already looks like Goddess" in dialog.note.text()
    fill_and_save(qtbot, dialog, "My Goddess", "Utkata Konasana (mine)", "Deep squat, arms in cactus.")

    path = user_pose_dir(ctx.home) / "my_goddess.json"
    saved = json.loads(path.read_text())
    assert saved["id"] == "my_goddess" and len(saved["targets"]) >= 8
    library = panel.show_library()
    assert library.row_texts("my_goddess") == [
        "My Goddess",
        "Utkata Konasana (mine)",
        "Yours",
        "Deep squat, arms in cactus.",
    ]
    assert "my_goddess" in panel.mode_picker.pose_ids()

    # A pipeline built from the reloaded library knows the new pose: practised as a chosen pose
    # it is recognised; in free practice the built-in Goddess it resembles is not swallowed.
    library = load_catalog(user_pose_dir(ctx.home)).library
    landmarks = photo_landmarks(photo)
    guided = PosePipeline(library, None, target_pose="my_goddess")
    last = [guided.process_landmarks(landmarks, i / 10) for i in range(15)][-1]
    assert last.pose_id == "my_goddess"
    assert last.accuracy is not None and last.accuracy >= 95
    free = PosePipeline(library, None)
    assert [free.process_landmarks(landmarks, i / 10) for i in range(15)][-1].pose_id == "goddess"
    panel.shutdown()


@pytest.mark.mediapipe
@pytest.mark.shared
def test_teach_from_the_live_view_reaches_the_running_pipeline(qtbot: QtBot, ctx: AppContext, shared_dir: Path) -> None:
    import cv2

    frame = cv2.imread(str(goddess_photo(shared_dir)))
    h, w = frame.shape[:2]
    scale = 480 / max(h, w)
    frame = np.ascontiguousarray(cv2.resize(frame, (round(w * scale), round(h * scale))), dtype=np.uint8)

    def factory(spec: str, mirror: bool) -> WebcamSource:
        camera = FakeCapture(frames=None, delay=0.02, image=frame)  # the camera edge: ~50 fps of one photo
        return WebcamSource(int(spec), mirror=mirror, capture_factory=lambda i: camera)

    ctx.settings.camera_source = "0"
    panel = make_panel(qtbot, ctx, factory)
    panel.show()
    assert panel.start()
    worker = panel._handle.worker
    assert worker is not None
    added: list[str] = []
    worker.pose_added.connect(added.append)

    def person_on_screen() -> bool:
        return panel._last_frame is not None and panel._last_frame.analysis.landmarks is not None

    qtbot.waitUntil(person_on_screen, timeout=60_000)
    assert panel.teach_button.isEnabled()
    qtbot.mouseClick(panel.teach_button, Qt.MouseButton.LeftButton)
    dialog = panel.teach_dialog
    assert dialog is not None
    fill_and_save(qtbot, dialog, "Mat Goddess")
    assert (user_pose_dir(ctx.home) / "mat_goddess.json").is_file()
    assert "recognised from now on" in panel.message.text()
    # The worker took the new definition on its own thread; live, the built-in Goddess that the
    # new pose resembles is still named (a taught pose must not swallow it).
    qtbot.waitUntil(lambda: added == ["mat_goddess"], timeout=10_000)
    qtbot.waitUntil(lambda: panel.view.pose_label.text() == "Goddess", timeout=20_000)
    assert "mat_goddess" in panel.mode_picker.pose_ids()
    panel.shutdown()
    assert worker.isFinished() and not panel.running
