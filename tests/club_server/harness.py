"""A real club server for tests: uvicorn on a loopback port in a thread, on SQLite or PostgreSQL.

Each test's database is a copy of a migrated template, so that it starts empty without running
the migrations again: ``CREATE DATABASE ... TEMPLATE`` on PostgreSQL, a copied file on SQLite
(``sqlite_template``, made once per session by the fixtures in ``conftest.py``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg
import uvicorn
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from server.app import create_app
from server.cli import main as server_cli
from server.db import make_engine, normalize_url, open_engine
from server.settings import Settings
from tests import loopback

PG_ENV = "FIELDMAT_TEST_PG_URL"
PASSWORD = "club-Pa55word!"
_TEMPLATE = "fieldmat_server_template"
_template_lock = threading.Lock()
_template_ready = False


def pg_url() -> str | None:
    return os.environ.get(PG_ENV) or None


def _admin(url: str) -> psycopg.Connection[Any]:
    return psycopg.connect(make_url(normalize_url(url)).set(drivername="postgresql").render_as_string(False),
                           autocommit=True)  # fmt: skip


def fresh_pg_database(base: str) -> str:
    """A new, migrated, empty database on the server of ``base``; its URL."""
    global _template_ready
    with _template_lock:
        if not _template_ready:
            with _admin(base) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {_TEMPLATE}")
                conn.execute(f"CREATE DATABASE {_TEMPLATE}")
            url = make_url(normalize_url(base)).set(database=_TEMPLATE).render_as_string(False)
            open_engine(url).dispose()
            _template_ready = True
    name = "fm_" + uuid.uuid4().hex[:16]
    with _admin(base) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE {_TEMPLATE}")
    return make_url(normalize_url(base)).set(database=name).render_as_string(False)


def drop_pg_database(base: str, url: str) -> None:
    name = make_url(url).database
    with _admin(base) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def sqlite_template(path: Path, seed: Callable[[str], object] = lambda _url: None) -> Path:
    """A migrated SQLite database at ``path``, ``seed(url)`` applied, checkpointed (no WAL left): a file to copy."""
    open_engine(sqlite_url(path)).dispose()
    seed(sqlite_url(path))
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@contextmanager
def database(kind: str, tmp_path: Path, template: Path) -> Iterator[str]:
    """A fresh database: on SQLite a copy of ``template``; on PostgreSQL one from its own template."""
    if kind == "sqlite":
        shutil.copyfile(template, tmp_path / "server.db")
        yield sqlite_url(tmp_path / "server.db")
        return
    import pytest

    base = pg_url()
    if base is None:
        pytest.skip(f"no PostgreSQL for the server tests: set {PG_ENV} (.ci/run starts one)")
    url = fresh_pg_database(base)
    try:
        yield url
    finally:
        drop_pg_database(base, url)


def add_club_user(db_url: str, club: str, email: str, password: str = PASSWORD) -> None:
    """Through the operator's commands, as a club would."""
    os.environ["FIELDMAT_SERVER_PASSWORD"] = password
    try:
        assert server_cli(["club", "add", club, "--db", db_url]) in (0, 1)
        assert server_cli(["user", "add", "--club", club, "--email", email, "--db", db_url]) == 0
    finally:
        del os.environ["FIELDMAT_SERVER_PASSWORD"]


@dataclass
class RunningServer:
    url: str
    db_url: str
    engine: Engine
    uvicorn: uvicorn.Server

    def login(self, email: str, password: str = PASSWORD) -> dict[str, str]:
        r = loopback.post(self.url + "/api/auth/login", json={"email": email, "password": password})
        assert r.status_code == 200, r.text
        return {"Authorization": "Bearer " + r.json()["access_token"]}

    def client(self, email: str | None = None) -> httpx.Client:
        headers = self.login(email) if email else {}
        return loopback.client(base_url=self.url, headers=headers, timeout=10)


@contextmanager
def serve(db_url: str, api: str = "team", **settings: Any) -> Iterator[RunningServer]:
    engine = make_engine(db_url)
    from server.db import upgrade

    upgrade(engine)
    defaults: dict[str, Any] = {"rate_per_token": 0, "rate_per_address": 0, "login_rate_per_address": 0}
    app = create_app(Settings(db_url=db_url, api=api, **{**defaults, **settings}), engine=engine)
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", access_log=False, lifespan="on",
                            ws="websockets-sansio")  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    started = threading.Event()
    for _ in range(400):
        if server.started:
            started.set()
            break
        threading.Event().wait(0.025)
    assert started.is_set(), "the server did not start"
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield RunningServer(f"http://127.0.0.1:{port}", db_url, engine, server)
    finally:
        server.should_exit = True
        thread.join(10)
        engine.dispose()
