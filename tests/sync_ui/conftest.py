"""Fixtures for the Sync tab tests: a real SyncPanel on the test's AppContext, emulators."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot

from app.context import AppContext
from tests.emulators.server import LocalServer
from tests.sync_ui.helpers import EMAIL, PASSWORD
from ui.bus import ChangeBus
from ui.sync.panel import SyncPanel


class Browser:
    """Stands in for QDesktopServices.openUrl: records what the app asked to open."""

    def __init__(self) -> None:
        self.opened: list[str] = []

    def __call__(self, url: QUrl) -> bool:
        self.opened.append(url.toString())
        return True


@pytest.fixture
def browser() -> Browser:
    return Browser()


@pytest.fixture
def make_panel(qtbot: QtBot, ctx: AppContext, browser: Browser) -> Iterator[Callable[..., SyncPanel]]:
    """Build SyncPanels; each one is shut down (timer stopped, work cancelled) after the test."""
    panels: list[SyncPanel] = []

    def make(**kwargs: Any) -> SyncPanel:
        bus = ChangeBus()
        kwargs.setdefault("open_url", browser)
        panel = SyncPanel(ctx, bus, **kwargs)
        panel.test_bus = bus  # type: ignore[attr-defined]
        qtbot.addWidget(panel)
        panels.append(panel)
        qtbot.waitUntil(lambda: panel.controller.statuses != [])
        return panel

    yield make
    for panel in panels:
        panel.shutdown()


@pytest.fixture
def serve() -> Iterator[Callable[[Any], LocalServer]]:
    """Start emulators on 127.0.0.1; all stopped after the test."""
    servers: list[LocalServer] = []

    def start(app: Any) -> LocalServer:
        server = LocalServer(app).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def team_app() -> Any:
    from tests.emulators.team import TeamServer

    app = TeamServer()
    app.add_user(EMAIL, PASSWORD)
    return app


@pytest.fixture
def team_url(team_app: Any, serve: Callable[[Any], LocalServer]) -> str:
    return serve(team_app).url


@pytest.fixture
def team_connected(ctx: AppContext, team_url: str) -> Any:
    from sync import accounts

    accounts.connect(ctx, "team", team_url, EMAIL, PASSWORD)
    return ctx
