"""Fixtures for sync tests: loopback emulators, a connected context, a fast engine, data helpers."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from app.context import AppContext
from sync import accounts
from sync.engine import SyncEngine
from sync.http import make_client, no_sleep_policy
from tests.emulators.server import STALL_READ_TIMEOUT_S, LocalServer
from tests.emulators.team import TeamServer
from tests.emulators.yoga import YogaServer
from tests.sync.helpers import EMAIL, PASSWORD


@pytest.fixture
def team_app() -> TeamServer:
    app = TeamServer()
    app.add_user(EMAIL, PASSWORD)
    return app


@pytest.fixture
def team_server(team_app: TeamServer) -> Iterator[LocalServer]:
    with LocalServer(team_app) as server:
        yield server


@pytest.fixture
def yoga_app() -> YogaServer:
    app = YogaServer()
    app.add_user(EMAIL, PASSWORD)
    return app


@pytest.fixture
def yoga_server(yoga_app: YogaServer) -> Iterator[LocalServer]:
    with LocalServer(yoga_app) as server:
        yield server


def fast_client() -> httpx.Client:
    return make_client(timeout=httpx.Timeout(1.0))


def stall_client() -> httpx.Client:
    """A client that gives up reading after ``STALL_READ_TIMEOUT_S``: shorter than a ``slow`` fault's stall."""
    return make_client(timeout=httpx.Timeout(10.0, read=STALL_READ_TIMEOUT_S))


@pytest.fixture
def engine(ctx: AppContext) -> SyncEngine:
    return SyncEngine(ctx, client_factory=fast_client, retry=no_sleep_policy(4))


@pytest.fixture
def stall_engine(ctx: AppContext) -> SyncEngine:
    """The ``engine`` for runs that meet a ``slow`` fault: it times out on the stall, and soon."""
    return SyncEngine(ctx, client_factory=stall_client, retry=no_sleep_policy(4))


@pytest.fixture
def team_ctx(ctx: AppContext, team_server: LocalServer) -> AppContext:
    with fast_client() as client:
        accounts.connect(ctx, "team", team_server.url, EMAIL, PASSWORD, client=client)
    return ctx


@pytest.fixture
def yoga_ctx(ctx: AppContext, yoga_server: LocalServer) -> AppContext:
    with fast_client() as client:
        accounts.connect(ctx, "yoga", yoga_server.url, EMAIL, PASSWORD, client=client)
    return ctx
