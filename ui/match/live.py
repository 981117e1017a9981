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
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal, SignalInstance
from PySide6.QtGui import QFont, QFontMetrics, QHideEvent, QKeyEvent, QKeySequence, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QApplication, QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from app.errors import FieldmatError
from app.match import clock_flow as flow
from app.match.lineups import side_team
from app.match.pitch import BENCH, ON, SENT_OFF
from app.match.rules import PLAY_KINDS
from app.match.service import MatchService
from app.match.types import Change, ClockState
from ui.match.clock_bar import ClockBar
from ui.match.entry import ASSIST_LINK, Entry, LogRequest
from ui.match.event_pad import EventPad
from ui.match.help_overlay import HelpOverlay, is_modifier
from ui.match.keys import HELP_KEYS, HELP_TEXT, KEY_TO_KIND, SIDE_KEYS, kind_label
from ui.match.player_grid import PlayerGrid
from ui.match.service_page import ServicePage, match_roster
from ui.match.timeline import TimelineBox
from ui.match.widgets import big_button, big_label, elide, repolish
from ui.theme import apply_outdoor_theme, is_outdoor

CLOCK_REFRESH_MS = 250
IDLE_HINT = "Shirt number + event key, or tap a player + an event"
DIGIT_KEYS = {int(getattr(Qt.Key, f"Key_{d}")): str(d) for d in range(10)}


