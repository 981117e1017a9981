"""Matches panel: match list, teams & players, lineup editor, live logging, summary, season stats.

Every screen calls the ``MatchService`` (no business rules or SQL here); what a call changed
(``Change.changes``, an ``app.changes.ChangeSet``) is announced on the bus, and the screen
showing re-reads only what the set touches (``_bus_changed``): another match's change leaves
it alone, a clock action re-reads the clock, an event change the score and timeline.

Also here: importing a ``fieldmat.match/1`` file (off the GUI thread, all or nothing in the
core), editing a match's details (the new-match dialog in edit mode) and, when the composer
gives a ``MatchSharing`` (the sync area's share dialog), sharing a synced match.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QScrollArea,
    QStackedWidget,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.changes import ChangeSet
from app.context import AppContext
from app.errors import FieldmatError
from app.match.export import import_file
from app.match.service import MatchService
from app.match.types import Change, ImportResult, MatchSummary, match_saved
from ui.bus import ChangeBus
from ui.match.dialogs import NewMatchDialog, TeamsPage
from ui.match.lineup import LineupEditor
from ui.match.live import MatchLiveView
from ui.match.summary import SeasonView, SummaryView
from ui.match.widgets import MATCH_QSS, big_button, big_font, big_label, item, kickoff_text, open_modeless
from ui.ops import Op, close_ops, run_op

log = logging.getLogger(__name__)
STATUS_TEXT = {"scheduled": "Not started", "live": "Live", "finished": "Full time"}


class MatchListPage(QWidget):
    """Every match, newest first, with big buttons for what to do with the selected one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.matches: list[MatchSummary] = []
        self.title = big_label("Matches", 28, "matchesTitle")
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["Kick-off", "Match", "Score", "Status", "Venue"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(52)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setFont(big_font(17, bold=False))
        self.new_button = big_button("+ New match", "newMatch", px=18)
        self.import_button = big_button("Import match…", "importMatch", px=18)
        self.import_button.setToolTip("A Fieldmat match file (JSON) exported on another device")
        self.edit_button = big_button("Edit details…", "editMatch", px=16)
        self.edit_button.setToolTip("Teams, kick-off, venue, periods, our side")
        self.live_button = big_button("Live ▶", "openLive", px=18)
        self.lineup_button = big_button("Lineup", "openLineup", px=18)
        self.summary_button = big_button("Summary", "openSummary", px=18)
        self.teams_button = big_button("Teams && players", "openTeams", px=18)
        self.season_button = big_button("Season stats", "openSeason", px=18)
        self.delete_button = big_button("Delete match", "deleteMatch", px=16)
        self.empty = QLabel("No matches yet. Tap “New match” to set one up.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setFont(big_font(18, bold=False))
        actions = QHBoxLayout()
        for b in (self.new_button, self.import_button, self.live_button, self.lineup_button, self.summary_button):
            actions.addWidget(b)
        more = QHBoxLayout()
        for b in (self.teams_button, self.season_button, self.edit_button, self.delete_button):
            more.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(actions)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        layout.addLayout(more)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self._selection_changed()

    def show_matches(self, matches: list[MatchSummary]) -> None:
        selected = self.selected_id()
        self.matches = list(matches)
        self.table.setRowCount(len(matches))
        for r, m in enumerate(matches):
            kickoff = kickoff_text(m.kickoff_at)
            cells = (
                kickoff,
                f"{m.home_team} v {m.away_team}",
                f"{m.home_score} – {m.away_score}",
                STATUS_TEXT.get(m.status, m.status),
                m.venue or "",
            )
            for c, text in enumerate(cells):
                self.table.setItem(r, c, item(text, m.id))
        self.empty.setVisible(not matches)
        if selected is not None:
            self.select(selected)
        elif matches:
            self.table.selectRow(0)
        self._selection_changed()

    def selected_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.matches):
            return None
        return self.matches[rows[0].row()].id

    def selected(self) -> MatchSummary | None:
        mid = self.selected_id()
        return next((m for m in self.matches if m.id == mid), None)

    def select(self, match_id: str) -> None:
        for r, m in enumerate(self.matches):
            if m.id == match_id:
                self.table.selectRow(r)
                return

    def _selection_changed(self) -> None:
        has = self.selected_id() is not None
        for b in (self.live_button, self.lineup_button, self.summary_button, self.edit_button, self.delete_button):
            b.setEnabled(has)


@dataclass(frozen=True)
class MatchSharing:
    """Sharing a synced match, given by the composer (the match area does not know the sync
    area): ``shareable(match_id)`` says whether the team server has the match (GUI thread, a
    quick local read); ``open(match_id, parent)`` opens the share dialog and returns it."""

    shareable: Callable[[str], bool]
    open: Callable[[str, QWidget], QDialog]


class MatchPanel(QWidget):
    """The Matches tab. ``shutdown()`` stops the clock timer and any background work.
    Without ``sharing`` the summary has no Share button."""

    def __init__(
        self,
        ctx: AppContext,
        bus: ChangeBus,
        parent: QWidget | None = None,
        *,
        sharing: MatchSharing | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.bus = bus
        # the service reads the context's clock on every call, so a test can swap ctx.clock
        self.service = MatchService(ctx.db, clock=lambda: ctx.clock())
        self.setStyleSheet(MATCH_QSS)
        self.new_match_dialog: NewMatchDialog | None = None
        self.edit_match_dialog: NewMatchDialog | None = None
        self.share_dialog: QDialog | None = None
        self.import_op: Op[ImportResult] | None = None
        self.import_box: QMessageBox | None = None
        self.last_import: ImportResult | None = None
        self.sharing = sharing
        self.share_supported = sharing is not None

        self.list_page = MatchListPage()
        self.teams_page = TeamsPage(self.service, self._changed, self._error, self.show_list)
        self.lineup_page = LineupEditor(self.service, self._changed, self._error)
        self.live_page = MatchLiveView(self.service, self._changed)
        self.summary_page = SummaryView(
            self.service, self._changed, self._error, shareable=None if sharing is None else sharing.shareable
        )
        self.season_page = SeasonView(self.service, self._error)
        self.stack = QStackedWidget()
        for page in (
            self.list_page,
            self.teams_page,
            self.lineup_page,
            self.live_page,
            self.summary_page,
            self.season_page,
        ):
            self.stack.addWidget(page)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setObjectName("matchMessage")
        self.message.setFont(big_font(15))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        # small windows scroll instead of forcing the main window's minimum size up
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidget(self.stack)
        self.scroll_area = scroll
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)

        lp = self.list_page
        lp.new_button.clicked.connect(self.new_match)
        lp.import_button.clicked.connect(lambda: self.import_match())
        lp.edit_button.clicked.connect(lambda: self._with_selected(self.edit_match))
        lp.live_button.clicked.connect(lambda: self._with_selected(self.show_live))
        lp.lineup_button.clicked.connect(lambda: self._with_selected(self.show_lineup))
        lp.summary_button.clicked.connect(lambda: self._with_selected(self.show_summary))
        lp.teams_button.clicked.connect(self.show_teams)
        lp.season_button.clicked.connect(self.show_season)
        lp.delete_button.clicked.connect(self.delete_selected)
        lp.table.cellDoubleClicked.connect(lambda _r, _c: self._open_selected())
        self.lineup_page.backRequested.connect(self.show_list)
        self.lineup_page.liveRequested.connect(self.show_live)
        self.live_page.backRequested.connect(self.show_list)
        self.live_page.summaryRequested.connect(self.show_summary)
        self.live_page.lineupRequested.connect(self.show_lineup)
        self.summary_page.backRequested.connect(self.show_list)
        self.summary_page.liveRequested.connect(self.show_live)
        self.summary_page.detailsRequested.connect(self.edit_match)
        self.summary_page.shareRequested.connect(self.share_match)
        self.season_page.backRequested.connect(self.show_list)
        bus.changed.connect(self._bus_changed)
        self.refresh_list()
        live = next((m for m in self.list_page.matches if m.status == "live"), None)
        if live is not None:  # reopened mid-match (crash, flat battery): the live match is ready to open
            self.list_page.select(live.id)

    # ----------------------------------------------------------------- navigation
    def _with_selected(self, show: object) -> None:
        match_id = self.list_page.selected_id()
        if match_id is not None and callable(show):
            show(match_id)

    def _open_selected(self) -> None:
        selected = self.list_page.selected()
        if selected is None:
            return
        if selected.status == "finished":
            self.show_summary(selected.id)
        else:
            self.show_live(selected.id)

    def show_list(self) -> None:
        self.refresh_list()
        self.stack.setCurrentWidget(self.list_page)

    def show_teams(self) -> None:
        self.teams_page.refresh()
        self.stack.setCurrentWidget(self.teams_page)

    def show_lineup(self, match_id: str) -> None:
        self.lineup_page.set_match(match_id)
        self.stack.setCurrentWidget(self.lineup_page)

    def show_live(self, match_id: str) -> None:
        self.live_page.set_match(match_id)
        self.stack.setCurrentWidget(self.live_page)
        self.live_page.sync_timer()
        self.live_page.setFocus()

    def show_summary(self, match_id: str) -> None:
        self.summary_page.set_match(match_id)
        self.stack.setCurrentWidget(self.summary_page)

    def show_season(self) -> None:
        selected = self.list_page.selected()
        self.stack.setCurrentWidget(self.season_page)
        self.season_page.refresh()
        if selected is not None:
            self.season_page.select_team(selected.team_id)

    # ----------------------------------------------------------------- actions
    def new_match(self) -> NewMatchDialog:
        """Open the new-match dialog (non-blocking); on Save the lineup editor opens."""
        dialog = NewMatchDialog(self.service, self.ctx.clock(), self)
        self.new_match_dialog = dialog
        open_modeless(dialog, self._new_match_closed, lambda: self._match_created(dialog))
        return dialog

    def _new_match_closed(self) -> None:
        self.new_match_dialog = None

    def _match_created(self, dialog: NewMatchDialog) -> None:
        if dialog.match is None:
            return
        # the dialog may have created our team too
        self.bus.announce(match_saved(dialog.match.id, dialog.match.team_id).changes)
        self.show_lineup(dialog.match.id)

    def edit_match(self, match_id: str) -> NewMatchDialog | None:
        """Open the match's details in the new-match dialog, in edit mode (non-blocking)."""
        try:
            match = self.service.get_match(match_id)
        except FieldmatError as exc:
            self._error(exc)
            return None
        dialog = NewMatchDialog(self.service, self.ctx.clock(), self, match=match)
        self.edit_match_dialog = dialog
        open_modeless(dialog, self._edit_match_closed, lambda: self._match_edited(dialog))
        return dialog

    def _edit_match_closed(self) -> None:
        self.edit_match_dialog = None

    def _match_edited(self, dialog: NewMatchDialog) -> None:
        if dialog.match is None or not dialog.changed_fields:
            self.message.setText("No change to the match details")
            return
        match_id = dialog.match.id
        self.message.setText("Match details saved")
        self.bus.announce(match_saved(match_id).changes)  # the summary re-reads its names

    # ----------------------------------------------------------------- import
    def ask_import_path(self) -> Path | None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Import match", str(Path.home()), "Fieldmat match (*.json);;All files (*)"
        )
        return Path(chosen) if chosen else None

    def import_match(self, path: Path | None = None) -> Op | None:
        """Ask for a file (unless ``path``), then import it off the GUI thread. The core checks
        the whole file first and writes all of it or nothing."""
        if self.import_op is not None and not self.import_op.finished:
            return None
        if path is None:
            path = self.ask_import_path()
            if path is None:
                return None
        service = self.service
        chosen = path
        self.list_page.import_button.setEnabled(False)
        self.message.setText(f"Importing {chosen.name}…")
        self.import_op = run_op(
            self,
            lambda _token: import_file(service, chosen),
            on_success=lambda result: self._imported(chosen, result),
            on_failure=lambda exc: self._import_failed(chosen, exc),
            label=f"Importing {chosen.name}…",
        )
        return self.import_op

    def _imported(self, path: Path, result: ImportResult) -> None:
        self.list_page.import_button.setEnabled(True)
        self.last_import = result
        try:
            match = self.service.get_match(result.match_id)
            home, away = self.service.score(result.match_id)
            name = f"{match.home_team} {home} – {away} {match.away_team}"
        except FieldmatError:  # the file carried a deleted match
            name = "the match"
        if result.changed:
            self.message.setText(
                f"✓ Imported {name} from {path.name}: {_count(result.inserted, 'new record')}, "
                f"{result.updated} updated, {result.unchanged} already here."
            )
        else:
            self.message.setText(f"✓ {name}: everything in {path.name} was already here; nothing changed.")
        self.refresh_list()
        self.list_page.select(result.match_id)
        if result.changed:
            self.bus.announce(result.change.changes)

    def _import_failed(self, path: Path, exc: BaseException) -> None:
        self.list_page.import_button.setEnabled(True)
        if not isinstance(exc, FieldmatError):
            log.error("match import failed", exc_info=exc)
        reason = str(exc) or exc.__class__.__name__
        self.message.setText(f"✗ Could not import {path.name}: {reason}. Nothing was imported.")
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Could not import the match",
            f"{path.name} was not imported:\n\n{reason}\n\nNothing was imported; your matches are unchanged.",
            QMessageBox.StandardButton.Ok,
            self,
        )
        self.import_box = box
        open_modeless(box, self._import_box_closed)

    def _import_box_closed(self) -> None:
        self.import_box = None

    # ----------------------------------------------------------------- share
    def share_match(self, match_id: str) -> QDialog | None:
        """Open the share dialog (link + QR code) for a synced match (None without sharing)."""
        if self.sharing is None:
            return None
        if self.share_dialog is not None:
            self.share_dialog.close()
        dialog = self.sharing.open(match_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._share_closed)
        self.share_dialog = dialog
        dialog.show()
        return dialog

    def _share_closed(self) -> None:
        self.share_dialog = None

    def delete_selected(self) -> None:
        selected = self.list_page.selected()
        if selected is None:
            return
        answer = QMessageBox.question(
            self, "Delete match", f"Delete {selected.home_team} v {selected.away_team} and its events?"
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            change = self.service.delete_match(selected.id)
        except FieldmatError as exc:
            self._error(exc)
            return
        self._changed(change)

    # ----------------------------------------------------------------- changes
    def _changed(self, change: Change) -> None:
        self.message.setText(change.description)
        self.bus.announce(change.changes)

    def _error(self, exc: BaseException) -> None:
        self.message.setText(f"✗ {exc}")

    def _bus_changed(self, changes: object) -> None:
        """Refresh the screen showing from what ``changes`` touched, and only that."""
        if not isinstance(changes, ChangeSet):
            return
        page = self.stack.currentWidget()
        try:
            if page is self.list_page:
                if changes.is_whole("match") or changes.matches or changes.clocks or changes.event_matches:
                    self.refresh_list()  # scores and statuses are on the list
            elif page is self.live_page:
                self._refresh_live(changes)
            elif page is self.summary_page:
                self._refresh_summary(changes)
            elif page is self.lineup_page:
                mid = self.lineup_page.match_id
                if (
                    changes.is_whole("match")
                    or mid in changes.matches | changes.lineups
                    or changes.teams
                    or changes.players
                ):
                    self.lineup_page.reload_players()
            elif page is self.teams_page:
                if changes.is_whole("match") or changes.teams or changes.players:
                    self.teams_page.refresh()
            elif page is self.season_page and changes.touches("match"):
                self.season_page.load()
        except FieldmatError as exc:  # e.g. the match shown was deleted elsewhere
            self._error(exc)
            self.show_list()

    def _refresh_live(self, changes: ChangeSet) -> None:
        live = self.live_page
        mid = live.match_id
        if mid is None:
            return
        if (
            changes.is_whole("match")
            or mid in changes.matches | changes.lineups
            or changes.touches_roster(live.team_ids, live.names)
        ):
            live.reload_match()  # names, sides or squads: everything is read again
            return
        if mid in changes.event_matches:
            live.refresh_events()
        if mid in changes.clocks:
            live.refresh_clock()

    def _refresh_summary(self, changes: ChangeSet) -> None:
        summary = self.summary_page
        mid = summary.match_id
        if mid is None:
            return
        if changes.is_whole("match") or mid in changes.matches | changes.lineups or changes.teams or changes.players:
            summary.set_match(mid)  # team names, players' names and shirts are kept per match
        elif changes.touches_match(mid):
            summary.refresh()
        elif changes.touches("sync"):
            summary.refresh_share()  # a sync may have put the match on the server

    def refresh_list(self) -> None:
        self.list_page.show_matches(self.service.list_matches())

    def shutdown(self) -> None:
        """Stop the clock timer and background work; called before the window closes."""
        close_ops(self)  # the import's outcome, if it still comes, is not shown
        if self.share_dialog is not None:
            self.share_dialog.close()  # its finished signal cancels its fetch
        self.live_page.shutdown()
        self.summary_page.shutdown()
        self.season_page.shutdown()


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")
