"""Frame sources: webcam by index, video file, folder of images.

* :class:`WebcamSource` / :class:`VideoFileSource` / :class:`ImageFolderSource`
  read frames sequentially (``read()``), no drops: what offline analysis uses.
* :class:`LatestFrameGrabber` runs any source in its own thread and keeps only
  the newest frame, counting the frames it overwrote (``dropped``): what live
  practice uses so inference never works on stale frames.

cv2 is imported lazily.  Sources are not thread-safe; the grabber is (its
``latest()``/``stop()`` may be called from any thread).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

Frame = NDArray[np.uint8]
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".webp"}


class CameraUnavailable(RuntimeError):
    """The camera does not exist, is busy (used by another app) or returned no frame."""


@dataclass(frozen=True)
class TimedFrame:
    """A BGR frame with its timestamp in seconds and its index in the source."""

    image: Frame
    t_s: float
    index: int


class FrameSource(Protocol):
    """Anything that yields frames in order; ``read()`` returns None at the end."""

    name: str

    def read(self) -> TimedFrame | None: ...

    def close(self) -> None: ...


def _mirror(frame: Frame) -> Frame:
    return np.ascontiguousarray(frame[:, ::-1])


class _CaptureSource:
    """Shared code of cv2.VideoCapture based sources."""

    def __init__(self, capture: Any, name: str, mirror: bool, fps: float | None) -> None:
        self.name = name
        self.mirror = mirror
        self._cap = capture
        self._index = 0
        self._fps = fps
        self._t0 = time.monotonic()

    @property
    def fps(self) -> float:
        """Nominal frames per second (30 when the device does not say)."""
        return self._fps or 30.0

    def read(self) -> TimedFrame | None:
        ok, frame = self._cap.read()
        if not ok or frame is None:
            return None
        if self.mirror:
            frame = _mirror(frame)
        # Files carry their own clock; live cameras use wall time.
        t = self._index / self.fps if self._fps else time.monotonic() - self._t0
        out = TimedFrame(frame, t, self._index)
        self._index += 1
        return out

    def frames(self) -> Iterator[TimedFrame]:
        """Every remaining frame, in order."""
        while (f := self.read()) is not None:
            yield f

    def close(self) -> None:
        self._cap.release()


def _default_capture(spec: int | str) -> Any:
    import cv2

    return cv2.VideoCapture(spec)


class WebcamSource(_CaptureSource):
    """Webcam ``index``; ``mirror=True`` gives the selfie view.

    Raises :class:`CameraUnavailable` if the device cannot be opened or returns
    no first frame (missing or busy).  ``capture_factory`` is the camera edge,
    replaceable in tests.
    """

    def __init__(
        self, index: int = 0, *, mirror: bool = False, capture_factory: Callable[[int], Any] | None = None
    ) -> None:
        cap = (capture_factory or _default_capture)(index)
        if not cap.isOpened():
            cap.release()
            raise CameraUnavailable(f"camera {index} is not available (missing or in use)")
        super().__init__(cap, f"camera {index}", mirror, None)
        first = self.read()
        if first is None:
            self.close()
            raise CameraUnavailable(f"camera {index} opened but returned no frame (busy?)")
        self._first: TimedFrame | None = first

    def read(self) -> TimedFrame | None:
        first, self._first = getattr(self, "_first", None), None
        return first if first is not None else super().read()


class VideoFileSource(_CaptureSource):
    """A video file read frame by frame; timestamps are ``index / fps``.

    Raises ``FileNotFoundError`` if missing, :class:`CameraUnavailable` if it
    cannot be decoded.
    """

    def __init__(self, path: Path, *, mirror: bool = False) -> None:
        if not path.is_file():
            raise FileNotFoundError(f"video not found: {path}")
        import cv2

        cap = cv2.VideoCapture(str(path))
        if not cap.isOpened():
            raise CameraUnavailable(f"cannot decode video {path}")
        fps = float(cap.get(cv2.CAP_PROP_FPS)) or 30.0
        self.frame_count = int(cap.get(cv2.CAP_PROP_FRAME_COUNT))
        super().__init__(cap, path.name, mirror, fps)


class NoPhotos(FileNotFoundError):
    """An image folder without a single photo; the message is meant for the user."""


class ImageFolderSource:
    """Images of a folder in name order, one frame per image, ``t_s = index / fps``.

    Raises ``FileNotFoundError`` for a missing folder and :class:`NoPhotos` for one
    without images, at once (before any model is loaded).
    """

    def __init__(self, folder: Path, *, fps: float = 1.0, mirror: bool = False) -> None:
        if not folder.is_dir():
            raise FileNotFoundError(f"folder not found: {folder}")
        self.name = folder.name
        self.fps = fps
        self.mirror = mirror
        self.paths = sorted(p for p in folder.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES)
        if not self.paths:
            raise NoPhotos(f"No photos found in {folder}")
        self._i = 0

    def read(self) -> TimedFrame | None:
        import cv2

        while self._i < len(self.paths):
            i = self._i
            self._i += 1
            raw = cv2.imread(str(self.paths[i]))
            if raw is not None:
                img: Frame = np.asarray(raw, dtype=np.uint8)
                return TimedFrame(_mirror(img) if self.mirror else img, i / self.fps, i)
        return None

    def close(self) -> None:
        self._i = len(self.paths)


@dataclass(frozen=True)
class SourceInfo:
    """A selectable source for a settings menu: ``spec`` goes to :func:`open_source`."""

    spec: str
    label: str


def list_sources(max_cameras: int = 4, capture_factory: Callable[[int], Any] | None = None) -> list[SourceInfo]:
    """Webcams that open right now (probing indices 0..max_cameras-1). Slow-ish: call off the UI thread."""
    found: list[SourceInfo] = []
    for i in range(max_cameras):
        try:
            WebcamSource(i, capture_factory=capture_factory).close()
        except CameraUnavailable:
            continue
        found.append(SourceInfo(str(i), f"Camera {i}"))
    return found


def open_source(spec: str, *, mirror: bool = False) -> FrameSource:
    """``"0"``-style index → webcam, folder → images, file → video.

    Raises :class:`CameraUnavailable` / ``FileNotFoundError`` as the sources do.
    """
    if spec.strip().isdigit():
        return WebcamSource(int(spec), mirror=mirror)
    path = Path(spec).expanduser()
    if path.is_dir():
        return ImageFolderSource(path, mirror=mirror)
    return VideoFileSource(path, mirror=mirror)


class LatestFrameGrabber:
    """Reads ``source`` on a daemon thread and keeps only the newest frame.

    ``latest(timeout)`` returns a frame not returned before (or None on timeout
    or end of stream).  ``dropped`` counts frames replaced before anyone took
    them.  ``stop()`` joins the thread and closes the source.  Thread-safe.
    """

    def __init__(self, source: FrameSource, *, pace_fps: float | None = None) -> None:
        self._source = source
        self._pace = pace_fps  # throttle files to real time; cameras pace themselves
        self._cond = threading.Condition()
        self._frame: TimedFrame | None = None
        self._ended = False
        self._stop = threading.Event()
        self.dropped = 0
        self.captured = 0
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name=f"capture-{source.name}", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        start = time.monotonic()
        try:
            while not self._stop.is_set():
                frame = self._source.read()
                if frame is None:
                    break
                if self._pace:
                    delay = start + frame.index / self._pace - time.monotonic()
                    if delay > 0:
                        self._stop.wait(delay)
                with self._cond:
                    if self._frame is not None:
                        self.dropped += 1
                    self._frame = frame
                    self.captured += 1
                    self._cond.notify_all()
        except Exception as exc:  # noqa: BLE001  (reported to the consumer, not lost in a thread)
            self.error = exc
        finally:
            with self._cond:
                self._ended = True
                self._cond.notify_all()

    @property
    def ended(self) -> bool:
        """True once the source is exhausted (or failed, see ``error``)."""
        return self._ended

    def latest(self, timeout: float | None = None) -> TimedFrame | None:
        """Take the newest unseen frame, waiting up to ``timeout`` seconds for one."""
        with self._cond:
            self._cond.wait_for(lambda: self._frame is not None or self._ended, timeout)
            frame, self._frame = self._frame, None
            return frame

    def stop(self) -> None:
        """Stop the thread and close the source; idempotent."""
        self._stop.set()
        self._thread.join(timeout=5)
        self._source.close()
