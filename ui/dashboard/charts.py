"""The Dashboard's chart helpers: pens and date axes, the whole range, and the shared time axis.

GUI thread only. The pages (``ui.dashboard.pages``) own their plots and draw on them with
these helpers; this module knows no page and no panel. Practice, WHOOP recovery/sleep and
strain (``TIME_CHARTS``) share one time axis: the same time range, panned and zoomed together
(not pyqtgraph's setXLink, which lines views up by their on-screen position, and these sit in
different tabs and columns).
"""

from __future__ import annotations

import math
from datetime import datetime, tzinfo
from typing import Any

import numpy as np
import pyqtgraph as pg

from app.stats import DashboardData
from app.stats.practice import Series
from ui.dashboard.widgets import ChartBox

DAY_S = 86400.0
COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf")
TIME_CHARTS = ("minutes", "accuracy", "whoop", "strain")  # one shared time axis


def pen(index: int, width: float = 2.0) -> Any:
    return pg.mkPen(COLORS[index % len(COLORS)], width=width)


def date_axis(utc_offset: int | None) -> pg.DateAxisItem:
    """A date axis ``utc_offset`` seconds west of UTC (pyqtgraph's sign), or in the system's zone if None."""
    return pg.DateAxisItem(orientation="bottom", utcOffset=utc_offset)


def utc_offset(tz: tzinfo, now: datetime) -> int:
    """pyqtgraph's ``utcOffset`` for ``tz`` at ``now``: seconds *west* of UTC."""
    delta = now.astimezone(tz).utcoffset()
    return -int(delta.total_seconds()) if delta is not None else 0


def xy(series: Series) -> tuple[np.ndarray, np.ndarray]:
    """A series' points as float arrays, as pyqtgraph's ``setData`` takes them."""
    return np.asarray(series.x, dtype=float), np.asarray(series.y, dtype=float)


# ---------------------------------------------------------------- shared time axis
def whole_range(data: DashboardData) -> tuple[float, float]:
    """The whole range of ``data`` in UNIX seconds (from the first data for "all")."""
    end = data.period.end_epoch
    start = data.period.start_epoch
    if start is None:
        firsts = [s.x[0] for s in (data.accuracy, data.whoop.recovery, data.whoop.sleep, data.whoop.strain) if s.x]
        if data.minutes.x:
            firsts.append(data.minutes.x[0])
        start = min(firsts) if firsts else end - 7 * DAY_S
    if not math.isfinite(start) or start >= end:
        start = end - DAY_S
    return start, end


class TimeAxis:
    """Keeps the ``TIME_CHARTS`` joined to it (as their pages are built) on one range."""

    def __init__(self) -> None:
        self._charts: dict[str, ChartBox] = {}
        self._syncing = False

    def join(self, box: ChartBox) -> bool:
        """Put ``box`` on the shared axis if it is one of ``TIME_CHARTS``; True if it joined."""
        if box.key not in TIME_CHARTS:
            return False
        self._charts[box.key] = box
        return True

    def set_range(self, start: float, end: float) -> None:
        """Put every time chart built on [start, end] (UNIX seconds)."""
        self._syncing = True
        try:
            for key in TIME_CHARTS:
                if key in self._charts:
                    self._charts[key].plot_item.setXRange(start, end, padding=0.01)
        finally:
            self._syncing = False

    def range_of(self, key: str) -> tuple[float, float]:
        """The x range chart ``key`` (built) shows."""
        low, high = self._charts[key].plot_item.getViewBox().viewRange()[0]
        return float(low), float(high)

    def follow(self, view: Any, x_range: Any) -> None:
        """One chart's view moved to ``x_range``: move the other time charts with it."""
        if self._syncing:
            return
        self._syncing = True
        try:
            for key in TIME_CHARTS:
                if key not in self._charts:
                    continue
                box = self._charts[key].plot_item.getViewBox()
                if box is not view:
                    box.setXRange(float(x_range[0]), float(x_range[1]), padding=0)
        finally:
            self._syncing = False
