"""A sync that pulls matches announces what it stored, by id, and the Matches list shows them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pytestqt.qtbot import QtBot

from app.changes import ChangeSet
from tests.sync.helpers import seed_remote_match
from tests.sync_ui.helpers import fast_engine
from ui.match.panel import MatchPanel
from ui.sync.panel import SyncPanel


def test_a_pull_announces_the_matches_it_stored_and_the_list_shows_them(
    qtbot: QtBot, team_connected: Any, team_app: Any, make_panel: Callable[..., SyncPanel]
) -> None:
    ctx = team_connected
    team_id, _player_id, match_id, event_ids = seed_remote_match(team_app, goals=2)
    sync = make_panel(engine_factory=fast_engine)
    bus = sync.test_bus  # type: ignore[attr-defined]
    matches = MatchPanel(ctx, bus)
    qtbot.addWidget(matches)
    assert matches.list_page.matches == []
    announced: list[ChangeSet] = []
    bus.changed.connect(announced.append)

    with qtbot.waitSignal(sync.controller.finished, timeout=20_000):
        sync.sync_action().trigger()

    change = announced[-1]
    assert change.is_whole("sync")
    assert change.matches == {match_id} and change.teams == {team_id}
    assert change.events == set(event_ids) and change.event_matches == {match_id}
    assert not change.practice_sessions and not change.providers  # nothing else was pulled
    shown = matches.list_page.matches
    assert [(m.id, m.home_team, m.home_score, m.away_score) for m in shown] == [(match_id, "Other device FC", 2, 0)]

    # a second sync pulls nothing: the sync state is announced, no match record
    with qtbot.waitSignal(sync.controller.finished, timeout=20_000):
        sync.sync_action().trigger()
    assert announced[-1] == ChangeSet.topic("sync")
    matches.shutdown()
