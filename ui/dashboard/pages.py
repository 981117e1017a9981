"""The Dashboard's three pages: Practice, Matches, and WHOOP & Reboot, each an object.

GUI thread only. A page owns its chart and table boxes (``charts``, ``tables``, by key), its
plot items and its controls, and draws on them in ``show_data(data, rows)``; what the user
asks of it (choose a pose, open, delete, load more) leaves as a signal the panel handles. A
page knows nothing of the panel: ``DashboardPanel.ensure_page`` builds each on demand and
connects it. ``Page`` is any of the three.
"""

from __future__ import annotations

import html
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from app.stats import DashboardData
from app.stats.practice import Series
from ui.dashboard.charts import COLORS, DAY_S, date_axis, pen, xy
from ui.dashboard.tables import HISTORY_HEADERS, PLAYERS_HEADERS, RESULTS_HEADERS, TOP_HEADERS
from ui.dashboard.widgets import ChartBox, TableBox

MAX_JOINT_CURVES = 6
Rows = dict[str, Any]  # table key -> (cells, ids), as ui.dashboard.tables formats them


class PracticePage(QWidget):
    """Accuracy over time (with its pose selector), minutes per day, pose mix, and the history."""

    pose_chosen = Signal(str)  # a pose id
    open_requested = Signal(str)  # the session id selected in the history
    delete_requested = Signal(str)
    more_requested = Signal()

    def __init__(self, utc_offset: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        acc = ChartBox(
            "accuracy", "Accuracy over time", "No poses held in this range.", date_axis=date_axis(utc_offset)
        )
        self.pose_combo = QComboBox()
        self.pose_combo.setObjectName("dashboardPose")
        self.pose_combo.setMinimumContentsLength(14)
        self.pose_combo.activated.connect(self._pose_activated)
        acc.tools.addWidget(QLabel("Pose:"))
        acc.tools.addWidget(self.pose_combo)
        acc.plot.setLabel("left", "accuracy", units="%")
        acc.plot.setYRange(0, 100)
        self.acc_curve = acc.plot.plot([], [], pen=pen(0), symbol="o", symbolSize=5, symbolBrush=COLORS[0])
        minutes = ChartBox("minutes", "Minutes per day", "No practice in this range.", date_axis=date_axis(utc_offset))
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
        self.charts: dict[str, ChartBox] = {box.key: box for box in (acc, minutes, mix)}

        history = TableBox("history", "Practice history", HISTORY_HEADERS)
        self.open_button = QPushButton("Open…")
        self.open_button.setObjectName("historyOpen")
        self.open_button.clicked.connect(self._open_clicked)
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setObjectName("historyDelete")
        self.delete_button.clicked.connect(self._delete_clicked)
        self.more_button = QPushButton("Load more")
        self.more_button.setObjectName("historyMore")
        self.more_button.clicked.connect(self.more_requested)
        for button in (self.open_button, self.delete_button, self.more_button):
            history.tools.addWidget(button)
        history.view.doubleClicked.connect(self._sessions_double_clicked)
        self.sessions_box = history
        self.tables: dict[str, TableBox] = {"history": history}

        layout = QVBoxLayout(self)
        top = QSplitter(Qt.Orientation.Horizontal)
        for box in (acc, minutes):
            top.addWidget(box)
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(mix)
        lower.addWidget(history)
        lower.setStretchFactor(1, 2)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(lower)
        layout.addWidget(split)

    # signal handlers are methods, not lambdas holding ``self`` (see ui.dashboard.panel)
    def _pose_activated(self, _index: int) -> None:
        pose_id = self.pose_combo.currentData()
        if pose_id:
            self.pose_chosen.emit(str(pose_id))

    def _open_clicked(self) -> None:
        self._emit_selected(self.open_requested)

    def _delete_clicked(self) -> None:
        self._emit_selected(self.delete_requested)

    def _sessions_double_clicked(self, _index: QModelIndex) -> None:
        self._emit_selected(self.open_requested)

    def _emit_selected(self, signal: Any) -> None:
        session_id = self.sessions_box.selected_id()
        if session_id is not None:
            signal.emit(session_id)

    def show_data(self, data: DashboardData, rows: Rows) -> None:
        """Fill the pose selector, the charts and the history's first page."""
        self.pose_combo.blockSignals(True)
        self.pose_combo.clear()
        for p in data.poses:
            self.pose_combo.addItem(p.pose_name, p.pose_id)
        if data.accuracy_pose is not None:
            self.pose_combo.setCurrentIndex(max(0, self.pose_combo.findData(data.accuracy_pose)))
        self.pose_combo.blockSignals(False)
        self.set_accuracy(data.accuracy)

        m = data.minutes
        x = np.asarray(m.x, dtype=float) + DAY_S / 2
        self.minutes_bars.setOpts(x=x, height=np.asarray(m.minutes, dtype=float), width=DAY_S * 0.8)
        self.charts["minutes"].set_has_data(any(v > 0 for v in m.minutes))

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
        self.sessions_box.model.set_rows(*rows["history"])

    def set_accuracy(self, series: Series) -> None:
        """Draw one pose's accuracy over time."""
        self.acc_curve.setData(*xy(series))
        self.charts["accuracy"].set_has_data(bool(series.x))

    def append_sessions(self, cells: Any, ids: list[str]) -> None:
        """Add a further page of sessions below those shown."""
        self.sessions_box.model.append_rows(cells, ids)

    def show_sessions_count(self, shown: int, total: int) -> None:
        """Say how many sessions are loaded of how many; "Load more" only while some are left."""
        self.sessions_box.note.setText(f"{shown} of {total} sessions" if total > shown else f"{total} sessions")
        self.more_button.setEnabled(total > shown)


class MatchesPage(QWidget):
    """Results, the season table and the top performers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        results = TableBox("results", "Results", RESULTS_HEADERS)
        players = TableBox("players", "Season table", PLAYERS_HEADERS)
        top = TableBox("top", "Top performers", TOP_HEADERS)
        self.charts: dict[str, ChartBox] = {}
        self.tables: dict[str, TableBox] = {box.key: box for box in (results, players, top)}
        layout = QVBoxLayout(self)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(results)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(players)
        right.addWidget(top)
        split.addWidget(right)
        split.setStretchFactor(1, 2)
        layout.addWidget(split)

    def show_data(self, data: DashboardData, rows: Rows) -> None:
        """Fill the three tables."""
        for key, box in self.tables.items():
            box.model.set_rows(*rows[key])


class ProvidersPage(QWidget):
    """WHOOP recovery and sleep, WHOOP day strain, and Reboot Motion joint angles (with a joint selector)."""

    def __init__(self, utc_offset: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        whoop = ChartBox(
            "whoop",
            "WHOOP recovery and sleep",
            "No WHOOP data. Connect WHOOP in Sync to see recovery and sleep beside your practice.",
            date_axis=date_axis(utc_offset),
        )
        whoop.plot.setLabel("left", "%")
        whoop.plot.addLegend(offset=(10, 10), brush=pg.mkBrush(255, 255, 255, 210), labelTextColor="k")
        self.recovery_curve = whoop.plot.plot([], [], pen=pen(2), symbol="o", symbolSize=4, name="Recovery %")
        self.sleep_curve = whoop.plot.plot([], [], pen=pen(0), name="Sleep performance %")
        strain = ChartBox("strain", "WHOOP day strain", "No WHOOP strain data.", date_axis=date_axis(utc_offset))
        strain.plot.setLabel("left", "strain")
        self.strain_curve = strain.plot.plot([], [], pen=pen(1), symbol="t", symbolSize=5)
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
        self._data: DashboardData | None = None
        self.charts: dict[str, ChartBox] = {box.key: box for box in (whoop, strain, joints)}
        self.tables: dict[str, TableBox] = {}
        layout = QVBoxLayout(self)
        split = QSplitter(Qt.Orientation.Vertical)
        for box in (whoop, strain, joints):
            split.addWidget(box)
        layout.addWidget(split)

    def _joint_chosen(self, _index: int) -> None:
        self.draw_joints()

    def show_data(self, data: DashboardData, rows: Rows) -> None:
        """Fill the charts; the joint chosen survives when the new data has it."""
        self._data = data
        w = data.whoop
        self.recovery_curve.setData(*xy(w.recovery))
        self.sleep_curve.setData(*xy(w.sleep))
        self.strain_curve.setData(*xy(w.strain))
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
        self.draw_joints()

    def draw_joints(self) -> None:
        """Draw the joint chosen (or the first MAX_JOINT_CURVES) of the data shown."""
        box = self.charts["joints"]
        for curve in self.joint_curves:
            box.plot.removeItem(curve)
        self.joint_curves = []
        joints = self._data.joints if self._data is not None else None
        if joints is None:
            box.set_has_data(False)
            return
        chosen = self.joint_combo.currentData()
        names = [chosen] if chosen else list(joints.columns)[:MAX_JOINT_CURVES]
        frames = np.asarray(joints.frames, dtype=float)
        for i, name in enumerate(names):
            values = np.asarray(joints.columns[name], dtype=float)
            curve = box.plot.plot(frames, values, pen=pen(i), name=name, connect="finite")
            self.joint_curves.append(curve)
        box.plot.setLabel("bottom", joints.frame_label)
        box.set_has_data(True)


Page = PracticePage | MatchesPage | ProvidersPage
