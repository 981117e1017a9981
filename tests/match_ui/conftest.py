"""Fixtures for the match screens: a fake wall clock on the AppContext and a shown MatchPanel."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from app.context import AppContext
from tests.fakes import FakeClock


@pytest.fixture
def clock(ctx: AppContext) -> FakeClock:
    fake = FakeClock()
    ctx.clock = fake
    return fake


@pytest.fixture
def panel(qtbot: QtBot, ctx: AppContext, clock: FakeClock) -> Iterator[Any]:
    from ui.bus import ChangeBus
    from ui.main_window import match_sharing
    from ui.match.panel import MatchPanel

    bus = ChangeBus()
    widget = MatchPanel(ctx, bus, sharing=match_sharing(ctx))
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.shutdown()
    widget.close()
