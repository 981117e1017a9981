"""Pictures of the full-screen practice view at three screen sizes, under Xvfb.

Each size runs in its own ``xvfb-run`` screen of exactly that size: the real
:class:`~ui.practice.stage.PracticeStage` goes full screen with the real live view, fed one
frame of the shared clip (``../shared/data/yoga-video``) analysed by the real pipeline.
Needs ``xvfb-run`` (apt-get install xvfb) and the shared data.

    .venv/bin/python docs/make_practice_screenshots.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SHARED = Path(os.environ.get("FIELDMAT_SHARED", REPO.parent / "shared"))
CLIP = SHARED / "data" / "yoga-video" / "yoga_warrior2_to_pyramid.mp4"
SIZES = [(1024, 768), (1280, 800), (1920, 1080)]
FRAME = 250  # mid side angle


def one(width: int, height: int, out: Path) -> None:
    from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

    app = QApplication([])
    from pose.camera import VideoFileSource
    from pose.coaching import pose_placeholder, shown_cues
    from pose.draw import draw_skeleton
    from pose.estimator import create_estimator
    from pose.library import PoseLibrary
    from pose.pipeline import PosePipeline
    from ui.practice.live_view import PracticeLiveView
    from ui.practice.reactions import step_line
    from ui.practice.stage import FullScreenMode
    from ui.practice.worker import to_qimage

    library = PoseLibrary.load()
    pipeline = PosePipeline(library, create_estimator())
    source = VideoFileSource(CLIP)
    analysis = image = None
    for frame in source.frames():
        analysis = pipeline.process(frame.image, frame.t_s)
        image = frame.image
        if frame.index >= FRAME:
            break
    source.close()
    pipeline.close()
    assert analysis is not None
    assert image is not None
    draw_skeleton(image, analysis)
    home = QWidget()
    home_layout = QVBoxLayout(home)
    view = PracticeLiveView()
    home_layout.addWidget(view)
    mode = FullScreenMode(view, home_layout, 0, [("Start / Stop", lambda: None), ("Mute / unmute", lambda: None)])
    mode.enter()  # the real full-screen mode: stage, large type, its buttons
    stage = mode.stage
    assert stage is not None
    pose = library.get(analysis.pose_id) if analysis.pose_id else None
    view.show_image(to_qimage(image))
    view.show_pose(
        pose.english if pose else None,
        pose.sanskrit if pose else None,
        analysis.accuracy,
        placeholder=pose_placeholder(analysis),
    )
    view.show_cues(shown_cues(analysis))
    view.show_timers(analysis.hold_s, 754)
    view.show_step(step_line(2, 8, pose.english if pose else "–", analysis.hold_s, 30))
    # Xvfb has no window manager to honour "full screen": give the window the screen's geometry.
    stage.setGeometry(app.primaryScreen().geometry())
    for _ in range(20):
        app.processEvents()
    stage.grab().save(str(out))
    print(f"{out.relative_to(REPO)}: {stage.width()}x{stage.height()}, pose {analysis.pose_id}")


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--one":
        one(int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]))
        return
    xvfb = shutil.which("xvfb-run")
    if xvfb is None:
        raise SystemExit("xvfb-run is needed: apt-get install xvfb")
    for w, h in SIZES:
        out = REPO / "docs" / f"practice_full_{w}x{h}.png"
        env = {**os.environ, "QT_QPA_PLATFORM": "xcb"}
        subprocess.run(
            [xvfb, "-a", "-s", f"-screen 0 {w}x{h}x24", sys.executable, __file__, "--one", str(w), str(h), str(out)],
            env=env,
            cwd=REPO,
            check=True,
            timeout=180,
        )


if __name__ == "__main__":
    main()
