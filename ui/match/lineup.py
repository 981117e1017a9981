"""The lineup editor: every squad player is a big button in one of three columns
(Starting, Bench, Not playing); a tap moves it to the next column. Players can be added here.

Beside each button a small number field holds the player's shirt number for THIS match (it
starts at the saved lineup number, else the roster's); the live view's shirt-number entry and
every screen of the match use it (``LineupItem.shirt_number``)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.match.lineups import side_team
from app.match.service import MatchService
from app.match.types import Change, LineupItem, roster_change
from app.models.match import Player
from ui.match.dialogs import PlayerForm
from ui.match.service_page import ServicePage
from ui.match.widgets import big_button, big_font, big_label, clear_layout

STATES = ("starting", "bench", "out")  # column order
CYCLE = {"bench": "starting", "starting": "out", "out": "bench"}  # what a tap does
TITLES = {"starting": "Starting", "bench": "Bench", "out": "Not playing"}
COLUMNS_PER_GROUP = {"starting": 3, "bench": 2, "out": 2}


class LineupEditor(ServicePage):
    backRequested = Signal()  # noqa: N815
    liveRequested = Signal(str)  # noqa: N815

    def __init__(
        self,
        service: MatchService,
        on_change: Callable[[Change], None],
        on_error: Callable[[BaseException], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(service, on_change, on_error, parent)
        self.match_id: str | None = None
        self.team_id: str | None = None
        self.players: list[Player] = []
        self.state: dict[str, str] = {}
        self.buttons: dict[str, QPushButton] = {}
        self.numbers: dict[str, int | None] = {}  # this match's shirt numbers
        self.number_fields: dict[str, QSpinBox] = {}
        self.dirty = False

        self.title = big_label("Lineup", 28, "lineupTitle")
        self.counts = big_label("", 18, "lineupCounts", bold=False)
        self.back_button = big_button("◀ Matches", "lineupBack", px=16, on_click=self.backRequested)
        self.save_button = big_button("Save lineup", "saveLineup", px=18, on_click=self.save)
        self.live_button = big_button("Save and go live ▶", "lineupLive", px=18, on_click=self.save_and_go_live)
        self.groups: dict[str, QGridLayout] = {}
        columns = QHBoxLayout()
        for state in STATES:
            box = QGroupBox(TITLES[state])
            box.setFont(big_font(18))
            grid = QGridLayout(box)
            grid.setSpacing(6)
            grid.setAlignment(Qt.AlignmentFlag.AlignTop)
            self.groups[state] = grid
            columns.addWidget(box, 2 if state == "starting" else 1)
        self.form = PlayerForm(self._add_player)
        # Both squads: the opponent's team, when its players are kept (a league volunteer
        # logging both sides); "by name only" keeps the old single-squad match.
        self.opponent = QComboBox()
        self.opponent.setObjectName("opponentSquad")
        self.opponent.setFont(big_font(16))
        self.opponent.setMinimumHeight(48)
        self.opponent.activated.connect(self._pick_opponent)
        self.opponent_side = "away"
        self.team_names: dict[str, str] = {}
        hint = QLabel(
            "Tap a player to move them: Bench → Starting → Not playing → Bench. New players join the bench. "
            "The number beside a player is their shirt for this match only."
        )
        hint.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(self.title, 1)
        top.addWidget(self.save_button)
        top.addWidget(self.live_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.counts)
        squad_row = QHBoxLayout()
        squad_row.addWidget(QLabel("Opponent's squad:"))
        squad_row.addWidget(self.opponent, 1)
        layout.addLayout(squad_row)
        layout.addWidget(hint)
        layout.addLayout(columns, 1)
        layout.addWidget(self.form)

    def set_match(self, match_id: str) -> None:
        match = self.service.get_match(match_id)
        self.match_id = match_id
        self.team_id = match.team_id
        self.title.setText(f"Lineup: {match.home_team} v {match.away_team}")
        self.players = self._squads_players()
        lineup = self.service.lineup(match_id)
        saved = {e.player_id: ("starting" if e.starting else "bench") for e in lineup}
        saved_numbers = {e.player_id: e.shirt_number for e in lineup if e.shirt_number is not None}
        # nobody picked yet: everyone starts on the bench, a tap puts them in the team
        self.state = {p.id: saved.get(p.id, "bench" if not saved else "out") for p in self.players}
        self.numbers = {p.id: saved_numbers.get(p.id, p.shirt_number) for p in self.players}
        self.dirty = False
        self.form.setEnabled(self.team_id is not None)
        self._rebuild()

    def reload_players(self) -> None:
        """After the roster changed elsewhere: keep what was tapped, add new players to the bench."""
        if self.match_id is None:
            return
        self.players = self._squads_players()
        self.state = {p.id: self.state.get(p.id, "bench") for p in self.players}
        self.numbers = {p.id: self.numbers.get(p.id, p.shirt_number) for p in self.players}
        self._rebuild()

    def _squads_players(self) -> list[Player]:
        """Our squad, then the opponent's when kept; fills the opponent picker."""
        assert self.match_id is not None
        match = self.service.get_match(self.match_id)
        self.opponent_side = "away" if match.our_side == "home" else "home"
        theirs = side_team(match, self.opponent_side)
        teams = [t for t in self.service.list_teams() if t.id != match.team_id]
        self.team_names = {t.id: t.name for t in self.service.list_teams()}
        self.opponent.blockSignals(True)
        self.opponent.clear()
        self.opponent.addItem("— by name only —", None)
        for t in teams:
            self.opponent.addItem(t.name, t.id)
        self.opponent.setCurrentIndex(max(0, self.opponent.findData(theirs)))
        self.opponent.blockSignals(False)
        players = self.service.list_players(match.team_id) if match.team_id else []
        return players + (self.service.list_players(theirs) if theirs else [])

    def _pick_opponent(self, _index: int) -> None:
        match_id = self.match_id
        if match_id is None:
            return
        team_id = self.opponent.currentData()
        field = f"{self.opponent_side}_team_id"
        if self._try(lambda: self.service.update_match(match_id, **{field: team_id})) is not None:
            self.reload_players()

    def _rebuild(self) -> None:
        for grid in self.groups.values():
            clear_layout(grid)
        self.buttons = {}
        self.number_fields = {}
        slots = dict.fromkeys(STATES, 0)
        for p in self.players:
            state = self.state[p.id]
            button = big_button(self._button_text(p), None, px=17)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setFixedHeight(68)
            button.setProperty("playerId", p.id)
            button.clicked.connect(lambda _=False, pid=p.id: self.cycle(pid))
            number = self._number_field(p)
            cell = QWidget()
            row = QHBoxLayout(cell)
            row.setContentsMargins(0, 0, 0, 0)
            row.setSpacing(2)
            row.addWidget(button, 1)
            row.addWidget(number)
            n = slots[state]
            per_row = COLUMNS_PER_GROUP[state]
            self.groups[state].addWidget(cell, n // per_row, n % per_row)
            slots[state] = n + 1
            self.buttons[p.id] = button
            self.number_fields[p.id] = number
        self._show_counts(slots)

    def _button_text(self, p: Player) -> str:
        number = self.numbers.get(p.id)
        shown = f"#{number}" if number is not None else "–"
        squad = "" if p.team_id == self.team_id else self.team_names.get(p.team_id, "")
        return f"{shown} {p.name}\n{' · '.join(x for x in (p.position or '', squad) if x)}".strip()

    def _number_field(self, p: Player) -> QSpinBox:
        """The player's shirt number for this match ("–": none, the roster's number counts)."""
        field = QSpinBox()
        field.setRange(-1, 99)
        field.setSpecialValueText("–")
        field.setPrefix("#")
        number = self.numbers.get(p.id)
        field.setValue(-1 if number is None else number)
        field.setFont(big_font(18))
        field.setFixedSize(92, 68)
        field.setProperty("playerId", p.id)
        roster = f"#{p.shirt_number}" if p.shirt_number is not None else "no number"
        field.setToolTip(f"{p.name}'s shirt number in this match (roster: {roster})")
        field.valueChanged.connect(lambda value, pid=p.id: self.set_number(pid, None if value < 0 else value))
        return field

    def set_number(self, player_id: str, number: int | None) -> None:
        """This match's shirt number of a player (saved with the lineup)."""
        if self.numbers.get(player_id) == number:
            return
        self.numbers[player_id] = number
        self.dirty = True
        field = self.number_fields.get(player_id)
        if field is not None and field.value() != (-1 if number is None else number):
            field.blockSignals(True)
            field.setValue(-1 if number is None else number)
            field.blockSignals(False)
        player = next((p for p in self.players if p.id == player_id), None)
        button = self.buttons.get(player_id)
        if player is not None and button is not None:
            button.setText(self._button_text(player))
        self._show_counts()

    def _show_counts(self, slots: dict[str, int] | None = None) -> None:
        if slots is None:
            slots = {state: sum(1 for v in self.state.values() if v == state) for state in STATES}
        self.counts.setText(
            f"Starting {slots['starting']} · Bench {slots['bench']} · Not playing {slots['out']}"
            + ("  — not saved" if self.dirty else "")
        )

    def cycle(self, player_id: str) -> None:
        current = self.state.get(player_id, "out")
        self.state[player_id] = CYCLE[current]
        self.dirty = True
        self._rebuild()

    def set_state(self, player_id: str, state: str) -> None:
        self.state[player_id] = state
        self.dirty = True
        self._rebuild()

    def items(self) -> list[LineupItem]:
        return [
            LineupItem(p.id, self.state[p.id] == "starting", self.numbers.get(p.id, p.shirt_number))
            for p in self.players
            if self.state.get(p.id) in ("starting", "bench")
        ]

    def save(self) -> bool:
        match_id = self.match_id
        if match_id is None:
            return False
        change = self._try(lambda: self.service.set_lineup(match_id, self.items()))
        if change is None:
            return False
        self.dirty = False
        self._on_change(change)
        return True

    def save_and_go_live(self) -> None:
        if self.match_id is not None and self.save():
            self.liveRequested.emit(self.match_id)

    def _add_player(self, name: str, shirt: int | None, position: str | None) -> None:
        team_id = self.team_id
        if team_id is None:
            return
        player = self._try(lambda: self.service.add_player(team_id, name, shirt, position))
        if player is None:
            return
        self.state[player.id] = "bench"
        self.dirty = True
        self.form.reset()
        self._on_change(roster_change(team_id, player.id))
        self.reload_players()
