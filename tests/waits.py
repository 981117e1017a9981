"""Waiting for something to happen in a thread without Qt: poll a predicate up to a deadline.

Never a fixed sleep: a test waits for the event it needs (a counter moving, a flag set) and
fails with ``message`` if it does not come. Qt tests use ``qtbot.waitSignal``/``waitUntil``.
"""

from __future__ import annotations

import time
from collections.abc import Callable


def wait_until(predicate: Callable[[], bool], timeout: float = 5.0, message: str = "condition") -> None:
    """Return once ``predicate()`` is true; raise AssertionError after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {message}")
        time.sleep(0.002)
