"""The full-screen practice view, readable from the mat: nothing clipped at three screen sizes."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from ui.practice.live_view import PracticeLiveView
from ui.practice.stage import PracticeStage
from ui.practice.worker import to_qimage

SIZES = [(1024, 768), (1280, 800), (1920, 1080)]
LONGEST_NAME = ("Extended Side Angle", "Utthita Parsvakonasana")
LONG_CUES = ["Bring your front (left) thigh closer to parallel with the floor", "Raise your arms to shoulder height"]


def fits(label: QLabel) -> bool:
    """The label's text, laid out as Qt lays it out, lies inside its contents rectangle."""
    rect = label.contentsRect()
    flags = int(label.alignment()) | (int(Qt.TextFlag.TextWordWrap) if label.wordWrap() else 0)
    box = QFontMetrics(label.font()).boundingRect(rect, flags, label.text())
    return rect.contains(box) or (box.width() <= rect.width() and box.height() <= rect.height())


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_full_screen_labels_fit_and_the_video_is_large(qtbot: QtBot, width: int, height: int) -> None:
    view = PracticeLiveView()
    stage = PracticeStage([])
    qtbot.addWidget(stage)
    stage.body.insertWidget(0, view, 1)
    view.set_large(True)
    stage.resize(width, height)
    stage.show()
    qtbot.waitExposed(stage)
    view.show_image(to_qimage(np.full((480, 640, 3), 80, np.uint8)))
    view.show_pose(*LONGEST_NAME, 87.0)
    view.show_cues(LONG_CUES)
    view.show_timers(75, 1234)
    view.show_step("Step 8/8: Downward-Facing Dog · 0:12 / 0:30")
    qtbot.wait(50)  # let the layout settle after the font changes
    labels = [
        view.pose_label,
        view.sanskrit_label,
        view.hold_label,
        view.session_label,
        view.step_label,
        *view.cue_labels,
    ]
    shown = [label for label in labels if label.isVisible()]
    assert view.cue_labels[1] not in shown  # one correction at a time
    for label in shown:
        assert fits(label), f"{label.text()!r} clipped in {label.contentsRect()} at {width}x{height}"
    # The pose name is whole and big; the video takes most of the screen.
    assert view.pose_label.text() == LONGEST_NAME[0]
    assert view.pose_label.font().pixelSize() >= height // 25
    assert view.video.width() >= 0.5 * width and view.video.height() >= 0.75 * height
    # Nothing overlaps: the side texts are stacked top to bottom.
    tops = sorted(
        (label.mapTo(view, label.rect().topLeft()).y(), label) for label in shown if label is not view.session_label
    )
    for (y0, a), (y1, _b) in itertools.pairwise(tops):
        assert y0 + a.height() <= y1 + 1
    # Back to the normal layout: both cues again, normal type.
    view.set_large(False)
    assert not view.cue_labels[1].isHidden()
