"""Everything the Dashboard shows, computed on two connections at once (no Qt).

``compute_dashboard`` is what the Dashboard's worker runs; ``bench/dashboard.py`` times it.
A helper thread computes the pose mix on a second connection while the calling thread
computes the rest. SQLite runs a query without holding Python's GIL, and the pose mix is the
longest of them (a scan of every hold) returning only a row per pose.
Queries that return thousands of rows stay on one thread: Python's ``sqlite3`` takes the
GIL back for every row, and two threads fetching rows at once hand it to and fro per row
(measured: both slower than one after the other).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TypeVar

from app.db import Database
from app.stats._sql import connect, gc_paused
from app.stats.cache import DashboardCache, day_key
from app.stats.matches import MatchResult, Performer, PlayerLine, match_results, player_table, top_performers
from app.stats.periods import Period, period_bounds
from app.stats.practice import (
    DailyMinutes,
    HistoryRow,
    PoseCount,
    PracticeCards,
    Series,
    cards_from_facts,
    minutes_from_facts,
    pose_accuracy,
    pose_mix,
    session_count,
    session_facts,
    session_history,
)
from app.stats.providers import JointAngles, WhoopSeries, latest_joint_angles, whoop_series

HISTORY_PAGE = 200
T = TypeVar("T")


@dataclass(frozen=True)
class DashboardData:
    period: Period
    cards: PracticeCards
    minutes: DailyMinutes
    poses: list[PoseCount]
    accuracy_pose: str | None  # the pose whose accuracy ``accuracy`` holds
    accuracy: Series
    history: list[HistoryRow]  # the newest ``history_limit`` sessions of the range
    history_total: int  # all sessions of the range
    results: list[MatchResult]
    players: list[PlayerLine]
    top: list[Performer]
    whoop: WhoopSeries
    joints: JointAngles | None
    timings_ms: dict[str, float] = field(default_factory=dict)


def compute_dashboard(
    db: Database,
    home: Path,
    now: datetime,
    tz: tzinfo,
    range_name: str = "month",
    pose_id: str | None = None,
    history_limit: int | None = HISTORY_PAGE,
    cache: DashboardCache | None = None,
) -> DashboardData:
    """All Dashboard numbers for ``range_name`` at ``now`` in zone ``tz``.

    ``pose_id`` picks the accuracy chart's pose; when absent or not held in the range, the
    most held pose is used. The history holds the newest ``history_limit`` sessions (None:
    all); ``session_history`` pages through the rest.

    With a ``cache`` (``app.stats.cache``), an unchanged database returns the result computed
    before for the same day, zone, range, pose and page, and a new range reuses the
    range-independent parts; without one everything is computed.
    """
    if cache is None:
        return _compute(db, home, now, tz, range_name, pose_id, history_limit, None, 0)
    version = cache.version()
    key = (*day_key(now.astimezone(tz).date(), tz), range_name, pose_id, history_limit)
    found = cache.result(version, key)
    if isinstance(found, DashboardData):
        return replace(found, timings_ms={"cached": 0.0})
    data = _compute(db, home, now, tz, range_name, pose_id, history_limit, cache, version)
    cache.store(version, key, data)
    return data


def _compute(
    db: Database,
    home: Path,
    now: datetime,
    tz: tzinfo,
    range_name: str,
    pose_id: str | None,
    history_limit: int | None,
    cache: DashboardCache | None,
    version: int,
) -> DashboardData:
    import time

    timings: dict[str, float] = {}
    period = period_bounds(range_name, now, tz)
    day = day_key(now.astimezone(tz).date(), tz)

    def part(name: str, compute: Callable[[], T]) -> T:
        return compute() if cache is None else cache.part(version, (name, *day), compute)

    def timer() -> Callable[[str], None]:
        t = time.perf_counter()

        def lap(name: str) -> None:
            nonlocal t
            t2 = time.perf_counter()
            timings[name] = (t2 - t) * 1000.0
            t = t2

        return lap

    def poses() -> list[PoseCount]:
        """Runs on the helper thread, on its own connection."""
        with gc_paused(), connect(db) as conn:
            lap = timer()
            found = pose_mix(conn, period)
            lap("pose_mix")
        return found

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="dashboard-poses") as helper:
        poses_future = helper.submit(poses)
        with gc_paused(), connect(db) as conn:
            lap = timer()
            facts = part("facts", lambda: session_facts(conn))  # one read: cards and minutes per day
            cards = part("cards", lambda: cards_from_facts(facts, now, tz))  # all-time: any range
            lap("cards")
            minutes = minutes_from_facts(facts, period, tz)
            lap("minutes")
            history = session_history(conn, period, history_limit)
            history_total = session_count(conn, period) if history_limit is not None else len(history)
            lap("history")
            results = match_results(conn, period)
            lap("results")
            players = player_table(conn, period, now)
            top = top_performers(players)
            lap("players")
            whoop = whoop_series(conn, period)
            lap("whoop")
            joints = part("joints", lambda: latest_joint_angles(conn, home))
            lap("reboot")
            mix = poses_future.result()  # (its exception, if it raised)
            lap("waited for pose_mix")
            held = {p.pose_id for p in mix}
            chosen = pose_id if pose_id in held else (mix[0].pose_id if mix else None)
            # a row per session holding the pose: on this thread (see the module docstring)
            accuracy = pose_accuracy(conn, chosen, period) if chosen is not None else Series()
            lap("accuracy")
    timings["wall"] = (time.perf_counter() - start) * 1000.0
    return DashboardData(
        period=period,
        cards=cards,
        minutes=minutes,
        poses=mix,
        accuracy_pose=chosen,
        accuracy=accuracy,
        history=history,
        history_total=history_total,
        results=results,
        players=players,
        top=top,
        whoop=whoop,
        joints=joints,
        timings_ms=timings,
    )
