"""Fixtures for the match screens: a fake wall clock on the AppContext and a shown MatchPanel."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pytestqt.qtbot import QtBot


class FakeClock:
    """The wall clock the service derives the match clock from (the OS edge we fake)."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: float = 0, seconds: float = 0) -> None:
        self.now += timedelta(minutes=minutes, seconds=seconds)


@pytest.fixture
def clock(ctx: Any) -> FakeClock:
    fake = FakeClock()
    ctx.clock = fake
    return fake


@pytest.fixture
def panel(qtbot: QtBot, ctx: Any, clock: FakeClock) -> Iterator[Any]:
    from ui.bus import ChangeBus
    from ui.match.panel import MatchPanel

    bus = ChangeBus()
    widget = MatchPanel(ctx, bus)
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.shutdown()
    widget.close()
