"""Match statistics: scores from events, minutes from lineups and substitutions, the season table."""

from __future__ import annotations

from app.context import AppContext
from app.stats.matches import match_results, player_table, top_performers
from app.stats.minutes import TimingEvent, minutes_played
from app.stats.periods import period_bounds
from tests.dashboard.conftest import NEW_YORK, NOW, add_match, add_squad, local

MIN = 60_000


def test_minutes_starters_full_match_and_substitution() -> None:
    events = [
        TimingEvent("period_start", 1, 0),
        TimingEvent("period_end", 1, 47 * MIN),  # 2 minutes of stoppage time
        TimingEvent("period_start", 2, 0),
        TimingEvent("substitution", 2, 30 * MIN, "b", "c"),
        TimingEvent("period_end", 2, 45 * MIN),
    ]
    played, appeared = minutes_played(["a", "b"], events)
    assert played == {"a": 92 * MIN, "b": 77 * MIN, "c": 15 * MIN}
    assert appeared == {"a", "b", "c"}


def test_minutes_without_period_events_use_the_regulation_length() -> None:
    played, appeared = minutes_played(["a"], [TimingEvent("substitution", 1, 60 * MIN, "a", "b")], period_length_min=40)
    # the substitution lies beyond the 40-minute period: the period runs to it, then period 2 is 40 minutes
    assert played == {"a": 60 * MIN, "b": 40 * MIN}
    assert appeared == {"a", "b"}


def test_red_card_sends_off_and_sub_who_never_comes_on_has_no_minutes() -> None:
    events = [TimingEvent("red_card", 1, 20 * MIN, "a"), TimingEvent("period_end", 1, 45 * MIN)]
    played, appeared = minutes_played(["a", "b"], events)
    assert played == {"a": 20 * MIN, "b": 90 * MIN}
    assert appeared == {"a", "b"}


def test_live_match_counts_up_to_the_latest_event_of_the_current_period() -> None:
    events = [TimingEvent("period_start", 1, 0), TimingEvent("substitution", 1, 25 * MIN, "a", "b")]
    played, _ = minutes_played(["a"], events, status="live", current_period=1)
    assert played == {"a": 25 * MIN, "b": 0}


def test_scheduled_match_without_events_is_no_appearance() -> None:
    assert minutes_played(["a"], [], status="scheduled") == ({}, set())


def test_results_score_from_goals_and_own_goals_ignoring_deleted(ctx: AppContext) -> None:
    squad = add_squad(ctx.db, ["Ada", "Ben"])
    home = add_match(
        ctx.db,
        squad,
        local(2026, 11, 21, 10),
        ["Ada"],
        [
            ("goal", "home", 1, 5, "Ada", None),
            ("goal", "away", 1, 9, None, None),
            ("own_goal", "away", 1, 12, None, None),  # an away player's own goal: a goal for home
            ("own_goal", "home", 2, 3, "Ben", None),  # ours: a goal for away
            ("goal", "home", 2, 40, "Ada", None, True),  # deleted
        ],
    )
    away = add_match(
        ctx.db, squad, local(2026, 11, 14, 10), ["Ada"], [("goal", "home", 1, 5, None, None)], our_side="away"
    )
    add_match(ctx.db, squad, local(2026, 11, 7, 10), ["Ada"], [("goal", "home", 1, 5, "Ada", None)], deleted=True)
    later = add_match(ctx.db, squad, local(2026, 11, 25, 18), ["Ada"], [], status="scheduled")
    results = match_results(ctx.db, period_bounds("month", NOW, NEW_YORK))
    assert [r.match_id for r in results] == [later, home, away]
    scores = {r.match_id: (r.home_goals, r.away_goals, r.outcome) for r in results}
    assert scores[home] == (2, 2, "D")
    assert scores[away] == (1, 0, "L")
    assert scores[later] == (0, 0, "")


def test_player_table_and_top_performers(ctx: AppContext) -> None:
    squad = add_squad(ctx.db, ["Ada", "Ben", "Cat", "Dan"])
    add_match(
        ctx.db,
        squad,
        local(2026, 11, 21, 10),
        ["Ada", "Ben"],
        [
            ("period_start", "home", 1, 0, None, None),
            ("goal", "home", 1, 10, "Ada", "Ben"),
            ("assist", "home", 1, 10.2, "Ben", None),  # repeats the goal's assist: not counted twice
            ("assist", "home", 1, 30, "Ada", None),  # an assist on its own
            ("tackle", "home", 1, 12, "Ben", None),
            ("yellow_card", "home", 1, 20, "Ben", None),
            ("period_end", "home", 1, 45, None, None),
            ("period_start", "home", 2, 0, None, None),
            ("substitution", "home", 2, 15, "Ben", "Cat"),
            ("save", "home", 2, 20, "Ada", None),
            ("red_card", "home", 2, 40, "Cat", None),
            ("tackle", "home", 2, 41, "Ada", None, True),  # deleted
            ("period_end", "home", 2, 45, None, None),
        ],
        bench=["Cat", "Dan"],
    )
    add_match(ctx.db, squad, local(2026, 11, 14, 10), ["Ada"], [("goal", "home", 1, 3, "Ada", None)])
    add_match(ctx.db, squad, local(2026, 6, 14, 10), ["Dan"], [("goal", "home", 1, 3, "Dan", None)])  # last season
    lines = {p.name: p for p in player_table(ctx.db, period_bounds("month", NOW, NEW_YORK))}
    assert set(lines) == {"Ada", "Ben", "Cat"}  # Dan stayed on the bench this month
    ada, ben, cat = lines["Ada"], lines["Ben"], lines["Cat"]
    assert (ada.appearances, ada.minutes, ada.goals, ada.assists, ada.saves, ada.tackles) == (2, 180, 2, 1, 1, 0)
    assert (ben.appearances, ben.minutes, ben.assists, ben.tackles, ben.cards) == (1, 60, 1, 1, 1)
    assert (cat.appearances, cat.minutes, cat.red_cards, cat.cards) == (1, 25, 1, 1)
    everything = {p.name: p for p in player_table(ctx.db, period_bounds("all", NOW, NEW_YORK))}
    assert everything["Dan"].goals == 1 and everything["Dan"].minutes == 90
    top = top_performers(list(lines.values()))
    goals = [(t.name, t.value) for t in top if t.category == "Goals"]
    assert goals == [("Ada", 2)]
    assert [(t.name, t.value) for t in top if t.category == "Minutes"] == [("Ada", 180), ("Ben", 60), ("Cat", 25)]
