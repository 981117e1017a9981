"""A sync that pulls matches announces what it stored, by id, and the Matches list shows them."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from pytestqt.qtbot import QtBot

from app.changes import ChangeSet
from tests.sync_ui.helpers import fast_engine
from ui.match.panel import MatchPanel
from ui.sync.panel import SyncPanel


def seed_remote_match(team_app: Any, goals: int) -> tuple[str, str, list[str]]:
    """A team, a player and a match with ``goals`` goals, made on another device."""
    team_id, player_id, match_id = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    event_ids = [str(uuid.uuid4()) for _ in range(goals)]
    with team_app.lock:
        team_app._store_new("team", {"id": team_id, "name": "Other device FC"})
        team_app._store_new("player", {"id": player_id, "team_id": team_id, "name": "Remote Rita"})
        team_app._store_new(
            "match",
            {
                "id": match_id,
                "team_id": team_id,
                "home_team": "Other device FC",
                "away_team": "Away Town",
                "kickoff_at": "2026-05-01T09:00:00Z",
            },
        )
        for n, event_id in enumerate(event_ids):
            team_app._store_new(
                "event",
                {
                    "id": event_id,
                    "match_id": match_id,
                    "kind": "goal",
                    "team": "home",
                    "player_id": player_id,
                    "period": 1,
                    "clock_ms": 60_000 * (n + 1),
                    "logged_at": "2026-05-01T09:10:00Z",
                },
            )
    return team_id, match_id, event_ids


def test_a_pull_announces_the_matches_it_stored_and_the_list_shows_them(
    qtbot: QtBot, team_connected: Any, team_app: Any, make_panel: Callable[..., SyncPanel]
) -> None:
    ctx = team_connected
    team_id, match_id, event_ids = seed_remote_match(team_app, goals=2)
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
