"""The Sync button against the team server emulator: progress, responsiveness, summary, cancel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot
from sqlmodel import select

from app.changes import ChangeSet
from app.context import AppContext
from app.models.sync import OutboxEntry, SyncLog
from tests.sync_ui.helpers import EMAIL, PASSWORD, add_squad, fast_engine
from ui.sync.accounts import ConnectDialog
from ui.sync.panel import SyncPanel


def _outbox(ctx: AppContext) -> list[OutboxEntry]:
    with ctx.db.session() as s:
        return list(s.exec(select(OutboxEntry)).all())


def test_sync_button_shows_progress_and_summary(
    qtbot: QtBot, team_connected: Any, team_app: Any, make_panel: Callable[..., SyncPanel]
) -> None:
    ctx = team_connected
    made = add_squad(ctx)
    panel = make_panel(engine_factory=fast_engine)
    assert panel.badge_count == made
    assert not panel.controller.offline
    announced: list[ChangeSet] = []
    panel.test_bus.changed.connect(announced.append)  # type: ignore[attr-defined]
    progress: list[Any] = []
    panel.controller.progressed.connect(progress.append)

    with qtbot.waitSignal(panel.controller.finished, timeout=20_000) as finished:
        panel.sync_action().trigger()
        assert panel.controller.running
        assert not panel.sync_action().isEnabled()
        assert panel.status_view.cancel_button.isVisibleTo(panel)
    summary = finished.args[0]

    # Progress was reported per provider while it ran and shown in the table.
    assert any(e.provider == "team" and e.phase == "push" for e in progress)
    assert any(e.provider == "team" and e.phase == "pull" for e in progress)
    # The summary: what was sent per resource, no errors.
    result = summary.result("team")
    assert result is not None and result.status == "synced", result.describe()
    assert result.total_pushed == made
    text = panel.status_view.summary.text()
    assert text.startswith("Sync finished.")
    assert "Team server: synced — sent" in text
    assert "12 player" in text.replace("players", "player")
    assert panel.status_view.counts("team")[0] == made
    # The server has the squad; nothing waits; the other panels were told.
    assert len(team_app.records("player")) == 12
    # what was only sent stored nothing here: the other panels are told the sync state changed
    assert announced[-1] == ChangeSet.topic("sync")
    qtbot.waitUntil(lambda: panel.badge_count == 0)
    assert panel.sync_action().isEnabled()
    assert not panel.status_view.cancel_button.isVisibleTo(panel)
    assert panel.status_view.state_label.text() == "Online — everything is sent"

    # A change from another device is received; the summary says what came in.
    player_id = next(iter(team_app.records("player")))
    team_app.edit("player", player_id, name="Renamed elsewhere")
    with qtbot.waitSignal(panel.controller.finished, timeout=20_000):
        panel.sync_action().trigger()
    assert "received 1 player" in panel.status_view.summary.text()
    assert player_id in announced[-1].players and announced[-1].is_whole("sync")  # what the pull stored
    assert panel.status_view.counts("team") == (0, 1)


def test_app_stays_responsive_while_sync_runs(
    qtbot: QtBot, team_connected: Any, team_app: Any, make_panel: Callable[..., SyncPanel]
) -> None:
    ctx = team_connected
    add_squad(ctx, players=2)
    team_app.inject("slow", path="/api/teams", method="GET", delay=1.5)  # the pull of teams answers late
    panel = make_panel(engine_factory=fast_engine)

    ticks: list[int] = []
    timer = QTimer()
    timer.setInterval(50)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    try:
        panel.sync_action().trigger()
        # While the server is slow the GUI thread keeps running timers and shows progress.
        qtbot.waitUntil(lambda: len(ticks) >= 10, timeout=5_000)
        assert panel.controller.running, "the sync should still be waiting on the slow server"
        assert panel.status_view.state_label.text() == "Syncing…"
        assert panel.status_view.counts("team")[0] == 4  # the push is done and shown
        qtbot.waitUntil(lambda: not panel.controller.running, timeout=20_000)
    finally:
        timer.stop()
    assert panel.controller.last_summary is not None
    assert panel.controller.last_summary.ok


def test_cancel_ends_the_sync_as_cancelled_and_nothing_is_half_written(
    qtbot: QtBot, team_connected: Any, team_app: Any, make_panel: Callable[..., SyncPanel]
) -> None:
    ctx = team_connected
    made = add_squad(ctx, players=12)
    # Every player create is slow, so the push is still running when Cancel is pressed.
    team_app.inject("slow", path=None, method="POST", times=100, delay=0.3)
    panel = make_panel(engine_factory=fast_engine)
    progress: list[Any] = []
    panel.controller.progressed.connect(progress.append)

    panel.sync_action().trigger()
    qtbot.waitUntil(lambda: any(e.phase == "push" and e.done >= 1 for e in progress), timeout=10_000)
    with qtbot.waitSignal(panel.controller.finished, timeout=20_000) as finished:
        panel.status_view.cancel_button.click()
        assert panel.status_view.state_label.text() == "Cancelling…"
    result = finished.args[0].result("team")
    assert result.status == "cancelled"
    assert panel.status_view.summary.text().startswith("Sync cancelled.")

    # Nothing half-written: each change is either sent and closed, or still waiting.
    entries = _outbox(ctx)
    done = {e.entity_id for e in entries if e.status == "done"}
    pending = {e.entity_id for e in entries if e.status == "pending"}
    on_server = set(team_app.records("team")) | set(team_app.records("player")) | set(team_app.records("match"))
    assert 0 < len(done) < made
    assert done <= on_server
    assert len(done) + len(pending) == made
    with ctx.db.session() as s:
        logs = list(s.exec(select(SyncLog)).all())
    assert [log.status for log in logs] == ["cancelled"]
    qtbot.waitUntil(lambda: panel.badge_count == len(pending))

    # A new sync sends the rest.
    team_app.clear_faults()
    with qtbot.waitSignal(panel.controller.finished, timeout=20_000):
        panel.sync_action().trigger()
    assert len(team_app.records("player")) == 12
    qtbot.waitUntil(lambda: panel.badge_count == 0)


def test_auth_error_asks_to_log_in_again(
    qtbot: QtBot, team_connected: Any, team_app: Any, team_url: str, make_panel: Callable[..., SyncPanel]
) -> None:
    ctx = team_connected
    add_squad(ctx, players=1)
    team_app.users[EMAIL] = "changed-elsewhere"
    team_app.expire_tokens()
    panel = make_panel(engine_factory=fast_engine)
    with qtbot.waitSignal(panel.controller.finished, timeout=20_000):
        panel.sync_action().trigger()
    assert "needs you to log in again" in panel.status_view.summary.text()
    dialog = panel.connect_dialogs.get("team")
    assert isinstance(dialog, ConnectDialog) and dialog.isVisible()
    assert "did not accept the saved sign-in" in dialog.findChild(type(dialog.card.message), "reason").text()
    qtbot.waitUntil(lambda: dialog.card.reconnect_label.isVisibleTo(dialog.card))

    team_app.users[EMAIL] = PASSWORD
    card = dialog.card
    assert card.url.text() == team_url  # type: ignore[attr-defined]
    card.password.setText(PASSWORD)  # type: ignore[attr-defined]
    card.connect_button.click()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    qtbot.waitUntil(lambda: not panel.accounts.cards["team"].reconnect_label.isVisibleTo(panel))
    with qtbot.waitSignal(panel.controller.finished, timeout=20_000) as finished:
        panel.sync_action().trigger()
    assert finished.args[0].ok
