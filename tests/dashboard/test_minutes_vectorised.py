"""The vectorised minutes (``minutes_arrays``) equal the pure ``minutes_played``, match by match summed.

Randomized matches: substitutions (also of players not on, or bringing on players already
on), red cards (also for substitutes who never came on), missing period starts and ends,
periods beyond the regulation count, events at the same instant, live and scheduled matches.
"""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pytest

from app.context import AppContext
from app.models import Player
from app.stats.matches import player_table
from app.stats.minutes import (
    KIND_CODES,
    MAX_PERIODS,
    MatchArrays,
    TimingEvent,
    minutes_arrays,
    minutes_played,
    status_code,
)
from app.stats.periods import period_bounds
from tests.dashboard.conftest import NEW_YORK, NOW, add_match, add_squad, local

MIN = 60_000
STATUSES = ("finished", "finished", "live", "scheduled", "abandoned")


def random_match(
    rng: random.Random, n_players: int, *, untied: bool = False, count: int = 0, length: int = 0
) -> dict[str, Any]:
    """A random match; ``untied``: no two changes at the same instant (none at a period's edge)."""
    status = rng.choice(STATUSES)
    count = count or rng.choice((1, 2, 2, 2, 3, 4))
    length = length or rng.choice((20, 35, 45))
    current = rng.randint(0, count + 1)
    squad = rng.sample(range(n_players), min(n_players, rng.randint(0, 11)))
    starters = squad[: rng.randint(0, len(squad))]
    events: list[TimingEvent] = []
    periods = rng.randint(0, count + 1)
    clocks = [rng.randint(0, (length + 10) * MIN) for _ in range(4)]  # shared: same-instant ties
    untied_clocks = rng.sample(range(MIN, (length - 1) * MIN, 1000), 6 * (count + 1))
    for p in range(1, periods + 1):
        if rng.random() < 0.8:
            events.append(TimingEvent("period_start", p, 0 if untied else rng.choice((0, 0, rng.randint(0, 3 * MIN)))))
        for _ in range(rng.randint(0, 6)):
            kind = rng.choice(("substitution", "substitution", "red_card"))
            clock = rng.choice(clocks) if rng.random() < 0.3 else rng.randint(0, (length + 15) * MIN)
            if untied:
                clock = untied_clocks.pop()
            off = rng.choice((*starters, *range(n_players), None)) if n_players else None
            on = rng.choice((*range(n_players), None)) if n_players else None
            related = on if kind == "substitution" or rng.random() < 0.3 else None
            events.append(TimingEvent(kind, p, clock, off, related))
        if rng.random() < 0.7 and not (status == "live" and p == periods):
            end = rng.choice((length * MIN, rng.randint(0, (length + 8) * MIN)))
            events.append(TimingEvent("period_end", p, max(end, length * MIN) if untied else end))
    if untied:
        return {
            "status": status,
            "current": current,
            "count": count,
            "length": length,
            "starters": starters,
            "events": events,
        }
    if rng.random() < 0.05:
        pair = rng.sample(range(n_players), 2) if n_players >= 2 else [None, None]
        events.append(TimingEvent("substitution", 0, 5 * MIN, pair[0], pair[1]))  # period 0: no window
    if rng.random() < 0.05:
        events.append(TimingEvent("period_start", 1, -MIN))
    if rng.random() < 0.5:
        rng.shuffle(events)  # any order
    return {
        "status": status,
        "current": current,
        "count": count,
        "length": length,
        "starters": starters,
        "events": events,
    }


def pure_totals(matches: list[dict[str, Any]], n_players: int) -> tuple[list[int], list[int]]:
    ms = [0] * n_players
    apps = [0] * n_players
    for m in matches:
        played, appeared = minutes_played(
            [str(s) for s in m["starters"]],
            [
                (
                    e.kind,
                    e.period,
                    e.clock_ms,
                    None if e.player_id is None else str(e.player_id),
                    None if e.related_player_id is None else str(e.related_player_id),
                )
                for e in m["events"]
            ],
            status=m["status"],
            current_period=m["current"],
            period_count=m["count"],
            period_length_min=m["length"],
        )
        for pid, value in played.items():
            ms[int(pid)] += value
        for pid in appeared:
            apps[int(pid)] += 1
    return ms, apps