class MatchLiveView(ServicePage):
    """Logs a match. ``set_match(match_id)`` shows one; after a change announced on the bus
    the panel calls what it touched: ``refresh_events``, ``refresh_clock`` or ``reload_match``.
    Its parts: ``clock_bar``, ``event_pad``, ``player_grid`` and the ``timeline``; refusals
    show on the feedback line."""

    backRequested = Signal()  # noqa: N815
    summaryRequested = Signal(str)  # noqa: N815
    lineupRequested = Signal(str)  # noqa: N815

    def __init__(
        self,
        service: MatchService,
        on_change: Callable[[Change], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(service, on_change, self._error, parent)
        self.match_id: str | None = None
        self.team_id: str | None = None
        self.team_ids: set[str] = set()  # the squads kept for this match (ours, the opponent's)
        self.sides: dict[str, str] = {"home": "Home", "away": "Away"}
        self.names: dict[str, str] = {}
        self.side_of: dict[str, str] = {}
        self.pitch: dict[str, str] = {}  # player id -> on | bench | subbed_off | sent_off
        self.pending: LogRequest | None = None  # waits for a confirmation (bench / sent-off player)
        self.refused: LogRequest | None = None  # the last one that asked: asking again confirms it
        self.entry = Entry(self._resolve_shirt)
        self.clock_state: ClockState | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self.timer = QTimer(self)
        self.timer.setInterval(CLOCK_REFRESH_MS)
        self.timer.timeout.connect(self.refresh_clock)

        # ---- header: back, score, clock, theme
        self.back_button = _header_button("◀ Matches", "backButton", self.backRequested)
        self.summary_button = _header_button("Summary", "summaryButton", self._for_match(self.summaryRequested))
        self.lineup_button = _header_button("Lineup", "lineupButton", self._for_match(self.lineupRequested))
        self.theme_button = _header_button("☀ Outdoor", "outdoorToggle", None)
        self.theme_button.setCheckable(True)
        self.theme_button.setToolTip("High-contrast theme for sunlight")
        self.theme_button.toggled.connect(self._toggle_theme)
        self.help_button = _header_button("Keys\n[?]", "helpButton", self.show_help)
        self.help_button.setToolTip("Every key (? or F1)")
        self.score_label = big_label("0 – 0", 26, "scoreLabel")
        self.score_label.setTextFormat(Qt.TextFormat.RichText)
        self.score_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.score_text = ""
        self._score: tuple[int, int, str] = (0, 0, "")

        # ---- clock bar (the names tests and the panel use stay on the view)
        self.clock_bar = ClockBar()
        self.clock_label = self.clock_bar.clock_label
        self.status_label = self.clock_bar.status_label
        self.primary_clock = self.clock_bar.primary
        self.end_period_button = self.clock_bar.end_button
        self.primary_clock.clicked.connect(self.clock_primary)
        self.end_period_button.clicked.connect(self.end_period)
        self.clock_bar.extra_button.clicked.connect(lambda: self.clock_action(flow.EXTRA_TIME))
        self.clock_bar.shootout_button.clicked.connect(lambda: self.clock_action(flow.SHOOTOUT))

        # ---- side toggle and prompt
        self.side_button = big_button("", "sideToggle", px=22, on_click=self.toggle_side)
        self.prompt_label = big_label("", 22, "promptLabel")
        self.prompt_label.setWordWrap(True)
        self.prompt_label.setToolTip(HELP_TEXT)
        self.feedback_label = big_label("", 17, "feedbackLabel", bold=False)
        self.feedback_label.setWordWrap(True)

        # ---- event pad and players grid (rebuilt per match)
        self.event_pad = EventPad()
        self.event_pad.kindPressed.connect(self.press_kind)
        self.player_grid = PlayerGrid()
        self.player_grid.playerTapped.connect(self.tap_player)
        self.no_player_button = big_button(
            "No player\n[Enter]", "noPlayer", px=16, on_click=lambda: self._after(self.entry.no_player())
        )
        self.clear_button = big_button("Clear\n[Esc]", "clearEntry", px=16, on_click=self.clear_entry)

        # ---- timeline + undo/redo
        self.timeline = TimelineBox(service, self._changed, self._error, newest_first=True)
        self.timeline.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.timeline.table.setColumnHidden(5, True)  # notes: in the summary; space is short here
        self.undo_button = big_button("Undo\n[Ctrl+Z]", "undoButton", px=16, on_click=self.undo)
        self.redo_button = big_button("Redo\n[Ctrl+Shift+Z]", "redoButton", px=16, on_click=self.redo)

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
        clock_row.addWidget(self.clock_bar, 7)
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
        left.addWidget(self.event_pad, 3)
        left.addWidget(self.player_grid, 3)
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

    @property
    def event_buttons(self) -> dict[str, QPushButton]:
        return self.event_pad.buttons

    @property
    def player_buttons(self) -> dict[str, QPushButton]:
        return self.player_grid.buttons

    # ----------------------------------------------------------------- match
    def set_match(self, match_id: str) -> None:
        """Show ``match_id``: names, lineup grid, clock, score and timeline (a fresh entry)."""
        self.match_id = match_id
        self.pending = None
        self._load_match(fresh_entry=True)
        self.timeline.show_newest()
        self.clock_bar.armed = False
        self.feedback_label.setText("")
        self.refresh()
        self.sync_timer()

    def reload_match(self) -> None:
        """Re-read the shown match's details and squads (names, sides, lineup grid), then
        everything else; the entry being typed stays unless the sides changed."""
        if self.match_id is None:
            return
        self._load_match(fresh_entry=False)
        self.refresh()

    def _load_match(self, *, fresh_entry: bool) -> None:
        assert self.match_id is not None
        match = self.service.get_match(self.match_id)
        self.team_id = match.team_id
        self.team_ids = {t for t in (side_team(match, "home"), side_team(match, "away")) if t}
        self.sides = {"home": match.home_team, "away": match.away_team}
        squads = {side for side in ("home", "away") if side_team(match, side) is not None} | {match.our_side}
        if fresh_entry or self.entry.our_side != match.our_side or self.entry.squad_sides != squads:
            self.entry.set_our_side(match.our_side, squads)
        roster = match_roster(self.service, match)
        by_id = {p.id: p for p in roster.players}
        self.names = dict(roster.names)
        self.side_of = dict(roster.side_of)
        # the grid: the lineup (starters, then bench), or the whole squad when there is none
        if roster.lineup:
            grid = [(e.player_id, e.starting) for e in roster.lineup if e.player_id in by_id]
        else:
            grid = [(p.id, True) for p in roster.players]
        self.player_grid.build(grid, roster.shirts, by_id)
        self.timeline.set_context(
            self.match_id, self.sides, list(roster.names.items()), roster.shirts, match.period_count
        )

    def _resolve_shirt(self, number: int) -> str | None:
        if self.match_id is None:
            return None
        player = self.service.find_player_by_shirt(self.match_id, self.entry.side, number)
        return None if player is None else player.id

    # ----------------------------------------------------------------- refresh
    def refresh(self) -> None:
        """Re-read score, timeline, undo state and clock."""
        self.refresh_events()
        self.refresh_clock()

    def refresh_events(self) -> None:
        """Re-read what the shown match's events decide: score, who is on the pitch, the
        timeline (one read of the shown match) and the undo state; not the clock, not the squads."""
        if self.match_id is None:
            return
        score = self.service.match_score(self.match_id)
        home, away = score.home, score.away
        pens = "" if score.shootout is None else f" ({score.shootout[0]} – {score.shootout[1]} pens)"
        self.score_text = f"{self.sides['home']}  {home} – {away}{pens}  {self.sides['away']}"
        self._score = (home, away, pens)
        self._fit_score()
        self.score_label.setToolTip(self.score_text)
        self.pitch = self.service.pitch_status(self.match_id)
        self._arrange_grid()
        self.timeline.refresh()
        self._mark_players()
        undo, redo = self.service.undo_label(), self.service.redo_label()
        self.undo_button.setEnabled(undo is not None)
        self.redo_button.setEnabled(redo is not None)
        self.undo_button.setToolTip(f"Undo {undo}" if undo else "Nothing to undo")
        self.redo_button.setToolTip(f"Redo {redo}" if redo else "Nothing to redo")
        self._show_entry()

    def _arrange_grid(self) -> None:
        """The grid shows the squad of the side the next event is for (Tab / H switches), so
        two kept squads take the room of one."""
        side = self.entry.side
        shown = {pid for pid in self.player_grid.buttons if self.side_of.get(pid, self.entry.our_side) == side}
        self.player_grid.arrange(self.pitch, shown)

    def _fit_score(self) -> None:
        """The score with the team names scaled down, then elided, to the room the header
        leaves (full text in the tooltip): the numbers always show in full."""
        home, away, pens = self._score
        numbers = QFont(self.score_label.font())
        numbers.setPixelSize(56)
        numbers_px = QFontMetrics(numbers).horizontalAdvance(f"{home} – {away}    ")
        font = QFont(self.score_label.font())
        names = (self.sides["home"], self.sides["away"])
        width = self.score_label.contentsRect().width()
        for px in (26, 20, 16):
            font.setPixelSize(px)
            metrics = QFontMetrics(font)
            room = (width - numbers_px - metrics.horizontalAdvance(pens)) // 2
            if all(metrics.horizontalAdvance(n) <= room for n in names):
                self.score_label.setText(score_html(names[0], home, away, names[1], pens, px))
                return
        # too narrow for one line: the numbers, and under them the names, small (elided if need be)
        font.setPixelSize(14)
        room = (width - QFontMetrics(font).horizontalAdvance(" –  · pens 10 – 10")) // 2
        shown = [html.escape(elide(n, font, room)) for n in names]
        pens_line = f" · pens {pens.strip(' ()').removesuffix(' pens')}" if pens else ""
        self.score_label.setText(
            f"<div align='center'><span style='font-size:56px'>{home}&nbsp;–&nbsp;{away}</span>"
            f"<br><span style='font-size:14px'>{shown[0]} – {shown[1]}{html.escape(pens_line)}</span></div>"
        )

    def _mark_players(self) -> None:
        events = self.timeline.table.events
        self.player_grid.mark(reversed(events) if self.timeline.table.newest_first else events)

    def refresh_clock(self) -> None:
        """Re-read the derived clock (the timer calls this; nothing is counted here)."""
        if self.match_id is None:
            return
        try:
            state = self.service.clock_state(self.match_id)
        except FieldmatError as exc:
            self.clock_bar.show_problem(str(exc))
            return
        self.clock_state = state
        self.clock_bar.show_state(state)

    def _show_entry(self) -> None:
        e = self.entry
        side_name = self.sides.get(e.side, e.side)
        self.side_button.setText(f"{e.side.upper()}: {side_name}\n[H / Tab] switch")
        self.side_button.setProperty("picked", e.opponent)
        repolish(self.side_button)
        prompt = e.prompt(lambda pid: self.names.get(pid, "?"))
        if e.opponent and not prompt:
            prompt = f"Next event for {side_name}" + (f" #{e.digits}" if e.digits else "")
        if not prompt:
            prompt = IDLE_HINT
        self.prompt_label.setText(prompt)
        self.player_grid.setEnabled(not e.by_name)
        if self.player_grid.shown_side != e.side:
            self.player_grid.shown_side = e.side
            self._arrange_grid()
        self.player_grid.show_picked({e.player_id, e.sub_off} - {None})
        self.event_pad.show_picked(e.kind)

    # ----------------------------------------------------------------- input
    def press_kind(self, kind: str) -> None:
        self._disarm()
        self._after(self.entry.event_key(kind))

    def tap_player(self, player_id: str) -> None:
        self._disarm()
        side = self.side_of.get(player_id)
        if side is not None and side != self.entry.side and self.entry.idle:
            self.entry.side = side  # a tap on the other squad's player logs for that side
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

    def _log(self, request: LogRequest, *, confirmed: bool = False) -> None:
        if self.match_id is None:
            return
        if request.kind == ASSIST_LINK and request.goal_id is not None:
            goal_id, assist = request.goal_id, request.player_id
            change = self._try(lambda: self.service.edit_event(goal_id, related_player_id=assist))
            if change is not None:
                self._changed(change)
                self.feedback_label.setText(f"✓ Assist — {self.names.get(assist or '', '?')}")
            return
        status = self.pitch.get(request.player_id or "", ON)
        confirmed = confirmed or request == self.refused  # the same event asked for twice: meant
        if not confirmed and request.kind in PLAY_KINDS and status != ON:
            self.pending = self.refused = request
            where = {BENCH: "on the bench", SENT_OFF: "sent off"}.get(status, "substituted off")
            who = self.names.get(request.player_id or "", "?")
            self.feedback_label.setText(
                f"⚠ {who} is {where}: Enter (or the same again) logs the {kind_label(request.kind).lower()}"
                " anyway, Esc cancels"
            )
            return
        self.refused = None
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
        if len(change.kinds) > 1 and change.kinds[1] == "red_card":
            text += " — second yellow: RED CARD, sent off"
        self._changed(change)
        self.feedback_label.setText(text)
        if request.kind == "goal" and request.player_id is not None:
            self.entry.ask_assist(change.event_id, request.team)

    def _changed(self, change: Change) -> None:
        self._on_change(change)  # the panel announces it; the bus brings the refresh
        if change.description:
            self.feedback_label.setText(f"✓ {change.description}")

    def _error(self, exc: BaseException) -> None:
        self.feedback_label.setText(f"✗ {exc}")

    def undo(self) -> None:
        self._step(self.service.undo, "Nothing to undo")

    def redo(self) -> None:
        self._step(self.service.redo, "Nothing to redo")

    def _step(self, call: Callable[[], Change | None], nothing: str) -> None:
        """Undo or redo; says ``nothing`` when there was nothing to do."""
        self._disarm()
        try:
            change = call()
        except FieldmatError as exc:
            self._error(exc)
            return
        if change is None:
            self.feedback_label.setText(nothing)
        else:
            self._changed(change)

    # ----------------------------------------------------------------- clock
    def clock_primary(self) -> None:
        """Kick off / pause / resume / start the next period, by the clock's state
        (``app.match.clock_flow``); at full time, the summary."""
        self._disarm()
        if self.match_id is None:
            return
        action = flow.primary_action(self.service.clock_state(self.match_id))
        if action == flow.SUMMARY:
            self.summaryRequested.emit(self.match_id)
        elif action is not None:
            self.clock_action(action)

    def clock_action(self, action: str) -> None:
        """One clock action of ``app.match.clock_flow`` (the cup buttons: extra time, shoot-out)."""
        self._disarm()
        self._clock_call(lambda match_id: self.service.clock_step(match_id, action))

    def end_period(self) -> None:
        """End the period; the first press arms, the second ends (no accidental half-time)."""
        if self.match_id is None:
            return
        if not self.clock_bar.armed:
            self.clock_bar.armed = True
            self.refresh_clock()
            return
        self.clock_bar.armed = False
        self._clock_call(self.service.end_period)

    def _clock_call(self, action: Callable[[str], Change]) -> None:
        match_id = self.match_id
        assert match_id is not None
        change = self._try(lambda: action(match_id))
        if change is None:
            self.refresh_clock()
            return
        self._changed(change)
        self.setFocus()

    def _disarm(self) -> None:
        if self.clock_bar.armed:
            self.clock_bar.armed = False
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

    def _confirm_key(self, key: int) -> bool:
        """While a bench or sent-off player's event waits: Enter logs it, Esc drops it, any
        other key drops it and goes on as usual."""
        pending, self.pending = self.pending, None
        if pending is None:
            return False
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._log(pending, confirmed=True)
            self._show_entry()
            return True
        self.feedback_label.setText("Not logged")
        return key == Qt.Key.Key_Escape

    def _handle_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if self.pending is not None and not is_modifier(event) and self._confirm_key(key):
            return True
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

    def sync_timer(self) -> None:
        """Tick the clock display while a match is shown on screen, and only then."""
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
        self.sync_timer()
        self.setFocus()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt override
        self.timer.stop()
        self.help_overlay.hide()
        super().hideEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit_score()
        if self.help_overlay.isVisible():
            self.help_overlay.setGeometry(self.rect())

    def shutdown(self) -> None:
        self.timer.stop()


def score_html(home_name: str, home: int, away: int, away_name: str, pens: str = "", names_px: int = 26) -> str:
    """The score large and the team names smaller, so the numbers read from a distance."""
    return (
        f"<span style='font-size:{names_px}px'>{html.escape(home_name)}</span>"
        f"&nbsp;&nbsp;<span style='font-size:56px'>{home}&nbsp;–&nbsp;{away}</span>"
        f"<span style='font-size:{names_px}px'>{html.escape(pens)}&nbsp;&nbsp;{html.escape(away_name)}</span>"
    )


def _header_button(text: str, name: str, on_click: Callable[..., Any] | SignalInstance | None) -> QPushButton:
    """A header button: as tall as the row, as wide as its text."""
    button = big_button(text, name, px=16, on_click=on_click)
    button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
    return button
