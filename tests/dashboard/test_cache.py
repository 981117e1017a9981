"""Dashboard speed-ups keep the numbers: the cache per data version, the ``all`` range's queries."""

from __future__ import annotations

import gc
import threading
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from app.context import AppContext
from app.models import PoseHold
from app.stats import compute_dashboard
from app.stats._sql import gc_paused
from app.stats.cache import DashboardCache
from app.stats.matches import match_results, player_table
from app.stats.periods import period_bounds
from app.stats.practice import pose_mix, practice_cards, session_facts
from tests.dashboard.conftest import NEW_YORK, NOW, add_match, add_session, add_squad, local


def _same(a: Any, b: Any) -> bool:
    return replace(a, timings_ms={}) == replace(b, timings_ms={})


def test_cached_result_equals_a_fresh_computation_and_is_reused(seeded: AppContext) -> None:
    cache = DashboardCache(seeded.db)
    try:
        fresh = compute_dashboard(seeded.db, seeded.home, NOW, NEW_YORK, "month")
        first = compute_dashboard(seeded.db, seeded.home, NOW, NEW_YORK, "month", cache=cache)
        assert _same(first, fresh) and "cards" in first.timings_ms
        again = compute_dashboard(seeded.db, seeded.home, NOW + timedelta(hours=1), NEW_YORK, "month", cache=cache)
        assert again.timings_ms == {"cached": 0.0} and _same(again, fresh)
        assert (cache.hits, cache.misses) == (1, 1)
    finally:
        cache.close()


def test_cache_is_invalidated_when_any_connection_commits(seeded: AppContext) -> None:
    cache = DashboardCache(seeded.db)
    try:
        before = compute_dashboard(seeded.db, seeded.home, NOW, NEW_YORK, "week", cache=cache)
        assert before.cards.mindful_minutes == 75
        add_session(seeded.db, local(2026, 11, 25, 11), 5)  # written on another connection
        after = compute_dashboard(seeded.db, seeded.home, NOW, NEW_YORK, "week", cache=cache)
        assert "cached" not in after.timings_ms
        assert after.cards.mindful_minutes == 80 and after.history_total == before.history_total + 1
        assert sum(after.minutes.minutes) == pytest.approx(sum(before.minutes.minutes) + 5)

        # a soft delete is an UPDATE: it changes the data version too
        with seeded.db.write() as s:
            from app.models import PracticeSession

            row = s.get(PracticeSession, after.history[0].session_id)
            assert row is not None
            row.deleted = True
        deleted = compute_dashboard(seeded.db, seeded.home, NOW, NEW_YORK, "week", cache=cache)
        assert "cached" not in deleted.timings_ms and deleted.history_total == before.history_total
        fresh = compute_dashboard(seeded.db, seeded.home, NOW, NEW_YORK, "week")
        assert _same(deleted, fresh)
    finally:
        cache.close()


def test_cache_keys_on_the_local_day_range_and_pose(seeded: AppContext) -> None:
    cache = DashboardCache(seeded.db)
    try:
        month = compute_dashboard(seeded.db, seeded.home, NOW, NEW_YORK, "month", cache=cache)
        week = compute_dashboard(seeded.db, seeded.home, NOW, NEW_YORK, "week", cache=cache)
        assert "cached" not in week.timings_ms and week.period.name == "week"
        assert week.cards == month.cards  # the all-time cards are reused, not recomputed
        mountain = compute_dashboard(seeded.db, seeded.home, NOW, NEW_YORK, "month", "mountain", cache=cache)
        assert mountain.accuracy_pose == "mountain" and month.accuracy_pose == "tree"
        tomorrow = NOW + timedelta(days=1)  # Thursday: a new day, so new cards (the streak, the week)
        next_day = compute_dashboard(seeded.db, seeded.home, tomorrow, NEW_YORK, "month", cache=cache)
        assert "cached" not in next_day.timings_ms
        assert _same(next_day, compute_dashboard(seeded.db, seeded.home, tomorrow, NEW_YORK, "month"))
    finally:
        cache.close()


def test_cache_after_close_reopens_its_probe(seeded: AppContext) -> None:
    cache = DashboardCache(seeded.db)
    version = cache.version()
    cache.close()
    assert cache.version() == version
    cache.close()


def test_all_range_pose_mix_leaves_out_later_holds_and_deleted_sessions(ctx: AppContext) -> None:
    db = ctx.db
    add_session(db, local(2026, 11, 23), 10, [("tree", "Tree", 60.0), ("w2", "Warrior II", 50.0)])
    gone = add_session(db, local(2026, 11, 24), 10, [("tree", "Tree", 10.0)], deleted=True)
    later = add_session(db, local(2026, 11, 26, 9), 10, [("tree", "Tree", 99.0), ("boat", "Boat", 1.0)])
    assert gone and later
    # a hold of an earlier session that ran past the end of today
    with db.write() as s:
        s.add(
            PoseHold(
                session_id=gone,
                pose_id="w2",
                pose_name="Warrior II",
                started_at=local(2026, 11, 27),
                ended_at=local(2026, 11, 27),
                hold_s=5.0,
                accuracy=3.0,
                best_accuracy=3.0,
                feedback=[],
                improvements=[],
            )
        )
    mix = pose_mix(db, period_bounds("all", NOW, NEW_YORK))
    assert [(p.pose_id, p.holds, p.hold_s, p.avg_accuracy) for p in mix] == [
        ("tree", 1, 30.0, 60.0),
        ("w2", 1, 30.0, 50.0),
    ]


