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
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import ColumnElement, Select, and_, func, or_, select

from app.models import PoseHold, PracticeSession
from app.stats._sql import Source, connect, epoch, raw_text, stamps_from_text, table_of, within
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


def practice_cards(source: Source, now: datetime, tz: tzinfo) -> PracticeCards:
    """The four practice cards for ``now`` in the user's zone ``tz`` (weeks start Monday)."""
    today = now.astimezone(tz).date()
    monday = local_midnight(week_start(today), tz)
    tomorrow = local_midnight(today + timedelta(days=1), tz)
    alive = SESSION.c.deleted.is_(False)
    scored = or_(SESSION.c.total_poses > 0, SESSION.c.avg_accuracy > 0)
    with connect(source) as conn:
        total_s, week_count, avg = conn.execute(
            select(
                func.coalesce(func.sum(SESSION.c.duration_s), 0.0),
                func.count().filter(and_(SESSION.c.started_at >= monday, SESSION.c.started_at < tomorrow)),
                func.avg(SESSION.c.avg_accuracy).filter(scored),
            ).where(alive)
        ).one()
        # the streak needs local days, so the zone conversion happens here (vectorised)
        texts = conn.execute(
            select(raw_text(SESSION.c.started_at)).where(alive, SESSION.c.started_at < tomorrow)
        ).scalars().all()
    days = np.unique(local_day_numbers(stamps_from_text(list(texts)), tz))
    return PracticeCards(
        sessions_this_week=int(week_count or 0),
        mindful_minutes=round(float(total_s) / 60.0),
        current_streak=streak_of_day_numbers(days, day_number(today)),
        avg_accuracy=round(float(avg), 1) if avg is not None else 0.0,
    )


def minutes_per_day(source: Source, period: Period, tz: tzinfo) -> DailyMinutes:
    """Practice minutes for every local day of ``period`` (days without practice are 0).

    For the ``all`` range the days start at the first session.
    """
    with connect(source) as conn:
        rows = conn.execute(
            select(raw_text(SESSION.c.started_at), SESSION.c.duration_s)
            .where(SESSION.c.deleted.is_(False), within(SESSION.c.started_at, period))
            .order_by(SESSION.c.started_at)
        ).all()
    columns = list(zip(*rows, strict=True)) or [(), ()]
    stamps = stamps_from_text(list(columns[0]))
    durations = np.asarray(columns[1], dtype=np.float64)
    numbers = local_day_numbers(stamps, tz)
    last = day_number(local_date(period.end_epoch - 1, tz))
    if period.start_epoch is not None:
        first = day_number(local_date(period.start_epoch, tz))
    elif rows:
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


def _deleted_sessions() -> Select[tuple[str]]:
    return select(SESSION.c.id).where(SESSION.c.deleted.is_(True))


def _sessions_in(period: Period) -> Select[tuple[str]]:
    return select(SESSION.c.id).where(SESSION.c.deleted.is_(False), within(SESSION.c.started_at, period))


def pose_mix(source: Source, period: Period) -> list[PoseCount]:
    """Holds per pose in the sessions of ``period``, most held first.

    A bounded range probes its sessions' holds (covering index by session). The ``all``
    range sums every hold in one pass over a covering index by pose and subtracts the holds
    of soft-deleted sessions, which are few: cheaper than testing every hold's session.
    """

    def totals(*where: ColumnElement[bool]) -> Select[Any]:
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

    with connect(source) as conn:
        if period.start is not None:
            everything = conn.execute(totals(HOLD.c.session_id.in_(_sessions_in(period)))).all()
            deleted: list[Any] = []
        else:
            everything = conn.execute(totals(HOLD.c.started_at < period.end)).all()
            deleted = list(conn.execute(totals(HOLD.c.session_id.in_(_deleted_sessions()))).all())
    minus = {str(r[0]): (int(r[2]), float(r[3]), float(r[4])) for r in deleted}
    out = []
    for pid, name, n, hold_s, acc in everything:
        dn, dh, da = minus.get(str(pid), (0, 0.0, 0.0))
        count = int(n) - dn
        if count > 0:
            mean = (float(acc) - da) / count
            out.append(PoseCount(str(pid), str(name), count, float(hold_s) - dh, round(mean, 1)))
    out.sort(key=lambda p: (-p.holds, p.pose_name))
    return out


def pose_accuracy(source: Source, pose_id: str, period: Period) -> Series:
    """Mean accuracy of one pose per session over time (x = the session's first hold of it).

    The range applies to the holds' start (the same day as their session's, but for a
    session running past the range's end).
    """
    with connect(source) as conn:
        rows = conn.execute(
            select(func.min(epoch(HOLD.c.started_at)), func.avg(HOLD.c.accuracy))
            .where(
                HOLD.c.pose_id == pose_id,
                within(HOLD.c.started_at, period),
                HOLD.c.session_id.not_in(_deleted_sessions()),
            )
            .group_by(HOLD.c.session_id)
            .order_by(func.min(HOLD.c.started_at))
        ).all()
    return Series(x=[float(r[0]) for r in rows], y=[float(r[1]) for r in rows])


def session_history(
    source: Source, period: Period, limit: int | None = None, offset: int = 0
) -> list[HistoryRow]:
    """Sessions in ``period``, newest first, each with the names of the poses held.

    ``limit``/``offset`` page through long histories (the Dashboard loads a page at a time).
    """
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
    if limit is not None:
        query = query.limit(limit)
    with connect(source) as conn:
        rows = conn.execute(query).all()
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
        return int(
            conn.execute(
                select(func.count()).where(SESSION.c.deleted.is_(False), within(SESSION.c.started_at, period))
            ).scalar_one()
        )


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
