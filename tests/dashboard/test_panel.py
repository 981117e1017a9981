"""The Dashboard panel on a seeded database: cards, every chart's data, tables, exports, refresh."""

from __future__ import annotations

import csv
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot
from sqlmodel import select

from app.changes import ChangeSet
from app.context import AppContext
from app.models import OutboxEntry, PracticeSession
from app.stats.periods import period_bounds
from tests.dashboard.conftest import NEW_YORK, NOW, add_session, local
from ui.bus import ChangeBus
from ui.dashboard import panel as panel_module
from ui.dashboard.panel import CHART_KEYS, PAGES, TABLE_KEYS, DashboardPanel
from ui.ops import running_ops

WAIT_MS = 15_000


@pytest.fixture
def bus() -> ChangeBus:
    return ChangeBus()


@pytest.fixture
def make_panel(qtbot: QtBot, bus: ChangeBus) -> Iterator[Any]:
    panels: list[DashboardPanel] = []

    def make(
        ctx: AppContext, *, show: bool = True, range_name: str = "month", page: int | None = None
    ) -> DashboardPanel:
        panel = DashboardPanel(ctx, bus, tz=NEW_YORK, initial_range=range_name, debounce_ms=50)
        if page is not None:
            panel.sessions_page = page
        qtbot.addWidget(panel)
        panels.append(panel)
        if show:
            with qtbot.waitSignal(panel.refreshed, timeout=WAIT_MS):
                panel.resize(1400, 900)
                panel.show()
        return panel

    yield make
    for panel in panels:
        panel.shutdown()


def show_every_tab(panel: DashboardPanel) -> None:
    """Show each tab once (pages other than Practice are built on first show), then Practice."""
    for index in range(panel.tabs.count()):
        panel.tabs.setCurrentIndex(index)
    panel.tabs.setCurrentIndex(0)


def _xy(item: Any) -> tuple[np.ndarray, np.ndarray]:
    x, y = item.getData()
    return np.asarray(x if x is not None else []), np.asarray(y if y is not None else [])


def test_cards_show_the_yoga_stats(seeded: AppContext, make_panel: Any) -> None:
    panel = make_panel(seeded)
    texts = {key: card.value.text() for key, card in panel.cards.items()}
    assert texts == {
        "sessions_this_week": "3",  # Sunday 23:30 local is last week although it is Monday in UTC
        "mindful_minutes": "75",  # the deleted 50-minute session does not count
        "current_streak": "4 days",
        "avg_accuracy": "80.0 %",
    }


