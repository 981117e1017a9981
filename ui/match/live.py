"""The pitch-side live logging view: big clock and score, one big button per event kind,
the lineup grid, a keyboard path for everything, and the timeline with undo/redo/edit/delete.

Keys (the view keeps keyboard focus; no button takes it):
  digits      shirt number            G A K S I T F P R B O U Y X   event kinds (see buttons)
  Enter       complete / no player    Esc   clear            Backspace   delete a digit
  H or Tab    switch home/away for the next event
  Ctrl+Z      undo                    Ctrl+Shift+Z (or Ctrl+Y)   redo
  Ctrl+Space  kick off / pause / resume / start next period
  Ctrl+E      end the period (press twice: the first press only arms it)
  ? or F1     the list of every key, in large type (any key closes it)
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QKeyEvent, QKeySequence, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.errors import FieldmatError
from app.match.service import MatchService
from app.match.types import Change, ClockState
from ui.match.entry import Entry, LogRequest
from ui.match.help_overlay import HelpOverlay, is_modifier
from ui.match.keys import EVENT_BUTTONS, HELP_KEYS, HELP_TEXT, KEY_TO_KIND, SIDE_KEYS, kind_label
from ui.match.timeline import TimelineBox
from ui.match.widgets import big_button, big_font, big_label
from ui.theme import apply_outdoor_theme, is_outdoor

CLOCK_REFRESH_MS = 250
EVENT_COLUMNS = 7
PLAYER_COLUMNS = 10
IDLE_HINT = "Shirt number + event key, or tap a player + an event"
DIGIT_KEYS = {int(getattr(Qt.Key, f"Key_{d}")): str(d) for d in range(10)}


class LiveView(QWidget):
    """Logs a match. ``set_match(match_id)`` then ``refresh()``; the panel calls ``refresh``
    after every change announced on the bus."""

    backRequested = Signal()  # noqa: N815
    summaryRequested = Signal(str)  # noqa: N815
    lineupRequested = Signal(str)  # noqa: N815

    def __init__(
        self,
        service: MatchService,
        on_change: Callable[[Change], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self._on_change = on_change
        self.match_id: str | None = None
        self.team_id: str | None = None
        self.sides: dict[str, str] = {"home": "Home", "away": "Away"}
        self.names: dict[str, str] = {}
        self.entry = Entry(self._resolve_shirt)
        self.clock_state: ClockState | None = None
        self._end_armed = False
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self.timer = QTimer(self)
        self.timer.setInterval(CLOCK_REFRESH_MS)
        self.timer.timeout.connect(self.refresh_clock)

        # ---- header: back, score, clock, theme
        self.back_button = big_button("◀ Matches", "backButton", px=16)
        self.back_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.back_button.clicked.connect(self.backRequested)
        self.summary_button = big_button("Summary", "summaryButton", px=16)
        self.summary_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.summary_button.clicked.connect(lambda: self.match_id and self.summaryRequested.emit(self.match_id))
        self.lineup_button = big_button("Lineup", "lineupButton", px=16)
        self.lineup_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.lineup_button.clicked.connect(lambda: self.match_id and self.lineupRequested.emit(self.match_id))
        self.theme_button = big_button("☀ Outdoor", "outdoorToggle", px=16)
        self.theme_button.setCheckable(True)
        self.theme_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.theme_button.setToolTip("High-contrast theme for sunlight")
        self.theme_button.toggled.connect(self._toggle_theme)
        self.help_button = big_button("Keys\n[?]", "helpButton", px=16)
        self.help_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.help_button.setToolTip("Every key (? or F1)")
        self.help_button.clicked.connect(self.show_help)
        self.score_label = big_label("0 – 0", 26, "scoreLabel")
        self.score_label.setTextFormat(Qt.TextFormat.RichText)
        self.score_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.score_text = ""
        self.clock_label = big_label("00:00", 60, "clockLabel")
        self.status_label = big_label("", 20, "clockStatus", bold=False)

        # ---- clock buttons
        self.primary_clock = big_button("Kick off\n[Ctrl+Space]", "clockPrimary", px=20)
        self.primary_clock.clicked.connect(self.clock_primary)
        self.end_period_button = big_button("End period\n[Ctrl+E]", "clockEnd", px=20)
        self.end_period_button.clicked.connect(self.end_period)

        # ---- side toggle and prompt
        self.side_button = big_button("", "sideToggle", px=22)
        self.side_button.clicked.connect(self.toggle_side)
        self.prompt_label = big_label("", 22, "promptLabel")
        self.prompt_label.setWordWrap(True)
        self.prompt_label.setToolTip(HELP_TEXT)
        self.feedback_label = big_label("", 17, "feedbackLabel", bold=False)
        self.feedback_label.setWordWrap(True)

        # ---- event buttons
        self.event_buttons: dict[str, QPushButton] = {}
        events_box = QWidget()
        events_grid = QGridLayout(events_box)
        events_grid.setSpacing(6)
        events_grid.setContentsMargins(0, 0, 0, 0)
        for i, (kind, label, key) in enumerate(EVENT_BUTTONS):
            button = big_button(f"{label}\n[{key}]", f"event_{kind}", px=19)
            button.setProperty("eventKind", kind)
            button.setToolTip(f"{label} — key {key}")
            button.clicked.connect(lambda _=False, k=kind: self.press_kind(k))
            events_grid.addWidget(button, i // EVENT_COLUMNS, i % EVENT_COLUMNS)
            self.event_buttons[kind] = button

        # ---- players grid (rebuilt per match)
        self.player_buttons: dict[str, QPushButton] = {}
        self.players_box = QGroupBox("Players — tap to pick")
        self.players_box.setFont(big_font(16))
        self.players_grid = QGridLayout(self.players_box)
        self.players_grid.setSpacing(6)
        self.no_player_button = big_button("No player\n[Enter]", "noPlayer", px=16)
        self.no_player_button.clicked.connect(lambda: self._after(self.entry.no_player()))
        self.clear_button = big_button("Clear\n[Esc]", "clearEntry", px=16)
        self.clear_button.clicked.connect(self.clear_entry)

        # ---- timeline + undo/redo
        self.timeline = TimelineBox(service, self._changed, self._error, newest_first=True)
        self.timeline.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.timeline.table.setColumnHidden(5, True)  # notes: in the summary; space is short here
        self.undo_button = big_button("Undo\n[Ctrl+Z]", "undoButton", px=16)
        self.redo_button = big_button("Redo\n[Ctrl+Shift+Z]", "redoButton", px=16)
        self.undo_button.clicked.connect(self.undo)
        self.redo_button.clicked.connect(self.redo)

        # ---- layout
        header = QHBoxLayout()
        header.addWidget(self.back_button)
        header.addWidget(self.lineup_button)
        header.addWidget(self.summary_button)
        header.addWidget(self.score_label, 1)
        header.addWidget(self.undo_button)
        header.addWidget(self.redo_button)
        header.addWidget(self.theme_button)
        header.addWidget(self.help_button)
        clock_row = QHBoxLayout()
        clock_col = QVBoxLayout()
        clock_col.setSpacing(0)
        clock_col.addWidget(self.clock_label)
        clock_col.addWidget(self.status_label)
        clock_row.addLayout(clock_col, 3)
        clock_row.addWidget(self.primary_clock, 2)
        clock_row.addWidget(self.end_period_button, 2)
        clock_row.addWidget(self.side_button, 3)
        entry_row = QHBoxLayout()
        prompt_col = QVBoxLayout()
        prompt_col.setSpacing(0)
        prompt_col.addWidget(self.prompt_label)
        prompt_col.addWidget(self.feedback_label)
        entry_row.addLayout(prompt_col, 5)
        entry_row.addWidget(self.no_player_button, 1)
        entry_row.addWidget(self.clear_button, 1)

        left = QVBoxLayout()
        left.addLayout(clock_row)
        left.addLayout(entry_row)
        left.addWidget(events_box, 3)
        left.addWidget(self.players_box, 3)
        body = QHBoxLayout()
        body.addLayout(left, 5)
        body.addWidget(self.timeline, 2)
        root = QVBoxLayout(self)
        root.setContentsMargins(4, 4, 4, 4)
        root.addLayout(header)
        root.addLayout(body, 1)

        # the key list covers the whole view; created last so it sits on top
        self.help_overlay = HelpOverlay(self)
        self.help_overlay.closed.connect(self.setFocus)

    # ----------------------------------------------------------------- match
    def set_match(self, match_id: str) -> None:
        """Show ``match_id``: names, lineup grid, clock, score and timeline."""
        self.match_id = match_id
        match = self.service.get_match(match_id)
        self.team_id = match.team_id
        self.sides = {"home": match.home_team, "away": match.away_team}
        self.entry.set_our_side(match.our_side)
        players = self.service.list_players(match.team_id) if match.team_id else []
        by_id = {p.id: p for p in players}
        lineup = self.service.lineup(match_id)
        shirts: dict[str, int | None] = {p.id: p.shirt_number for p in players}
        for entry in lineup:
            if entry.shirt_number is not None:
                shirts[entry.player_id] = entry.shirt_number
        self.names = {}
        for p in players:
            number = shirts.get(p.id)
            self.names[p.id] = (f"#{number} " if number is not None else "") + p.name
        # the grid: the lineup (starters, then bench), or the whole squad when there is none
        if lineup:
            grid = [(e.player_id, e.starting) for e in lineup if e.player_id in by_id]
        else:
            grid = [(p.id, True) for p in players]
        self._build_player_grid(grid, shirts, by_id)
        self.timeline.set_context(
            match_id,
            self.sides,
            [(p.id, self.names[p.id]) for p in players],
            shirts,
            match.period_count,
        )
        self._end_armed = False
        self.feedback_label.setText("")
        self.refresh()
        self._sync_timer()

    def _build_player_grid(self, grid: list[tuple[str, bool]], shirts: dict[str, int | None], by_id: dict) -> None:
        """Starters, then a "Bench" marker and the bench, flowing row by row (fits a laptop screen)."""
        while self.players_grid.count():
            child = self.players_grid.takeAt(0)
            widget = child.widget() if child is not None else None
            if widget is not None:
                widget.deleteLater()
        self.player_buttons = {}
        cells: list[QWidget] = []
        bench_started = False
        for pid, starting in grid:
            if not starting and not bench_started:
                bench_started = True
                bench = QLabel("Bench ▸")
                bench.setFont(big_font(16))
                bench.setAlignment(Qt.AlignmentFlag.AlignCenter)
                cells.append(bench)
            number = shirts.get(pid)
            name = by_id[pid].name
            short = name if len(name) <= 11 else name[:10] + "…"
            text = f"{'#' + str(number) if number is not None else '–'}\n{short}"
            button = big_button(text, None, px=17)
            button.setProperty("baseText", text)
            button.setToolTip(name)
            button.setProperty("playerId", pid)
            button.setProperty("bench", not starting)
            button.clicked.connect(lambda _=False, p=pid: self.tap_player(p))
            self.player_buttons[pid] = button
            cells.append(button)
        for i, widget in enumerate(cells):
            self.players_grid.addWidget(widget, i // PLAYER_COLUMNS, i % PLAYER_COLUMNS)
        if not grid:
            hint = QLabel("No players: add them under Teams & players, then set the lineup.")
            hint.setWordWrap(True)
            self.players_grid.addWidget(hint, 0, 0)

    def _resolve_shirt(self, number: int) -> str | None:
        if self.match_id is None:
            return None
        player = self.service.find_player_by_shirt(self.match_id, self.entry.our_side, number)
        return None if player is None else player.id

    # ----------------------------------------------------------------- refresh
    def refresh(self) -> None:
        """Re-read score, timeline, clock and undo state (after any change)."""
        if self.match_id is None:
            return
        home, away = self.service.score(self.match_id)
        self.score_text = f"{self.sides['home']}  {home} – {away}  {self.sides['away']}"
        self.score_label.setText(score_html(self.sides["home"], home, away, self.sides["away"]))
        self.score_label.setToolTip(self.score_text)
        self.timeline.refresh()
        self._mark_players()
        undo, redo = self.service.undo_label(), self.service.redo_label()
        self.undo_button.setEnabled(undo is not None)
        self.redo_button.setEnabled(redo is not None)
        self.undo_button.setToolTip(f"Undo {undo}" if undo else "Nothing to undo")
        self.redo_button.setToolTip(f"Redo {redo}" if redo else "Nothing to redo")
        self.refresh_clock()
        self._show_entry()

    def _mark_players(self) -> None:
        """Show on each player button what the logged events say: substituted off or on, sent off.

        A display of the timeline only (the service owns minutes and who played); every button
        stays tappable so a mistake can always be logged around.
        """
        marks: dict[str, str] = {}
        events = self.timeline.table.events
        for e in reversed(events) if self.timeline.table.newest_first else events:
            if e.kind == "substitution":
                if e.player_id:
                    marks[e.player_id] = "off"
                if e.related_player_id:
                    marks[e.related_player_id] = "on"
            elif e.kind == "red_card" and e.player_id:
                marks[e.player_id] = "sent off"
        for pid, button in self.player_buttons.items():
            mark = marks.get(pid)
            text = str(button.property("baseText")) + (f" ({mark})" if mark else "")
            if text != button.text():
                button.setText(text)
            if button.property("mark") != mark:
                button.setProperty("mark", mark or "")
                _repolish(button)

    def refresh_clock(self) -> None:
        """Re-read the derived clock (the timer calls this; nothing is counted here)."""
        if self.match_id is None:
            return
        try:
            state = self.service.clock_state(self.match_id)
        except FieldmatError as exc:
            self.status_label.setText(str(exc))
            return
        self.clock_state = state
        self.clock_label.setText(state.display)
        period = f"Period {state.period} of {state.period_count}" if state.period else "Not started"
        words = {
            "scheduled": "Before kick-off",
            "live": "Running",
            "paused": "PAUSED",
            "break": "Break",
            "finished": "Full time",
        }
        self.status_label.setText(f"{period} · {words.get(state.status, state.status)}")
        self._update_clock_buttons(state)

    def _update_clock_buttons(self, state: ClockState) -> None:
        primary = {
            "scheduled": "Kick off",
            "live": "Pause",
            "paused": "Resume",
            "break": f"Start period {state.period + 1}",
            "finished": "Full time:\nsummary",
        }.get(state.status, "Kick off")
        if state.status != "finished":
            primary += "\n[Ctrl+Space]"
        self.primary_clock.setText(primary)
        can_end = state.status in ("live", "paused")
        self.end_period_button.setEnabled(can_end)
        if not can_end:
            self._end_armed = False
        if self._end_armed:
            self.end_period_button.setText(f"Tap again to END\nperiod {state.period}")
            self.end_period_button.setProperty("picked", True)
        else:
            self.end_period_button.setText(f"End period {state.period or ''}\n[Ctrl+E]".replace("  ", " "))
            self.end_period_button.setProperty("picked", False)
        _repolish(self.end_period_button)

    def _show_entry(self) -> None:
        e = self.entry
        side_name = self.sides.get(e.side, e.side)
        self.side_button.setText(f"{e.side.upper()}: {side_name}\n[H / Tab] switch")
        self.side_button.setProperty("picked", e.opponent)
        _repolish(self.side_button)
        prompt = e.prompt(lambda pid: self.names.get(pid, "?"))
        if e.opponent and not prompt:
            prompt = f"Next event for {side_name}" + (f" #{e.digits}" if e.digits else "")
        if not prompt:
            prompt = IDLE_HINT
        self.prompt_label.setText(prompt)
        self.players_box.setEnabled(not e.opponent)
        picked = {e.player_id, e.sub_off} - {None}
        for pid, button in self.player_buttons.items():
            if bool(button.property("picked")) != (pid in picked):
                button.setProperty("picked", pid in picked)
                _repolish(button)
        for kind, button in self.event_buttons.items():
            on = kind == e.kind
            if bool(button.property("picked")) != on:
                button.setProperty("picked", on)
                _repolish(button)

    # ----------------------------------------------------------------- input
    def press_kind(self, kind: str) -> None:
        self._disarm()
        self._after(self.entry.event_key(kind))

    def tap_player(self, player_id: str) -> None:
        self._disarm()
        self._after(self.entry.player_tap(player_id))

    def toggle_side(self) -> None:
        self._disarm()
        self.entry.toggle_side()
        self._show_entry()

    def clear_entry(self) -> None:
        self._disarm()
        self.entry.clear()
        self._show_entry()

    def _after(self, request: LogRequest | None) -> None:
        if request is not None:
            self._log(request)
        self._show_entry()
        self.setFocus()

    def _log(self, request: LogRequest) -> None:
        if self.match_id is None:
            return
        try:
            change = self.service.log_event(
                self.match_id,
                request.kind,
                request.team,
                player_id=request.player_id,
                related_player_id=request.related_player_id,
                note=request.note,
            )
        except FieldmatError as exc:
            self.feedback_label.setText(f"✗ Not logged: {exc}")
            return
        who = self.names.get(request.player_id or "", "")
        if request.kind == "substitution":
            off = self.names.get(request.player_id or "", "?")
            on = self.names.get(request.related_player_id or "", "?")
            who = f"{off} off, {on} on"
        side = self.sides.get(request.team, request.team)
        text = f"✓ {kind_label(request.kind)} — {side}" + (f" — {who}" if who else "")
        self._changed(change)
        self.feedback_label.setText(text)

    def _changed(self, change: Change) -> None:
        self._on_change(change)  # the panel announces "match"; everything re-reads
        if change.description:
            self.feedback_label.setText(f"✓ {change.description}")

    def _error(self, exc: BaseException) -> None:
        self.feedback_label.setText(f"✗ {exc}")

    def undo(self) -> None:
        self._disarm()
        try:
            change = self.service.undo()
        except FieldmatError as exc:
            self._error(exc)
            return
        if change is None:
            self.feedback_label.setText("Nothing to undo")
        else:
            self._changed(change)

    def redo(self) -> None:
        self._disarm()
        try:
            change = self.service.redo()
        except FieldmatError as exc:
            self._error(exc)
            return
        if change is None:
            self.feedback_label.setText("Nothing to redo")
        else:
            self._changed(change)

    # ----------------------------------------------------------------- clock
    def clock_primary(self) -> None:
        """Kick off / pause / resume / start the next period, by the clock's status."""
        self._disarm()
        if self.match_id is None:
            return
        status = self.service.clock_state(self.match_id).status
        if status == "finished":
            self.summaryRequested.emit(self.match_id)
            return
        action = {
            "scheduled": self.service.start_period,
            "break": self.service.start_period,
            "live": self.service.pause,
            "paused": self.service.resume,
        }.get(status)
        if action is None:
            return
        self._clock_call(action)

    def end_period(self) -> None:
        """End the period; the first press arms, the second ends (no accidental half-time)."""
        if self.match_id is None:
            return
        if not self._end_armed:
            self._end_armed = True
            self.refresh_clock()
            return
        self._end_armed = False
        self._clock_call(self.service.end_period)

    def _clock_call(self, action: Callable[[str], Change]) -> None:
        assert self.match_id is not None
        try:
            change = action(self.match_id)
        except FieldmatError as exc:
            self._error(exc)
            self.refresh_clock()
            return
        self._changed(change)
        self.setFocus()

    def _disarm(self) -> None:
        if self._end_armed:
            self._end_armed = False
            self.refresh_clock()

    # ----------------------------------------------------------------- keys
    def event(self, event: QEvent) -> bool:
        # Tab switches the side here instead of moving focus.
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and mods in (
                Qt.KeyboardModifier.NoModifier,
                Qt.KeyboardModifier.ShiftModifier,
            ):
                if self.help_overlay.isVisible():
                    self.help_overlay.dismiss()
                else:
                    self.toggle_side()
                return True
        return super().event(event)

    def show_help(self) -> None:
        """Show every key in large type until any key or a tap."""
        self._disarm()
        self.help_overlay.open_over_parent()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if self.help_overlay.isVisible():  # a key reaching the view while the list shows only closes it
            if not is_modifier(event):
                self.help_overlay.dismiss()
            event.accept()
            return
        if self._handle_key(event):
            event.accept()
        else:
            super().keyPressEvent(event)

    def _handle_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ctrl = Qt.KeyboardModifier.ControlModifier
        shift = Qt.KeyboardModifier.ShiftModifier
        if event.matches(QKeySequence.StandardKey.Redo) or (key == Qt.Key.Key_Z and mods == ctrl | shift):
            self.redo()
            return True
        if event.matches(QKeySequence.StandardKey.Undo) or (key == Qt.Key.Key_Z and mods == ctrl):
            self.undo()
            return True
        if key == Qt.Key.Key_Y and mods == ctrl:
            self.redo()
            return True
        if mods == ctrl and key == Qt.Key.Key_Space:
            self.clock_primary()
            return True
        if mods == ctrl and key == Qt.Key.Key_E:
            self.end_period()
            return True
        if mods not in (Qt.KeyboardModifier.NoModifier, shift):
            return False
        if key in DIGIT_KEYS:
            self._disarm()
            self.entry.digit(DIGIT_KEYS[key])
            self._show_entry()
            return True
        if key == Qt.Key.Key_Backspace:
            self.entry.backspace()
            self._show_entry()
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._disarm()
            self._after(self.entry.enter())
            return True
        if key == Qt.Key.Key_Escape:
            self.clear_entry()
            return True
        if key in HELP_KEYS:
            self.show_help()
            return True
        if key in SIDE_KEYS:
            self.toggle_side()
            return True
        if key in KEY_TO_KIND:
            self.press_kind(KEY_TO_KIND[key])
            return True
        return False

    # ----------------------------------------------------------------- theme, timer
    def _toggle_theme(self, on: bool) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_outdoor_theme(app, on)
        self.setFocus()

    def _sync_timer(self) -> None:
        if self.match_id is not None and self.isVisible():
            if not self.timer.isActive():
                self.timer.start()
        else:
            self.timer.stop()

    def _sync_theme_button(self) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication) and self.theme_button.isChecked() != is_outdoor(app):
            self.theme_button.blockSignals(True)
            self.theme_button.setChecked(is_outdoor(app))
            self.theme_button.blockSignals(False)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        # the theme may be switched elsewhere (the View menu): keep the toggle truthful
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._sync_theme_button()
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._sync_theme_button()
        self.refresh_clock()
        self._sync_timer()
        self.setFocus()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt override
        self.timer.stop()
        self.help_overlay.hide()
        super().hideEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if self.help_overlay.isVisible():
            self.help_overlay.setGeometry(self.rect())

    def shutdown(self) -> None:
        self.timer.stop()


def score_html(home_name: str, home: int, away: int, away_name: str) -> str:
    """The score large and the team names smaller, so the numbers read from a distance."""
    return (
        f"{html.escape(home_name)}&nbsp;&nbsp;<span style='font-size:56px'>{home}&nbsp;–&nbsp;{away}</span>"
        f"&nbsp;&nbsp;{html.escape(away_name)}"
    )


def _repolish(widget: QObject) -> None:
    if isinstance(widget, QWidget):
        style = widget.style()
        style.unpolish(widget)
        style.polish(widget)