def arrays_of(matches: list[dict[str, Any]], n_players: int) -> MatchArrays:
    def ints(values: list[int]) -> Any:
        return np.asarray(values, dtype=np.int64)

    events = [(i, e) for i, m in enumerate(matches) for e in m["events"]]
    starters = [(i, s) for i, m in enumerate(matches) for s in m["starters"]]
    return MatchArrays(
        n_players=n_players,
        status=ints([status_code(m["status"]) for m in matches]),
        current_period=ints([m["current"] for m in matches]),
        period_count=ints([m["count"] for m in matches]),
        period_length_min=ints([m["length"] for m in matches]),
        starter_match=ints([i for i, _s in starters]),
        starter_player=ints([s for _i, s in starters]),
        ev_match=ints([i for i, _e in events]),
        ev_kind=ints([KIND_CODES[e.kind] for _i, e in events]),
        ev_period=ints([e.period for _i, e in events]),
        ev_clock=ints([e.clock_ms for _i, e in events]),
        ev_off=ints([-1 if e.player_id is None else e.player_id for _i, e in events]),
        ev_on=ints([-1 if e.related_player_id is None else e.related_player_id for _i, e in events]),
    )


@pytest.mark.parametrize("seed", range(300))
def test_vectorised_minutes_equal_the_pure_ones_on_random_matches(seed: int) -> None:
    rng = random.Random(seed)
    n_players = rng.randint(0, 16)
    matches = [random_match(rng, n_players) for _ in range(rng.randint(0, 25))]
    ms, apps = minutes_arrays(arrays_of(matches, n_players))
    assert (ms.tolist(), apps.tolist()) == pure_totals(matches, n_players)


def test_vectorised_minutes_of_the_documented_cases() -> None:
    cases = [
        # substitution with stoppage time
        {
            "status": "finished",
            "current": 2,
            "count": 2,
            "length": 45,
            "starters": [0, 1],
            "events": [
                TimingEvent("period_start", 1, 0),
                TimingEvent("period_end", 1, 47 * MIN),
                TimingEvent("period_start", 2, 0),
                TimingEvent("substitution", 2, 30 * MIN, 1, 2),
                TimingEvent("period_end", 2, 45 * MIN),
            ],
        },
        # a red card, no period end for period 2
        {
            "status": "finished",
            "current": 2,
            "count": 2,
            "length": 45,
            "starters": [0, 1],
            "events": [TimingEvent("red_card", 1, 20 * MIN, 0), TimingEvent("period_end", 1, 45 * MIN)],
        },
        # live, up to the latest event of the current period
        {
            "status": "live",
            "current": 1,
            "count": 2,
            "length": 45,
            "starters": [3],
            "events": [TimingEvent("period_start", 1, 0), TimingEvent("substitution", 1, 25 * MIN, 3, 4)],
        },
        # scheduled without events: no appearance
        {"status": "scheduled", "current": 0, "count": 2, "length": 45, "starters": [5], "events": []},
    ]
    ms, apps = minutes_arrays(arrays_of(cases, 6))
    assert ms.tolist() == [92 * MIN + 20 * MIN, 77 * MIN + 90 * MIN, 15 * MIN, 25 * MIN, 0, 0]
    assert apps.tolist() == [2, 2, 1, 1, 1, 0]
    assert (ms.tolist(), apps.tolist()) == pure_totals(cases, 6)


def test_implausible_periods_fall_back_to_the_pure_rules() -> None:
    matches = [
        {
            "status": "finished",
            "current": 2,
            "count": 2,
            "length": 45,
            "starters": [0, 1],
            "events": [TimingEvent("substitution", MAX_PERIODS + 5, 10 * MIN, 0, 2)],
        },
        {
            "status": "live",
            "current": 1,
            "count": 2,
            "length": 45,
            "starters": [1],
            "events": [TimingEvent("period_start", 1, 0), TimingEvent("red_card", 1, 9 * MIN, 1)],
        },
    ]
    ms, apps = minutes_arrays(arrays_of(matches, 3))
    assert (ms.tolist(), apps.tolist()) == pure_totals(matches, 3)
    # periods 1-2 regular, 3-4 extra time (15 min), 5 on a shoot-out (no minutes): 120 minutes at most
    assert ms.tolist()[:2] == [120 * MIN, 120 * MIN + 9 * MIN]


