"""Practice statistics: the yoga cards, minutes per day, pose mix, accuracy and history.

The cards follow the yoga cloud's ``/api/sessions/stats``: ``sessions_this_week``,
``mindful_minutes`` (total practice time, all time), ``current_streak`` (consecutive local
days with practice, ending today, or yesterday while today has none yet) and
``avg_accuracy`` (mean of the sessions' average accuracy, over sessions that scored poses).
Soft-deleted sessions (and their holds) never count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import ColumnElement, Select, func, select

from app.models import PoseHold, PracticeSession
from app.stats._sql import (
    Source,
    connect,
    epoch,
    fetch_all,
    micros,
    micros_from_text,
    raw_text,
    stamps_from_text,
    table_of,
    within,
)
from app.stats.periods import (
    Period,
    day_number,
    local_date,
    local_day_numbers,
    local_midnight,
    local_midnights,
    week_start,
)

SESSION = table_of(PracticeSession)
HOLD = table_of(PoseHold)


@dataclass(frozen=True)
class PracticeCards:
    sessions_this_week: int
    mindful_minutes: int
    current_streak: int
    avg_accuracy: float  # 0-100, rounded to 0.1; 0.0 without scored sessions


@dataclass(frozen=True)
class DailyMinutes:
    """Minutes of practice per local day; ``x`` is each day's local midnight (UNIX seconds)."""

    days: list[date] = field(default_factory=list)
    x: list[float] = field(default_factory=list)
    minutes: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class PoseCount:
    pose_id: str
    pose_name: str
    holds: int
    hold_s: float
    avg_accuracy: float


@dataclass(frozen=True)
class Series:
    """Points over time: ``x`` UNIX seconds, ``y`` values."""

    x: list[float] = field(default_factory=list)
    y: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class HistoryRow:
    session_id: str
    started: float  # UNIX seconds
    duration_s: float
    avg_accuracy: float
    total_poses: int
    mode: str
    sequence_name: str | None
    poses: list[str]


@dataclass(frozen=True)
class HoldRow:
    pose_id: str
    pose_name: str
    started: float  # UNIX seconds
    hold_s: float
    accuracy: float
    best_accuracy: float
    feedback: list[str]
    improvements: list[str]


def current_streak(days: Iterable[date], today: date) -> int:
    """Consecutive practice days ending today, or ending yesterday when today has none yet."""
    practiced = set(days)
    day = today if today in practiced else today - timedelta(days=1)
    streak = 0
    while day in practiced:
        streak += 1
        day -= timedelta(days=1)
    return streak


def streak_of_day_numbers(days: npt.NDArray[np.int64], today: int) -> int:
    """``current_streak`` over sorted unique local day numbers (vectorised)."""
    if days.size == 0:
        return 0
    end = today if days[-1] == today else today - 1
    if days[-1] != end:
        return 0
    upto = days[days <= end]
    # the run of consecutive days at the end: days[i] == end - (len - 1 - i)
    offsets = end - upto[::-1]
    breaks = np.nonzero(offsets != np.arange(offsets.size))[0]
    return int(breaks[0]) if breaks.size else int(offsets.size)


@dataclass(frozen=True)
class SessionFacts:
    """The (not deleted) sessions' start, duration, accuracy and pose count, oldest first.

    One read of the covering index ``ix_practice_session_stats`` serves the cards and the
    minutes per day of any range (both need every session's local day).
    """

    started_us: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    duration_s: npt.NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    avg_accuracy: npt.NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    total_poses: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def between(self, low_us: int | None, high_us: int) -> SessionFacts:
        """The sessions started in [low_us, high_us) (``low_us`` None: from the first)."""
        lo = 0 if low_us is None else int(np.searchsorted(self.started_us, low_us, side="left"))
        hi = int(np.searchsorted(self.started_us, high_us, side="left"))
        return SessionFacts(
            self.started_us[lo:hi], self.duration_s[lo:hi], self.avg_accuracy[lo:hi], self.total_poses[lo:hi]
        )


# Statements are built once per period and reused (building costs more than these queries'
# Python side; SQLAlchemy statements are immutable, so threads can share them).
@lru_cache(maxsize=16)
def _facts_query(period: Period | None) -> Select[Any]:
    where: list[ColumnElement[bool]] = [SESSION.c.deleted.is_(False)]
    if period is not None:
        where.append(within(SESSION.c.started_at, period))
    return (
        select(raw_text(SESSION.c.started_at), SESSION.c.duration_s, SESSION.c.avg_accuracy, SESSION.c.total_poses)
        .where(*where)
        .order_by(SESSION.c.started_at)
    )


def session_facts(source: Source, period: Period | None = None) -> SessionFacts:
    """``SessionFacts`` of every session (or of those started in ``period``)."""
    with connect(source) as conn:
        rows = fetch_all(conn, _facts_query(period))
    if not rows:
        return SessionFacts()
    texts, durations, accuracies, poses = zip(*rows, strict=True)
    started = micros_from_text(list(texts))
    facts = SessionFacts(
        started,
        np.asarray(durations, dtype=np.float64),
        np.asarray(accuracies, dtype=np.float64),
        np.asarray(poses, dtype=np.int64),
    )
    if started.size > 1 and bool(np.any(started[1:] < started[:-1])):  # texts in an odd format sort apart
        order = np.argsort(started, kind="stable")
        facts = SessionFacts(
            started[order], facts.duration_s[order], facts.avg_accuracy[order], facts.total_poses[order]
        )
    return facts


