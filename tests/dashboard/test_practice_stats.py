"""Practice statistics on fixed data: cards, streak edges, time zones, charts, history, delete."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app.context import AppContext
from app.stats.periods import period_bounds
from app.stats.practice import (
    current_streak,
    minutes_per_day,
    pose_accuracy,
    pose_mix,
    practice_cards,
    session_count,
    session_history,
    session_holds,
)
from tests.dashboard.conftest import BERLIN, NEW_YORK, NOW, add_session, local

TODAY = date(2026, 11, 25)


# ---------------------------------------------------------------- streak (pure)
def test_streak_counts_consecutive_days_up_to_today() -> None:
    days = [TODAY - timedelta(days=i) for i in range(5)]
    assert current_streak(days, TODAY) == 5


def test_streak_today_without_practice_yet_counts_up_to_yesterday() -> None:
    days = [TODAY - timedelta(days=i) for i in range(1, 4)]
    assert current_streak(days, TODAY) == 3


def test_streak_is_zero_when_neither_today_nor_yesterday() -> None:
    assert current_streak([TODAY - timedelta(days=2), TODAY - timedelta(days=3)], TODAY) == 0
    assert current_streak([], TODAY) == 0


def test_streak_stops_at_a_gap() -> None:
    days = [TODAY, TODAY - timedelta(days=1), TODAY - timedelta(days=3), TODAY - timedelta(days=4)]
    assert current_streak(days, TODAY) == 2


def test_streak_two_sessions_one_day_count_once() -> None:
    assert current_streak([TODAY, TODAY, TODAY - timedelta(days=1)], TODAY) == 2


# ---------------------------------------------------------------- cards (database)
def test_cards_on_fixed_data(ctx: AppContext) -> None:
    db = ctx.db
    add_session(db, local(2026, 11, 23), 10, [("tree", "Tree", 70.0)])
    add_session(db, local(2026, 11, 24), 15.5, [("tree", "Tree", 80.0), ("w2", "Warrior II", 90.0)])
    add_session(db, local(2026, 11, 25, 9), 30, [("tree", "Tree", 95.0)])
    add_session(db, local(2026, 11, 25, 10), 4.5)  # no poses: not in the accuracy average
    add_session(db, local(2026, 11, 24, 12), 100, [("tree", "Tree", 5.0)], deleted=True)
    cards = practice_cards(db, NOW, NEW_YORK)
    assert cards.sessions_this_week == 4
    assert cards.mindful_minutes == 60  # 10 + 15.5 + 30 + 4.5
    assert cards.current_streak == 3
    assert cards.avg_accuracy == pytest.approx((70 + 85 + 95) / 3, abs=0.05)


def test_cards_on_empty_database(ctx: AppContext) -> None:
    cards = practice_cards(ctx.db, NOW, NEW_YORK)
    assert (cards.sessions_this_week, cards.mindful_minutes, cards.current_streak, cards.avg_accuracy) == (0, 0, 0, 0.0)


def test_week_boundary_sunday_2330_local_is_last_week_even_though_monday_in_utc(ctx: AppContext) -> None:
    sunday_late = local(2026, 11, 22, 23, 30)  # 04:30 UTC Monday
    assert sunday_late.weekday() == 0  # Monday in UTC
    add_session(ctx.db, sunday_late, 10)
    monday = datetime(2026, 11, 23, 8, tzinfo=NEW_YORK).astimezone(UTC)
    cards = practice_cards(ctx.db, monday, NEW_YORK)
    assert cards.sessions_this_week == 0
    assert cards.current_streak == 1  # yesterday (Sunday) counts while today has no practice yet
    add_session(ctx.db, local(2026, 11, 23, 0, 1), 10)  # one minute past Monday midnight
    assert practice_cards(ctx.db, monday, NEW_YORK).sessions_this_week == 1


def test_east_of_utc_monday_0030_local_is_this_week(ctx: AppContext) -> None:
    start = datetime(2026, 11, 23, 0, 30, tzinfo=BERLIN).astimezone(UTC)  # Sunday 23:30 UTC
    add_session(ctx.db, start, 10)
    now = datetime(2026, 11, 23, 12, tzinfo=BERLIN).astimezone(UTC)
    assert practice_cards(ctx.db, now, BERLIN).sessions_this_week == 1
    assert practice_cards(ctx.db, now, UTC).sessions_this_week == 0  # in UTC it was still Sunday


def test_streak_across_midnight_depends_on_the_local_zone(ctx: AppContext) -> None:
    # 23:30 New York on the 23rd and 00:30 New York on the 25th: in UTC those are the 24th and the 25th
    add_session(ctx.db, local(2026, 11, 23, 23, 30), 10)
    add_session(ctx.db, local(2026, 11, 25, 0, 30), 10)
    assert practice_cards(ctx.db, NOW, NEW_YORK).current_streak == 1  # the 24th is missing locally
    assert practice_cards(ctx.db, NOW, UTC).current_streak == 2  # the same sessions on UTC days


def test_ten_year_daily_streak(ctx: AppContext) -> None:
    from sqlmodel import SQLModel

    rows = []
    for i in range(3650):
        start = local(2026, 11, 25, 6) - timedelta(days=i)
        rows.append(
            {
                "id": f"s{i}",
                "started_at": start,
                "ended_at": start,
                "duration_s": 60.0,
                "avg_accuracy": 50.0,
                "total_poses": 1,
                "mode": "free",
                "updated_at": start,
                "deleted": i == 2000,
            }
        )
    with ctx.db.write() as s:
        s.connection().execute(SQLModel.metadata.tables["practice_session"].insert(), rows)
    assert practice_cards(ctx.db, NOW, NEW_YORK).current_streak == 2000  # the deleted day breaks it


# ---------------------------------------------------------------- charts and history
def test_minutes_per_day_buckets_local_days_and_fills_gaps(ctx: AppContext) -> None:
    add_session(ctx.db, local(2026, 11, 22, 23, 30), 20)
    add_session(ctx.db, local(2026, 11, 24, 7), 10)
    add_session(ctx.db, local(2026, 11, 24, 20), 5)
    add_session(ctx.db, local(2026, 11, 24, 21), 99, deleted=True)
    minutes = minutes_per_day(ctx.db, period_bounds("week", NOW, NEW_YORK), NEW_YORK)
    assert minutes.days == [date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 25)]
    assert minutes.minutes == [0.0, 15.0, 0.0]
    assert minutes.x[0] == datetime(2026, 11, 23, tzinfo=NEW_YORK).timestamp()
    all_time = minutes_per_day(ctx.db, period_bounds("all", NOW, NEW_YORK), NEW_YORK)
    assert all_time.days[0] == date(2026, 11, 22) and all_time.minutes[:3] == [20.0, 0.0, 15.0]


def test_pose_mix_accuracy_and_history(ctx: AppContext) -> None:
    db = ctx.db
    first = add_session(
        db, local(2026, 11, 23), 10, [("tree", "Tree", 60.0), ("tree", "Tree", 80.0), ("w2", "Warrior II", 50.0)]
    )
    second = add_session(db, local(2026, 11, 24), 10, [("tree", "Tree", 90.0)])
    add_session(db, local(2026, 11, 24, 9), 10, [("w2", "Warrior II", 1.0)], deleted=True)
    add_session(db, local(2026, 10, 30), 10, [("boat", "Boat", 1.0)])  # last month
    for name in ("month", "all"):
        period = period_bounds(name, NOW, NEW_YORK)
        mix = pose_mix(db, period)
        boat = [("boat", 1, 1.0)] if name == "all" else []
        expected = [("tree", 3, 76.7), *boat, ("w2", 1, 50.0)]  # ties by name
        assert [(p.pose_id, p.holds, p.avg_accuracy) for p in mix] == expected
        assert mix[0].hold_s == 90.0
    period = period_bounds("month", NOW, NEW_YORK)
    acc = pose_accuracy(db, "tree", period)
    assert acc.y == [70.0, 90.0]
    assert acc.x[0] == local(2026, 11, 23).timestamp()
    history = session_history(db, period)
    assert [h.session_id for h in history] == [second, first]
    assert history[1].poses == ["Tree", "Warrior II"]
    assert session_count(db, period) == 2
    assert [h.session_id for h in session_history(db, period, limit=1, offset=1)] == [first]
    holds = session_holds(db, first)
    assert [(h.pose_name, h.accuracy) for h in holds] == [("Tree", 60.0), ("Tree", 80.0), ("Warrior II", 50.0)]
    assert holds[0].feedback == ["Straighten your back"]


def test_session_exactly_at_local_midnight_is_on_the_new_day(ctx: AppContext) -> None:
    add_session(ctx.db, local(2026, 11, 24, 0, 0), 10)
    minutes = minutes_per_day(ctx.db, period_bounds("week", NOW, NEW_YORK), NEW_YORK)
    assert minutes.minutes == [0.0, 10.0, 0.0]
    assert practice_cards(ctx.db, NOW, NEW_YORK).current_streak == 1  # the 24th is yesterday
