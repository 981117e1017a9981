"""Match summary (score, timeline, per-player stats, exports) and season stats per player."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.match.service import MatchService
from app.match.types import Change, PlayerStats
from ui.match import exporting
from ui.match.service_page import ServicePage, match_roster
from ui.match.timeline import TimelineBox
from ui.match.widgets import TeamCombo, big_button, big_font, big_label, item, kickoff_text
from ui.ops import Op, close_ops, run_op

# (header, PlayerStats attribute)
STAT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("#", "shirt_number"),
    ("Player", "name"),
    ("Pos", "position"),
    ("Min", "minutes"),
    ("Goals", "goals"),
    ("Ast", "assists"),
    ("OG", "own_goals"),
    ("KeyP", "key_passes"),
    ("Saves", "saves"),
    ("Tkl", "tackles"),
    ("Int", "interceptions"),
    ("Fouls", "fouls"),
    ("YC", "yellow_cards"),
    ("RC", "red_cards"),
)
SEASON_COLUMNS: tuple[tuple[str, str], ...] = (
    *STAT_COLUMNS[:3],
    ("Matches", "matches"),
    ("Starts", "starts"),
    *STAT_COLUMNS[3:],
)


class StatsTable(QTableWidget):
    def __init__(self, columns: tuple[tuple[str, str], ...], parent: QWidget | None = None) -> None:
        super().__init__(0, len(columns), parent)
        self.columns = columns
        self.rows: list[PlayerStats] = []
        self.setHorizontalHeaderLabels([h for h, _ in columns])
        for c, (_h, attr) in enumerate(columns):
            header_item = self.horizontalHeaderItem(c)
            if header_item is not None:
                header_item.setToolTip(attr.replace("_", " ").capitalize())
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(40)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.setFont(big_font(15, bold=False))
        self.setSortingEnabled(False)

    def show_stats(self, rows: list[PlayerStats]) -> None:
        self.rows = list(rows)
        self.setRowCount(len(rows))
        for r, stats in enumerate(rows):
            for c, (_h, attr) in enumerate(self.columns):
                value = getattr(stats, attr)
                self.setItem(r, c, item(value, stats.player_id, align_right=isinstance(value, int)))

    def stats_for(self, name: str) -> dict[str, Any]:
        """The row of ``name`` as {attribute: value} (tests, accessibility)."""
        for stats in self.rows:
            if stats.name == name:
                return {attr: getattr(stats, attr) for _h, attr in self.columns}
        raise KeyError(name)


class SummaryView(ServicePage):
    """Score, details, timeline, per-player stats, exports; "Details…" edits the match and
    "Share…" (only when ``shareable`` is given: the share feature exists) asks for a link to a
    synced match. ``shareable(match_id)`` says whether the match is on the server yet."""

    backRequested = Signal()  # noqa: N815
    liveRequested = Signal(str)  # noqa: N815
    detailsRequested = Signal(str)  # noqa: N815
    shareRequested = Signal(str)  # noqa: N815

    def __init__(
        self,
        service: MatchService,
        on_change: Callable[[Change], None],
        on_error: Callable[[BaseException], None],
        parent: QWidget | None = None,
        shareable: Callable[[str], bool] | None = None,
    ) -> None:
        super().__init__(service, on_change, on_error, parent)
        self._shareable = shareable
        self.match_id: str | None = None
        self.sides: dict[str, str] = {}
        self.export_op: Op[Path] | None = None
        self.last_export: Path | None = None

        self.back_button = big_button("◀ Matches", "summaryBack", px=16, on_click=self.backRequested)
        self.live_button = big_button("Live view ▶", "summaryLive", px=16, on_click=self._for_match(self.liveRequested))
        self.details_button = big_button(
            "Details…", "summaryDetails", px=16, on_click=self._for_match(self.detailsRequested)
        )
        self.details_button.setToolTip("Teams, kick-off, venue, periods, our side")
        self.share_button = big_button("Share…", "shareMatch", px=16, on_click=self._for_match(self.shareRequested))
        self.share_button.setVisible(shareable is not None)
        self.score_label = big_label("", 40, "summaryScore")
        self.score_label.setWordWrap(True)
        self.meta_label = big_label("", 16, "summaryMeta", bold=False)
        self.export_buttons = {}
        for fmt, text in (("csv", "Export CSV"), ("json", "Export JSON"), ("pdf", "Export PDF")):
            self.export_buttons[fmt] = big_button(
                text, f"export_{fmt}", px=16, on_click=lambda _=False, f=fmt: self.export(f)
            )
        self.export_status = QLabel("")
        self.export_status.setWordWrap(True)
        self.timeline = TimelineBox(service, on_change, on_error)
        self.stats = StatsTable(STAT_COLUMNS)

        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(self.score_label, 1)
        top.addWidget(self.live_button)
        exports = QHBoxLayout()
        for button in self.export_buttons.values():
            exports.addWidget(button)
        exports.addWidget(self.export_status, 2)
        exports.addWidget(self.details_button)
        exports.addWidget(self.share_button)
        split = QSplitter()
        split.setHandleWidth(12)
        split.addWidget(self.timeline)
        split.addWidget(self.stats)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([400, 600])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.meta_label)
        layout.addLayout(exports)
        layout.addWidget(split, 1)

    def set_match(self, match_id: str) -> None:
        self.match_id = match_id
        match = self.service.get_match(match_id)
        self.sides = {"home": match.home_team, "away": match.away_team}
        roster = match_roster(self.service, match)
        self.timeline.set_context(match_id, self.sides, list(roster.names.items()), roster.shirts, match.period_count)
        self.refresh()

    def refresh(self) -> None:
        if self.match_id is None:
            return
        match = self.service.get_match(self.match_id)
        score = self.service.match_score(self.match_id)
        pens = "" if score.shootout is None else f" ({score.shootout[0]} – {score.shootout[1]} pens)"
        self.score_label.setText(f"{match.home_team}  {score.home} – {score.away}{pens}  {match.away_team}")
        kickoff = kickoff_text(match.kickoff_at)
        venue = f" · {match.venue}" if match.venue else ""
        status = {"scheduled": "not started", "live": "in play", "finished": "full time"}.get(
            match.status, match.status
        )
        self.meta_label.setText(
            f"{kickoff}{venue} · {match.period_count} × {match.period_length_min} min · {status} · "
            f"we are {match.our_side}"
        )
        self.timeline.refresh()
        self.stats.show_stats(self.service.player_stats(self.match_id))
        self.refresh_share()

    def refresh_share(self) -> None:
        """Share only a match the team server already has (the button says so otherwise)."""
        if self._shareable is None or self.match_id is None:
            return
        synced = self._shareable(self.match_id)
        self.share_button.setEnabled(synced)
        self.share_button.setText("Share…" if synced else "Share…\n(sync first)")
        self.share_button.setToolTip(
            "A read-only link to this match" if synced else "Sync this match to the team server first, then share it"
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """Ctrl+Z / Ctrl+Shift+Z (or Ctrl+Y) undo and redo here too (edits made in the summary)."""
        ctrl = Qt.KeyboardModifier.ControlModifier
        mods = event.modifiers()
        redo = event.matches(QKeySequence.StandardKey.Redo) or (
            event.key() == Qt.Key.Key_Z and mods == ctrl | Qt.KeyboardModifier.ShiftModifier
        )
        undo = not redo and (
            event.matches(QKeySequence.StandardKey.Undo) or (event.key() == Qt.Key.Key_Z and mods == ctrl)
        )
        if not (undo or redo):
            super().keyPressEvent(event)
            return
        event.accept()
        self._apply(self.service.redo if redo else self.service.undo)

    # ----------------------------------------------------------------- export
    def export(self, fmt: str, path: Path | None = None) -> None:
        """Ask where to save (unless ``path``), then write the file off the GUI thread."""
        if self.match_id is None or (self.export_op is not None and not self.export_op.finished):
            return
        if path is None:
            path = self.ask_path(fmt)
            if path is None:
                return
        work = exporting.export_work(self.service, self.match_id, fmt, path)
        self.export_status.setText(f"Exporting {fmt.upper()}…")
        for button in self.export_buttons.values():
            button.setEnabled(False)
        self.export_op = run_op(
            self,
            work,
            on_success=self._exported,
            on_failure=self._export_failed,
            label=f"Exporting {fmt.upper()}…",
            cancellable=False,
        )

    def ask_path(self, fmt: str) -> Path | None:
        match = self.service.get_match(self.match_id) if self.match_id else None
        default = exporting.default_path(match, fmt)
        chosen, _ = QFileDialog.getSaveFileName(self, f"Export {fmt.upper()}", str(default), f"{fmt.upper()} (*.{fmt})")
        return Path(chosen) if chosen else None

    def _done(self) -> None:
        for button in self.export_buttons.values():
            button.setEnabled(True)

    def _exported(self, path: object) -> None:
        self._done()
        self.last_export = Path(str(path))
        self.export_status.setText(f"Saved {self.last_export}")

    def _export_failed(self, exc: BaseException) -> None:
        self._done()
        self.export_status.setText(f"Export failed: {exc}")
        self._on_error(exc)

    def shutdown(self) -> None:
        close_ops(self)


class SeasonView(QWidget):
    """Season totals per player of one team; the query runs off the GUI thread."""

    backRequested = Signal()  # noqa: N815

    def __init__(
        self, service: MatchService, on_error: Callable[[BaseException], None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.service = service
        self._on_error = on_error
        self.op: Op[list[PlayerStats]] | None = None
        self._again = False
        self.back_button = big_button("◀ Matches", "seasonBack", px=16, on_click=self.backRequested)
        self.team = TeamCombo()
        self.team.currentIndexChanged.connect(lambda _i: self.load())
        self.title = big_label("Season stats", 28, "seasonTitle")
        self.status = QLabel("")
        self.stats = StatsTable(SEASON_COLUMNS)
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(self.title, 1)
        top.addWidget(self.team, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.stats, 1)

    def refresh(self) -> None:
        self.team.reload(self.service.list_teams())
        self.load()

    def select_team(self, team_id: str | None) -> None:
        self.team.select(team_id)

    def load(self) -> None:
        team_id = self.team.currentData()
        if team_id is None:
            self.stats.show_stats([])
            return
        if self.op is not None and not self.op.finished:
            self._again = True
            return
        self.status.setText("Loading…")
        service = self.service
        self.op = run_op(
            self, lambda _t: service.season_stats(team_id), on_success=self._loaded, on_failure=self._failed
        )

    def _loaded(self, rows: list[PlayerStats]) -> None:
        self.stats.show_stats(rows)
        self.status.setText(f"{len(rows)} players")
        self._reload_if_asked()

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(f"Could not load: {exc}")
        self._on_error(exc)
        self._reload_if_asked()

    def _reload_if_asked(self) -> None:
        if self._again:
            self._again = False
            self.load()

    def shutdown(self) -> None:
        close_ops(self)
