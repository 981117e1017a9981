"""The live view between poses and around a run: no pose during a transition, no stale state."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from app.context import AppContext
from pose.coaching import MOVING
from pose.library import PoseLibrary
from pose.pipeline import PosePipeline
from pose.synthetic import build_landmarks, fit_params
from pose.types import FrameAnalysis, Landmarks
from tests.practice.test_practice_panel import webcam_factory
from ui.bus import ChangeBus
from ui.practice.panel import PracticePanel
from ui.practice.worker import LiveFrame, to_qimage


@pytest.fixture(scope="module")
def library() -> PoseLibrary:
    return PoseLibrary.load()


def make_panel(qtbot: QtBot, ctx: AppContext, factory: Any = None) -> PracticePanel:
    panel = PracticePanel(ctx, ChangeBus(), speech_engine="mock", source_factory=factory)
    qtbot.addWidget(panel)
    return panel


def live(analysis: FrameAnalysis) -> LiveFrame:
    bgr = np.full((48, 64, 3), 90, np.uint8)
    return LiveFrame(to_qimage(bgr), bgr, analysis, None, None, None, 0)


def frames_of_a_transition(library: PoseLibrary) -> list[FrameAnalysis]:
    """Warrior II for 3 s, then a 1.5 s step towards Pyramid (the pipeline's own analysis)."""
    warrior, pyramid = (build_landmarks(fit_params(library.get(p))) for p in ("warrior_ii", "pyramid"))
    pipe = PosePipeline(library, None, hold_seconds=2.0)
    out = [pipe.process_landmarks(warrior, t / 10, luma=130.0) for t in range(30)]
    for k in range(15):
        w = (k + 1) / 16
        lm = Landmarks(warrior.image * (1 - w) + pyramid.image * w, warrior.width, warrior.height)
        out.append(pipe.process_landmarks(lm, 3.0 + k / 10, luma=130.0))
    return out


def test_the_live_view_shows_no_pose_and_no_correction_during_a_transition(
    qtbot: QtBot, ctx: AppContext, library: PoseLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = make_panel(qtbot, ctx)
    offered: list[str] = []
    monkeypatch.setattr(panel.speaker, "offer", lambda text: offered.append(text) or True)
    analyses = frames_of_a_transition(library)
    panel._on_frame(live(analyses[25]))  # well inside Warrior II
    assert panel.view.pose_label.text() == "Warrior II"
    assert panel.view.gauge.value is not None and panel.view.hold_label.text() == "Hold 0:02"
    offered.clear()
    between = [a for a in analyses[30:] if a.pose_id is None]
    assert between, "the step between the poses was never unrecognised"
    for a in between:
        panel._on_frame(live(a))
        assert panel.view.pose_label.text() == MOVING
        assert panel.view.sanskrit_label.text() == ""
        assert panel.view.gauge.value is None
        assert [label.text() for label in panel.view.cue_labels] == ["", ""]
        assert panel.view.hold_label.text() == "Hold 0:00"
    assert offered == []  # nothing is said between poses either


def test_free_practice_and_a_failed_start_leave_no_stale_step_or_timers(qtbot: QtBot, ctx: AppContext) -> None:
    ctx.settings.camera_source = "0"
    panel = make_panel(qtbot, ctx, webcam_factory(opened=False))
    # What a finished guided sequence left on screen.
    panel.view.show_step("Step 1/8: Mountain · 0:02 / 0:15")
    panel.view.show_timers(5, 300)
    assert panel.mode_picker.sequence() is None  # free practice
    assert panel.start()
    assert panel.view.step_label.text() == ""
    qtbot.waitUntil(lambda: not panel.running, timeout=10_000)
    assert "Camera 0 is not available" in panel.message.text()
    assert panel.view.hold_label.text() == "Hold 0:00"
    assert panel.view.session_label.text() == "Session –"
    assert panel.view.step_label.text() == ""


def test_an_empty_photo_folder_is_reported_at_once(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    empty = tmp_path / "no photos here"
    empty.mkdir()
    (empty / "notes.txt").write_text("not a photo")
    ctx.settings.camera_source = str(empty)
    panel = make_panel(qtbot, ctx)
    assert panel.start()
    # The folder is opened before the model is loaded: the answer comes before any frame.
    qtbot.waitUntil(lambda: not panel.running, timeout=10_000)
    assert f"No photos found in {empty}" in panel.message.text()
    assert "Starting" not in panel.view.video.text()
    assert f"No photos found in {empty}" in panel.view.video.text()


@pytest.mark.slow
def test_a_folder_of_photos_that_ends_says_the_photos_are_done(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    cv2.imwrite(str(folder / "a.png"), np.full((120, 160, 3), 90, np.uint8))
    ctx.settings.camera_source = str(folder)
    panel = make_panel(qtbot, ctx)
    assert panel.start()
    qtbot.waitUntil(lambda: not panel.running, timeout=60_000)
    assert "The photos are done." in panel.message.text()
    assert "The video ended." not in panel.message.text()


def test_the_framing_cue_is_shown_alone_and_spoken_with_the_cooldown_and_mute(qtbot: QtBot, ctx: AppContext) -> None:
    from pose.framing import FEET
    from pose.types import Cue

    ctx.settings.speech_cooldown_s = 5.0
    panel = make_panel(qtbot, ctx)
    now = [100.0]
    panel.speaker._clock = lambda: now[0]  # the clock edge
    spoken: list[str] = []
    panel.speaker.spoken.connect(spoken.append)
    correction = Cue("Bend your front (left) knee more", "left_knee", "left", "bend_more", 12.0)
    analysis = FrameAnalysis(0.0, None, "warrior_ii", "Warrior II", 0.9, 70.0, cues=[correction], framing=FEET)
    panel._on_frame(live(analysis))
    assert [label.text() for label in panel.view.cue_labels] == [f"• {FEET}", ""]  # one at a time
    assert spoken == [FEET]
    now[0] += 1.0  # within the cooldown: not said again
    panel._on_frame(live(analysis))
    assert spoken == [FEET]
    panel.set_muted(True)
    now[0] += 60.0
    panel._on_frame(live(analysis))
    assert spoken == [FEET]
    # Framed well: the correction takes the cue line.
    panel._on_frame(live(FrameAnalysis(0.0, None, "warrior_ii", "Warrior II", 0.9, 70.0, cues=[correction])))
    assert panel.view.cue_labels[0].text() == f"• {correction.text}"
