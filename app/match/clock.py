"""The match clock as a pure function of stored marks (no running timer anywhere).

A period's clock runs from its ``start`` mark, stops at ``pause``, runs again at ``resume``
and freezes at ``end``. The same marks always give the same clock, so the clock survives a
restart of the app in the middle of a match.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from app.match.rules import SHOOTOUT_PERIOD
from app.match.rules import period_length_min as length_of
from app.match.types import ClockState

MINUTE_MS = 60_000


@dataclass(frozen=True)
class Mark:
    """One clock action: start | pause | resume | end, for ``period`` at wall time ``at``."""

    action: str
    period: int
    at: datetime


def _ms(delta_seconds: float) -> int:
    return max(0, round(delta_seconds * 1000))


def period_elapsed(marks: Sequence[Mark], period: int, now: datetime) -> tuple[int, bool, bool]:
    """(elapsed_ms, running, ended) of ``period`` from its marks (in time order)."""
    elapsed = 0
    running_since: datetime | None = None
    started = ended = False
    for mark in marks:
        if mark.period != period:
            continue
        if mark.action in ("start", "resume"):
            if running_since is None and not ended:
                running_since = mark.at
                started = True
        elif mark.action in ("pause", "end"):
            if running_since is not None:
                elapsed += _ms((mark.at - running_since).total_seconds())
                running_since = None
            if mark.action == "end":
                ended = True
    if running_since is not None:
        elapsed += _ms((now - running_since).total_seconds())
    return elapsed, running_since is not None and started, ended


def period_offset_ms(period: int, period_length_min: int, regular_periods: int = 2, extra_time_min: int = 15) -> int:
    """Match time at the kick-off of ``period``: the regulation lengths of the periods before it."""
    return sum(length_of(p, regular_periods, period_length_min, extra_time_min) for p in range(1, period)) * MINUTE_MS


def display(
    period: int, elapsed_ms: int, period_length_min: int, regular_periods: int = 2, extra_time_min: int = 15
) -> str:
    """ "MM:SS" of match time, or "45+2" in stoppage time (added minutes rounded up); "Pens"
    during a penalty shoot-out."""
    if period <= 0:
        return "00:00"
    if period >= SHOOTOUT_PERIOD:
        return "Pens"
    length = length_of(period, regular_periods, period_length_min, extra_time_min) * MINUTE_MS
    base = period_offset_ms(period, period_length_min, regular_periods, extra_time_min)
    if elapsed_ms > length:
        over = elapsed_ms - length
        return f"{(base + length) // MINUTE_MS}+{-(-over // MINUTE_MS)}"
    total_s = (base + elapsed_ms) // 1000
    return f"{total_s // 60:02d}:{total_s % 60:02d}"


def minute_parts(
    period: int, clock_ms: int, period_length_min: int, regular_periods: int = 2, extra_time_min: int = 15
) -> tuple[int, int]:
    """(minute, stoppage) of an event as football counts them: 0:00-0:59 is minute 1, the
    second minute of stoppage after 45 is (45, 2); extra time continues from the regular
    periods. A shoot-out kick is at the minute the match ended, with no stoppage."""
    period = max(period, 1)
    base = period_offset_ms(period, period_length_min, regular_periods, extra_time_min)
    if period >= SHOOTOUT_PERIOD:
        return base // MINUTE_MS, 0
    length = length_of(period, regular_periods, period_length_min, extra_time_min) * MINUTE_MS
    if clock_ms >= length:
        return (base + length) // MINUTE_MS, (clock_ms - length) // MINUTE_MS + 1
    return (base + clock_ms) // MINUTE_MS + 1, 0


def minute_labeler(
    period_length_min: int, regular_periods: int = 2, extra_time_min: int = 15
) -> Callable[[int, int], str]:
    """``minute_label`` for one match, with each period's offset worked out once (a timeline
    of thousands of events labels them all)."""
    cache: dict[int, tuple[int, int]] = {}

    def label(period: int, clock_ms: int) -> str:
        if period >= SHOOTOUT_PERIOD:
            return "Pens"
        p = max(period, 1)
        found = cache.get(p)
        if found is None:
            length = length_of(p, regular_periods, period_length_min, extra_time_min) * MINUTE_MS
            found = cache[p] = (period_offset_ms(p, period_length_min, regular_periods, extra_time_min), length)
        base, length = found
        if clock_ms >= length:
            return f"{(base + length) // MINUTE_MS}+{(clock_ms - length) // MINUTE_MS + 1}'"
        return f"{(base + clock_ms) // MINUTE_MS + 1}'"

    return label


def minute_label(
    period: int, clock_ms: int, period_length_min: int, regular_periods: int = 2, extra_time_min: int = 15
) -> str:
    """The football minute of an event: "1'" .. "45'", "45+1'" in stoppage, "91'" in extra
    time, "Pens" in the shoot-out (``minute_parts`` as text)."""
    if period >= SHOOTOUT_PERIOD:
        return "Pens"
    minute, stoppage = minute_parts(period, clock_ms, period_length_min, regular_periods, extra_time_min)
    return f"{minute}+{stoppage}'" if stoppage else f"{minute}'"


def clock_state(
    *,
    current_period: int,
    match_status: str,
    period_count: int,
    period_length_min: int,
    marks: Sequence[Mark],
    now: datetime,
    extra_time_min: int = 15,
) -> ClockState:
    """The clock of a match whose current period and marks are given."""
    length = length_of(max(current_period, 1), period_count, period_length_min, extra_time_min) * MINUTE_MS
    if current_period <= 0:
        return ClockState(0, False, 0, display(0, 0, period_length_min), "scheduled", length, 0, period_count)
    elapsed, running, ended = period_elapsed(marks, current_period, now)
    if match_status == "finished":
        status = "finished"
    elif ended:
        status = "break"
    elif running:
        status = "live"
    else:
        status = "paused"
    return ClockState(
        period=current_period,
        running=running,
        elapsed_ms=elapsed,
        display=display(current_period, elapsed, period_length_min, period_count, extra_time_min),
        status=status,
        period_length_ms=length,
        stoppage_ms=max(0, elapsed - length) if length else 0,
        period_count=period_count,
    )
