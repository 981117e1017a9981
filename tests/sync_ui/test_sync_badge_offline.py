"""The Sync button's badge and the offline state."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from app.context import AppContext
from app.match.service import MatchService
from app.match.types import roster_change
from ui.sync.panel import SyncPanel


def test_badge_counts_changes_waiting_after_a_local_change(
    qtbot: QtBot, ctx: AppContext, make_panel: Callable[..., SyncPanel]
) -> None:
    panel = make_panel()
    assert panel.badge_count == 0
    assert panel.sync_action().text() == "Sync"
    before = panel.sync_action().icon().pixmap(32, 32).toImage()

    lions = MatchService(ctx.db).create_team("Lions")
    panel.test_bus.announce(roster_change(lions.id).changes)  # type: ignore[attr-defined]

    qtbot.waitUntil(lambda: panel.badge_count == 1)
    assert "1 change waiting" in panel.sync_action().toolTip()
    assert panel.sync_action().icon().pixmap(32, 32).toImage() != before  # the badge is drawn

    service = MatchService(ctx.db)
    team = service.list_teams()[0]
    ada = service.add_player(team.id, "Ada", 9)
    panel.test_bus.announce(roster_change(team.id, ada.id).changes)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: panel.badge_count == 2)


def test_offline_when_no_account_is_connected(
    qtbot: QtBot, ctx: AppContext, make_panel: Callable[..., SyncPanel]
) -> None:
    MatchService(ctx.db).create_team("Lions")
    panel = make_panel()
    qtbot.waitUntil(lambda: panel.badge_count == 1)
    assert panel.controller.offline
    assert panel.status_view.state_label.text().startswith("Offline — 1 change waiting")
    assert "Offline — 1 change waiting" in panel.sync_action().toolTip()
