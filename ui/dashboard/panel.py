"""Dashboard panel: practice, match and provider data at a glance, with charts.

Data flow: on the GUI thread the panel snapshots its inputs (range, pose, ``ctx.clock()``,
time zone); ``app.stats.compute_dashboard`` runs in a worker (``ui.ops.run_op`` on the
panel's own pool) together with the table formatting; the result is applied on the GUI
thread. Refreshes follow ``bus.changed`` (practice, match, providers, sync), debounced, and
only while the panel is visible: a hidden panel remembers it is stale and refreshes when
shown. Days and weeks are the user's local ones; weeks start on Monday.

Only the Practice page is built with the panel: the Matches and the WHOOP & Reboot pages
(three tables, three charts) are built when their tab is first chosen (or a chart or table of
theirs is exported), and then get the data the panel already holds. ``charts`` and ``tables``
hold what is built; ``ensure_page`` builds a page on demand.
"""

from __future__ import annotations

import html
import logging
import math
from datetime import tzinfo
from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.context import AppContext
from app.errors import NotFound
from app.practice.service import PracticeService
from app.stats import RANGES, DashboardData, compute_dashboard, local_timezone
from app.stats.cache import DashboardCache
from app.stats.dashboard import HISTORY_PAGE
from app.stats.practice import HistoryRow, Series, pose_accuracy, session_history, session_holds
from ui.bus import ChangeBus
from ui.dashboard.dialogs import SessionDialog
from ui.dashboard.tables import (
    HISTORY_HEADERS,
    PLAYERS_HEADERS,
    RESULTS_HEADERS,
    TOP_HEADERS,
    history_rows,
    player_rows,
    result_rows,
    top_rows,
)
from ui.dashboard.widgets import Card, ChartBox, TableBox, write_csv
from ui.ops import CancelToken, Op, run_op

log = logging.getLogger(__name__)

TOPICS = frozenset({"practice", "match", "providers", "sync"})
RANGE_TITLES = {"week": "This week", "month": "This month", "season": "This season", "all": "All time"}
DEBOUNCE_MS = 300
MAX_JOINT_CURVES = 6
DAY_S = 86400.0
COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf")
CHART_KEYS = ("accuracy", "minutes", "pose_mix", "whoop", "strain", "joints")
TABLE_KEYS = ("history", "results", "players", "top")
TIME_CHARTS = ("minutes", "accuracy", "whoop", "strain")  # one shared time axis
PAGES = ("practice", "matches", "providers")  # the tabs, in order
PAGE_OF = {
    "accuracy": "practice", "minutes": "practice", "pose_mix": "practice", "history": "practice",
    "results": "matches", "players": "matches", "top": "matches",
    "whoop": "providers", "strain": "providers", "joints": "providers",
}


def _pen(index: int, width: float = 2.0) -> Any:
    return pg.mkPen(COLORS[index % len(COLORS)], width=width)


