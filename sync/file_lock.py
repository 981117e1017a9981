"""An exclusive advisory lock on a file, across processes (flock on POSIX, msvcrt on Windows).

Two Fieldmat processes share one data folder when the window is open and the CLI runs a
sync, or two windows are open: the locks here keep their sync runs and WHOOP token
renewals from overlapping. The OS releases the lock when its process dies, so a killed
process never leaves a stale lock behind. Any thread; not re-entrant. Threads of one
process take ``thread_lock(path)`` first (the same lock object for the same file), so the
file lock only ever arbitrates between processes.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_GUARD = threading.Lock()
_THREAD_LOCKS: dict[str, threading.Lock] = {}


def thread_lock(path: Path) -> threading.Lock:
    """This process's lock for ``path``: one object per file, whatever the spelling of the path."""
    key = str(path.resolve())
    with _GUARD:
        return _THREAD_LOCKS.setdefault(key, threading.Lock())


class LockBusy(Exception):
    """Another process held the lock for longer than the caller was willing to wait."""


class InterProcessLock:
    def __init__(self, path: Path, timeout: float = 60.0) -> None:
        """``timeout``: seconds ``hold()`` waits for the lock (0: try once)."""
        self.path = path
        self.timeout = timeout

    @contextmanager
    def hold(self) -> Iterator[None]:
        """Hold the lock for the ``with`` block. Raises LockBusy when it cannot be had in time."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            deadline = time.monotonic() + self.timeout
            while not _try_lock(fd):
                if time.monotonic() >= deadline:
                    raise LockBusy(str(self.path))
                time.sleep(0.05)
            try:
                yield
            finally:
                _unlock(fd)
        finally:
            os.close(fd)


if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
