"""Camera sources; the only fakes are at the camera edge (a fake cv2.VideoCapture)."""

from __future__ import annotations

import threading
from pathlib import Path

import cv2
import numpy as np
import pytest

from pose.camera import (
    CameraUnavailable,
    ImageFolderSource,
    LatestFrameGrabber,
    TimedFrame,
    VideoFileSource,
    WebcamSource,
    list_sources,
    open_source,
)
from tests.fakes import FakeCapture
from tests.waits import wait_until


def test_missing_or_busy_camera_raises_typed_error() -> None:
    with pytest.raises(CameraUnavailable, match="camera 3"):
        WebcamSource(3, capture_factory=lambda i: FakeCapture(opened=False))
    with pytest.raises(CameraUnavailable, match="no frame"):
        WebcamSource(0, capture_factory=lambda i: FakeCapture(frames=0))


def test_webcam_mirror_and_listing() -> None:
    cam = WebcamSource(0, mirror=True, capture_factory=lambda i: FakeCapture())
    first = cam.read()
    assert first is not None and first.index == 0
    assert first.image[0, -1, 0] == 0 and first.image.flags.c_contiguous  # left column now on the right
    cam.close()
    found = list_sources(3, capture_factory=lambda i: FakeCapture(opened=i != 1))
    assert [s.spec for s in found] == ["0", "2"]


def test_latest_frame_grabber_keeps_only_newest_and_counts_drops() -> None:
    cam = WebcamSource(0, capture_factory=lambda i: FakeCapture(frames=None, delay=0.002))
    grabber = LatestFrameGrabber(cam)
    try:
        # the consumer is slow: wait until the grabber has replaced a frame nobody took
        wait_until(lambda: grabber.dropped > 0, message="a dropped frame")
        frame = grabber.latest(timeout=1.0)
        assert frame is not None
        assert grabber.dropped > 0 and grabber.captured >= grabber.dropped
        nxt = grabber.latest(timeout=1.0)
        assert nxt is not None and nxt.index > frame.index
        got: list[TimedFrame | None] = []
        t = threading.Thread(target=lambda: got.append(grabber.latest(timeout=1.0)))
        t.start()
        t.join()
        assert got[0] is not None
    finally:
        grabber.stop()
    assert not grabber.error


def _write_video(path: Path, n: int, size: tuple[int, int] = (64, 48)) -> None:
    out = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), 10.0, size)
    for i in range(n):
        out.write(np.full((size[1], size[0], 3), i * 10 % 256, np.uint8))
    out.release()


def test_video_file_is_read_sequentially_without_drops(tmp_path: Path) -> None:
    video = tmp_path / "clip.mp4"
    _write_video(video, 12)
    src = VideoFileSource(video)
    frames = list(src.frames())
    assert [f.index for f in frames] == list(range(12))
    assert frames[5].t_s == pytest.approx(0.5)
    src.close()
    with pytest.raises(FileNotFoundError):
        VideoFileSource(tmp_path / "nope.mp4")
    grabbed = LatestFrameGrabber(open_source(str(video)), pace_fps=200)
    seen = []
    while (f := grabbed.latest(timeout=2.0)) is not None:
        seen.append(f.index)
    grabbed.stop()
    assert grabbed.ended and seen and seen[-1] == 11 and len(seen) + grabbed.dropped == 12


def test_image_folder_source(tmp_path: Path) -> None:
    for name in ("b.png", "a.jpg"):
        cv2.imwrite(str(tmp_path / name), np.zeros((8, 8, 3), np.uint8))
    (tmp_path / "notes.txt").write_text("not an image")
    src = open_source(str(tmp_path))
    assert isinstance(src, ImageFolderSource)
    names = [src.paths[f.index].name for f in iter(src.read, None)]
    assert names == ["a.jpg", "b.png"]