class DashboardPanel(QWidget):
    """Cards, charts and tables over the local database; see the module docstring."""

    refreshed = Signal()  # every chart and table holds the newest data

    def __init__(
        self,
        ctx: AppContext,
        bus: ChangeBus,
        parent: QWidget | None = None,
        *,
        tz: tzinfo | None = None,
        initial_range: str = "month",
        debounce_ms: int = DEBOUNCE_MS,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.bus = bus
        self.tz = tz or local_timezone()
        self._fixed_tz = tz is not None
        self.data: DashboardData | None = None
        self.pose_id: str | None = None
        self.history: list[HistoryRow] = []
        self.history_page = HISTORY_PAGE  # sessions per page of the practice history
        self.dialog: SessionDialog | None = None
        self._dirty = True
        self._closed = False
        self._rerun = False
        self._op: Op | None = None
        self._side_ops: list[Op] = []
        self._populated = False
        self._rows: dict[str, Any] = {}  # the newest table rows, for pages built later
        self._built: set[str] = set()
        self._cache = DashboardCache(ctx.db)  # results per data version: an idle refresh is free
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(debounce_ms)
        self._debounce.timeout.connect(self.refresh)

        self._build(initial_range)
        bus.changed.connect(self._on_changed)

    # ---------------------------------------------------------------- layout
    def _build(self, initial_range: str) -> None:
        root = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("Range:"))
        self.range_combo = QComboBox()
        self.range_combo.setObjectName("dashboardRange")
        for name in RANGES:
            self.range_combo.addItem(RANGE_TITLES[name], name)
        self.range_combo.setCurrentIndex(RANGES.index(initial_range) if initial_range in RANGES else 1)
        self.range_combo.currentIndexChanged.connect(self._range_changed)
        top.addWidget(self.range_combo)
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.clicked.connect(self.refresh)
        top.addWidget(self.refresh_button)
        top.addStretch(1)
        self.status = QLabel("")
        self.status.setObjectName("dashboardStatus")
        top.addWidget(self.status)
        root.addLayout(top)

        cards = QHBoxLayout()
        self.cards = {
            "sessions_this_week": Card("sessions_this_week", "sessions this week (from Monday)"),
            "mindful_minutes": Card("mindful_minutes", "mindful minutes"),
            "current_streak": Card("current_streak", "day streak"),
            "avg_accuracy": Card("avg_accuracy", "average accuracy"),
        }
        for card in self.cards.values():
            cards.addWidget(card)
        root.addLayout(cards)

        # practice, WHOOP recovery/sleep and strain share one time axis: the same time range,
        # panned and zoomed together (not pyqtgraph's setXLink, which lines views up by their
        # on-screen position, and these sit in different tabs and columns)
        self._syncing_x = False
        self.charts: dict[str, ChartBox] = {}
        self.tables: dict[str, TableBox] = {}
        self.tabs = QTabWidget()
        self._page_hosts: dict[str, QVBoxLayout] = {}
        for name, title in zip(PAGES, ("Practice", "Matches", "WHOOP && Reboot"), strict=True):
            host = QWidget()
            host.setObjectName(f"dashboardPage_{name}")
            layout = QVBoxLayout(host)
            layout.setContentsMargins(0, 0, 0, 0)
            self._page_hosts[name] = layout
            self.tabs.addTab(host, title)
        # the first page is built with the panel (tried: building it in the first show event,
        # before or while the worker computes, was no faster: they share the GIL)
        self.ensure_page("practice")
        self.tabs.currentChanged.connect(self._tab_changed)
        root.addWidget(self.tabs, 1)

    def ensure_page(self, name: str) -> None:
        """Build page ``name`` (one of PAGES) unless built, and put the newest data on it."""
        if name in self._built:
            return
        self._built.add(name)
        build = {"practice": self._practice_page, "matches": self._matches_page, "providers": self._providers_page}
        self._page_hosts[name].addWidget(build[name]())
        for key in TIME_CHARTS:
            if PAGE_OF[key] == name:
                self.charts[key].plot_item.getViewBox().sigXRangeChanged.connect(self._time_range_moved)
        if self.data is not None:
            self._apply_page(name, self.data)
            # join the shared time axis where it is now (the user may have panned it)
            if name != "practice" and "minutes" in self.charts:
                self.set_time_range(*self.time_range("minutes"))
            else:
                self._set_time_range(self.data)

    def _apply_page(self, name: str, data: DashboardData) -> None:
        """Put ``data`` (and the table rows computed with it) on page ``name``, which is built."""
        if name == "practice":
            self._apply_practice(data)
            self.tables["history"].model.set_rows(*self._rows["history"])
            self._update_history_note()
        elif name == "matches":
            for key in ("results", "players", "top"):
                self.tables[key].model.set_rows(*self._rows[key])
        else:
            self._apply_providers(data)

    # signal handlers are methods, not lambdas holding ``self``: a lambda kept by a child's
    # connection holds the panel's wrapper in a cycle Python's collector cannot see through,
    # so a dropped panel (and its ~400-800 widgets) lived on until Qt deleted it, which
    # needs a running event loop (test_a_closed_panel_is_freed_when_dropped)
    def _range_changed(self, _index: int) -> None:
        self.refresh()

    def _history_double_clicked(self, _index: Any) -> None:
        self._open_selected()

    def _joint_chosen(self, _index: int) -> None:
        self._draw_joints()

    def _csv_requested(self, path: Path) -> None:
        box = self.sender()
        if isinstance(box, TableBox):
            self.export_table_csv(box.key, path)

    def _tab_changed(self, index: int) -> None:
        if 0 <= index < len(PAGES):
            self.ensure_page(PAGES[index])

    def _date_axis(self) -> pg.DateAxisItem:
        offset = None
        if self._fixed_tz:
            delta = self.ctx.clock().astimezone(self.tz).utcoffset()
            offset = -int(delta.total_seconds()) if delta is not None else 0
        return pg.DateAxisItem(orientation="bottom", utcOffset=offset)

    def _practice_page(self) -> QWidget:
        acc = ChartBox("accuracy", "Accuracy over time", "No poses held in this range.", date_axis=self._date_axis())
        self.pose_combo = QComboBox()
        self.pose_combo.setObjectName("dashboardPose")
        self.pose_combo.setMinimumContentsLength(14)
        self.pose_combo.activated.connect(self._pose_chosen)
        acc.tools.addWidget(QLabel("Pose:"))
        acc.tools.addWidget(self.pose_combo)
        acc.plot.setLabel("left", "accuracy", units="%")
        acc.plot.setYRange(0, 100)
        self.acc_curve = acc.plot.plot([], [], pen=_pen(0), symbol="o", symbolSize=5, symbolBrush=COLORS[0])
        minutes = ChartBox("minutes", "Minutes per day", "No practice in this range.", date_axis=self._date_axis())
        minutes.plot.setLabel("left", "minutes")
        self.minutes_bars = pg.BarGraphItem(x=[], height=[], width=DAY_S * 0.8, brush=COLORS[2])
        minutes.plot.addItem(self.minutes_bars)
        minutes.plot.setMouseEnabled(y=False)
        self.pose_axis = pg.AxisItem("left")
        mix = ChartBox("pose_mix", "Pose mix (holds)", "No poses held in this range.", left_axis=self.pose_axis)
        mix.plot.setLabel("bottom", "holds")
        self.mix_bars = pg.BarGraphItem(x0=[], y=[], width=[], height=0.7, brush=COLORS[4])
        mix.plot.addItem(self.mix_bars)
        mix.plot.invertY(True)
        for box in (acc, minutes, mix):
            self.charts[box.key] = box

        history = TableBox("history", "Practice history", HISTORY_HEADERS)
        self.open_button = QPushButton("Open…")
        self.open_button.setObjectName("historyOpen")
        self.open_button.clicked.connect(self._open_selected)
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setObjectName("historyDelete")
        self.delete_button.clicked.connect(self._delete_selected)
        self.more_button = QPushButton("Load more")
        self.more_button.setObjectName("historyMore")
        self.more_button.clicked.connect(self.load_more_history)
        for button in (self.open_button, self.delete_button, self.more_button):
            history.tools.addWidget(button)
        history.view.doubleClicked.connect(self._history_double_clicked)
        history.csv_requested.connect(self._csv_requested)
        self.tables["history"] = history

        page = QWidget()
        layout = QVBoxLayout(page)
        charts = QSplitter(Qt.Orientation.Horizontal)
        for box in (acc, minutes):
            charts.addWidget(box)
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(mix)
        lower.addWidget(history)
        lower.setStretchFactor(1, 2)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(charts)
        split.addWidget(lower)
        layout.addWidget(split)
        return page

    def _matches_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        results = TableBox("results", "Results", RESULTS_HEADERS)
        players = TableBox("players", "Season table", PLAYERS_HEADERS)
        top = TableBox("top", "Top performers", TOP_HEADERS)
        for box in (results, players, top):
            self.tables[box.key] = box
            box.csv_requested.connect(self._csv_requested)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(results)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(players)
        right.addWidget(top)
        split.addWidget(right)
        split.setStretchFactor(1, 2)
        layout.addWidget(split)
        return page

    def _providers_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        whoop = ChartBox(
            "whoop",
            "WHOOP recovery and sleep",
            "No WHOOP data. Connect WHOOP in Sync to see recovery and sleep beside your practice.",
            date_axis=self._date_axis(),
        )
        whoop.plot.setLabel("left", "%")
        whoop.plot.addLegend(offset=(10, 10), brush=pg.mkBrush(255, 255, 255, 210), labelTextColor="k")
        self.recovery_curve = whoop.plot.plot([], [], pen=_pen(2), symbol="o", symbolSize=4, name="Recovery %")
        self.sleep_curve = whoop.plot.plot([], [], pen=_pen(0), name="Sleep performance %")
        strain = ChartBox("strain", "WHOOP day strain", "No WHOOP strain data.", date_axis=self._date_axis())
        strain.plot.setLabel("left", "strain")
        self.strain_curve = strain.plot.plot([], [], pen=_pen(1), symbol="t", symbolSize=5)
        joints = ChartBox(
            "joints",
            "Reboot Motion joint angles",
            "No Reboot Motion export downloaded. Connect Reboot Motion in Sync and download a session.",
        )
        self.joint_combo = QComboBox()
        self.joint_combo.setObjectName("dashboardJoint")
        self.joint_combo.activated.connect(self._joint_chosen)
        joints.tools.addWidget(self.joint_combo)
        joints.plot.addLegend(offset=(10, 10), brush=pg.mkBrush(255, 255, 255, 210), labelTextColor="k")
        joints.plot.setLabel("left", "angle")
        self.joint_curves: list[pg.PlotDataItem] = []
        for box in (whoop, strain, joints):
            self.charts[box.key] = box
        split = QSplitter(Qt.Orientation.Vertical)
        for box in (whoop, strain, joints):
            split.addWidget(box)
        layout.addWidget(split)
        return page

    # ---------------------------------------------------------------- refresh
    @property
    def range_name(self) -> str:
        return str(self.range_combo.currentData())

    def set_range(self, name: str) -> None:
        self.range_combo.setCurrentIndex(RANGES.index(name))

    def _on_changed(self, topics: frozenset[str]) -> None:
        if not (set(topics) & TOPICS) or self._closed:
            return
        self._dirty = True
        if self.isVisible():
            self._debounce.start()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._dirty and not self._closed:
            self.refresh()

    def refresh(self) -> None:
        """Recompute everything in a worker (a refresh asked for while one runs follows it)."""
        if self._closed:
            return
        self._debounce.stop()
        if self._op is not None:
            self._rerun = True
            return
        self._dirty = False
        db, home, tz, cache = self.ctx.db, self.ctx.home, self.tz, self._cache
        now, range_name, pose_id, page = self.ctx.clock(), self.range_name, self.pose_id, self.history_page
        self.status.setText("Updating…")

        def work(token: CancelToken) -> tuple[DashboardData, dict[str, Any]]:
            data = compute_dashboard(db, home, now, tz, range_name, pose_id, history_limit=page, cache=cache)
            token.raise_if_cancelled()
            rows = {
                "history": history_rows(data.history, tz),
                "results": result_rows(data.results, tz),
                "players": player_rows(data.players),
                "top": top_rows(data.top),
            }
            return data, rows

        self._op = run_op(self, work, on_success=self._apply, on_failure=self._failed, pool=self._pool)

    def _finish_op(self) -> None:
        self._op = None
        if self._rerun and not self._closed:
            self._rerun = False
            self.refresh()

    def _failed(self, exc: BaseException) -> None:
        log.error("dashboard refresh failed", exc_info=exc)
        if not self._closed:
            self.status.setText(f"Could not update: {exc}")
        self._finish_op()

    def _apply(self, result: tuple[DashboardData, dict[str, Any]]) -> None:
        if self._closed:
            return
        data, rows = result
        self.data = data
        self._rows = rows
        self.history = list(data.history)
        self._apply_cards(data)
        for name in PAGES:
            if name in self._built:
                self._apply_page(name, data)
        self._set_time_range(data)
        stamp = self.ctx.clock().astimezone(self.tz).strftime("%H:%M:%S")
        self.status.setText(f"{RANGE_TITLES[data.period.name]} · updated {stamp}")
        self._populated = True
        self._finish_op()
        self.refreshed.emit()

    def _apply_cards(self, data: DashboardData) -> None:
        c = data.cards
        self.cards["sessions_this_week"].set_value(str(c.sessions_this_week))
        self.cards["mindful_minutes"].set_value(f"{c.mindful_minutes:,}")
        self.cards["current_streak"].set_value(
            f"{c.current_streak} {'day' if c.current_streak == 1 else 'days'}",
            "Consecutive days with practice, up to today (or yesterday while today has none yet).",
        )
        self.cards["avg_accuracy"].set_value(f"{c.avg_accuracy:.1f} %")

    def _apply_practice(self, data: DashboardData) -> None:
        self.pose_combo.blockSignals(True)
        self.pose_combo.clear()
        for p in data.poses:
            self.pose_combo.addItem(p.pose_name, p.pose_id)
        if data.accuracy_pose is not None:
            self.pose_combo.setCurrentIndex(max(0, self.pose_combo.findData(data.accuracy_pose)))
        self.pose_combo.blockSignals(False)
        self._set_accuracy(data.accuracy)

        m = data.minutes
        has_minutes = any(v > 0 for v in m.minutes)
        x = np.asarray(m.x, dtype=float) + DAY_S / 2
        self.minutes_bars.setOpts(x=x, height=np.asarray(m.minutes, dtype=float), width=DAY_S * 0.8)
        self.charts["minutes"].set_has_data(has_minutes)

        names = [p.pose_name for p in data.poses]
        holds = np.asarray([p.holds for p in data.poses], dtype=float)
        y = np.arange(len(names), dtype=float)
        self.mix_bars.setOpts(x0=np.zeros(len(names)), y=y, width=holds, height=0.7)
        self.pose_axis.setTicks([[(float(i), n) for i, n in enumerate(names)]])
        mix = self.charts["pose_mix"]
        mix.set_has_data(bool(names))
        if names:
            mix.plot.setYRange(-0.6, len(names) - 0.4, padding=0)
            mix.plot.setXRange(0, float(holds.max()) * 1.05, padding=0)

    def _set_accuracy(self, series: Series) -> None:
        self.acc_curve.setData(np.asarray(series.x, dtype=float), np.asarray(series.y, dtype=float))
        self.charts["accuracy"].set_has_data(bool(series.x))

    def _apply_providers(self, data: DashboardData) -> None:
        w = data.whoop
        self.recovery_curve.setData(np.asarray(w.recovery.x, dtype=float), np.asarray(w.recovery.y, dtype=float))
        self.sleep_curve.setData(np.asarray(w.sleep.x, dtype=float), np.asarray(w.sleep.y, dtype=float))
        self.strain_curve.setData(np.asarray(w.strain.x, dtype=float), np.asarray(w.strain.y, dtype=float))
        self.charts["whoop"].set_has_data(bool(w.recovery.x or w.sleep.x))
        self.charts["strain"].set_has_data(bool(w.strain.x))
        joints = data.joints
        chosen = self.joint_combo.currentData()
        self.joint_combo.clear()
        if joints is not None:
            self.joint_combo.addItem(f"First {min(MAX_JOINT_CURVES, len(joints.columns))} joints", "")
            for name in joints.columns:
                self.joint_combo.addItem(name, name)
            self.joint_combo.setCurrentIndex(max(0, self.joint_combo.findData(chosen)))  # keep the user's choice
            title = html.escape(joints.title)
            self.charts["joints"].title.setText(f"<b>Reboot Motion joint angles</b> — {title}")
        self._draw_joints()

    def _draw_joints(self) -> None:
        box = self.charts["joints"]
        for curve in self.joint_curves:
            box.plot.removeItem(curve)
        self.joint_curves = []
        joints = self.data.joints if self.data is not None else None
        if joints is None:
            box.set_has_data(False)
            return
        chosen = self.joint_combo.currentData()
        names = [chosen] if chosen else list(joints.columns)[:MAX_JOINT_CURVES]
        frames = np.asarray(joints.frames, dtype=float)
        for i, name in enumerate(names):
            values = np.asarray(joints.columns[name], dtype=float)
            curve = box.plot.plot(frames, values, pen=_pen(i), name=name, connect="finite")
            self.joint_curves.append(curve)
        box.plot.setLabel("bottom", joints.frame_label)
        box.set_has_data(True)

    def _set_time_range(self, data: DashboardData) -> None:
        """Show the whole range on the shared time axis (from the first data for "all")."""
        end = data.period.end_epoch
        start = data.period.start_epoch
        if start is None:
            firsts = [s.x[0] for s in (data.accuracy, data.whoop.recovery, data.whoop.sleep, data.whoop.strain) if s.x]
            if data.minutes.x:
                firsts.append(data.minutes.x[0])
            start = min(firsts) if firsts else end - 7 * DAY_S
        if not math.isfinite(start) or start >= end:
            start = end - DAY_S
        self.set_time_range(start, end)

    def set_time_range(self, start: float, end: float) -> None:
        """Put every time chart on [start, end] (UNIX seconds)."""
        self._syncing_x = True
        try:
            for key in TIME_CHARTS:
                if key in self.charts:
                    self.charts[key].plot_item.setXRange(start, end, padding=0.01)
        finally:
            self._syncing_x = False

    def time_range(self, key: str) -> tuple[float, float]:
        self.ensure_page(PAGE_OF[key])
        low, high = self.charts[key].plot_item.getViewBox().viewRange()[0]
        return float(low), float(high)

    def _time_range_moved(self, view: Any, x_range: Any) -> None:
        if self._syncing_x:
            return
        self._syncing_x = True
        try:
            for key in TIME_CHARTS:
                if key not in self.charts:
                    continue
                box = self.charts[key].plot_item.getViewBox()
                if box is not view:
                    box.setXRange(float(x_range[0]), float(x_range[1]), padding=0)
        finally:
            self._syncing_x = False

    # ---------------------------------------------------------------- pose / history
    def _pose_chosen(self, _index: int) -> None:
        pose_id = self.pose_combo.currentData()
        if not pose_id or self.data is None:
            return
        self.pose_id = str(pose_id)
        db, period = self.ctx.db, self.data.period

        def done(series: Series) -> None:
            if self.data is not None and self.data.period == period:  # not stale (range unchanged)
                self._set_accuracy(series)

        self._side(lambda token: pose_accuracy(db, str(pose_id), period), done)

    def _side(self, work: Any, done: Any) -> Op:
        """Run a small query in the worker pool; ``done`` gets its result on the GUI thread."""
        holder: list[Op] = []

        def success(result: Any) -> None:
            self._forget(holder)
            if not self._closed:
                done(result)

        def failure(exc: BaseException) -> None:
            self._forget(holder)
            log.error("dashboard query failed", exc_info=exc)
            if not self._closed:
                self.status.setText(f"Could not load: {exc}")

        op = run_op(self, work, on_success=success, on_failure=failure, pool=self._pool)
        holder.append(op)
        self._side_ops.append(op)
        return op

    def _forget(self, holder: list[Op]) -> None:
        for op in holder:
            if op in self._side_ops:
                self._side_ops.remove(op)

    def _update_history_note(self) -> None:
        total = self.data.history_total if self.data is not None else len(self.history)
        shown = len(self.history)
        self.tables["history"].note.setText(f"{shown} of {total} sessions" if total > shown else f"{total} sessions")
        self.more_button.setEnabled(total > shown)

    def load_more_history(self) -> Op | None:
        """Load the next page of the practice history (newest first)."""
        if self.data is None:
            return None
        db, period, tz, offset, page = self.ctx.db, self.data.period, self.tz, len(self.history), self.history_page

        def work(token: CancelToken) -> tuple[list[HistoryRow], Any]:
            rows = session_history(db, period, limit=page, offset=offset)
            return rows, history_rows(rows, tz)

        def done(result: tuple[list[HistoryRow], Any]) -> None:
            rows, (cells, ids) = result
            if len(self.history) != offset:  # refreshed meanwhile
                return
            self.history.extend(rows)
            self.tables["history"].model.append_rows(cells, ids)
            self._update_history_note()

        return self._side(work, done)

    def _open_selected(self) -> None:
        session_id = self.tables["history"].selected_id()
        if session_id is not None:
            self.open_session(session_id)

    def open_session(self, session_id: str) -> Op:
        """Open the dialog listing the holds of a session (loaded in the worker)."""
        db = self.ctx.db
        row = next((h for h in self.history if h.session_id == session_id), None)

        def show(holds: Any) -> None:
            if self.dialog is not None:
                self.dialog.close()
            self.dialog = SessionDialog(row, holds, self.tz, self)
            self.dialog.open()

        return self._side(lambda token: session_holds(db, session_id), show)

    def _delete_selected(self) -> None:
        session_id = self.tables["history"].selected_id()
        if session_id is not None:
            self.delete_session(session_id)

    def delete_session(self, session_id: str, *, confirm: bool = True) -> Op | None:
        """Delete a practice session (soft delete, synced), after asking when ``confirm``."""
        if confirm:
            answer = QMessageBox.question(
                self,
                "Delete practice session",
                "Delete this practice session? It is removed from the history and from the yoga cloud "
                "at the next sync.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return None
        service = PracticeService(self.ctx)

        def work(token: CancelToken) -> bool:
            try:
                service.delete_session(session_id)  # soft delete + outbox, one transaction
            except NotFound:
                return False  # already gone (deleted elsewhere meanwhile)
            return True

        def done(deleted: bool) -> None:
            if deleted:
                self.bus.announce("practice")
            self._dirty = True
            self.refresh()

        return self._side(work, done)

    # ---------------------------------------------------------------- export
    def export_chart_png(self, key: str, path: Path) -> Path:
        """Write chart ``key`` (one of CHART_KEYS) as a PNG image (building its page if need be)."""
        self.ensure_page(PAGE_OF[key])
        return self.charts[key].export_png(Path(path))

    def export_table_csv(self, key: str, path: Path) -> Op:
        """Write table ``key`` (one of TABLE_KEYS) as CSV in the worker.

        The history exports every session of the range, not only the loaded pages.
        """
        self.ensure_page(PAGE_OF[key])
        box = self.tables[key]
        headers = list(box.model.headers)
        path = Path(path)
        if key == "history" and self.data is not None:
            db, period, tz = self.ctx.db, self.data.period, self.tz

            def work(token: CancelToken) -> Path:
                cells, _ids = history_rows(session_history(db, period), tz)
                return write_csv(path, headers, [[text for text, _k in row] for row in cells])

        else:
            rows = box.model.text_rows()

            def work(token: CancelToken) -> Path:
                return write_csv(path, headers, rows)

        return self._side(work, lambda p: self.status.setText(f"Exported {p}"))

    # ---------------------------------------------------------------- state
    def charts_populated(self) -> bool:
        """True once the newest data is on every chart and table built (the others get it when built)."""
        return self._populated and self._op is None

    def shutdown(self) -> None:
        """Stop the debounce timer and finish the workers; called before the window closes."""
        if self._closed:
            return
        self._closed = True
        self._debounce.stop()
        for op in [self._op, *self._side_ops]:
            if op is not None:
                op.cancel()
        self._pool.waitForDone(10_000)
        # deliver the workers' queued results so ``run_op`` stops its timers (they are ignored)
        QCoreApplication.sendPostedEvents()
        self._op = None
        self._side_ops.clear()
        self._cache.close()
        if self.dialog is not None:
            self.dialog.close()
