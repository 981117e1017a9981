"""The Practice panel without shared data: camera edge faked, everything else real."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFontInfo
from pytestqt.qtbot import QtBot

from app.config import load_settings
from app.context import AppContext
from pose.camera import WebcamSource
from tests.fakes import FakeCapture
from ui.bus import ChangeBus
from ui.practice.panel import PracticePanel
from ui.practice.worker import LiveFrame, PracticeConfig, PracticeWorker

REPO = Path(__file__).resolve().parents[2]


def grey_camera(opened: bool) -> FakeCapture:
    """A camera at ~100 fps of grey frames (or a missing one)."""
    return FakeCapture(opened, frames=None, delay=0.01, shape=(240, 320, 3), fill=90, mark=False)


def webcam_factory(opened: bool, calls: list[str] | None = None) -> Any:
    def factory(spec: str, mirror: bool) -> WebcamSource:
        if calls is not None:
            calls.append(spec)
        return WebcamSource(int(spec), mirror=mirror, capture_factory=lambda i: grey_camera(opened))

    return factory


def make_panel(qtbot: QtBot, ctx: AppContext, factory: Any = None) -> PracticePanel:
    panel = PracticePanel(ctx, ChangeBus(), speech_engine="mock", source_factory=factory)
    qtbot.addWidget(panel)
    return panel


@pytest.mark.subprocess
def test_startup_opens_no_camera_and_imports_no_model() -> None:
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from app.context import AppContext\n"
        "from ui.main_window import MainWindow\n"
        "ctx = AppContext.create()\n"
        "w = MainWindow(ctx)\n"
        "print(sorted(m for m in ('cv2', 'mediapipe') if m in sys.modules))\n"
        "w.close(); ctx.close()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_camera_is_opened_only_on_start_and_missing_camera_is_explained(qtbot: QtBot, ctx: AppContext) -> None:
    calls: list[str] = []
    ctx.settings.camera_source = "0"
    panel = make_panel(qtbot, ctx, webcam_factory(opened=False, calls=calls))
    assert calls == []
    assert panel.start()
    qtbot.waitUntil(lambda: not panel.running, timeout=10_000)
    assert calls == ["0"]
    text = panel.message.text()
    assert "Camera 0 is not available" in text and "another app" in text
    assert panel.start_button.text() == "Start" and panel.start_button.isEnabled()


@pytest.mark.mediapipe
def test_worker_keeps_at_most_one_frame_in_flight(qtbot: QtBot, ctx: AppContext) -> None:
    worker = PracticeWorker(ctx, PracticeConfig(source="0"), webcam_factory(opened=True))
    frames: list[LiveFrame] = []
    worker.frame.connect(frames.append)  # never calls frame_shown(): the GUI "lags" forever
    worker.start()
    try:
        qtbot.waitUntil(lambda: worker.processed >= 8, timeout=30_000)
        # deliver whatever the worker has posted (no fixed wait): seven processed frames or
        # more, one emitted, the rest dropped
        QCoreApplication.sendPostedEvents()
        assert len(frames) == 1
        assert worker.dropped >= 6
        worker.frame_shown()
        qtbot.waitUntil(lambda: len(frames) == 2, timeout=5_000)
        live = frames[0]
        assert live.image.width() == 320 and live.bgr.shape == (240, 320, 3)
        assert live.analysis.pose_id is None  # nobody on a grey frame
    finally:
        worker.request_stop()
        assert worker.wait(10_000)


@pytest.mark.mediapipe
def test_running_practice_shows_frames_saves_snapshot_and_shuts_down(qtbot: QtBot, ctx: AppContext) -> None:
    ctx.settings.camera_source = "0"
    panel = make_panel(qtbot, ctx, webcam_factory(opened=True))
    panel.show()
    assert panel.start()
    assert panel.start_button.text() == "Stop"
    assert not panel.source_picker.isEnabled()
    qtbot.waitUntil(lambda: panel.snapshot_button.isEnabled(), timeout=30_000)
    qtbot.mouseClick(panel.snapshot_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Snapshot saved" in panel.message.text(), timeout=10_000)
    [png] = list((ctx.home / "snapshots").glob("*.png"))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    worker = panel._handle.worker
    assert worker is not None
    panel.shutdown()
    assert worker.isFinished()
    assert not panel.running


@pytest.mark.mediapipe
def test_destroying_a_running_panel_stops_its_worker(qtbot: QtBot, ctx: AppContext) -> None:
    ctx.settings.camera_source = "0"
    panel = PracticePanel(ctx, ChangeBus(), speech_engine="mock", source_factory=webcam_factory(opened=True))
    panel.start()
    worker = panel._handle.worker
    assert worker is not None
    qtbot.waitUntil(lambda: worker.processed > 0, timeout=30_000)
    panel.deleteLater()
    qtbot.waitUntil(worker.isFinished, timeout=15_000)


def test_f11_opens_full_screen_practice_mode_with_large_type(qtbot: QtBot, ctx: AppContext) -> None:
    panel = make_panel(qtbot, ctx)
    panel.show()
    normal = panel.view.pose_label.font().pointSize()
    normal_px = QFontInfo(panel.view.pose_label.font()).pixelSize()
    qtbot.keyClick(panel, Qt.Key.Key_F11)
    assert panel.in_practice_mode
    stage = panel.full_screen.stage
    assert stage is not None and stage.isFullScreen()
    assert panel.view.window() is stage
    # Large type is sized from the screen's height once the stage has its full-screen size
    # (tests/practice/test_full_screen.py checks that every text fits).
    qtbot.waitUntil(lambda: QFontInfo(panel.view.pose_label.font()).pixelSize() >= 1.5 * normal_px, timeout=5_000)
    qtbot.keyClick(stage, Qt.Key.Key_F11)
    assert not panel.in_practice_mode
    assert panel.view.window() is panel.window()
    assert panel.view.pose_label.font().pointSize() == normal
    qtbot.mouseClick(panel.full_button, Qt.MouseButton.LeftButton)
    assert panel.in_practice_mode
    panel.shutdown()
    assert not panel.in_practice_mode


def test_mute_button_is_saved_in_settings(qtbot: QtBot, ctx: AppContext) -> None:
    panel = make_panel(qtbot, ctx)
    assert panel.mute_button.text() == "Mute cues"
    qtbot.mouseClick(panel.mute_button, Qt.MouseButton.LeftButton)
    assert ctx.settings.speech_enabled is False
    assert load_settings(ctx.home).speech_enabled is False
    assert panel.mute_button.text() == "Unmute cues"
    assert not panel.speaker.offer("Bend your knee")
    qtbot.mouseClick(panel.mute_button, Qt.MouseButton.LeftButton)
    assert load_settings(ctx.home).speech_enabled is True


def test_user_sequences_are_offered_and_bad_files_reported(qtbot: QtBot, ctx: AppContext) -> None:
    folder = ctx.home / "sequences"
    folder.mkdir()
    good = {"name": "My flow", "steps": [{"pose": "tree", "hold_s": 10}]}
    (folder / "mine.json").write_text(json.dumps(good), encoding="utf-8")
    (folder / "bad.json").write_text(json.dumps({"name": "Bad", "steps": []}), encoding="utf-8")
    panel = make_panel(qtbot, ctx)
    assert "bad.json" in panel.message.text()
    assert panel.mode_picker.select("sequence", "My flow")
    chosen = panel.mode_picker.sequence()
    assert chosen is not None and chosen.name == "My flow" and not chosen.builtin
    assert panel.mode_picker.select("pose", "warrior_ii")
    panel.mode_picker.hold.setValue(45)
    single = panel.mode_picker.sequence()
    assert single is not None and [(s.pose, s.hold_s) for s in single.steps] == [("warrior_ii", 45.0)]


def test_file_source_without_a_path_asks_for_one(qtbot: QtBot, ctx: AppContext) -> None:
    panel = make_panel(qtbot, ctx)
    panel.source_picker.kind.setCurrentIndex(1)  # Video file, no path
    assert not panel.start()
    assert "Choose a video file" in panel.message.text()
    assert not panel.running
