"""Team server contract 1.1 through a real sync run: a cup match with both squads, every new
event kind, extra time, a shoot-out and a second-yellow red travel with their 1.1 fields, and
a server-side change to one comes back on pull."""

from __future__ import annotations

from sqlmodel import select

from app.context import AppContext
from app.match import MatchService
from app.models.match import Match, MatchEvent
from sync.engine import SyncEngine
from tests.emulators.team import TeamServer
from tests.match.conftest import FakeClock
from tests.match.test_match_import_rules import play_cup, two_squads


def test_a_cup_match_travels_with_its_1_1_fields(
    team_ctx: AppContext, team_app: TeamServer, engine: SyncEngine
) -> None:
    clock = FakeClock()
    svc = MatchService(team_ctx.db, clock=clock)
    m = two_squads(svc, clock)
    play_cup(svc, clock, m)
    mid = m["match"].id
    result = engine.run().result("team")
    assert result is not None and result.status == "synced", result and result.describe()

    match = team_app.records("match")[mid]
    assert (match["regular_periods"], match["extra_time_length_min"]) == (2, 5)
    assert (match["home_team_id"], match["away_team_id"]) == (m["home"].id, m["away"].id)
    assert match["current_period"] == 5
    assert team_app.out("match", match)["score"] == {"home": 1, "away": 1, "shootout": {"home": 1, "away": 0}}
    events = [e for e in team_app.records("event").values() if e["match_id"] == mid]
    assert {e["kind"] for e in events} >= {
        "shot_on_target",
        "shot_off_target",
        "corner",
        "offside",
        "shootout_goal",
        "shootout_miss",
    }
    assert {e["period"] for e in events} == {1, 2, 3, 4, 5}
    red = next(e for e in events if e["kind"] == "red_card")
    assert red["reason"] == "second_yellow"

    # a change made on the server (another logger) comes back with its 1.1 fields
    team_app.edit("match", mid, regular_periods=4, extra_time_length_min=10)
    team_app.edit("event", red["id"], reason=None)
    result = engine.run().result("team")
    assert result is not None and result.status == "synced", result.describe()
    with team_ctx.db.session() as s:
        local = s.get(Match, mid)
        assert local is not None and (local.period_count, local.extra_time_length_min) == (4, 10)
        local_red = s.exec(select(MatchEvent).where(MatchEvent.id == red["id"])).one()
        assert local_red.reason is None
