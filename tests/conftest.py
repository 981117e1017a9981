"""Fixtures for every test: a private data folder, an in-memory keychain, leak checks.

- ``FIELDMAT_HOME`` points at a fresh temp folder per test (autouse).
- keyring uses an in-memory backend (autouse); no test touches a real keychain.
- A test that leaves a QThread running, a QTimer active, or pool work unfinished fails.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("FIELDMAT_SHARED", REPO.parent / "shared"))


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
        from keyring.errors import PasswordDeleteError

        if (service, username) not in self.store:
            raise PasswordDeleteError(username)
        del self.store[(service, username)]


@pytest.fixture(autouse=True)
def fieldmat_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "fieldmat-home"
    home.mkdir()
    monkeypatch.setenv("FIELDMAT_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def shared_dir() -> Path:
    """The ../shared folder beside the repo; skips the test when it is absent."""
    if not SHARED.is_dir():
        pytest.skip(f"shared data folder {SHARED} is absent (set FIELDMAT_SHARED to point at it)")
    return SHARED


@pytest.fixture
def ctx(fieldmat_home: Path) -> Iterator[Any]:
    """A real AppContext on the per-test data folder (real SQLite, migrated)."""
    from app.context import AppContext

    context = AppContext.create(fieldmat_home)
    yield context
    context.close()


@pytest.fixture(autouse=True)
def _no_leaked_qt_threads_or_timers(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail a test that leaves a QThread running or a QTimer active (napari's idea).

    Only active when the test already imported PySide6 (pure-core tests stay Qt-free).
    """
    import sys

    if "PySide6.QtCore" not in sys.modules and "qtbot" not in request.fixturenames:
        yield
        return
    from PySide6 import QtCore

    threads: list[Any] = []
    timers: list[Any] = []
    original_thread_start = QtCore.QThread.start
    original_timer_start = QtCore.QTimer.start

    def thread_start(self: Any, *args: Any) -> None:
        threads.append(self)
        original_thread_start(self, *args)

    def timer_start(self: Any, *args: Any) -> None:
        timers.append(self)
        original_timer_start(self, *args)

    monkeypatch.setattr(QtCore.QThread, "start", thread_start)
    monkeypatch.setattr(QtCore.QTimer, "start", timer_start)
    yield
    pool = QtCore.QThreadPool.globalInstance()
    finished = pool.waitForDone(5000)
    leaked_threads = [t for t in threads if _alive(t, "isRunning")]
    leaked_timers = [t for t in timers if _alive(t, "isActive")]
    problems = []
    if not finished:
        problems.append("work still running in the global QThreadPool")
    if leaked_threads:
        problems.append(f"{len(leaked_threads)} QThread(s) still running")
    if leaked_timers:
        problems.append(f"{len(leaked_timers)} QTimer(s) still active")
    for timer in leaked_timers:
        timer.stop()
    if problems:
        pytest.fail("Qt leak: " + "; ".join(problems), pytrace=False)


def _alive(obj: Any, method: str) -> bool:
    try:
        return bool(getattr(obj, method)())
    except RuntimeError:  # the C++ object is already deleted: not a leak
        return False