def test_player_table_minutes_equal_the_pure_ones_on_random_matches_in_the_database(ctx: AppContext) -> None:
    rng = random.Random(11)
    names = [f"P{i}" for i in range(10)]
    squad = add_squad(ctx.db, names)
    matches = []
    for day in range(1, 21):
        # the database returns a match's events in index order, not log order: changes at the
        # same instant would be applied in that order (by both implementations), so none here
        m = random_match(rng, len(names), untied=True, count=2, length=45)  # the model's defaults
        matches.append(m)

        def name(code: Any) -> str | None:
            return None if code is None else names[code]

        add_match(
            ctx.db,
            squad,
            local(2026, 11, day, 10),
            [names[s] for s in m["starters"]],
            [
                (e.kind, "home", e.period, e.clock_ms / MIN, name(e.player_id), name(e.related_player_id))
                for e in m["events"]
            ],
            status="finished" if m["status"] == "abandoned" else m["status"],
            current_period=m["current"],
        )
        if m["status"] == "abandoned":
            m["status"] = "finished"
    ms, apps = pure_totals(matches, len(names))
    lines = {line.name: line for line in player_table(ctx.db, period_bounds("month", NOW, NEW_YORK))}
    for i, n in enumerate(names):
        line = lines.get(n)
        assert (line.minutes if line else 0, line.appearances if line else 0) == (round(ms[i] / MIN), apps[i]), n


def test_player_ids_holding_the_separator_are_read_row_by_row(ctx: AppContext) -> None:
    squad = add_squad(ctx.db, ["Ada"])
    with ctx.db.write() as s:
        s.add(Player(id="odd\x1fid", team_id=squad.team_id, name="Odd", shirt_number=9))
    squad.players["Odd"] = "odd\x1fid"
    add_match(
        ctx.db,
        squad,
        local(2026, 11, 21, 10),
        ["Odd"],
        [
            ("period_start", "home", 1, 0, None, None),
            ("substitution", "home", 1, 30, "Odd", "Ada"),
            ("red_card", "home", 2, 10, "Ada", None),
        ],
        bench=["Ada"],
    )
    lines = {line.name: line for line in player_table(ctx.db, period_bounds("month", NOW, NEW_YORK))}
    assert (lines["Odd"].minutes, lines["Odd"].appearances) == (30, 1)
    assert (lines["Ada"].minutes, lines["Ada"].appearances, lines["Ada"].red_cards) == (15 + 10, 1, 1)


def test_deleted_players_leave_the_others_minutes_alone(ctx: AppContext) -> None:
    squad = add_squad(ctx.db, ["Ada", "Ben"])
    add_match(
        ctx.db,
        squad,
        local(2026, 11, 21, 10),
        ["Ada"],
        [
            ("substitution", "home", 1, 30, "Ada", "Ben"),
            ("substitution", "home", 2, 10, "Ben", "Ada"),
        ],
    )
    with ctx.db.write() as s:
        ben = s.get(Player, squad.players["Ben"])
        assert ben is not None
        ben.deleted = True
    lines = {line.name: line for line in player_table(ctx.db, period_bounds("month", NOW, NEW_YORK))}
    assert set(lines) == {"Ada"} and lines["Ada"].minutes == 30 + 35


def test_empty_inputs() -> None:
    ms, apps = minutes_arrays(arrays_of([], 0))
    assert ms.size == 0 and apps.size == 0
    no_events = [{"status": "finished", "current": 2, "count": 2, "length": 45, "starters": [], "events": []}]
    ms, apps = minutes_arrays(arrays_of(no_events, 2))
    assert ms.tolist() == [0, 0] and apps.tolist() == [0, 0]
