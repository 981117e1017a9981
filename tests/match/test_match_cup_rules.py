"""The referee's rules and cup matches in the service: second yellow, substitutions either
way, quarters, extra time with its own length, the penalty shoot-out and its score."""

from __future__ import annotations

import pytest

from app.errors import ValidationError
from app.match import LineupItem, MatchService
from app.match.export import export_dict
from app.match.pitch import BENCH, ON, SENT_OFF, SUBBED_OFF

from .conftest import FakeClock, Squad


def kick_off(svc: MatchService, squad: Squad, clock: FakeClock) -> str:
    svc.start_period(squad.match.id)
    clock.advance(5)
    return squad.match.id


def test_second_yellow_logs_a_red_and_one_undo_takes_back_both(
    svc: MatchService, squad: Squad, clock: FakeClock
) -> None:
    mid = kick_off(svc, squad, clock)
    p4 = squad.players[3]
    svc.log_event(mid, "yellow_card", "home", p4.id)
    clock.advance(10)
    change = svc.log_event(mid, "yellow_card", "home", p4.id)
    assert change.kinds == ("yellow_card", "red_card")
    red = next(t for t in svc.timeline(mid) if t.kind == "red_card")
    assert red.player_id == p4.id and red.reason == "second_yellow" and red.id == change.event_ids[1]
    stats = {s.player_id: s for s in svc.player_stats(mid)}
    assert (stats[p4.id].yellow_cards, stats[p4.id].red_cards) == (2, 1)
    assert svc.pitch_status(mid)[p4.id] == SENT_OFF
    undone = svc.undo()
    assert undone is not None and undone.description == "Undone: second yellow and red card"
    kinds = [t.kind for t in svc.timeline(mid) if t.player_id == p4.id]
    assert kinds == ["yellow_card"]
    assert svc.pitch_status(mid)[p4.id] == ON


def test_a_third_yellow_after_a_red_logs_no_second_red(svc: MatchService, squad: Squad, clock: FakeClock) -> None:
    mid = kick_off(svc, squad, clock)
    p = squad.players[5]
    svc.log_event(mid, "yellow_card", "home", p.id)
    svc.log_event(mid, "yellow_card", "home", p.id)
    assert svc.log_event(mid, "yellow_card", "home", p.id).kinds == ("yellow_card",)


@pytest.mark.parametrize("typed_off_first", [True, False])
def test_a_substitution_means_the_same_typed_either_way(
    svc: MatchService, squad: Squad, clock: FakeClock, typed_off_first: bool
) -> None:
    mid = kick_off(svc, squad, clock)
    on_pitch, bench = squad.players[8], squad.players[12]
    first, second = (on_pitch, bench) if typed_off_first else (bench, on_pitch)
    change = svc.log_event(mid, "substitution", "home", first.id, second.id)
    sub = next(t for t in svc.timeline(mid) if t.id == change.event_id)
    assert (sub.player_id, sub.related_player_id) == (on_pitch.id, bench.id)
    status = svc.pitch_status(mid)
    assert (status[on_pitch.id], status[bench.id]) == (SUBBED_OFF, ON)
    assert status[squad.players[13].id] == BENCH


def test_quarters_extra_time_and_shootout(svc: MatchService, squad_factory: object, clock: FakeClock) -> None:
    team = svc.create_team("Cup side")
    opp = svc.create_team("Visitors")
    ours = [svc.add_player(team.id, f"Ours {n}", n) for n in range(1, 8)]
    theirs = [svc.add_player(opp.id, f"Theirs {n}", n) for n in range(1, 8)]
    match = svc.create_match(
        "Cup side",
        "Visitors",
        clock.now,
        team_id=team.id,
        away_team_id=opp.id,
        period_count=2,
        period_length_min=20,
        extra_time_length_min=5,
    )
    mid = match.id
    svc.set_lineup(mid, [LineupItem(p.id, True) for p in ours + theirs])
    svc.start_period(mid)
    clock.advance(3)
    svc.log_event(mid, "goal", "home", ours[6].id)
    svc.log_event(mid, "shot_off_target", "away", theirs[5].id)
    svc.end_period(mid)
    svc.start_period(mid)
    clock.advance(4)
    svc.log_event(mid, "goal", "away", theirs[6].id)
    svc.end_period(mid)
    assert svc.get_match(mid).status == "finished"
    with pytest.raises(ValidationError):
        svc.log_event(mid, "shootout_goal", "home", ours[0].id, period=6, clock_ms=0)
    svc.start_period(mid)  # extra time
    assert svc.clock_state(mid).period_length_ms == 5 * 60_000
    clock.advance(minutes=5.5)
    assert svc.clock_state(mid).display == "45+1"  # 40 regular minutes + 5 of extra time, 30 s over
    svc.log_event(mid, "corner", "home", ours[1].id)
    assert svc.timeline(mid)[-1].minute == "45+1'"
    svc.end_period(mid)
    svc.start_period(mid)
    svc.end_period(mid)
    svc.start_period(mid)  # period 5: the shoot-out
    assert svc.clock_state(mid).display == "Pens"
    for side, pid, kind in [
        ("home", ours[0].id, "shootout_goal"),
        ("away", theirs[0].id, "shootout_miss"),
        ("home", ours[1].id, "shootout_goal"),
        ("away", theirs[1].id, "shootout_goal"),
    ]:
        svc.log_event(mid, kind, side, pid)
    svc.end_period(mid)
    with pytest.raises(ValidationError, match="last period"):
        svc.start_period(mid)
    score = export_dict(svc, mid)["match"]["score"]
    assert score == {"home": 1, "away": 1, "shootout": {"home": 2, "away": 1}}
    assert svc.match_score(mid).shootout == (2, 1)


def test_shootout_straight_after_quarters(svc: MatchService, clock: FakeClock) -> None:
    match = svc.create_match("A", "B", clock.now, period_count=4, period_length_min=10)
    mid = match.id
    for _ in range(4):
        svc.start_period(mid)
        clock.advance(10)
        svc.end_period(mid)
    svc.start_period(mid)  # quarters leave no room for extra time (periods 1-4): next is the shoot-out
    assert svc.clock_state(mid).period == 5 and svc.clock_state(mid).display == "Pens"
    svc.log_event(mid, "shootout_goal", "away")
    assert svc.match_score(mid).shootout == (0, 1)


def test_shootout_needs_the_regular_periods_first(svc: MatchService, squad: Squad, clock: FakeClock) -> None:
    mid = kick_off(svc, squad, clock)
    svc.end_period(mid)
    with pytest.raises(ValidationError, match="after the regular periods"):
        svc.start_period(mid, shootout=True)
