"""ChangeSet (app.changes): merging, the areas a set touches, and what each service call's
change set names (real SQLite through the match and practice services)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.changes import ChangeSet
from app.context import AppContext
from app.match.service import MatchService
from app.practice.service import NewHold, PracticeService


def test_merge_areas_and_touches() -> None:
    a = ChangeSet.of(event_matches=["m1"], events=["e1"], practice_sessions=[None, ""])
    b = ChangeSet.of(practice_sessions=["s1"]) | ChangeSet.topic("sync")
    merged = a | b
    assert merged == ChangeSet.merge([a, b])
    assert merged.areas == {"match", "practice", "sync"}
    assert merged.touches("practice") and not merged.touches("providers", "settings")
    assert merged.touches_match("m1") and not merged.touches_match("m2") and not merged.touches_match(None)
    assert ChangeSet.topic("match").touches_match("any") and ChangeSet.topic("match").is_whole("match")
    assert not ChangeSet() and not ChangeSet.of(matches=[None])
    assert ChangeSet.of(players=["p"]).touches_roster(["t"], ["p"])
    assert not ChangeSet.of(players=["p"]).touches_roster(["t"], ["q"])
    with pytest.raises(ValueError, match="unknown change area"):
        ChangeSet.topic("matches")


def test_each_match_service_call_says_what_it_changed(ctx: AppContext) -> None:
    service = MatchService(ctx.db)
    team = service.create_team("Riverside")
    player = service.add_player(team.id, "Cara", 7)
    match = service.create_match("Riverside", "Hill", datetime(2026, 5, 2, 10, tzinfo=UTC), team_id=team.id)

    kickoff = service.start_period(match.id).changes
    assert kickoff.clocks == {match.id} and kickoff.event_matches == {match.id} and len(kickoff.events) == 1
    assert not kickoff.matches and not kickoff.players

    pause = service.pause(match.id).changes
    assert pause == ChangeSet.of(clocks=[match.id])

    goal = service.log_event(match.id, "goal", "home", player_id=player.id)
    logged = goal.changes
    assert logged == ChangeSet.of(event_matches=[match.id], events=goal.event_ids)  # the player row did not change
    assert service.undo() is not None  # undo: the same events again
    lineup = service.set_lineup(match.id, []).changes
    assert lineup == ChangeSet.of(lineups=[match.id])
    assert service.delete_player(player.id).changes == ChangeSet.of(teams=[team.id], players=[player.id])
    assert service.delete_match(match.id).changes == ChangeSet.of(matches=[match.id])


def test_practice_events_name_their_session(ctx: AppContext) -> None:
    service = PracticeService(ctx)
    started = service.start_session()
    assert not started.changes  # a running session is nobody else's business yet
    now = ctx.clock()
    saved = service.record_hold(
        started.session.id,
        NewHold("tree", "Tree", now, now, hold_s=5.0, accuracy=80.0, best_accuracy=85.0),
    )
    assert saved.changes == ChangeSet.of(practice_sessions=[started.session.id])
    stopped = service.stop_session(started.session.id)
    assert stopped.changes == ChangeSet.of(practice_sessions=[started.session.id])
    empty = service.start_session()
    assert not service.stop_session(empty.session.id).changes  # discarded: never shown anywhere