def test_every_chart_has_its_data(seeded: AppContext, make_panel: Any, qtbot: QtBot) -> None:
    panel = make_panel(seeded)
    show_every_tab(panel)
    for key in CHART_KEYS:
        assert panel.charts[key].has_data(), key

    x, y = _xy(panel.practice_page.acc_curve)  # the most held pose (Tree Pose) by default
    assert panel.practice_page.pose_combo.currentText() == "Tree Pose"
    assert y.tolist() == [60.0, 70.0, 80.0, 90.0]
    assert x[0] == local(2026, 11, 22, 23, 30).timestamp()

    heights = np.asarray(panel.practice_page.minutes_bars.opts["height"])
    bars_x = np.asarray(panel.practice_page.minutes_bars.opts["x"])
    assert len(heights) == 25  # 1 to 25 November
    assert heights.sum() == pytest.approx(75.0)
    by_day = {datetime.fromtimestamp(bx, NEW_YORK).day: h for bx, h in zip(bars_x, heights, strict=True)}
    assert {d: h for d, h in by_day.items() if h} == {22: 20.0, 23: 10.0, 24: 15.0, 25: 30.0}

    assert np.asarray(panel.practice_page.mix_bars.opts["width"]).tolist() == [4.0, 2.0, 1.0]
    assert [name for _pos, name in panel.practice_page.pose_axis._tickLevels[0]] == [
        "Tree Pose",
        "Mountain Pose",
        "Warrior II",
    ]

    assert _xy(panel.providers_page.recovery_curve)[1].tolist() == [50.0, 51.0, 52.0, 53.0, 54.0]
    assert _xy(panel.providers_page.sleep_curve)[1].tolist() == [70.0, 71.0, 72.0, 73.0, 74.0]
    assert _xy(panel.providers_page.strain_curve)[1].tolist() == [10.0, 11.0, 12.0, 13.0, 14.0]

    assert [c.name() for c in panel.providers_page.joint_curves] == [
        "pelvis_rot",
        "torso_rot",
        "left_knee_angle",
        "right_elbow_x",
    ]
    fx, fy = _xy(panel.providers_page.joint_curves[0])
    assert fx.tolist() == [0.0, 1.0, 2.0, 3.0] and fy.tolist() == [10.0, 11.0, 12.0, 13.0]
    # one joint at a time
    panel.providers_page.joint_combo.setCurrentIndex(panel.providers_page.joint_combo.findData("torso_rot"))
    panel.providers_page.joint_combo.activated.emit(panel.providers_page.joint_combo.currentIndex())
    assert [c.name() for c in panel.providers_page.joint_curves] == ["torso_rot"]
    with qtbot.waitSignal(panel.refreshed, timeout=WAIT_MS):
        panel.refresh()
    assert [c.name() for c in panel.providers_page.joint_curves] == ["torso_rot"]  # the choice survives a refresh

    # practice and WHOOP share the time axis: the month on every time chart, panned together
    low, high = panel.time_range("minutes")
    assert low <= local(2026, 11, 1, 0).timestamp() and high >= local(2026, 11, 26, 0).timestamp()
    assert high - low < 27 * 86400
    for key in ("accuracy", "whoop", "strain"):
        assert panel.time_range(key) == pytest.approx((low, high)), key
    panel.charts["whoop"].plot_item.setXRange(low + 86400, high - 86400, padding=0)
    assert panel.time_range("minutes") == pytest.approx((low + 86400, high - 86400))


def test_tables_show_history_results_players_and_top(seeded: AppContext, make_panel: Any) -> None:
    panel = make_panel(seeded)
    show_every_tab(panel)
    history = panel.tables["history"].model.text_rows()
    assert len(history) == 4
    assert history[0][0].startswith("Wed 25 Nov 2026 09:00")
    assert history[0][5] == "Mountain Pose, Tree Pose"
    results = panel.tables["results"].model.text_rows()
    assert results == [["Sat 21 Nov 2026 10:00", "Fieldmat FC", "2 – 1", "Rivals", "W", "finished"]]
    players = {r[0]: r for r in panel.tables["players"].model.text_rows()}
    assert players["Ada"][2:9] == ["1", "90", "1", "0", "1", "0", "0"]
    assert players["Ben"][2:9] == ["1", "60", "0", "1", "0", "0", "0"]
    assert players["Cat"][2:9] == ["1", "30", "1", "0", "0", "0", "0"]
    top = panel.tables["top"].model.text_rows()
    assert ["Goals", "Ada", "1"] in top and ["Assists", "Ben", "1"] in top


def test_png_and_csv_exports_write_real_files(
    seeded: AppContext, make_panel: Any, qtbot: QtBot, tmp_path: Path
) -> None:
    panel = make_panel(seeded, page=2)
    for key in CHART_KEYS:
        path = panel.export_chart_png(key, tmp_path / f"{key}.png")
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", key
        image = QImage(str(path))
        assert not image.isNull() and image.width() >= 1000, key
    for key in TABLE_KEYS:
        target = tmp_path / f"{key}.csv"
        panel.export_table_csv(key, target)
        qtbot.waitUntil(lambda t=target: t.exists() and t.stat().st_size > 0, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not running_ops(panel), timeout=WAIT_MS)

    def read(key: str) -> list[list[str]]:
        with (tmp_path / f"{key}.csv").open(encoding="utf-8-sig", newline="") as fh:
            return list(csv.reader(fh))

    history = read("history")
    assert history[0] == list(panel.tables["history"].model.headers)
    assert len(panel.sessions) == 2  # a page of two sessions is loaded ...
    assert len(history) == 1 + 4  # ... and the CSV has every session of the range
    assert read("results")[1][2] == "2 – 1"
    assert {row[0] for row in read("players")[1:]} == {"Ada", "Ben", "Cat"}
    assert read("top")[0] == ["Category", "Player", "Value"]


