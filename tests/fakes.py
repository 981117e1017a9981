"""The test suite's fakes, one of each: they stand in only at the hardware and OS edges.

- ``FakeClock``: the wall clock (``AppContext.clock``, services' ``clock``), moved by hand.
- ``FakeMonotonic``: monotonic seconds with a ``sleep`` that advances them (rate limiters, back-off).
- ``FakeCapture``: a ``cv2.VideoCapture`` look-alike (the camera).
- ``MemoryKeyring``: the OS keychain, in a dict (``tests/conftest.py`` installs one per test).

Everything else in a test is real (SQLite, loopback servers, ``httpx.MockTransport``, widgets).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

DEFAULT_NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)


class FakeClock:
    """A wall clock the test moves by hand: call it for ``now`` (aware UTC)."""

    def __init__(self, start: datetime = DEFAULT_NOW) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: float = 0, seconds: float = 0) -> None:
        self.now += timedelta(minutes=minutes, seconds=seconds)


@dataclass
class FakeMonotonic:
    """Monotonic seconds; ``sleep`` advances them at once and records the wait asked for."""

    t: float = 0.0
    sleeps: list[float] = field(default_factory=list)

    def __call__(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += seconds


class FakeCapture:
    """Stands in for ``cv2.VideoCapture``: ``frames`` frames then the end (None: forever).

    Each frame is a copy of ``image`` if given, else ``shape`` of value ``fill`` with its left
    column set to the frame number (mod 256) when ``mark`` is true, so a test can tell frames
    apart and see mirroring.
    ``delay`` seconds per read is the camera's frame interval (real cameras block in read).
    """

    def __init__(
        self,
        opened: bool = True,
        frames: int | None = 5,
        delay: float = 0.0,
        *,
        shape: tuple[int, int, int] = (4, 6, 3),
        fill: int = 0,
        mark: bool = True,
        image: np.ndarray | None = None,
    ) -> None:
        self.opened = opened
        self.left = frames
        self.delay = delay
        self.shape = shape
        self.fill = fill
        self.mark = mark
        self.image = image
        self.reads = 0
        self.released = False

    def isOpened(self) -> bool:
        return self.opened

    def read(self) -> tuple[bool, Any]:
        if self.left is not None:
            if self.left <= 0:
                return False, None
            self.left -= 1
        if self.delay:
            time.sleep(self.delay)  # the camera's frame interval, not a wait in a test
        if self.image is not None:
            self.reads += 1
            return True, self.image.copy()
        frame = np.full(self.shape, self.fill, np.uint8)
        if self.mark:
            frame[:, 0] = self.reads % 256
        self.reads += 1
        return True, frame

    def release(self) -> None:
        self.released = True
        self.opened = False


class MemoryKeyring(KeyringBackend):
    """A keychain that lives in a dict (the OS edge is the one place we fake)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.store:
            raise PasswordDeleteError(username)
        del self.store[(service, username)]
