"""Club server fixtures: a running server on SQLite and, where one is given, on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.club_server.harness import RunningServer, add_club_user, database, serve, sqlite_template

EMAIL = "coach@riverside.example"
OTHER_EMAIL = "coach@hillside.example"


def add_two_clubs(db_url: str) -> None:
    """Riverside and Hillside, a coach each, added with the operator's commands."""
    add_club_user(db_url, "Riverside", EMAIL)
    add_club_user(db_url, "Hillside", OTHER_EMAIL)


@pytest.fixture(scope="session")
def empty_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite server database with nothing in it, made once per session (copied per test)."""
    return sqlite_template(tmp_path_factory.mktemp("server-template") / "empty.db")


@pytest.fixture(scope="session")
def two_clubs_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``empty_sqlite`` with ``add_two_clubs`` done, once per session: the argon2 hashing of two
    passwords, a quarter of a second, is not paid again by every test."""
    return sqlite_template(tmp_path_factory.mktemp("server-template") / "two-clubs.db", add_two_clubs)


@pytest.fixture(params=["sqlite", "postgres"])
def db_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db_url(db_kind: str, tmp_path: Path, empty_sqlite: Path) -> Iterator[str]:
    """A fresh, empty server database."""
    with database(db_kind, tmp_path, empty_sqlite) as url:
        yield url


@pytest.fixture
def team_db_url(db_kind: str, tmp_path: Path, two_clubs_sqlite: Path) -> Iterator[str]:
    """A fresh server database where Riverside and Hillside each have a coach (``add_two_clubs``)."""
    with database(db_kind, tmp_path, two_clubs_sqlite) as url:
        if db_kind != "sqlite":
            add_two_clubs(url)
        yield url


@pytest.fixture
def team_server(team_db_url: str) -> Iterator[RunningServer]:
    """The team API on ``team_db_url`` (another server on the same database: ``serve(team_server.db_url)``)."""
    with serve(team_db_url) as server:
        yield server


@pytest.fixture
def yoga_server(db_url: str) -> Iterator[RunningServer]:
    with serve(db_url, api="yoga") as server:
        yield server