def test_session_facts_cards_and_ranges(ctx: AppContext) -> None:
    add_session(ctx.db, local(2026, 11, 23, 0, 0), 10, [("tree", "Tree", 70.0)])  # exactly Monday midnight
    add_session(ctx.db, local(2026, 11, 22, 23, 59), 20)  # Sunday: last week
    add_session(ctx.db, local(2026, 11, 26, 0, 0), 30)  # tomorrow: not this week yet, but all-time minutes
    facts = session_facts(ctx.db)
    assert facts.started_us.tolist() == sorted(facts.started_us.tolist()) and facts.started_us.size == 3
    cards = practice_cards(ctx.db, NOW, NEW_YORK)
    assert (cards.sessions_this_week, cards.mindful_minutes, cards.avg_accuracy) == (1, 60, 70.0)
    assert cards.current_streak == 0  # Monday and Sunday only; yesterday (Tuesday) had none
    week = session_facts(ctx.db, period_bounds("week", NOW, NEW_YORK))
    assert week.started_us.size == 1


def test_all_range_matches_leave_out_deleted_and_future_matches(ctx: AppContext) -> None:
    squad = add_squad(ctx.db, ["Ada", "Ben"])
    kept = add_match(ctx.db, squad, local(2016, 3, 5, 10), ["Ada"], [("goal", "home", 1, 5, "Ada", None)])
    add_match(
        ctx.db, squad, local(2026, 11, 7, 10), ["Ada", "Ben"], [("goal", "home", 1, 5, "Ben", None)], deleted=True
    )
    add_match(ctx.db, squad, local(2026, 11, 28, 10), ["Ben"], [("goal", "home", 1, 5, "Ben", None)])  # Saturday
    period = period_bounds("all", NOW, NEW_YORK)
    assert [r.match_id for r in match_results(ctx.db, period)] == [kept]
    lines = {p.name: p for p in player_table(ctx.db, period)}
    assert set(lines) == {"Ada"} and (lines["Ada"].goals, lines["Ada"].minutes, lines["Ada"].appearances) == (1, 90, 1)


def test_gc_pause_nests_across_threads_and_restores_the_collector() -> None:
    assert gc.isenabled()
    entered, release = threading.Event(), threading.Event()

    def other() -> None:
        with gc_paused():
            entered.set()
            release.wait(5)

    thread = threading.Thread(target=other)
    with gc_paused():
        thread.start()
        entered.wait(5)
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other thread is still inside
    release.set()
    thread.join(5)
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # a collector switched off by someone else stays off
    finally:
        gc.enable()


def test_the_helper_thread_computes_the_pose_mix_on_its_own_connection(
    seeded: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.stats import dashboard as dashboard_module
    from app.stats.practice import pose_accuracy, session_history

    threads: list[int] = []
    real_mix = dashboard_module.pose_mix

    def spy(source: Any, period: Any) -> Any:
        threads.append(threading.get_ident())
        return real_mix(source, period)

    monkeypatch.setattr(dashboard_module, "pose_mix", spy)
    data = compute_dashboard(seeded.db, seeded.home, NOW, NEW_YORK, "month")
    assert threads and threads[0] != threading.get_ident()
    period = period_bounds("month", NOW, NEW_YORK)  # the same numbers as one function at a time
    assert data.poses == real_mix(seeded.db, period) and data.accuracy_pose == "tree"
    assert data.accuracy == pose_accuracy(seeded.db, "tree", period)
    assert data.history == session_history(seeded.db, period, 200)
    assert data.players == player_table(seeded.db, period) and data.results == match_results(seeded.db, period)
    assert "wall" in data.timings_ms


def test_an_error_on_the_helper_thread_reaches_the_caller(seeded: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.stats import dashboard as dashboard_module

    def broken(source: Any, period: Any) -> Any:
        raise RuntimeError("pose mix failed")

    monkeypatch.setattr(dashboard_module, "pose_mix", broken)
    cache = DashboardCache(seeded.db)
    try:
        with pytest.raises(RuntimeError, match="pose mix failed"):
            compute_dashboard(seeded.db, seeded.home, NOW, NEW_YORK, "all", cache=cache)
        assert gc.isenabled()  # every pause ended
    finally:
        cache.close()


def test_statements_built_once_per_range_follow_new_data(ctx: AppContext) -> None:
    """Statements are reused per period (built once); the data they read is always the newest."""
    period = period_bounds("month", NOW, NEW_YORK)
    squad = add_squad(ctx.db, ["Ada"])
    add_match(ctx.db, squad, local(2026, 11, 21, 10), ["Ada"], [("goal", "home", 1, 5, "Ada", None)])
    assert [p.goals for p in player_table(ctx.db, period)] == [1]
    add_match(ctx.db, squad, local(2026, 11, 22, 10), ["Ada"], [("goal", "home", 1, 5, "Ada", None)])
    again = period_bounds("month", NOW, NEW_YORK)  # an equal period: the same statements
    assert [(p.goals, p.appearances, p.minutes) for p in player_table(ctx.db, again)] == [(2, 2, 180)]
    assert len(match_results(ctx.db, again)) == 2
