"""Club server fixtures: a running server on SQLite and, where one is given, on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.club_server.harness import RunningServer, add_club_user, database, serve

EMAIL = "coach@riverside.example"
OTHER_EMAIL = "coach@hillside.example"


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def team_server(db_url: str) -> Iterator[RunningServer]:
    add_club_user(db_url, "Riverside", EMAIL)
    add_club_user(db_url, "Hillside", OTHER_EMAIL)
    with serve(db_url) as server:
        yield server


@pytest.fixture
def yoga_server(db_url: str) -> Iterator[RunningServer]:
    with serve(db_url, api="yoga") as server:
        yield server
