"""Ctrl+N opens a new match and Ctrl+, opens Preferences on the real main window.

The offscreen platform the tests run on has no active window, so a key press never reaches
the shortcut map: the tests find the window's action bound to each key (as the Ctrl+1..4
test does) and trigger it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from app.context import AppContext
from ui.main_window import MainWindow


def action_for(window: MainWindow, key: str) -> QAction:
    found = [a for a in window.actions() if key in [s.toString() for s in a.shortcuts()]]
    assert len(found) == 1, f"{key} is bound to {len(found)} actions"
    return found[0]


def test_ctrl_n_opens_the_new_match_dialog(qtbot: QtBot, ctx: AppContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentIndex(0)
    action_for(window, "Ctrl+N").trigger()
    assert window.tabs.tabText(window.tabs.currentIndex()).replace("&", "") == "Matches"
    panel: Any = window.matches.panel()
    qtbot.waitUntil(lambda: panel.new_match_dialog is not None and panel.new_match_dialog.isVisible())
    panel.new_match_dialog.reject()


def test_ctrl_comma_opens_preferences(qtbot: QtBot, ctx: AppContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    seen: list[str] = []

    def close_it() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog):
            seen.append(type(dialog).__name__)
            dialog.reject()

    QTimer.singleShot(200, close_it)
    action_for(window, "Ctrl+,").trigger()
    assert seen == ["SettingsDialog"]
