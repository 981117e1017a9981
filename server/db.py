"""Opening the server's database: the URL, the engine, and the schema upgrade.

Whichever command opens a database first creates or upgrades its schema (alembic, under a
PostgreSQL advisory lock so that several processes starting together do it once).
"""

from __future__ import annotations

import sqlite3
import threading
import time
import weakref
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

_MIGRATION_LOCK = 0x46_4D_53  # any constant the club's other programs do not use


def default_url() -> str:
    folder = Path(user_data_dir("fieldmat-server", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'server.db'}"


def normalize_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` mean psycopg 3; anything else is passed to SQLAlchemy."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


def _sqlite_pragmas(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # transactions are begun explicitly (BEGIN IMMEDIATE below)
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    # A write takes the lock at once, so record stamps follow commit order; reads do not wait.
    conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get("fieldmat_read") else "BEGIN IMMEDIATE")


_WRITE_LOCKS: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()
_REGISTRY_LOCK = threading.Lock()


def write_lock(engine: Engine) -> AbstractContextManager[Any]:
    """On SQLite, one writer at a time in this process: waiting on a Python lock wakes at once,
    where SQLite's busy handler sleeps in steps of up to 100 ms (a latency spike under load).
    PostgreSQL needs none: its row locks queue writers."""
    if engine.dialect.name != "sqlite":
        return nullcontext()
    with _REGISTRY_LOCK:
        return _WRITE_LOCKS.setdefault(engine, threading.Lock())


def make_engine(url: str) -> Engine:
    url = normalize_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        memory = parsed.database in (None, "", ":memory:")
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 10},
            poolclass=StaticPool if memory else None,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


def upgrade(engine: Engine) -> None:
    """Create or upgrade the schema to the newest revision."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    if is_postgres(engine):
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _MIGRATION_LOCK})
            try:
                config.attributes["connection"] = conn
                command.upgrade(config, "head")
                conn.commit()
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _MIGRATION_LOCK})
                conn.commit()
        return
    for attempt in range(5):  # two SQLite processes starting together: the loser retries
        try:
            with engine.connect() as conn:
                config.attributes["connection"] = conn
                command.upgrade(config, "head")
                conn.commit()
            return
        except Exception:
            if attempt == 4:
                raise
            time.sleep(0.2 * (attempt + 1))


def open_engine(url: str | None) -> Engine:
    engine = make_engine(url or default_url())
    upgrade(engine)
    return engine
