"""The main window: its structure, shortcuts, remembered geometry and tab, background ops."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from app.context import AppContext
from ui.main_window import MainWindow
from ui.ops import CancelToken, run_op


def test_window_has_the_four_areas(qtbot: QtBot, ctx: AppContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    titles = [window.tabs.tabText(i).replace("&", "") for i in range(window.tabs.count())]
    assert titles == ["Practice", "Matches", "Dashboard", "Sync"]
    menus = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert menus == ["File", "View", "Sync", "Help"]
    assert window.sync_action.text() == "Sync"


def test_geometry_and_tab_are_remembered(qtbot: QtBot, ctx: AppContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(700, 520)
    window.show()
    window.tabs.setCurrentIndex(2)
    window.close()
    again = MainWindow(ctx)
    qtbot.addWidget(again)
    assert again.tabs.currentIndex() == 2
    assert (again.width(), again.height()) == (700, 520)


def test_ctrl_number_switches_tabs(qtbot: QtBot, ctx: AppContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    by_shortcut = {a.shortcut().toString(): a for a in window.actions()}
    assert set(by_shortcut) >= {"Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4"}
    by_shortcut["Ctrl+3"].trigger()
    assert window.tabs.currentIndex() == 2


def test_run_op_returns_on_gui_thread(qtbot: QtBot) -> None:
    import threading

    results: list[Any] = []
    main = threading.get_ident()

    def work(token: CancelToken) -> int:
        assert threading.get_ident() != main
        return 42

    owner = QObject()
    run_op(owner, work, on_success=lambda r: results.append((r, threading.get_ident())))
    qtbot.waitUntil(lambda: bool(results))
    assert results == [(42, main)]


def test_run_op_reports_failure_and_cancel(qtbot: QtBot) -> None:
    import threading

    errors: list[BaseException] = []
    owner = QObject()
    run_op(owner, lambda t: 1 / 0, on_failure=errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], ZeroDivisionError)

    started = threading.Event()
    outcome: list[str] = []

    def slow(token: CancelToken) -> str:
        started.set()
        while not token.cancelled:
            token.raise_if_cancelled() if token.cancelled else threading.Event().wait(0.01)
        token.raise_if_cancelled()
        return "not cancelled"

    op = run_op(owner, slow, on_success=outcome.append, on_failure=lambda e: outcome.append("failed"))
    started.wait(2)
    op.cancel()
    qtbot.waitUntil(lambda: op.finished)
    assert outcome == []


def test_preferences_dialog_saves_settings(qtbot: QtBot, ctx: AppContext) -> None:
    from app.config import load_settings
    from ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.hold_seconds.setValue(3.5)
    dialog.speech.setChecked(False)
    dialog.backfill.setValue(200)
    dialog.accept()
    saved = load_settings(ctx.home)
    assert (saved.hold_seconds, saved.speech_enabled, saved.backfill_days) == (3.5, False, 200)


def test_outdoor_theme_from_the_view_menu_is_remembered(qtbot: QtBot, ctx: AppContext) -> None:
    from PySide6.QtWidgets import QApplication

    from ui.theme import apply_outdoor_theme, is_outdoor

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    try:
        window.outdoor_action.trigger()
        assert is_outdoor(app)
        window.close()
        apply_outdoor_theme(app, False)
        again = MainWindow(ctx)
        qtbot.addWidget(again)
        assert again.outdoor_action.isChecked()
        assert is_outdoor(app)
    finally:
        apply_outdoor_theme(app, False)


def test_areas_are_built_after_the_window_shows(qtbot: QtBot, ctx: AppContext) -> None:
    from ui.dashboard.panel import DashboardPanel
    from ui.match.panel import MatchPanel
    from ui.practice.panel import PracticePanel

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert not (window.practice.built or window.matches.built or window.dashboard.built)
    window.tabs.setCurrentIndex(1)
    window.show()
    assert window.matches.built  # the visible area is built as it shows
    qtbot.waitUntil(lambda: window.practice.built and window.dashboard.built)
    assert isinstance(window.practice.panel(), PracticePanel)
    assert isinstance(window.matches.panel(), MatchPanel)
    assert isinstance(window.dashboard.panel(), DashboardPanel)
    window.close()
