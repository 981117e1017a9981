"""Minutes: one reference. Over random matches (substitutions, red cards, extra time, a
shoot-out, periods without ``period_end``, a live period) the summary, the PDF's data and the
Dashboard's vectorised path agree to the millisecond."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.context import AppContext
from app.match import LineupItem, MatchService
from app.match.export import import_match, report_data
from app.stats._sql import connect
from app.stats.match_queries import Codes, match_arrays
from app.stats.minutes import minutes_arrays
from app.stats.periods import period_bounds

from .conftest import FakeClock

N_PLAYERS = 8
change = st.tuples(
    st.integers(0, 25 * 60),  # seconds after the previous event
    st.sampled_from(["substitution", "substitution", "red_card", "yellow_card"]),
    st.integers(0, N_PLAYERS - 1),
    st.integers(0, N_PLAYERS - 1),
)
periods = st.lists(st.lists(change, max_size=4), min_size=1, max_size=5)


def dashboard_ms(svc: MatchService, clock: FakeClock) -> dict[str, int]:
    """Milliseconds per player id through the Dashboard's path (SQL arrays + numpy)."""
    with connect(svc.db) as conn:
        ids = [str(r[0]) for r in conn.exec_driver_sql("SELECT id FROM player").fetchall()]
        codes = Codes((pid, i) for i, pid in enumerate(ids))
        arrays = match_arrays(conn, period_bounds("all", clock.now, UTC), codes, clock.now)
    ms, _apps = minutes_arrays(arrays)
    return dict(zip(ids, (int(x) for x in ms.tolist()), strict=True))


def assert_agree(svc: MatchService, clock: FakeClock, mid: str, player_ids: list[str]) -> None:
    summary = {s.player_id: s.minutes_ms for s in svc.player_stats(mid)}
    pdf = {row["player_id"]: row["minutes_ms"] for row in report_data(svc, mid)["player_stats"]}
    dash = dashboard_ms(svc, clock)
    for pid in player_ids:
        assert summary.get(pid, 0) == pdf.get(pid, 0) == dash.get(pid, 0), pid


def squad(svc: MatchService, clock: FakeClock, regular: int, length: int, extra: int) -> tuple[str, list[str]]:
    team = svc.create_team(f"T{uuid.uuid4().hex[:6]}")
    players = [svc.add_player(team.id, f"P{i}", i + 1).id for i in range(N_PLAYERS)]
    match = svc.create_match(
        team.name,
        "Them",
        clock.now - timedelta(minutes=1),
        team_id=team.id,
        period_count=regular,
        period_length_min=length,
        extra_time_length_min=extra,
    )
    svc.set_lineup(match.id, [LineupItem(p, i < 5) for i, p in enumerate(players)])
    return match.id, players


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    regular=st.integers(1, 4),
    length=st.integers(1, 20),
    extra=st.integers(1, 10),
    plan=periods,
    live=st.booleans(),
    paused=st.booleans(),
    tail=st.integers(0, 30 * 60),
)
def test_played_matches_agree(
    ctx: AppContext,
    regular: int,
    length: int,
    extra: int,
    plan: list[list[tuple[int, str, int, int]]],
    live: bool,
    paused: bool,
    tail: int,
) -> None:
    clock = FakeClock()
    svc = MatchService(ctx.db, clock=clock)
    mid, players = squad(svc, clock, regular, length, extra)
    for n, changes in enumerate(plan, start=1):
        svc.start_period(mid)
        for wait, kind, a, b in changes:
            clock.advance(seconds=wait)
            svc.log_event(mid, kind, "home", players[a], players[b] if kind == "substitution" else None)
        clock.advance(seconds=tail)
        if live and n == len(plan):
            if paused:
                svc.pause(mid)
                clock.advance(seconds=tail)
            break
        svc.end_period(mid)
    assert_agree(svc, clock, mid, players)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    regular=st.integers(1, 4),
    length=st.integers(1, 20),
    plan=periods,
    ends=st.lists(st.booleans(), min_size=5, max_size=5),
    starts=st.lists(st.integers(0, 90), min_size=5, max_size=5),
)
def test_imported_matches_without_period_ends_agree(
    ctx: AppContext,
    regular: int,
    length: int,
    plan: list[list[tuple[int, str, int, int]]],
    ends: list[bool],
    starts: list[int],
) -> None:
    clock = FakeClock()
    svc = MatchService(ctx.db, clock=clock)
    team_id = str(uuid.uuid4())
    players = [str(uuid.uuid4()) for _ in range(N_PLAYERS)]
    mid = str(uuid.uuid4())
    events: list[dict[str, Any]] = []

    def event(kind: str, period: int, clock_ms: int, pid: str | None = None, rid: str | None = None) -> None:
        events.append(
            {
                "id": str(uuid.uuid4()),
                "match_id": mid,
                "kind": kind,
                "team": "home",
                "player_id": pid,
                "related_player_id": rid,
                "period": period,
                "clock_ms": clock_ms,
            }
        )

    for period, changes in enumerate(plan, start=1):
        event("period_start", period, starts[period - 1] * 1000)
        at = starts[period - 1] * 1000
        for wait, kind, a, b in changes:
            at += wait * 1000
            event(kind, period, at, players[a], players[b] if kind == "substitution" else None)
        if ends[period - 1]:
            event("period_end", period, at + 1000)
    doc = {
        "format": "fieldmat.match/1",
        "match": {
            "id": mid,
            "team_id": team_id,
            "home_team": "Us",
            "away_team": "Them",
            "kickoff_at": (clock.now - timedelta(days=1)).isoformat(),
            "status": "finished",
            "current_period": len(plan),
            "regular_periods": regular,
            "period_length_min": length,
        },
        "teams": [{"id": team_id, "name": "Us"}],
        "players": [
            {"id": p, "team_id": team_id, "name": f"P{i}", "shirt_number": i + 1} for i, p in enumerate(players)
        ],
        "lineup": [{"player_id": p, "starting": i < 5} for i, p in enumerate(players)],
        "events": events,
    }
    import_match(svc, json.dumps(doc))
    assert_agree(svc, clock, mid, players)
