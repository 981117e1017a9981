"""The Dashboard's charts: pens and date axes, drawing the data, and the shared time axis.

GUI thread only. The drawing functions take the panel and touch only the pages it has built
(``ui.dashboard.pages`` creates the plot items they fill). Practice, WHOOP recovery/sleep and
strain (``TIME_CHARTS``) share one time axis: the same time range, panned and zoomed together
(not pyqtgraph's setXLink, which lines views up by their on-screen position, and these sit in
different tabs and columns).
"""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pyqtgraph as pg

from app.stats import DashboardData
from app.stats.practice import Series
from ui.dashboard.widgets import ChartBox

if TYPE_CHECKING:
    from ui.dashboard.panel import DashboardPanel

MAX_JOINT_CURVES = 6
DAY_S = 86400.0
COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf")
TIME_CHARTS = ("minutes", "accuracy", "whoop", "strain")  # one shared time axis


def pen(index: int, width: float = 2.0) -> Any:
    return pg.mkPen(COLORS[index % len(COLORS)], width=width)


def date_axis(panel: DashboardPanel) -> pg.DateAxisItem:
    """A date axis in the panel's time zone when one was given, else in the system's."""
    offset = None
    if panel._fixed_tz:
        delta = panel.ctx.clock().astimezone(panel.tz).utcoffset()
        offset = -int(delta.total_seconds()) if delta is not None else 0
    return pg.DateAxisItem(orientation="bottom", utcOffset=offset)


# ---------------------------------------------------------------- drawing
def apply_practice(panel: DashboardPanel, data: DashboardData) -> None:
    """Fill the Practice page's pose selector and charts (the page is built)."""
    panel.pose_combo.blockSignals(True)
    panel.pose_combo.clear()
    for p in data.poses:
        panel.pose_combo.addItem(p.pose_name, p.pose_id)
    if data.accuracy_pose is not None:
        panel.pose_combo.setCurrentIndex(max(0, panel.pose_combo.findData(data.accuracy_pose)))
    panel.pose_combo.blockSignals(False)
    set_accuracy(panel, data.accuracy)

    m = data.minutes
    has_minutes = any(v > 0 for v in m.minutes)
    x = np.asarray(m.x, dtype=float) + DAY_S / 2
    panel.minutes_bars.setOpts(x=x, height=np.asarray(m.minutes, dtype=float), width=DAY_S * 0.8)
    panel.charts["minutes"].set_has_data(has_minutes)

    names = [p.pose_name for p in data.poses]
    holds = np.asarray([p.holds for p in data.poses], dtype=float)
    y = np.arange(len(names), dtype=float)
    panel.mix_bars.setOpts(x0=np.zeros(len(names)), y=y, width=holds, height=0.7)
    panel.pose_axis.setTicks([[(float(i), n) for i, n in enumerate(names)]])
    mix = panel.charts["pose_mix"]
    mix.set_has_data(bool(names))
    if names:
        mix.plot.setYRange(-0.6, len(names) - 0.4, padding=0)
        mix.plot.setXRange(0, float(holds.max()) * 1.05, padding=0)


def set_accuracy(panel: DashboardPanel, series: Series) -> None:
    """Draw one pose's accuracy over time (the Practice page is built)."""
    panel.acc_curve.setData(np.asarray(series.x, dtype=float), np.asarray(series.y, dtype=float))
    panel.charts["accuracy"].set_has_data(bool(series.x))


def apply_providers(panel: DashboardPanel, data: DashboardData) -> None:
    """Fill the WHOOP & Reboot page (built); the joint chosen survives when the new data has it."""
    w = data.whoop
    panel.recovery_curve.setData(np.asarray(w.recovery.x, dtype=float), np.asarray(w.recovery.y, dtype=float))
    panel.sleep_curve.setData(np.asarray(w.sleep.x, dtype=float), np.asarray(w.sleep.y, dtype=float))
    panel.strain_curve.setData(np.asarray(w.strain.x, dtype=float), np.asarray(w.strain.y, dtype=float))
    panel.charts["whoop"].set_has_data(bool(w.recovery.x or w.sleep.x))
    panel.charts["strain"].set_has_data(bool(w.strain.x))
    joints = data.joints
    chosen = panel.joint_combo.currentData()
    panel.joint_combo.clear()
    if joints is not None:
        panel.joint_combo.addItem(f"First {min(MAX_JOINT_CURVES, len(joints.columns))} joints", "")
        for name in joints.columns:
            panel.joint_combo.addItem(name, name)
        panel.joint_combo.setCurrentIndex(max(0, panel.joint_combo.findData(chosen)))  # keep the user's choice
        title = html.escape(joints.title)
        panel.charts["joints"].title.setText(f"<b>Reboot Motion joint angles</b> — {title}")
    draw_joints(panel)


def draw_joints(panel: DashboardPanel) -> None:
    """Draw the joint chosen (or the first MAX_JOINT_CURVES) of the panel's data."""
    box = panel.charts["joints"]
    for curve in panel.joint_curves:
        box.plot.removeItem(curve)
    panel.joint_curves = []
    joints = panel.data.joints if panel.data is not None else None
    if joints is None:
        box.set_has_data(False)
        return
    chosen = panel.joint_combo.currentData()
    names = [chosen] if chosen else list(joints.columns)[:MAX_JOINT_CURVES]
    frames = np.asarray(joints.frames, dtype=float)
    for i, name in enumerate(names):
        values = np.asarray(joints.columns[name], dtype=float)
        curve = box.plot.plot(frames, values, pen=pen(i), name=name, connect="finite")
        panel.joint_curves.append(curve)
    box.plot.setLabel("bottom", joints.frame_label)
    box.set_has_data(True)


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
    """Keeps the built ``TIME_CHARTS`` of ``charts`` (the panel's dict, filled as pages are built) on one range."""

    def __init__(self, charts: dict[str, ChartBox]) -> None:
        self._charts = charts
        self._syncing = False

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
