"""The Sync tab inside the real main window: toolbar button, status bar, shutdown."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QToolBar
from pytestqt.qtbot import QtBot

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
    assert panel.badge_count == 5
    assert window.sync_action.toolTip() == "Sync now — 5 changes waiting"

    window.tabs.setCurrentIndex(0)  # the user is elsewhere; the window's status bar tells the story
    with qtbot.waitSignal(panel.controller.finished, timeout=20_000):
        window.sync_action.trigger()
        assert window.tabs.currentIndex() == 0
    message = window.statusBar().currentMessage()
    assert message.startswith("Sync finished — Team server: success, 5 sent")
    qtbot.waitUntil(lambda: panel.badge_count == 0)
    window.close()
    assert not panel.controller.reachability_timer_active
