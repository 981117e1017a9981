"""The SQLite database: connection pragmas, alembic migrations, serialized writes.

Contract:
- Every connection runs with WAL journal, ``foreign_keys=ON``, ``synchronous=FULL`` (a
  user-entered record is on disk when ``commit`` returns) and a busy timeout. Only
  ``write(durable=False)``, for bookkeeping a sync can rebuild, commits without waiting for
  the disk.
- ``Database.open`` migrates to the newest schema with alembic. A database that is not
  SQLite raises ``DatabaseUnreadable``; one stamped with a revision this version does not
  know raises ``DatabaseTooNew``. In both cases the file is never written to.
- Writes are serialized by ``write_lock`` (Anki style: one writer at a time, from any thread).
  ``session()`` may be used from any thread; each call opens its own Session.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

import app.models  # noqa: F401  (registers every table on the metadata)
from app.errors import DatabaseTooNew, DatabaseUnreadable

if TYPE_CHECKING:
    from alembic.config import Config

DB_FILE = "fieldmat.db"
log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).with_name("migrations")


def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=5000")
    # Checkpoints are moved off the commit path (see WalCheckpointer): otherwise every few
    # hundred commits one user action pays for copying the WAL into the database.
    cur.execute("PRAGMA wal_autocheckpoint=0")
    cur.close()


def sqlite_cursor(session: Session) -> sqlite3.Cursor:
    """A plain sqlite3 cursor on ``session``'s own connection, inside its transaction.

    For hot paths (match logging, the outbox, the timeline) where SQLAlchemy's statement
    machinery costs more than the statement. Caller flushes pending ORM changes first when
    order matters: plain statements do not autoflush.
    """
    return _driver_connection(session).cursor()


def _driver_connection(session: Session) -> sqlite3.Connection:
    dbapi = session.connection().connection.driver_connection
    assert isinstance(dbapi, sqlite3.Connection)
    return dbapi


def alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


class WalCheckpointer(threading.Thread):
    """Copies the WAL into the database in the background, every ``interval`` seconds.

    PASSIVE checkpoints never block writers or readers; ``stop()`` runs a final TRUNCATE
    checkpoint so a closed database leaves a small WAL behind. Daemon thread: a killed
    process loses nothing (the WAL is durable and SQLite replays it on the next open).
    """

    def __init__(self, path: Path, interval: float = 1.0) -> None:
        super().__init__(name="fieldmat-wal-checkpoint", daemon=True)
        self.path = path
        self.interval = interval
        self._stopping = threading.Event()

    def run(self) -> None:
        while not self._stopping.wait(self.interval):
            self._checkpoint("PASSIVE")

    def stop(self) -> None:
        if self.is_alive():
            self._stopping.set()
            self.join(timeout=10)
        self._checkpoint("TRUNCATE")

    def _checkpoint(self, mode: str) -> None:
        if not self.path.exists():
            return
        try:
            conn = sqlite3.connect(self.path, timeout=5)
            try:
                conn.execute(f"PRAGMA wal_checkpoint({mode})")
            finally:
                conn.close()
        except sqlite3.Error as exc:  # busy or locked: the next round will do it
            log.debug("wal checkpoint %s skipped: %s", mode, exc)


def _check_readable(path: Path) -> None:
    """Raise DatabaseUnreadable unless ``path`` is absent or a readable SQLite file (read-only check)."""
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as fh:
        header = fh.read(16)
    if header != b"SQLite format 3\x00":
        raise DatabaseUnreadable(f"{path} is not a Fieldmat database (not SQLite). It was left untouched.")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            conn.execute("PRAGMA quick_check(1)").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseUnreadable(f"{path} cannot be read ({exc}). It was left untouched.") from exc


class Database:
    """The app's database. Thread-safe; see the module docstring for the contract."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.engine = create_engine(
            f"sqlite:///{path}",
            connect_args={"check_same_thread": False, "timeout": 10},
        )
        event.listen(self.engine, "connect", _on_connect)
        self.write_lock = threading.RLock()
        self._checkpointer = WalCheckpointer(path)
        self._checkpointer.start()

    @classmethod
    def open(cls, folder: Path) -> Database:
        """Open (creating or upgrading) the database in ``folder``.

        Raises DatabaseUnreadable or DatabaseTooNew without writing to the file.
        """
        path = folder / DB_FILE
        _check_readable(path)
        if path.exists():
            _check_not_newer(path)
        db = cls(path)
        db.migrate()
        return db

    def migrate(self) -> None:
        """Upgrade to the newest schema; alembic is only imported when there is work to do."""
        if self.current_revisions() == known_revisions()[1]:
            return  # the common case at startup: already current (alembic costs ~0.5 s to import)
        from alembic import command

        with self.write_lock:
            command.upgrade(alembic_config(self.engine), "heads")

    def current_revisions(self) -> set[str]:
        with self.engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            assert raw is not None
            return _stamped(raw)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session for reads (any thread). Use ``write()`` to change data."""
        with Session(self.engine, expire_on_commit=False) as s:
            yield s

    @contextmanager
    def write(self, *, durable: bool = True) -> Iterator[Session]:
        """A serialized write transaction: commits on success, rolls back on error.

        ``durable=False`` is for bookkeeping that can be rebuilt (what a sync run sent and
        when): its commit does not wait for the disk (``synchronous=NORMAL``). An app crash
        still loses nothing. A power cut may lose the non-durable commits made since the last
        durable one, never a durable commit, and the database stays consistent (the WAL is
        replayed in order, up to the last commit on disk). The next durable commit, or the
        checkpointer within its interval, puts it on disk.
        """
        with self.write_lock, Session(self.engine, expire_on_commit=False) as s:
            raw = None if durable else _driver_connection(s)
            if raw is not None:
                raw.execute("PRAGMA synchronous=NORMAL")  # outside a transaction: nothing begun yet
            try:
                yield s
                s.commit()
            except BaseException:
                s.rollback()
                raise
            finally:
                if raw is not None:
                    raw.execute("PRAGMA synchronous=FULL")

    def close(self) -> None:
        """Stop the checkpointer (final checkpoint) and close every connection."""
        self._checkpointer.stop()
        self.engine.dispose()


_REVISION = re.compile(r"^revision(?::[^=]*)?=\s*[\"']([^\"']+)[\"']", re.M)
_DOWN = re.compile(r"^down_revision(?::[^=]*)?=\s*(.+)$", re.M)


def known_revisions() -> tuple[set[str], set[str]]:
    """(all revisions, head revisions) of the shipped migrations, read from the files.

    Parsing the two assignments is enough to know whether a database is current, without
    importing alembic on every start. ``tests/foundation`` checks it against alembic's view.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        rev = _REVISION.search(text)
        if rev is None:
            continue
        revisions.add(rev.group(1))
        down = _DOWN.search(text)
        if down is not None:
            parents.update(re.findall(r"[\"']([^\"']+)[\"']", down.group(1)))
    return revisions, revisions - parents


def _stamped(conn: Any) -> set[str]:
    has_table = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'").fetchone()
    return {row[0] for row in conn.execute("SELECT version_num FROM alembic_version")} if has_table else set()


def _check_not_newer(path: Path) -> None:
    known = known_revisions()[0]
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        stamped = _stamped(conn)
    finally:
        conn.close()
    unknown = stamped - known
    if unknown:
        raise DatabaseTooNew(
            f"{path} was written by a newer Fieldmat (schema {', '.join(sorted(unknown))}). "
            "Update Fieldmat to open it; the file was left untouched."
        )
