"""The Sync tab inside the real main window: toolbar button, status bar, shutdown."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QToolBar
from pytestqt.qtbot import QtBot

from app.context import AppContext
from tests.sync_ui.helpers import add_squad, fast_engine
from ui.main_window import MainWindow
from ui.sync.panel import SyncPanel


def test_toolbar_sync_button_in_the_window(qtbot: QtBot, team_connected: Any, team_app: Any) -> None:
    ctx = team_connected
    add_squad(ctx, players=3)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    panel = window.sync
    assert isinstance(panel, SyncPanel)
    panel.controller.engine_factory = fast_engine
    toolbar_actions = window.findChild(QToolBar, "mainToolbar").actions()
    assert window.sync_action in toolbar_actions
    qtbot.waitUntil(lambda: panel.controller.statuses != [])  # read in a worker
    assert panel.badge_count == 5
    assert window.sync_action.toolTip() == "Sync now — 5 changes waiting"

    window.tabs.setCurrentIndex(0)  # the user is elsewhere; the window's status bar tells the story
    with qtbot.waitSignal(panel.controller.finished, timeout=20_000):
        window.sync_action.trigger()
        assert window.tabs.currentIndex() == 0
    message = window.statusBar().currentMessage()
    assert message.startswith("Sync finished — Team server: synced, 5 sent")
    qtbot.waitUntil(lambda: panel.badge_count == 0)
    window.close()
    assert not panel.controller.reachability_timer_active


def test_sync_button_works_before_the_sync_area_is_built(qtbot: QtBot, team_connected: Any, team_app: Any) -> None:
    """The window shows before the Sync panel exists (it is built in the warm-up); a click on
    the toolbar button in that moment builds the panel and runs the sync all the same."""
    ctx = team_connected
    add_squad(ctx, players=2)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert not window.sync_area.built
    assert window.sync_action.isEnabled()
    window.sync_action.trigger()
    assert window.sync_area.built
    panel = window.sync
    qtbot.waitUntil(lambda: not panel.controller.running, timeout=20_000)
    assert panel.badge_count == 0
    assert window.statusBar().currentMessage().startswith("Sync finished — Team server: synced, 4 sent")
    window.close()


def test_warm_up_builds_the_sync_area_first_and_shows_the_keychain_warning(qtbot: QtBot, ctx: AppContext) -> None:
    ctx.secrets.persistent = False  # as when keyring has no usable backend
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.tabs.setCurrentIndex(1)
    window.show()
    qtbot.waitUntil(lambda: window.sync_area.built, timeout=5_000)
    assert "No system keychain" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: window.dashboard.built, timeout=20_000)  # then the others, one per turn
    window.close()