def test_sessions_pages_load_more(seeded: AppContext, make_panel: Any, qtbot: QtBot) -> None:
    panel = make_panel(seeded, page=3)
    assert panel.tables["history"].note.text() == "3 of 4 sessions"
    assert panel.practice_page.more_button.isEnabled()
    panel.load_more_sessions()
    qtbot.waitUntil(lambda: len(panel.sessions) == 4, timeout=WAIT_MS)
    assert panel.tables["history"].model.rowCount() == 4
    assert not panel.practice_page.more_button.isEnabled()


def test_range_selector_recomputes(seeded: AppContext, make_panel: Any, qtbot: QtBot) -> None:
    panel = make_panel(seeded)
    show_every_tab(panel)
    with qtbot.waitSignal(panel.refreshed, timeout=WAIT_MS):
        panel.set_range("week")
    assert panel.data is not None and panel.data.period == period_bounds("week", NOW, NEW_YORK)
    assert len(np.asarray(panel.practice_page.minutes_bars.opts["height"])) == 3  # Monday to Wednesday
    assert panel.tables["history"].model.rowCount() == 3
    assert panel.tables["results"].model.rowCount() == 0  # the match was on Saturday
    assert panel.cards["mindful_minutes"].value.text() == "75"  # cards are all-time, as the yoga cloud's
    with qtbot.waitSignal(panel.refreshed, timeout=WAIT_MS):
        panel.set_range("all")
    assert panel.tables["history"].model.rowCount() == 4


def test_pose_selector_changes_the_accuracy_chart(seeded: AppContext, make_panel: Any, qtbot: QtBot) -> None:
    panel = make_panel(seeded)
    index = panel.practice_page.pose_combo.findText("Mountain Pose")
    panel.practice_page.pose_combo.setCurrentIndex(index)
    panel.practice_page.pose_combo.activated.emit(index)
    qtbot.waitUntil(lambda: _xy(panel.practice_page.acc_curve)[1].tolist() == [80.0, 100.0], timeout=WAIT_MS)
    with qtbot.waitSignal(panel.refreshed, timeout=WAIT_MS):
        panel.refresh()  # the choice survives a refresh
    assert panel.practice_page.pose_combo.currentText() == "Mountain Pose"
    assert _xy(panel.practice_page.acc_curve)[1].tolist() == [80.0, 100.0]


