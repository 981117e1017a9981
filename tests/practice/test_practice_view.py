"""The Practice view end to end: a video made here from the shared photos is analysed live.

Nothing is mocked but the speech engine (Qt's "mock" engine): real source, real MediaPipe,
real worker thread, real SQLite.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pytestqt.qtbot import QtBot
from sqlmodel import select

from app.changes import ChangeSet
from app.context import AppContext
from app.models.sync import OutboxEntry
from app.practice.service import PracticeService
from ui.bus import ChangeBus

FPS = 10
SECONDS_PER_PHOTO = 3
WARRIOR_PHOTOS = ["veerabhadrasana_12.jpg", "veerabhadrasana_5.jpg"]
TREE_PHOTOS = ["istockphoto_1094418632_612x612.jpg", "v60.jpg"]


def letterbox(image: Any, width: int = 640, height: int = 480) -> Any:
    import cv2

    h, w = image.shape[:2]
    scale = min(width / w, height / h)
    resized = cv2.resize(image, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)
    canvas = np.zeros((height, width, 3), dtype=np.uint8)
    y, x = (height - resized.shape[0]) // 2, (width - resized.shape[1]) // 2
    canvas[y : y + resized.shape[0], x : x + resized.shape[1]] = resized
    return canvas


def make_video(path: Path, photos: list[Path]) -> Path:
    """Each photo held SECONDS_PER_PHOTO seconds at FPS, 640x480 letterboxed (MJPG/AVI)."""
    import cv2

    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), FPS, (640, 480))
    assert writer.isOpened()
    try:
        for photo in photos:
            frame = letterbox(cv2.imread(str(photo)))
            for _ in range(FPS * SECONDS_PER_PHOTO):
                writer.write(frame)
    finally:
        writer.release()
    return path


@pytest.fixture
def practice_video(shared_dir: Path, tmp_path: Path) -> Path:
    poses = shared_dir / "data" / "yoga-poses"
    photos = [poses / "warrior_ii" / p for p in WARRIOR_PHOTOS] + [poses / "tree" / p for p in TREE_PHOTOS]
    missing = [p for p in photos if not p.is_file()]
    if missing:
        pytest.skip(f"shared photos missing: {missing}")
    return make_video(tmp_path / "practice.avi", photos)


@pytest.mark.mediapipe
@pytest.mark.shared
def test_video_practice_shows_poses_and_logs_the_session(qtbot: QtBot, ctx: AppContext, practice_video: Path) -> None:
    from ui.practice.panel import PracticePanel

    ctx.settings.auto_start_session = True
    bus = ChangeBus()
    topics: list[ChangeSet] = []
    bus.changed.connect(topics.append)
    panel = PracticePanel(ctx, bus, speech_engine="mock")
    qtbot.addWidget(panel)
    panel.show()
    panel.source_picker.set_spec(str(practice_video))
    shown: list[tuple[str, str]] = []
    gauge_values: list[float] = []

    def record() -> bool:
        shown.append((panel.view.pose_label.text(), panel.view.sanskrit_label.text()))
        if panel.view.gauge.value is not None:
            gauge_values.append(panel.view.gauge.value)
        return not panel.running

    assert panel.start()
    qtbot.waitUntil(record, timeout=60_000)

    assert ("Warrior II", "Virabhadrasana II") in shown
    assert ("Tree", "Vrksasana") in shown
    assert max(gauge_values) >= 70
    assert panel.view.video.pixmap() is not None and not panel.view.video.pixmap().isNull()

    service = PracticeService(ctx)
    sessions = service.list_sessions()
    assert len(sessions) == 1
    detail = service.get_session(sessions[0].id)
    assert detail.session.ended_at is not None
    assert [h.pose_id for h in detail.holds] == ["warrior_ii", "tree"]
    assert all(h.hold_s >= 2.0 and h.accuracy > 50 for h in detail.holds)
    assert detail.session.total_poses == 2
    assert 0 < detail.session.duration_s < 30
    with ctx.db.session() as s:
        entries = s.exec(select(OutboxEntry)).all()
    assert [(e.entity, e.entity_id) for e in entries] == [("practice_session", detail.session.id)]
    assert any(detail.session.id in c.practice_sessions for c in topics)
    assert "Session saved: 2 pose(s)" in panel.message.text()
    # No frame was stored: only the database and settings live in the data folder.
    assert not (ctx.home / "snapshots").exists()
    panel.shutdown()


@pytest.mark.mediapipe
@pytest.mark.shared
def test_guided_sequence_from_a_user_file_runs_to_completion(
    qtbot: QtBot, ctx: AppContext, practice_video: Path
) -> None:
    from ui.practice.panel import PracticePanel

    folder = ctx.home / "sequences"
    folder.mkdir()
    sequence = {"name": "Two poses", "steps": [{"pose": "warrior_ii", "hold_s": 3}, {"pose": "tree", "hold_s": 3}]}
    (folder / "two.json").write_text(json.dumps(sequence), encoding="utf-8")
    panel = PracticePanel(ctx, ChangeBus(), speech_engine="mock")
    qtbot.addWidget(panel)
    spoken: list[str] = []
    panel.speaker.spoken.connect(spoken.append)
    panel.source_picker.set_spec(str(practice_video))
    assert panel.mode_picker.select("sequence", "Two poses")
    steps: list[str] = []

    def record() -> bool:
        steps.append(panel.view.step_label.text())
        return not panel.running

    assert panel.start()
    qtbot.waitUntil(record, timeout=60_000)
    assert any(s.startswith("Step 1/2: Warrior II") for s in steps)
    assert any(s.startswith("Step 2/2: Tree") for s in steps)
    assert panel.view.step_label.text() == "Sequence complete."
    assert "Next: Tree" in spoken and "Sequence complete. Well done." in spoken
    assert "Sequence complete" in panel.message.text()
    [session] = PracticeService(ctx).list_sessions()
    assert (session.mode, session.sequence_name) == ("guided", "Two poses")
    holds = PracticeService(ctx).get_session(session.id).holds
    assert [h.pose_id for h in holds] == ["warrior_ii", "tree"]
    assert all(h.hold_s >= 3.0 for h in holds)
    panel.shutdown()