def cards_from_facts(facts: SessionFacts, now: datetime, tz: tzinfo) -> PracticeCards:
    """The four practice cards for ``now`` in zone ``tz`` from every session's facts."""
    today = now.astimezone(tz).date()
    monday_us = micros(local_midnight(week_start(today), tz))
    tomorrow_us = micros(local_midnight(today + timedelta(days=1), tz))
    scored = (facts.total_poses > 0) | (facts.avg_accuracy > 0)
    this_week = facts.between(monday_us, tomorrow_us)
    # the streak needs local days, so the zone conversion happens here (vectorised)
    upto = facts.between(None, tomorrow_us)
    days = np.unique(local_day_numbers(upto.started_us.astype(np.float64) / 1e6, tz))
    return PracticeCards(
        sessions_this_week=int(this_week.started_us.size),
        mindful_minutes=round(float(facts.duration_s.sum()) / 60.0),
        current_streak=streak_of_day_numbers(days, day_number(today)),
        avg_accuracy=round(float(facts.avg_accuracy[scored].mean()), 1) if bool(scored.any()) else 0.0,
    )


def practice_cards(source: Source, now: datetime, tz: tzinfo) -> PracticeCards:
    """The four practice cards for ``now`` in the user's zone ``tz`` (weeks start Monday)."""
    return cards_from_facts(session_facts(source), now, tz)


def minutes_from_facts(facts: SessionFacts, period: Period, tz: tzinfo) -> DailyMinutes:
    """Practice minutes for every local day of ``period`` from the sessions' facts."""
    inside_period = facts.between(None if period.start is None else micros(period.start), micros(period.end))
    stamps = inside_period.started_us.astype(np.float64) / 1e6
    durations = inside_period.duration_s
    numbers = local_day_numbers(stamps, tz)
    last = day_number(local_date(period.end_epoch - 1, tz))
    if period.start_epoch is not None:
        first = day_number(local_date(period.start_epoch, tz))
    elif stamps.size:
        first = int(numbers[0])
    else:
        return DailyMinutes()
    n_days = last - first + 1
    inside = (numbers >= first) & (numbers <= last)
    minutes = np.bincount(numbers[inside] - first, weights=durations[inside] / 60.0, minlength=n_days)
    day_numbers = np.arange(first, last + 1, dtype=np.int64)
    return DailyMinutes(
        days=day_numbers.astype("datetime64[D]").tolist(),
        x=local_midnights(day_numbers, tz).tolist(),
        minutes=minutes.tolist(),
    )


def minutes_per_day(source: Source, period: Period, tz: tzinfo) -> DailyMinutes:
    """Practice minutes for every local day of ``period`` (days without practice are 0).

    For the ``all`` range the days start at the first session.
    """
    return minutes_from_facts(session_facts(source, period), period, tz)


def _deleted_sessions() -> Select[tuple[str]]:
    return select(SESSION.c.id).where(SESSION.c.deleted.is_(True))


def _sessions_in(period: Period) -> Select[tuple[str]]:
    return select(SESSION.c.id).where(SESSION.c.deleted.is_(False), within(SESSION.c.started_at, period))


def _mix_totals(*where: ColumnElement[bool]) -> Select[Any]:
    return (
        select(
            HOLD.c.pose_id,
            func.max(HOLD.c.pose_name),
            func.count(),
            func.total(HOLD.c.hold_s),
            func.total(HOLD.c.accuracy),
        )
        .where(*where)
        .group_by(HOLD.c.pose_id)
    )


@lru_cache(maxsize=16)
def _mix_queries(period: Period) -> tuple[Select[Any], Select[Any]]:
    """Bounded range: (its holds' totals, unused); ``all``: (every hold's, deleted sessions' before the end)."""
    if period.start is not None:
        return _mix_totals(HOLD.c.session_id.in_(_sessions_in(period))), _mix_totals()
    later = HOLD.c.started_at >= period.end
    return _mix_totals(), _mix_totals(HOLD.c.session_id.in_(_deleted_sessions()), ~later)


@lru_cache(maxsize=16)
def _mix_later_query(period: Period, pose_ids: tuple[str, ...]) -> Select[Any]:
    return _mix_totals(HOLD.c.pose_id.in_(pose_ids), HOLD.c.started_at >= period.end)


