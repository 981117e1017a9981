"""Local days, Monday weeks and the Dashboard's ranges (pure; no database, no Qt).

Decisions:
- Days and weeks are the user's LOCAL calendar days (``tz``), not UTC days: a session at
  23:30 local belongs to that local day even when it is already tomorrow in UTC.
- A week starts on Monday (ISO 8601), so Sunday 23:59 and Monday 00:00 are in different weeks.
- Ranges are calendar periods that end now: ``week`` = since Monday 00:00 local,
  ``month`` = since the 1st of this month, ``season`` = since the last 1 August (a football
  season, August to July), ``all`` = everything.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import numpy.typing as npt

EPOCH_DAY = date(1970, 1, 1)
RANGES = ("week", "month", "season", "all")
SEASON_START_MONTH = 8  # the season starts on 1 August
DAY_S = 86400.0


class SystemLocalTimezone(tzinfo):
    """The operating system's local zone with its DST rules (via ``time.localtime``)."""

    def _offset(self, dt: datetime) -> timedelta:
        naive = dt.replace(tzinfo=None)
        stamp = time.mktime((*naive.timetuple()[:8], -1))
        return timedelta(seconds=time.localtime(stamp).tm_gmtoff)

    def utcoffset(self, dt: datetime | None) -> timedelta:
        return self._offset(dt or datetime.now())

    def dst(self, dt: datetime | None) -> timedelta:
        return timedelta(0)

    def tzname(self, dt: datetime | None) -> str:
        return time.tzname[0]

    def fromutc(self, dt: datetime) -> datetime:
        stamp = (dt.replace(tzinfo=None) - datetime(1970, 1, 1)).total_seconds()
        return dt + timedelta(seconds=time.localtime(stamp).tm_gmtoff)


def local_timezone() -> tzinfo:
    """The user's time zone: ``TZ`` or the system zone name when known, else the OS rules."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    try:
        target = Path("/etc/localtime").resolve()
        if "zoneinfo" in target.parts:
            candidates.append("/".join(target.parts[target.parts.index("zoneinfo") + 1 :]))
    except OSError:
        pass
    for name in candidates:
        if not name:
            continue
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return SystemLocalTimezone()


def local_date(stamp: float, tz: tzinfo) -> date:
    """The local calendar day of a UNIX timestamp."""
    return datetime.fromtimestamp(stamp, tz).date()


def local_midnight(day: date, tz: tzinfo) -> datetime:
    """The start of ``day`` in ``tz`` as an aware UTC datetime."""
    return datetime(day.year, day.month, day.day, tzinfo=tz).astimezone(UTC)


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class Period:
    """A half-open interval [start, end) in UTC; ``start`` None means from the beginning."""

    name: str
    start: datetime | None
    end: datetime

    @property
    def start_epoch(self) -> float | None:
        return None if self.start is None else self.start.timestamp()

    @property
    def end_epoch(self) -> float:
        return self.end.timestamp()


def period_bounds(name: str, now: datetime, tz: tzinfo) -> Period:
    """The range ``name`` (one of RANGES) ending at ``now``, in local calendar terms."""
    today = now.astimezone(tz).date()
    if name == "week":
        first: date | None = week_start(today)
    elif name == "month":
        first = today.replace(day=1)
    elif name == "season":
        year = today.year if today.month >= SEASON_START_MONTH else today.year - 1
        first = date(year, SEASON_START_MONTH, 1)
    elif name == "all":
        first = None
    else:
        raise ValueError(f"unknown range {name!r}; expected one of {', '.join(RANGES)}")
    # the end is the end of today (so a session logged a moment after ``now`` still counts)
    end = local_midnight(today + timedelta(days=1), tz)
    return Period(name, None if first is None else local_midnight(first, tz), end)


@lru_cache(maxsize=1 << 16)
def _offset_s(stamp: int, tz: tzinfo) -> float:
    """UTC offset of ``tz`` at a whole second (memoised: the weekly grid repeats across calls)."""
    offset = datetime.fromtimestamp(stamp, tz).utcoffset()
    return 0.0 if offset is None else offset.total_seconds()


def utc_offsets(stamps: npt.NDArray[np.float64], tz: tzinfo) -> npt.NDArray[np.float64]:
    """The UTC offset (seconds) of ``tz`` at each UNIX timestamp, vectorised.

    The zone is sampled weekly over the span and every change of offset is located to the
    second by bisection, so thousands of timestamps cost a few hundred zone look-ups.
    Assumes a zone changes its offset at most once in any 7 days (true of real zones).
    """
    if stamps.size == 0:
        return np.zeros(0)
    step = 7 * 86400
    lo = (int(np.floor(stamps.min())) // step) * step
    hi = int(np.ceil(stamps.max())) + 1
    grid = list(range(lo, hi + step, step))
    offsets = [_offset_s(t, tz) for t in grid]
    edges: list[int] = []
    values = [offsets[0]]
    for i in range(len(grid) - 1):
        if offsets[i] == offsets[i + 1]:
            continue
        a, b = grid[i], grid[i + 1]
        while b - a > 1:
            mid = (a + b) // 2
            if _offset_s(mid, tz) == offsets[i]:
                a = mid
            else:
                b = mid
        edges.append(b)
        values.append(offsets[i + 1])
    index = np.searchsorted(np.asarray(edges, dtype=np.float64), stamps, side="right")
    return np.asarray(values, dtype=np.float64)[index]


def local_day_numbers(stamps: npt.NDArray[np.float64], tz: tzinfo) -> npt.NDArray[np.int64]:
    """Local calendar day of each UNIX timestamp, as days since 1970-01-01 (vectorised)."""
    if stamps.size == 0:
        return np.zeros(0, dtype=np.int64)
    days: npt.NDArray[np.int64] = np.floor((stamps + utc_offsets(stamps, tz)) / DAY_S).astype(np.int64)
    return days


def day_number(day: date) -> int:
    return (day - EPOCH_DAY).days


def day_of_number(number: int) -> date:
    return EPOCH_DAY + timedelta(days=number)


def local_midnights(numbers: npt.NDArray[np.int64], tz: tzinfo) -> npt.NDArray[np.float64]:
    """UNIX timestamp of local midnight for each local day number (vectorised)."""
    naive = numbers.astype(np.float64) * DAY_S
    guess = naive - utc_offsets(naive, tz)
    return naive - utc_offsets(guess, tz)