def test_queries_run_off_the_gui_thread(seeded: AppContext, make_panel: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[int] = []
    real = panel_module.compute_dashboard

    def spy(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.get_ident())
        return real(*args, **kwargs)

    monkeypatch.setattr(panel_module, "compute_dashboard", spy)
    make_panel(seeded)
    assert threads and threading.get_ident() not in threads


def test_refresh_follows_the_bus_debounced_and_only_when_visible(
    seeded: AppContext, make_panel: Any, bus: ChangeBus, qtbot: QtBot
) -> None:
    panel = make_panel(seeded)
    count: list[int] = []
    panel.refreshed.connect(lambda: count.append(1))

    add_session(seeded.db, local(2026, 11, 25, 11), 5)
    with qtbot.waitSignal(panel.refreshed, timeout=WAIT_MS):
        for _ in range(5):
            bus.announce(ChangeSet.of(practice_sessions=["a new session"]))
    # five announcements, one refresh, and none still to come (no debounce running, no op, none queued)
    assert len(count) == 1 and not panel.refresh_pending()
    assert panel.cards["mindful_minutes"].value.text() == "80"

    bus.announce_topic("settings")  # not an area the Dashboard shows
    assert not panel.refresh_pending() and not panel.stale
    assert len(count) == 1

    panel.hide()
    add_session(seeded.db, local(2026, 11, 25, 12), 5)
    bus.announce_topic("match")
    assert panel.stale and not panel.refresh_pending()  # hidden: remembered, nothing recomputed yet
    assert len(count) == 1
    with qtbot.waitSignal(panel.refreshed, timeout=WAIT_MS):
        panel.show()
    assert panel.cards["mindful_minutes"].value.text() == "85"


def test_a_change_the_dashboard_does_not_show_recomputes_nothing(
    seeded: AppContext, make_panel: Any, bus: ChangeBus, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    computed: list[int] = []
    real = panel_module.compute_dashboard

    def counted(*args: Any, **kwargs: Any) -> Any:
        computed.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(panel_module, "compute_dashboard", counted)
    panel = make_panel(seeded)
    assert len(computed) == 1 and not panel.stale

    from sync.engine import ProviderResult, SyncSummary
    from sync.outcome import Status

    nothing_pulled = SyncSummary([ProviderResult("team", Status.SYNCED, pushed={"players": 3})])
    for change in (
        ChangeSet.topic("sync"),  # a conflict dismissed, refused changes queued again, an account connected
        ChangeSet.topic("settings"),
        ChangeSet.topic("sync") | nothing_pulled.stored,  # a sync run that only sent
    ):
        bus.announce(change)
        # no debounce started, no worker, none queued: nothing can follow
        assert not panel.refresh_pending() and not panel.stale, change
    assert len(computed) == 1

    # what it shows is recomputed: a pulled WHOOP cycle, a match's clock (minutes played)
    for change in (ChangeSet.of(providers=["whoop"]), ChangeSet.of(clocks=["a match"])):
        with qtbot.waitSignal(panel.refreshed, timeout=WAIT_MS):
            bus.announce(change)
    assert len(computed) == 3


def test_hidden_panel_does_not_query_until_shown(seeded: AppContext, make_panel: Any, qtbot: QtBot) -> None:
    panel = make_panel(seeded, show=False)
    assert panel.data is None and panel.stale and not panel.refresh_pending()  # nothing will run until shown
    with qtbot.waitSignal(panel.refreshed, timeout=WAIT_MS):
        panel.show()
    assert panel.charts_populated()


def test_open_and_delete_a_session_from_the_history(
    seeded: AppContext, make_panel: Any, bus: ChangeBus, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = make_panel(seeded)
    newest = panel.sessions[0]
    panel.open_session(newest.session_id)
    qtbot.waitUntil(lambda: panel.dialog is not None and panel.dialog.isVisible(), timeout=WAIT_MS)
    assert panel.dialog is not None
    holds = panel.dialog.table.model.text_rows()
    assert [(r[1], r[3]) for r in holds] == [("Tree Pose", "90.0 %"), ("Mountain Pose", "100.0 %")]
    panel.dialog.close()

    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    assert panel.delete_session(newest.session_id) is None  # the user said no

    announced: list[ChangeSet] = []
    bus.changed.connect(announced.append)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(panel.refreshed, timeout=WAIT_MS):
        panel.delete_session(newest.session_id)
    assert ChangeSet.of(practice_sessions=[newest.session_id]) in announced
    assert newest.session_id not in [h.session_id for h in panel.sessions]
    assert panel.cards["mindful_minutes"].value.text() == "45"
    with seeded.db.session() as s:  # a soft delete, queued for sync in the same transaction
        row = s.get(PracticeSession, newest.session_id)
        assert row is not None and row.deleted
        outbox = s.exec(select(OutboxEntry).where(OutboxEntry.entity_id == newest.session_id)).all()
    assert [(o.entity, o.op) for o in outbox] == [("practice_session", "delete")]


def test_empty_database_shows_zeros_and_placeholders(ctx: AppContext, make_panel: Any) -> None:
    ctx.clock = lambda: NOW
    panel = make_panel(ctx)
    show_every_tab(panel)
    assert [c.value.text() for c in panel.cards.values()] == ["0", "0", "0 days", "0.0 %"]
    for key in CHART_KEYS:
        assert not panel.charts[key].has_data(), key
    assert all(panel.tables[k].model.rowCount() == 0 for k in TABLE_KEYS)


def test_shutdown_with_a_refresh_in_flight(seeded: AppContext, make_panel: Any) -> None:
    panel = make_panel(seeded)
    panel.refresh()
    panel.shutdown()
    assert panel._op is None
    panel.refresh()  # ignored after shutdown
    assert panel._op is None


def test_hidden_tabs_are_built_on_first_show_with_the_newest_data(
    seeded: AppContext, make_panel: Any, qtbot: QtBot
) -> None:
    panel = make_panel(seeded)
    assert set(panel.charts) == {"accuracy", "minutes", "pose_mix"} and set(panel.tables) == {"history"}
    with qtbot.waitSignal(panel.refreshed, timeout=WAIT_MS):
        panel.set_range("week")  # new data while the Matches and WHOOP pages are not built
    panel.tabs.setCurrentIndex(PAGES.index("matches"))
    assert set(panel.tables) == set(TABLE_KEYS)
    assert panel.tables["results"].model.rowCount() == 0  # the week's (the match was on Saturday)
    with qtbot.waitSignal(panel.refreshed, timeout=WAIT_MS):
        panel.set_range("month")  # a built page follows every refresh
    assert panel.tables["results"].model.text_rows()[0][2] == "2 – 1"
    assert {r[0] for r in panel.tables["players"].model.text_rows()} == {"Ada", "Ben", "Cat"}

    panel.tabs.setCurrentIndex(PAGES.index("providers"))
    assert set(panel.charts) == set(CHART_KEYS)
    assert all(panel.charts[k].has_data() for k in ("whoop", "strain", "joints"))
    assert _xy(panel.providers_page.strain_curve)[1].tolist() == [10.0, 11.0, 12.0, 13.0, 14.0]
    assert panel.time_range("whoop") == pytest.approx(panel.time_range("minutes"))  # joins the shared axis
    with qtbot.waitSignal(panel.refreshed, timeout=WAIT_MS):
        panel.set_range("week")
    assert panel.time_range("strain") == pytest.approx(panel.time_range("minutes"))
    assert _xy(panel.providers_page.strain_curve)[1].tolist() == [12.0, 13.0, 14.0]  # Monday 23 to Wednesday 25


def test_export_builds_a_page_not_shown_yet(seeded: AppContext, make_panel: Any, qtbot: QtBot, tmp_path: Path) -> None:
    panel = make_panel(seeded)
    path = panel.export_chart_png("strain", tmp_path / "strain.png")
    assert panel.charts["strain"].has_data() and not QImage(str(path)).isNull()
    target = tmp_path / "players.csv"
    panel.export_table_csv("players", target)
    qtbot.waitUntil(lambda: target.exists() and target.stat().st_size > 0, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not running_ops(panel), timeout=WAIT_MS)
    with target.open(encoding="utf-8-sig", newline="") as fh:
        assert {row[0] for row in list(csv.reader(fh))[1:]} == {"Ada", "Ben", "Cat"}


def test_a_closed_panel_is_freed_when_dropped(seeded: AppContext, bus: ChangeBus, qtbot: QtBot) -> None:
    """No cycle through Qt connections keeps a dropped panel (and its ~800 widgets) alive."""
    import gc
    import weakref

    from PySide6.QtWidgets import QApplication

    before = len(QApplication.allWidgets())
    panel = DashboardPanel(seeded, bus, tz=NEW_YORK, debounce_ms=50)
    with qtbot.waitSignal(panel.refreshed, timeout=WAIT_MS):
        panel.resize(1400, 900)
        panel.show()
    show_every_tab(panel)
    panel.shutdown()
    panel.close()
    ref = weakref.ref(panel)
    del panel
    gc.collect()
    assert ref() is None
    assert len(QApplication.allWidgets()) <= before
