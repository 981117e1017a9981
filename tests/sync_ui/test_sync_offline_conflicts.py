"""Offline state after an unreachable provider, automatic sync when it answers again, conflicts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pytestqt.qtbot import QtBot
from sqlmodel import select

from app.context import AppContext
from app.models.sync import SyncConflict
from sync import accounts
from tests.emulators.server import LocalServer
from tests.sync_ui.helpers import EMAIL, PASSWORD, add_squad, fast_engine
from ui.sync.panel import SyncPanel


def test_unreachable_server_means_offline_and_auto_sync_when_it_answers_again(
    qtbot: QtBot, ctx: AppContext, team_app: Any, make_panel: Callable[..., SyncPanel]
) -> None:
    server = LocalServer(team_app).start()
    accounts.connect(ctx, "team", server.url, EMAIL, PASSWORD)
    add_squad(ctx, players=10)
    # The server goes away (its port now refuses connections).
    port = server.port
    server.stop()
    probes: list[list[str]] = []
    answers = [False]

    def probe(_ctx: AppContext, providers: list[str]) -> bool:
        probes.append(providers)
        return answers[-1]

    panel = make_panel(engine_factory=fast_engine, probe=probe)
    assert not panel.controller.reachability_timer_active  # automatic sync is off by default
    with qtbot.waitSignal(panel.controller.finished, timeout=20_000):
        panel.sync_action().trigger()
    assert panel.controller.offline
    assert panel.status_view.state_label.text() == "Offline — 12 changes waiting"
    assert panel.sync_action().toolTip() == "Offline — 12 changes waiting"
    assert "could not be reached" in panel.status_view.summary.text()
    # After a restart the window still knows it was offline (from the last recorded run).
    restarted = make_panel(engine_factory=fast_engine, probe=probe)
    assert restarted.status_view.state_label.text() == "Offline — 12 changes waiting"
    restarted.shutdown()

    panel.status_view.auto_sync.setChecked(True)
    assert ctx.settings.auto_sync_on_reconnect
    assert panel.controller.reachability_timer_active
    panel.controller.check_reachability()  # what the 60 s timer does
    qtbot.waitUntil(lambda: probes == [["team"]] and not panel.controller.probing)
    assert not panel.controller.running

    # The server is back on the same address: the next check starts a sync.
    again = _serve_on(team_app, port)
    try:
        answers.append(True)
        panel.controller.check_reachability()
        qtbot.waitUntil(lambda: len(probes) == 2)
        qtbot.waitUntil(
            lambda: panel.controller.last_summary is not None and panel.controller.last_summary.ok, timeout=20_000
        )
        qtbot.waitUntil(lambda: panel.badge_count == 0)
        assert not panel.controller.offline
        qtbot.waitUntil(lambda: not panel.controller.reachability_timer_active)  # after the status re-read
    finally:
        again.stop()


def _serve_on(app: Any, port: int) -> LocalServer:
    """Serve ``app`` again on the port it had (LocalServer itself always picks a free one)."""
    import threading

    from tests.emulators import server as srv

    again = LocalServer(app)
    again._server = srv._Server(("127.0.0.1", port), srv._Handler, app)
    again._thread = threading.Thread(target=again._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    again._thread.start()
    return again


def test_conflicts_are_listed_and_dismissed(
    qtbot: QtBot, ctx: AppContext, make_panel: Callable[..., SyncPanel]
) -> None:
    with ctx.db.write() as s:
        s.add(
            SyncConflict(
                provider="team",
                entity="player",
                entity_id="p-123456789",
                winner="remote",
                kept_version={"name": "Ada (my edit)", "shirt_number": 9},
            )
        )
        s.add(
            SyncConflict(
                provider="team",
                entity="match",
                entity_id="m-987654321",
                winner="local",
                kept_version={"venue": "North pitch"},
            )
        )
    panel = make_panel()
    view = panel.conflicts
    assert view.tree.topLevelItemCount() == 2
    assert panel.tabs.tabText(1) == "Conflicts (2)"
    item = next(view.tree.topLevelItem(i) for i in range(2) if view.tree.topLevelItem(i).text(2).startswith("player"))
    view.tree.setCurrentItem(item)
    assert "Ada (my edit)" in view.detail.toPlainText()
    assert item.text(3) == "yours (this computer)"
    view.dismiss_button.click()
    qtbot.waitUntil(lambda: view.tree.topLevelItemCount() == 1, timeout=5_000)
    assert panel.tabs.tabText(1) == "Conflicts (1)"
    with ctx.db.session() as s:
        dismissed = [c.entity for c in s.exec(select(SyncConflict)).all() if c.dismissed]
    assert dismissed == ["player"]


def test_refused_changes_can_be_queued_again(
    qtbot: QtBot, ctx: AppContext, make_panel: Callable[..., SyncPanel]
) -> None:
    from app.models.sync import OutboxEntry

    add_squad(ctx, players=1)
    with ctx.db.write() as s:
        entry = s.exec(select(OutboxEntry).where(OutboxEntry.entity == "player")).one()
        entry.status, entry.last_error = "rejected", "shirt_number must be 0..99"
        s.add(entry)
    panel = make_panel()
    assert panel.badge_count == 2
    button = panel.status_view.retry_button
    assert button.isVisibleTo(panel) and button.text() == "Send the 1 refused change again"
    button.click()
    assert panel.badge_count == 3
    qtbot.waitUntil(lambda: not button.isVisibleTo(panel))  # the status is re-read in a worker


def test_auto_sync_uses_the_core_connection_check(
    qtbot: QtBot, ctx: AppContext, team_app: Any, make_panel: Callable[..., SyncPanel]
) -> None:
    """The real check (the engine's GET /api/health) in a worker, then a sync, when the server is back."""
    server = LocalServer(team_app).start()
    accounts.connect(ctx, "team", server.url, EMAIL, PASSWORD)
    add_squad(ctx, players=1)
    port = server.port
    server.stop()
    panel = make_panel(engine_factory=fast_engine)  # the default probe: the core's check
    panel.status_view.auto_sync.setChecked(True)
    with qtbot.waitSignal(panel.controller.finished, timeout=20_000):
        panel.sync_action().trigger()
    qtbot.waitUntil(lambda: panel.controller.offline and panel.controller.reachability_timer_active)
    health_before = sum(1 for _m, path, _s in team_app.hits if path == "/api/health")

    panel.controller.check_reachability()  # nobody answers: still offline, no sync
    qtbot.waitUntil(lambda: not panel.controller.probing, timeout=10_000)
    assert panel.controller.offline and not panel.controller.running

    again = _serve_on(team_app, port)
    try:
        panel.controller.check_reachability()
        qtbot.waitUntil(
            lambda: panel.controller.last_summary is not None and panel.controller.last_summary.ok, timeout=20_000
        )
        assert sum(1 for _m, path, _s in team_app.hits if path == "/api/health") == health_before + 1
        qtbot.waitUntil(lambda: panel.badge_count == 0)
        assert not panel.controller.offline
        qtbot.waitUntil(lambda: not panel.controller.reachability_timer_active)  # after the status re-read
    finally:
        again.stop()
