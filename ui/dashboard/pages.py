"""Building the Dashboard's three pages: Practice, Matches, and WHOOP & Reboot.

GUI thread only. Each builder takes the panel, adds the page's chart and table boxes to its
``charts`` and ``tables``, keeps the plot items and controls the panel fills later on it
(``acc_curve``, ``pose_combo``, ``joint_curves`` …), connects them to the panel's slots and
returns the page. ``DashboardPanel.ensure_page`` calls ``build`` once per page, on demand.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from ui.dashboard.charts import COLORS, DAY_S, date_axis, pen
from ui.dashboard.tables import HISTORY_HEADERS, PLAYERS_HEADERS, RESULTS_HEADERS, TOP_HEADERS
from ui.dashboard.widgets import ChartBox, TableBox

if TYPE_CHECKING:
    from ui.dashboard.panel import DashboardPanel


def build(panel: DashboardPanel, name: str) -> QWidget:
    """Build page ``name`` (one of ``PAGES``) for ``panel`` and return it."""
    builders: dict[str, Callable[[DashboardPanel], QWidget]] = {
        "practice": practice_page,
        "matches": matches_page,
        "providers": providers_page,
    }
    return builders[name](panel)


def practice_page(panel: DashboardPanel) -> QWidget:
    """Accuracy over time (with its pose selector), minutes per day, pose mix, and the history."""
    acc = ChartBox("accuracy", "Accuracy over time", "No poses held in this range.", date_axis=date_axis(panel))
    panel.pose_combo = QComboBox()
    panel.pose_combo.setObjectName("dashboardPose")
    panel.pose_combo.setMinimumContentsLength(14)
    panel.pose_combo.activated.connect(panel._pose_chosen)
    acc.tools.addWidget(QLabel("Pose:"))
    acc.tools.addWidget(panel.pose_combo)
    acc.plot.setLabel("left", "accuracy", units="%")
    acc.plot.setYRange(0, 100)
    panel.acc_curve = acc.plot.plot([], [], pen=pen(0), symbol="o", symbolSize=5, symbolBrush=COLORS[0])
    minutes = ChartBox("minutes", "Minutes per day", "No practice in this range.", date_axis=date_axis(panel))
    minutes.plot.setLabel("left", "minutes")
    panel.minutes_bars = pg.BarGraphItem(x=[], height=[], width=DAY_S * 0.8, brush=COLORS[2])
    minutes.plot.addItem(panel.minutes_bars)
    minutes.plot.setMouseEnabled(y=False)
    panel.pose_axis = pg.AxisItem("left")
    mix = ChartBox("pose_mix", "Pose mix (holds)", "No poses held in this range.", left_axis=panel.pose_axis)
    mix.plot.setLabel("bottom", "holds")
    panel.mix_bars = pg.BarGraphItem(x0=[], y=[], width=[], height=0.7, brush=COLORS[4])
    mix.plot.addItem(panel.mix_bars)
    mix.plot.invertY(True)
    for box in (acc, minutes, mix):
        panel.charts[box.key] = box

    history = TableBox("history", "Practice history", HISTORY_HEADERS)
    panel.open_button = QPushButton("Open…")
    panel.open_button.setObjectName("historyOpen")
    panel.open_button.clicked.connect(panel._open_selected)
    panel.delete_button = QPushButton("Delete…")
    panel.delete_button.setObjectName("historyDelete")
    panel.delete_button.clicked.connect(panel._delete_selected)
    panel.more_button = QPushButton("Load more")
    panel.more_button.setObjectName("historyMore")
    panel.more_button.clicked.connect(panel.load_more_history)
    for button in (panel.open_button, panel.delete_button, panel.more_button):
        history.tools.addWidget(button)
    history.view.doubleClicked.connect(panel._history_double_clicked)
    history.csv_requested.connect(panel._csv_requested)
    panel.tables["history"] = history

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


def matches_page(panel: DashboardPanel) -> QWidget:
    """Results, the season table and the top performers."""
    page = QWidget()
    layout = QVBoxLayout(page)
    results = TableBox("results", "Results", RESULTS_HEADERS)
    players = TableBox("players", "Season table", PLAYERS_HEADERS)
    top = TableBox("top", "Top performers", TOP_HEADERS)
    for box in (results, players, top):
        panel.tables[box.key] = box
        box.csv_requested.connect(panel._csv_requested)
    split = QSplitter(Qt.Orientation.Horizontal)
    split.addWidget(results)
    right = QSplitter(Qt.Orientation.Vertical)
    right.addWidget(players)
    right.addWidget(top)
    split.addWidget(right)
    split.setStretchFactor(1, 2)
    layout.addWidget(split)
    return page


def providers_page(panel: DashboardPanel) -> QWidget:
    """WHOOP recovery and sleep, WHOOP day strain, and Reboot Motion joint angles (with a joint selector)."""
    page = QWidget()
    layout = QVBoxLayout(page)
    whoop = ChartBox(
        "whoop",
        "WHOOP recovery and sleep",
        "No WHOOP data. Connect WHOOP in Sync to see recovery and sleep beside your practice.",
        date_axis=date_axis(panel),
    )
    whoop.plot.setLabel("left", "%")
    whoop.plot.addLegend(offset=(10, 10), brush=pg.mkBrush(255, 255, 255, 210), labelTextColor="k")
    panel.recovery_curve = whoop.plot.plot([], [], pen=pen(2), symbol="o", symbolSize=4, name="Recovery %")
    panel.sleep_curve = whoop.plot.plot([], [], pen=pen(0), name="Sleep performance %")
    strain = ChartBox("strain", "WHOOP day strain", "No WHOOP strain data.", date_axis=date_axis(panel))
    strain.plot.setLabel("left", "strain")
    panel.strain_curve = strain.plot.plot([], [], pen=pen(1), symbol="t", symbolSize=5)
    joints = ChartBox(
        "joints",
        "Reboot Motion joint angles",
        "No Reboot Motion export downloaded. Connect Reboot Motion in Sync and download a session.",
    )
    panel.joint_combo = QComboBox()
    panel.joint_combo.setObjectName("dashboardJoint")
    panel.joint_combo.activated.connect(panel._joint_chosen)
    joints.tools.addWidget(panel.joint_combo)
    joints.plot.addLegend(offset=(10, 10), brush=pg.mkBrush(255, 255, 255, 210), labelTextColor="k")
    joints.plot.setLabel("left", "angle")
    panel.joint_curves = []
    for box in (whoop, strain, joints):
        panel.charts[box.key] = box
    split = QSplitter(Qt.Orientation.Vertical)
    for box in (whoop, strain, joints):
        split.addWidget(box)
    layout.addWidget(split)
    return page
