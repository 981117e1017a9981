"""The match clock as a pure function of stored marks (no running timer anywhere).

A period's clock runs from its ``start`` mark, stops at ``pause``, runs again at ``resume``
and freezes at ``end``. The same marks always give the same clock, so the clock survives a
restart of the app in the middle of a match.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

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


def display(period: int, elapsed_ms: int, period_length_min: int) -> str:
    """"MM:SS" of match time, or "45+2" in stoppage time (added minutes rounded up)."""
    if period <= 0:
        return "00:00"
    length = period_length_min * MINUTE_MS
    base = (period - 1) * length
    if elapsed_ms > length:
        over = elapsed_ms - length
        return f"{(base + length) // MINUTE_MS}+{-(-over // MINUTE_MS)}"
    total_s = (base + elapsed_ms) // 1000
    return f"{total_s // 60:02d}:{total_s % 60:02d}"


def minute_label(period: int, clock_ms: int, period_length_min: int) -> str:
    """The football minute of an event: 0:00-0:59 is 1', stoppage is "45+1'"."""
    length = period_length_min * MINUTE_MS
    base = (max(period, 1) - 1) * length
    if clock_ms >= length:
        return f"{(base + length) // MINUTE_MS}+{(clock_ms - length) // MINUTE_MS + 1}'"
    return f"{(base + clock_ms) // MINUTE_MS + 1}'"


def clock_state(
    *,
    current_period: int,
    match_status: str,
    period_count: int,
    period_length_min: int,
    marks: Sequence[Mark],
    now: datetime,
) -> ClockState:
    """The clock of a match whose current period and marks are given."""
    length = period_length_min * MINUTE_MS
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
        display=display(current_period, elapsed, period_length_min),
        status=status,
        period_length_ms=length,
        stoppage_ms=max(0, elapsed - length),
        period_count=period_count,
    )