def pose_mix(source: Source, period: Period) -> list[PoseCount]:
    """Holds per pose in the sessions of ``period``, most held first.

    A bounded range probes its sessions' holds (covering index by session). The ``all``
    range sums every hold in one pass over a covering index by pose and subtracts the holds
    of soft-deleted sessions and those after the range's end, which are few: cheaper than
    testing every hold's session and start.
    """

    with connect(source) as conn:
        if period.start is not None:
            everything = fetch_all(conn, _mix_queries(period)[0])
            deleted: list[Any] = []
        else:
            # every hold (no per-row test), less the holds of deleted sessions and, per pose
            # (an index range each), any hold starting after the range's end
            every_query, deleted_query = _mix_queries(period)
            everything = fetch_all(conn, every_query)
            deleted = fetch_all(conn, deleted_query)
            if everything:
                deleted += fetch_all(conn, _mix_later_query(period, tuple(str(r[0]) for r in everything)))
    minus: dict[str, tuple[int, float, float]] = {}
    for r in deleted:
        n0, h0, a0 = minus.get(str(r[0]), (0, 0.0, 0.0))
        minus[str(r[0])] = (n0 + int(r[2]), h0 + float(r[3]), a0 + float(r[4]))
    out = []
    for pid, name, n, hold_s, acc in everything:
        dn, dh, da = minus.get(str(pid), (0, 0.0, 0.0))
        count = int(n) - dn
        if count > 0:
            mean = (float(acc) - da) / count
            out.append(PoseCount(str(pid), str(name), count, float(hold_s) - dh, round(mean, 1)))
    out.sort(key=lambda p: (-p.holds, p.pose_name))
    return out


@lru_cache(maxsize=32)
def _accuracy_query(pose_id: str, period: Period) -> Select[Any]:
    first = func.min(raw_text(HOLD.c.started_at))
    return (
        select(first, func.avg(HOLD.c.accuracy))
        .where(
            HOLD.c.pose_id == pose_id,
            within(HOLD.c.started_at, period),
            HOLD.c.session_id.not_in(_deleted_sessions()),
        )
        .group_by(HOLD.c.session_id)
        .order_by(first)
    )


def pose_accuracy(source: Source, pose_id: str, period: Period) -> Series:
    """Mean accuracy of one pose per session over time (x = the session's first hold of it).

    The range applies to the holds' start (the same day as their session's, but for a
    session running past the range's end).
    """
    with connect(source) as conn:
        rows = fetch_all(conn, _accuracy_query(pose_id, period))
    if not rows:
        return Series()
    texts, means = zip(*rows, strict=True)
    # one julianday per session instead of per hold: the texts are parsed in numpy
    return Series(x=stamps_from_text(list(texts)).tolist(), y=[float(m) for m in means])


@lru_cache(maxsize=16)
def _history_query(period: Period, limit: int | None, offset: int) -> Select[Any]:
    poses = (
        select(func.group_concat(HOLD.c.pose_name.distinct()))
        .where(HOLD.c.session_id == SESSION.c.id)
        .scalar_subquery()
    )
    query = (
        select(
            SESSION.c.id,
            epoch(SESSION.c.started_at),
            SESSION.c.duration_s,
            SESSION.c.avg_accuracy,
            SESSION.c.total_poses,
            SESSION.c.mode,
            SESSION.c.sequence_name,
            poses,
        )
        .where(SESSION.c.deleted.is_(False), within(SESSION.c.started_at, period))
        .order_by(SESSION.c.started_at.desc(), SESSION.c.id)
        .offset(offset)
    )
    return query if limit is None else query.limit(limit)


def session_history(source: Source, period: Period, limit: int | None = None, offset: int = 0) -> list[HistoryRow]:
    """Sessions in ``period``, newest first, each with the names of the poses held.

    ``limit``/``offset`` page through long histories (the Dashboard loads a page at a time).
    """
    with connect(source) as conn:
        rows = fetch_all(conn, _history_query(period, limit, offset))
    return [
        HistoryRow(
            session_id=str(sid),
            started=float(started),
            duration_s=float(duration),
            avg_accuracy=float(acc),
            total_poses=int(total),
            mode=str(mode),
            sequence_name=seq,
            poses=sorted(names.split(",")) if names else [],
        )
        for sid, started, duration, acc, total, mode, seq, names in rows
    ]


def session_count(source: Source, period: Period) -> int:
    """How many (not deleted) sessions started in ``period``."""
    with connect(source) as conn:
        return int(fetch_all(conn, _count_query(period))[0][0])


@lru_cache(maxsize=16)
def _count_query(period: Period) -> Select[Any]:
    return select(func.count()).where(SESSION.c.deleted.is_(False), within(SESSION.c.started_at, period))


def session_holds(source: Source, session_id: str) -> list[HoldRow]:
    """The holds of one session in the order they were held."""
    with connect(source) as conn:
        rows = conn.execute(
            select(
                HOLD.c.pose_id,
                HOLD.c.pose_name,
                epoch(HOLD.c.started_at),
                HOLD.c.hold_s,
                HOLD.c.accuracy,
                HOLD.c.best_accuracy,
                HOLD.c.feedback,
                HOLD.c.improvements,
            )
            .where(HOLD.c.session_id == session_id)
            .order_by(HOLD.c.started_at)
        ).all()
    return [
        HoldRow(str(p), str(n), float(s), float(h), float(a), float(b), list(f or []), list(i or []))
        for p, n, s, h, a, b, f, i in rows
    ]
