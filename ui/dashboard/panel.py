"""Dashboard panel: practice, match and provider data at a glance, with charts.

Data flow: on the GUI thread the panel snapshots its inputs (range, pose, ``ctx.clock()``,
time zone); ``app.stats.compute_dashboard`` runs in a worker (``ui.ops.run_op`` on the
panel's own pool) together with the table formatting; the result is applied on the GUI
thread. Refreshes follow ``bus.changed`` when the ``ChangeSet`` touches what the Dashboard
shows (practice sessions, anything of the match area, provider records; not settings nor
the sync state), debounced, and only while the panel is visible: a hidden panel remembers
it is stale and refreshes when shown. Days and weeks are the user's local ones; weeks start on Monday.

Only the Practice page is built with the panel: the Matches and the WHOOP & Reboot pages
(three tables, three charts) are built when their tab is first chosen (or a chart or table of
theirs is exported), and then get the data the panel already holds. ``charts`` and ``tables``
hold what is built; ``ensure_page`` builds a page on demand.

The panel composes: each page of ``ui.dashboard.pages`` owns its plots and controls and draws
the data it is given; ``ui.dashboard.charts`` keeps the shared time axis; ``ui.dashboard.sessions``
holds the loaded practice sessions and the work of its actions (load more, open, delete). None of them
imports the panel: pages speak to it through their signals.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from datetime import tzinfo
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QThreadPool, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from app.changes import ChangeSet
from app.context import AppContext
from app.practice.service import PracticeService
from app.stats import RANGES, DashboardData, compute_dashboard, local_timezone
from app.stats.cache import DashboardCache
from app.stats.dashboard import HISTORY_PAGE
from app.stats.practice import HistoryRow, Series, pose_accuracy, session_history
from ui.bus import ChangeBus
from ui.dashboard.charts import TimeAxis, utc_offset, whole_range
from ui.dashboard.dialogs import SessionDialog
from ui.dashboard.pages import MatchesPage, Page, PracticePage, ProvidersPage
from ui.dashboard.sessions import SessionList, confirm_delete, delete_work, holds_work, load_page_work
from ui.dashboard.tables import history_rows, player_rows, result_rows, top_rows
from ui.dashboard.widgets import Card, ChartBox, TableBox, write_csv
from ui.ops import CancelToken, Op, close_ops, ops_closed, run_op

log = logging.getLogger(__name__)
T = TypeVar("T")

SHOWN_AREAS = ("practice", "match", "providers")  # what the Dashboard shows (``ChangeSet`` areas)
RANGE_TITLES = {"week": "This week", "month": "This month", "season": "This season", "all": "All time"}
DEBOUNCE_MS = 300
CHART_KEYS = ("accuracy", "minutes", "pose_mix", "whoop", "strain", "joints")
TABLE_KEYS = ("history", "results", "players", "top")
PAGES = ("practice", "matches", "providers")  # the tabs, in order
PAGE_OF = {
    "accuracy": "practice",
    "minutes": "practice",
    "pose_mix": "practice",
    "history": "practice",
    "results": "matches",
    "players": "matches",
    "top": "matches",
    "whoop": "providers",
    "strain": "providers",
    "joints": "providers",
}


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
        self._sessions = SessionList(HISTORY_PAGE)
        self.dialog: SessionDialog | None = None
        self._dirty = True
        self._rerun = False
        self._op: Op[tuple[DashboardData, dict[str, Any]]] | None = None
        self._populated = False
        self._rows: dict[str, Any] = {}  # the newest table rows, for pages built later
        self.pages: dict[str, Page] = {}  # the pages built so far, by name (one of PAGES)
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

        self._time_axis = TimeAxis()  # practice, WHOOP and strain share one time axis
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

    def ensure_page(self, name: str) -> Page:
        """Page ``name`` (one of PAGES), built and given the newest data if it was not yet."""
        if name in self.pages:
            return self.pages[name]
        page = self._make_page(name)
        self.pages[name] = page
        self._page_hosts[name].addWidget(page)
        for table in page.tables.values():
            table.csv_requested.connect(self._csv_requested)
        for box in page.charts.values():
            if self._time_axis.join(box):
                box.plot_item.getViewBox().sigXRangeChanged.connect(self._time_range_moved)
        if self.data is not None:
            self._show_on(name, self.data)
            # join the shared time axis where it is now (the user may have panned it)
            if name != "practice" and "practice" in self.pages:
                self.set_time_range(*self._time_axis.range_of("minutes"))
            else:
                self._set_time_range(self.data)
        return page

    def _make_page(self, name: str) -> Page:
        offset = utc_offset(self.tz, self.ctx.clock()) if self._fixed_tz else None  # else the system's zone
        if name == "practice":
            practice = PracticePage(offset)
            practice.pose_chosen.connect(self._pose_chosen)
            practice.open_requested.connect(self.open_session)
            practice.delete_requested.connect(self._delete_requested)
            practice.more_requested.connect(self.load_more_sessions)
            return practice
        if name == "matches":
            return MatchesPage()
        return ProvidersPage(offset)

    @property
    def practice_page(self) -> PracticePage:
        page = self.ensure_page("practice")
        assert isinstance(page, PracticePage)
        return page

    @property
    def providers_page(self) -> ProvidersPage:
        page = self.ensure_page("providers")
        assert isinstance(page, ProvidersPage)
        return page

    @property
    def charts(self) -> dict[str, ChartBox]:
        """The chart boxes of the pages built so far, by key (one of CHART_KEYS)."""
        return {key: box for page in self.pages.values() for key, box in page.charts.items()}

    @property
    def tables(self) -> dict[str, TableBox]:
        """The table boxes of the pages built so far, by key (one of TABLE_KEYS)."""
        return {key: box for page in self.pages.values() for key, box in page.tables.items()}

    @property
    def sessions(self) -> list[HistoryRow]:
        """The practice sessions loaded so far (newest first)."""
        return self._sessions.rows

    @property
    def sessions_page(self) -> int:
        """Sessions per page of the practice history."""
        return self._sessions.page_size

    @sessions_page.setter
    def sessions_page(self, size: int) -> None:
        self._sessions.page_size = size

    def _show_on(self, name: str, data: DashboardData) -> None:
        """Put ``data`` (and the table rows computed with it) on page ``name``, which is built."""
        self.pages[name].show_data(data, self._rows)
        if name == "practice":
            self._show_sessions_count()

    # signal handlers are methods, not lambdas holding ``self``: a lambda kept by a child's
    # connection holds the panel's wrapper in a cycle Python's collector cannot see through,
    # so a dropped panel (and its ~400-800 widgets) lived on until Qt deleted it, which
    # needs a running event loop (test_a_closed_panel_is_freed_when_dropped)
    def _range_changed(self, _index: int) -> None:
        self.refresh()

    def _csv_requested(self, path: Path) -> None:
        box = self.sender()
        if isinstance(box, TableBox):
            self.export_table_csv(box.key, path)

    def _delete_requested(self, session_id: str) -> None:
        self.delete_session(session_id)

    def _tab_changed(self, index: int) -> None:
        if 0 <= index < len(PAGES):
            self.ensure_page(PAGES[index])

    def _time_range_moved(self, view: Any, x_range: Any) -> None:
        self._time_axis.follow(view, x_range)

    # ---------------------------------------------------------------- refresh
    @property
    def range_name(self) -> str:
        return str(self.range_combo.currentData())

    def set_range(self, name: str) -> None:
        self.range_combo.setCurrentIndex(RANGES.index(name))

    def _on_changed(self, changes: object) -> None:
        if not isinstance(changes, ChangeSet) or not changes.touches(*SHOWN_AREAS):
            return  # nothing shown here changed: no recompute
        self._dirty = True
        if self.isVisible():
            self._debounce.start()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._dirty:
            self.refresh()

    def refresh(self) -> None:
        """Recompute everything in a worker (a refresh asked for while one runs follows it)."""
        if ops_closed(self):  # shut down
            return
        self._debounce.stop()
        if self._op is not None:
            self._rerun = True
            return
        self._dirty = False
        db, home, tz, cache = self.ctx.db, self.ctx.home, self.tz, self._cache
        now, range_name, pose_id, page = self.ctx.clock(), self.range_name, self.pose_id, self.sessions_page
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
        if self._rerun:
            self._rerun = False
            self.refresh()

    def _failed(self, exc: BaseException) -> None:
        log.error("dashboard refresh failed", exc_info=exc)
        self.status.setText(f"Could not update: {exc}")
        self._finish_op()

    def _apply(self, result: tuple[DashboardData, dict[str, Any]]) -> None:
        data, rows = result
        self.data = data
        self._rows = rows
        self._sessions.reset(data.history, data.history_total)
        self._apply_cards(data)
        for name in self.pages:
            self._show_on(name, data)
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

    # ---------------------------------------------------------------- time axis
    def _set_time_range(self, data: DashboardData) -> None:
        """Show the whole range on the shared time axis (from the first data for "all")."""
        self.set_time_range(*whole_range(data))

    def set_time_range(self, start: float, end: float) -> None:
        """Put every time chart on [start, end] (UNIX seconds)."""
        self._time_axis.set_range(start, end)

    def time_range(self, key: str) -> tuple[float, float]:
        self.ensure_page(PAGE_OF[key])
        return self._time_axis.range_of(key)

    # ---------------------------------------------------------------- pose / history
    def _pose_chosen(self, pose_id: str) -> None:
        if self.data is None:
            return
        self.pose_id = pose_id
        db, period = self.ctx.db, self.data.period

        def done(series: Series) -> None:
            if self.data is not None and self.data.period == period:  # not stale (range unchanged)
                self.practice_page.set_accuracy(series)

        self._side(lambda token: pose_accuracy(db, pose_id, period), done)

    def _side(self, work: Callable[[CancelToken], T], done: Callable[[T], None]) -> Op[T]:
        """Run a small query in the worker pool; ``done`` gets its result on the GUI thread."""

        def failure(exc: BaseException) -> None:
            log.error("dashboard query failed", exc_info=exc)
            self.status.setText(f"Could not load: {exc}")

        return run_op(self, work, on_success=done, on_failure=failure, pool=self._pool)

    def _show_sessions_count(self) -> None:
        self.practice_page.show_sessions_count(len(self._sessions.rows), self._sessions.total)

    def load_more_sessions(self) -> Op[tuple[list[HistoryRow], Any]] | None:
        """Load the next page of the practice history (newest first); None before the first data."""
        if self.data is None:
            return None
        sessions = self._sessions
        db, period, tz, limit = self.ctx.db, self.data.period, self.tz, sessions.page_size
        generation, offset = sessions.generation, len(sessions.rows)

        def done(result: tuple[list[HistoryRow], Any]) -> None:
            rows, (cells, ids) = result
            if sessions.extend(generation, offset, rows):  # else refreshed meanwhile
                self.practice_page.append_sessions(cells, ids)
                self._show_sessions_count()

        return self._side(lambda token: load_page_work(db, period, tz, offset, limit), done)

    def open_session(self, session_id: str) -> Op:
        """Open the dialog listing the holds of a session (loaded in the worker), closing one open."""
        db, row = self.ctx.db, self._sessions.find(session_id)

        def show(holds: Any) -> None:
            if self.dialog is not None:
                self.dialog.close()
            self.dialog = SessionDialog(row, holds, self.tz, self)
            self.dialog.open()

        return self._side(lambda token: holds_work(db, session_id), show)

    def delete_session(self, session_id: str, *, confirm: bool = True) -> Op | None:
        """Delete a practice session (soft delete, synced), after asking when ``confirm``.

        None when the user says no. Once done, the session's change is announced (unless the session was
        already gone) and the panel refreshes.
        """
        if confirm and not confirm_delete(self):
            return None
        service = PracticeService(self.ctx)

        def done(deleted: bool) -> None:
            if deleted:
                self.bus.announce(ChangeSet.of(practice_sessions=[session_id]))
            self._dirty = True
            self.refresh()

        return self._side(lambda token: delete_work(service, session_id), done)

    # ---------------------------------------------------------------- export
    def export_chart_png(self, key: str, path: Path) -> Path:
        """Write chart ``key`` (one of CHART_KEYS) as a PNG image (building its page if need be)."""
        return self.ensure_page(PAGE_OF[key]).charts[key].export_png(Path(path))

    def export_table_csv(self, key: str, path: Path) -> Op:
        """Write table ``key`` (one of TABLE_KEYS) as CSV in the worker.

        The history exports every session of the range, not only the loaded pages.
        """
        box = self.ensure_page(PAGE_OF[key]).tables[key]
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
    def refresh_pending(self) -> bool:
        """True while a refresh is due: waiting out the debounce, computing, or queued behind one."""
        return self._debounce.isActive() or self._op is not None or self._rerun

    @property
    def stale(self) -> bool:
        """True when the data shown may be out of date (a change came, or none was loaded yet)."""
        return self._dirty

    def charts_populated(self) -> bool:
        """True once the newest data is on every chart and table built (the others get it when built)."""
        return self._populated and self._op is None

    def shutdown(self) -> None:
        """Stop the debounce timer and finish the workers; called before the window closes."""
        if ops_closed(self):
            return
        close_ops(self)  # cancels the workers; their results are ignored
        self._debounce.stop()
        with contextlib.suppress(RuntimeError, TypeError):  # already disconnected
            self.bus.changed.disconnect(self._on_changed)
        self._pool.waitForDone(10_000)
        # deliver the workers' queued results so ``run_op`` stops its timers (they are ignored)
        QCoreApplication.sendPostedEvents()
        self._op = None
        self._cache.close()
        if self.dialog is not None:
            self.dialog.close()
