"""MatchService: score rules, the clock, undo/redo, minutes, stats, outbox."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select

from app.context import AppContext
from app.errors import NotFound, ValidationError
from app.match import LineupItem, MatchService
from app.match.service import assist_id_for
from app.models.match import ClockMark, MatchEvent
from app.models.sync import OutboxEntry

from .conftest import FakeClock, Squad


def outbox(ctx: AppContext) -> list[tuple[str, str, str]]:
    with ctx.db.session() as s:
        rows = s.exec(select(OutboxEntry).order_by(OutboxEntry.seq)).all()  # type: ignore[arg-type]
    return [(r.entity, r.entity_id, r.op) for r in rows]


def kick_off(svc: MatchService, squad: Squad) -> str:
    svc.start_period(squad.match.id)
    return squad.match.id


# ------------------------------------------------------------------ score
def test_score_counts_goals_for_their_team_and_own_goals_for_the_other(
    svc: MatchService, squad: Squad, clock: FakeClock
) -> None:
    mid = kick_off(svc, squad)
    p = squad.players
    clock.advance(5)
    svc.log_event(mid, "goal", "home", p[9].id)
    clock.advance(5)
    svc.log_event(mid, "own_goal", "home", p[2].id)  # our defender into our own net: away scores
    svc.log_event(mid, "goal", "away")
    svc.log_event(mid, "penalty", "home", p[9].id)  # a penalty is not a goal by itself
    svc.log_event(mid, "own_goal", "away")  # their own goal: a goal for us
    assert svc.score(mid) == (2, 2)
    summary = svc.list_matches()[0]
    assert (summary.home_score, summary.away_score) == (2, 2)


def test_deleted_goal_leaves_the_score(svc: MatchService, squad: Squad) -> None:
    mid = kick_off(svc, squad)
    change = svc.log_event(mid, "goal", "away")
    assert svc.score(mid) == (0, 1)
    svc.delete_event(change.event_id)
    assert svc.score(mid) == (0, 0)
    assert svc.timeline(mid)[-1].kind == "period_start"


# ------------------------------------------------------------------ clock
def test_clock_pauses_stoppage_display_and_survives_a_restart(
    ctx: AppContext, svc: MatchService, squad: Squad, clock: FakeClock
) -> None:
    mid = squad.match.id
    assert svc.clock_state(mid).status == "scheduled"
    svc.start_period(mid)
    clock.advance(20)
    svc.pause(mid)
    clock.advance(4)  # injury break: the clock does not run
    state = svc.clock_state(mid)
    assert (state.status, state.running, state.elapsed_ms, state.display) == ("paused", False, 20 * 60_000, "20:00")
    svc.resume(mid)
    clock.advance(minutes=5, seconds=30)
    assert svc.clock_state(mid).display == "25:30"
    clock.advance(minutes=21, seconds=30)  # 47:00 played
    state = svc.clock_state(mid)
    assert state.display == "45+2"
    assert state.stoppage_ms == 2 * 60_000

    # a new service on the same database (an app restart) shows the same clock
    again = MatchService(ctx.db, clock=clock)
    assert again.clock_state(mid) == state

    ev = svc.log_event(mid, "save", "home", squad.players[0].id)
    logged = next(t for t in svc.timeline(mid) if t.id == ev.event_id)
    assert (logged.period, logged.clock_ms, logged.minute) == (1, 47 * 60_000, "45+3'")

    svc.end_period(mid)
    clock.advance(15)  # half-time: frozen
    state = svc.clock_state(mid)
    assert (state.status, state.elapsed_ms, state.display) == ("break", 47 * 60_000, "45+2")
    svc.start_period(mid)
    clock.advance(minutes=10, seconds=5)
    state = svc.clock_state(mid)
    assert (state.period, state.display, state.status) == (2, "55:05", "live")
    clock.advance(minutes=38)
    assert svc.clock_state(mid).display == "90+4"
    svc.end_period(mid)
    assert svc.clock_state(mid).status == "finished"
    assert svc.get_match(mid).status == "finished"
    ends = [t for t in svc.timeline(mid) if t.kind == "period_end"]
    assert [(e.period, e.clock_ms) for e in ends] == [(1, 47 * 60_000), (2, (48 * 60 + 5) * 1000)]


def test_clock_rejects_impossible_actions(svc: MatchService, squad: Squad) -> None:
    mid = squad.match.id
    with pytest.raises(ValidationError):
        svc.pause(mid)
    with pytest.raises(ValidationError, match="kicked off"):
        svc.log_event(mid, "tackle", "home")
    svc.start_period(mid)
    with pytest.raises(ValidationError):
        svc.start_period(mid)
    with pytest.raises(ValidationError):
        svc.resume(mid)
    with pytest.raises(ValidationError, match="clock"):
        svc.log_event(mid, "period_end", "home")


def test_clock_marks_are_stored_not_timed(ctx: AppContext, svc: MatchService, squad: Squad, clock: FakeClock) -> None:
    mid = kick_off(svc, squad)
    clock.advance(3)
    svc.pause(mid)
    svc.resume(mid)
    with ctx.db.session() as s:
        actions = [m.action for m in s.exec(select(ClockMark).where(ClockMark.match_id == mid)).all()]
    assert sorted(actions) == ["pause", "resume", "start"]


# ------------------------------------------------------------------ events, undo, redo
def test_goal_with_assist_logs_the_assist_and_undo_redo_travel_together(
    ctx: AppContext, svc: MatchService, squad: Squad, clock: FakeClock
) -> None:
    mid = kick_off(svc, squad)
    scorer, provider = squad.players[9], squad.players[7]
    clock.advance(12)
    change = svc.log_event(mid, "goal", "home", scorer.id, provider.id, note="header")
    assert change.kinds == ("goal", "assist")
    assert change.event_ids[1] == assist_id_for(change.event_id)
    timeline = svc.timeline(mid)
    assist = next(t for t in timeline if t.kind == "assist")
    assert (assist.player_id, assist.related_player_id, assist.clock_ms) == (provider.id, scorer.id, 12 * 60_000)
    stats = {s.player_id: s for s in svc.player_stats(mid)}
    assert (stats[scorer.id].goals, stats[provider.id].assists) == (1, 1)

    assert svc.undo_label() == "goal"
    undo = svc.undo()
    assert undo is not None and set(undo.event_ids) == set(change.event_ids)
    assert svc.score(mid) == (0, 0)
    assert [t.kind for t in svc.timeline(mid)] == ["period_start"]
    with ctx.db.session() as s:
        rows = s.exec(select(MatchEvent).where(MatchEvent.match_id == mid, MatchEvent.kind != "period_start")).all()
    assert len(rows) == 2 and all(r.deleted for r in rows)  # soft-deleted, kept for sync

    redo = svc.redo()
    assert redo is not None
    assert svc.score(mid) == (1, 0)
    assert svc.redo() is None
    assert {t.kind for t in svc.timeline(mid)} == {"period_start", "goal", "assist"}


def test_edit_and_delete_are_undoable(svc: MatchService, squad: Squad, clock: FakeClock) -> None:
    mid = kick_off(svc, squad)
    p = squad.players
    clock.advance(30)
    goal = svc.log_event(mid, "goal", "home", p[9].id).event_id
    svc.edit_event(goal, player_id=p[8].id, related_player_id=p[6].id, clock_ms=29 * 60_000)
    by_kind = {t.kind: t for t in svc.timeline(mid)}
    assert by_kind["goal"].player_id == p[8].id
    assert by_kind["assist"].player_id == p[6].id and by_kind["assist"].clock_ms == 29 * 60_000

    svc.edit_event(goal, kind="own_goal", team="home")
    assert svc.score(mid) == (0, 1)
    assert "assist" not in {t.kind for t in svc.timeline(mid)}  # the automatic assist follows
    svc.undo()
    assert svc.score(mid) == (1, 0)
    assert "assist" in {t.kind for t in svc.timeline(mid)}
    svc.undo()  # the first edit
    by_kind = {t.kind: t for t in svc.timeline(mid)}
    assert by_kind["goal"].player_id == p[9].id and "assist" not in by_kind

    svc.delete_event(goal)
    assert svc.score(mid) == (0, 0)
    svc.undo()
    assert svc.score(mid) == (1, 0)
    svc.redo()
    assert svc.score(mid) == (0, 0)
    svc.undo()
    svc.undo()
    svc.undo()  # the log itself
    assert svc.score(mid) == (0, 0)
    assert not svc.can_undo()
    assert svc.undo() is None
    with pytest.raises(ValidationError):
        svc.edit_event(goal, note="x")  # deleted
    with pytest.raises(ValidationError):
        svc.edit_event(goal, kind="header")


def test_undo_is_durable_for_another_instance(
    ctx: AppContext, svc: MatchService, squad: Squad, clock: FakeClock
) -> None:
    mid = kick_off(svc, squad)
    svc.log_event(mid, "goal", "home", squad.players[9].id)
    svc.undo()
    assert MatchService(ctx.db, clock=clock).score(mid) == (0, 0)


def test_new_action_clears_redo(svc: MatchService, squad: Squad) -> None:
    mid = kick_off(svc, squad)
    svc.log_event(mid, "tackle", "home", squad.players[3].id)
    svc.undo()
    assert svc.can_redo()
    svc.log_event(mid, "save", "home", squad.players[0].id)
    assert not svc.can_redo()


def test_log_event_rejects_bad_input_and_writes_nothing(ctx: AppContext, svc: MatchService, squad: Squad) -> None:
    mid = kick_off(svc, squad)
    before = len(outbox(ctx))
    with pytest.raises(ValidationError):
        svc.log_event(mid, "header", "home")
    with pytest.raises(ValidationError):
        svc.log_event(mid, "tackle", "middle")
    with pytest.raises(ValidationError):
        svc.log_event(mid, "tackle", "home", "00000000-0000-0000-0000-000000000000")
    with pytest.raises(NotFound):
        svc.log_event("00000000-0000-0000-0000-000000000000", "tackle", "home")
    assert len(outbox(ctx)) == before
    assert [t.kind for t in svc.timeline(mid)] == ["period_start"]


# ------------------------------------------------------------------ outbox
def test_every_change_is_in_the_outbox(
    ctx: AppContext, svc: MatchService, clock: FakeClock, squad_factory: Any
) -> None:
    squad = squad_factory()
    entries = outbox(ctx)
    assert ("team", squad.team.id, "upsert") in entries
    assert {("player", p.id, "upsert") for p in squad.players} <= set(entries)
    assert ("match", squad.match.id, "upsert") in entries
    assert ("lineup", squad.match.id, "upsert") in entries
    mid = kick_off(svc, squad)
    start_event = svc.timeline(mid)[0].id
    change = svc.log_event(mid, "goal", "home", squad.players[9].id, squad.players[8].id)
    entries = outbox(ctx)
    assert ("event", start_event, "upsert") in entries
    assert ("event", change.event_ids[0], "upsert") in entries
    assert ("event", change.event_ids[1], "upsert") in entries
    svc.delete_event(change.event_id)
    assert [*entries, ("event", change.event_ids[0], "delete"), ("event", change.event_ids[1], "delete")] == outbox(ctx)
    svc.undo()  # restore after a pending delete: a fresh upsert is queued after it
    assert outbox(ctx)[-1] == ("event", change.event_ids[-1], "upsert")
    svc.update_player(squad.players[0].id, shirt_number=13)
    svc.delete_player(squad.players[13].id)
    assert ("player", squad.players[13].id, "delete") in outbox(ctx)


# ------------------------------------------------------------------ minutes and stats
def test_minutes_played_with_substitutions_and_a_red_card(svc: MatchService, squad: Squad, clock: FakeClock) -> None:
    mid = squad.match.id
    p = squad.players
    svc.start_period(mid)
    clock.advance(30)
    svc.log_event(mid, "red_card", "home", p[4].id)  # off after 30'
    clock.advance(17)  # 47' incl. stoppage
    svc.end_period(mid)
    clock.advance(15)
    svc.start_period(mid)
    clock.advance(15)
    svc.log_event(mid, "substitution", "home", p[9].id, p[12].id)  # p13 on at 47+15 = 62'
    clock.advance(10)
    svc.pause(mid)
    clock.advance(5)  # paused time is not played
    svc.resume(mid)
    clock.advance(20)
    svc.end_period(mid)  # second half 45:00
    minutes = svc.minutes_played(mid)
    assert minutes[p[0].id] == 92
    assert minutes[p[4].id] == 30
    assert minutes[p[9].id] == 62
    assert minutes[p[12].id] == 30
    assert minutes[p[13].id] == 0  # unused substitute
    stats = {s.player_id: s for s in svc.player_stats(mid)}
    assert stats[p[4].id].red_cards == 1 and stats[p[12].id].minutes == 30 and stats[p[12].id].starts == 0


def test_minutes_of_a_live_match_run_with_the_clock(svc: MatchService, squad: Squad, clock: FakeClock) -> None:
    mid = kick_off(svc, squad)
    clock.advance(minutes=20, seconds=10)
    assert svc.minutes_played(mid)[squad.players[0].id] == 20


def test_season_stats_add_up_across_matches(svc: MatchService, clock: FakeClock, squad_factory: Any) -> None:
    first = squad_factory()
    second = squad_factory(team=first.team, players=first.players, our_side="away", opponent="Bears")
    striker, winger = first.players[9], first.players[10]
    for squad, goals in ((first, 2), (second, 1)):
        mid = squad.match.id
        svc.start_period(mid)
        for _ in range(goals):
            clock.advance(10)
            svc.log_event(mid, "goal", squad.match.our_side, striker.id, winger.id)
        svc.log_event(mid, "yellow_card", squad.match.our_side, winger.id)
        clock.advance(10)
        svc.end_period(mid)
    assert svc.score(second.match.id) == (0, 1)
    other = squad_factory(team_name="Other")  # another team's match is not counted
    svc.start_period(other.match.id)
    svc.log_event(other.match.id, "goal", "home", other.players[9].id)

    season = {s.player_id: s for s in svc.season_stats(first.team.id)}
    assert season[striker.id].goals == 3
    assert season[winger.id].assists == 3
    assert season[winger.id].yellow_cards == 2
    assert season[striker.id].matches == 2
    assert season[striker.id].minutes == 30 + 20
    assert other.players[9].id not in season


# ------------------------------------------------------------------ roster, lineup
def test_find_player_by_shirt_prefers_the_lineup_number(svc: MatchService, squad: Squad) -> None:
    mid = squad.match.id
    p = squad.players
    assert svc.find_player_by_shirt(mid, "home", 10).id == p[9].id  # type: ignore[union-attr]
    entries = [LineupItem(x.id, starting=i < 11) for i, x in enumerate(p)]
    entries[13] = LineupItem(p[13].id, starting=False, shirt_number=99)
    svc.set_lineup(mid, entries)
    assert svc.find_player_by_shirt(mid, "home", 99).id == p[13].id  # type: ignore[union-attr]
    assert svc.find_player_by_shirt(mid, "home", 14) is None  # wears 99 today
    assert svc.find_player_by_shirt(mid, "away", 10) is None
    assert [x.player_id for x in svc.lineup(mid)][:11] == [x.id for x in p[:11]]


def test_roster_validation(svc: MatchService, squad: Squad) -> None:
    with pytest.raises(ValidationError):
        svc.add_player(squad.team.id, "Kid", 100)
    with pytest.raises(ValidationError):
        svc.add_player(squad.team.id, "Kid", 7, "Striker")
    with pytest.raises(NotFound):
        svc.add_player("nope", "Kid")
    with pytest.raises(ValidationError):
        svc.set_lineup(squad.match.id, [LineupItem(squad.players[0].id, True)] * 2)
    renamed = svc.update_player(squad.players[0].id, name="Keeper", position="GK")
    assert renamed.name == "Keeper"
    assert next(p.name for p in svc.list_players(squad.team.id)) == "Keeper"


def test_outbox_collapse_check_uses_the_record_index(ctx: AppContext) -> None:
    """Logging stays O(1) while offline: enqueue's lookup must not scan every pending entry."""
    import sqlite3

    conn = sqlite3.connect(ctx.db.path)
    try:
        plan = conn.execute(
            "EXPLAIN QUERY PLAN SELECT seq FROM outbox WHERE provider = ? AND entity = ? AND entity_id = ? "
            "AND status = ? AND op = ?",
            ("team", "event", "x", "pending", "upsert"),
        ).fetchall()
    finally:
        conn.close()
    assert "ix_outbox_record" in str(plan)


def test_lineup_refuses_a_shirt_number_worn_twice(svc: MatchService, squad: Squad) -> None:
    p = squad.players
    before = svc.lineup(squad.match.id)
    with pytest.raises(ValidationError, match="#7 is given to two home players"):
        svc.set_lineup(squad.match.id, [LineupItem(p[0].id, True, 7), LineupItem(p[1].id, True, 7)])
    assert svc.lineup(squad.match.id) == before
    svc.set_lineup(squad.match.id, [LineupItem(p[0].id, True, 7), LineupItem(p[1].id, True, None)])
    assert {x.player_id: x.shirt_number for x in svc.lineup(squad.match.id)} == {p[0].id: 7, p[1].id: None}


def test_update_match_keeps_the_periods_already_played(svc: MatchService, squad: Squad, clock: Any) -> None:
    mid = squad.match.id
    svc.start_period(mid)
    clock.advance(minutes=45)
    svc.end_period(mid)
    svc.start_period(mid)
    with pytest.raises(ValidationError, match="already reached period 2"):
        svc.update_match(mid, period_count=1)
    assert svc.get_match(mid).period_count == 2
    assert svc.update_match(mid, period_count=3, venue="Park").period_count == 3
