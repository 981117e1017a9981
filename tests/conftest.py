"""Fixtures for every test: a private data folder, an in-memory keychain, leak checks.

- ``FIELDMAT_HOME`` points at a fresh temp folder per test (autouse).
- keyring uses an in-memory backend (autouse); no test touches a real keychain.
- ``ctx`` is a real ``AppContext`` whose database is a copy of a template migrated once per
  session (an alembic upgrade per test cost ~0.3 s each); ``tests/foundation/test_database.py``
  still runs the real upgrade on an empty file.
- A test that leaves a QThread running, a QTimer active, or pool work unfinished fails.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import keyring
import pytest

from tests.fakes import MemoryKeyring

if TYPE_CHECKING:
    from app.context import AppContext

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("FIELDMAT_SHARED", REPO.parent / "shared"))


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


@pytest.fixture(autouse=True)
def log_files_closed() -> Iterator[None]:
    """Each test leaves the root logger without the log files it opened.

    ``AppContext.create`` attaches a rotating log file in its data folder (as the app does once
    per process); kept, they piled up in a worker, one per test: every record was written to
    hundreds of files, and one whose folder pytest had removed failed noisily in a later test.
    """
    root = logging.getLogger()
    before = set(root.handlers)
    yield
    for handler in [h for h in root.handlers if h not in before and isinstance(h, logging.FileHandler)]:
        root.removeHandler(handler)
        handler.close()


@pytest.fixture(autouse=True)
def fresh_whoop_pacing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with WHOOP's request bucket full, as a new app process does.

    The bucket is one per process (WHOOP limits per client), so tests in one xdist worker
    shared it and waited, in real time, for the requests of the tests before them.
    """
    import sys

    client = sys.modules.get("sync.whoop.client")
    if client is not None:  # not imported yet: its import makes a full bucket
        old = client._DEFAULT_BUCKET
        monkeypatch.setattr(client, "_DEFAULT_BUCKET", type(old)(old.rate * 60.0, burst=int(old.burst)))


@pytest.fixture
def shared_dir() -> Path:
    """The ../shared folder beside the repo; skips the test when it is absent."""
    if not SHARED.is_dir():
        pytest.skip(f"shared data folder {SHARED} is absent (set FIELDMAT_SHARED to point at it)")
    return SHARED


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file migrated to the newest schema once per session (checkpointed, no WAL left)."""
    from app.db import DB_FILE, Database

    folder = tmp_path_factory.mktemp("template-db")
    db = Database.open(folder)
    db.close()
    with contextlib.closing(sqlite3.connect(folder / DB_FILE)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return folder / DB_FILE


@pytest.fixture
def migrated_home(fieldmat_home: Path, template_db: Path) -> Path:
    """The per-test data folder holding a copy of the template database (newest schema, no data)."""
    from app.db import DB_FILE

    target = fieldmat_home / DB_FILE
    if not target.exists():
        shutil.copyfile(template_db, target)
    return fieldmat_home


@pytest.fixture
def ctx(migrated_home: Path) -> Iterator[AppContext]:
    """A real AppContext on the per-test data folder (real SQLite, migrated from the template)."""
    from app.context import AppContext

    context = AppContext.create(migrated_home)
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
    # pytest-qt closed the test's widgets with deleteLater(), which processEvents() never
    # carries out: delete them now (after the leak check, which must still see a closed
    # widget's running timer), or they pile up and slow every app-wide change (a style sheet
    # re-polishes every live widget: the outdoor-theme test took 6 s behind 2000 of them).
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
    if problems:
        pytest.fail("Qt leak: " + "; ".join(problems), pytrace=False)


def _alive(obj: Any, method: str) -> bool:
    try:
        return bool(getattr(obj, method)())
    except RuntimeError:  # the C++ object is already deleted: not a leak
        return False
