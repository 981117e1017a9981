"""Creating a match and keeping a team's roster (players, shirt numbers, positions)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QDateTime, Qt, QTimeZone
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import FieldmatError
from app.match.service import POSITIONS, MatchService
from app.match.types import Change, roster_change
from app.models.match import Match, Player
from ui.match.service_page import ServicePage
from ui.match.widgets import TeamCombo, big_button, big_font, item, over_buttons, save_cancel

FORMAT_PRESETS = ((2, 45), (2, 40), (2, 30), (2, 25), (2, 20), (4, 12))
POSITION_NAMES = {"GK": "Goalkeeper", "DF": "Defender", "MF": "Midfielder", "FW": "Forward"}


def _tall(*widgets: QWidget) -> None:
    """Inputs big enough to hit with a finger."""
    for w in widgets:
        w.setFont(big_font(18, bold=False))
        w.setFixedHeight(56)


def to_qdatetime(value: datetime) -> QDateTime:
    return QDateTime.fromSecsSinceEpoch(int(value.timestamp()), QTimeZone.systemTimeZone())


def from_qdatetime(value: QDateTime) -> datetime:
    return datetime.fromtimestamp(value.toSecsSinceEpoch(), UTC)


class NewMatchDialog(QDialog):
    """Our team (pick one, or type a new name), the opponent, our side, kick-off, venue,
    number and length of periods. Save creates the team if new, then the match.

    Edit mode (``match=`` an existing match): the same form filled in; Save sends only what
    changed to ``MatchService.update_match`` (our team stays the same team; its name in this
    match can change). A refused change is shown in the dialog, in words, and nothing is saved.
    """

    def __init__(
        self, service: MatchService, now: datetime, parent: QWidget | None = None, match: Match | None = None
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.editing: Match | None = match
        self.match: Match | None = None
        self.changed_fields: tuple[str, ...] = ()
        self.setWindowTitle("Match details" if match is not None else "New match")
        self.setMinimumWidth(620)
        self.setFont(big_font(18, bold=False))

        self.team = QComboBox()
        self.team.setEditable(True)
        self.team.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        if match is None:
            for team in service.list_teams():
                self.team.addItem(team.name, team.id)
        line = self.team.lineEdit()
        if line is not None:
            line.setPlaceholderText(
                "Our team's name in this match" if match is not None else "Our team (type a new name to create it)"
            )
        self.opponent = QLineEdit()
        self.opponent.setPlaceholderText("Opponent")
        self.home_button = QPushButton("We are HOME")
        self.away_button = QPushButton("We are AWAY")
        self.side_group = QButtonGroup(self)
        for button in (self.home_button, self.away_button):
            button.setCheckable(True)
            button.setMinimumHeight(64)
            self.side_group.addButton(button)
        self.home_button.setChecked(True)
        side_row = QHBoxLayout()
        side_row.addWidget(self.home_button)
        side_row.addWidget(self.away_button)
        self.kickoff = QDateTimeEdit(to_qdatetime(now))
        self.kickoff.setCalendarPopup(True)
        self.kickoff.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.venue = QLineEdit()
        self.venue.setPlaceholderText("Venue (optional)")
        self.periods = QSpinBox()
        self.periods.setRange(1, 4)
        self.periods.setValue(2)
        self.length = QSpinBox()
        self.length.setRange(1, 60)  # the service's limit
        self.length.setValue(45)
        self.length.setSuffix(" min")
        self.extra_time = QSpinBox()  # a cup match's extra-time periods
        self.extra_time.setRange(1, 30)  # the service's limit
        self.extra_time.setValue(15)
        self.extra_time.setSuffix(" min")
        _tall(self.team, self.opponent, self.kickoff, self.venue, self.periods, self.length, self.extra_time)
        presets = QHBoxLayout()
        for count, minutes in FORMAT_PRESETS:  # common grassroots formats, one tap each
            preset = QPushButton(f"{count}×{minutes}")
            preset.setMinimumHeight(64)
            preset.clicked.connect(lambda _=False, c=count, m=minutes: self.set_format(c, m))
            presets.addWidget(preset)
        self.error = QLabel("")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00000; font-weight: bold;")

        form = QFormLayout()
        form.addRow("Our team", self.team)
        form.addRow("Opponent", self.opponent)
        form.addRow("Our side", side_row)
        form.addRow("Kick-off", self.kickoff)
        form.addRow("Venue", self.venue)
        form.addRow("Format", presets)
        form.addRow("Periods", self.periods)
        form.addRow("Period length", self.length)
        form.addRow("Extra time (cup)", self.extra_time)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(save_cancel(self, self.save))
        self._initial_kickoff = from_qdatetime(self.kickoff.dateTime())
        if match is not None:
            self._fill(match)

    def _fill(self, match: Match) -> None:
        """Edit mode: show the match as stored."""
        ours, theirs = (
            (match.home_team, match.away_team) if match.our_side == "home" else (match.away_team, match.home_team)
        )
        self.team.setEditText(ours)
        self.opponent.setText(theirs)
        (self.home_button if match.our_side == "home" else self.away_button).setChecked(True)
        self.kickoff.setDateTime(to_qdatetime(match.kickoff_at))
        self._initial_kickoff = from_qdatetime(self.kickoff.dateTime())
        self.venue.setText(match.venue or "")
        self.periods.setValue(match.period_count)
        self.length.setValue(match.period_length_min)
        self.extra_time.setValue(match.extra_time_length_min)

    def set_format(self, periods: int, minutes: int) -> None:
        self.periods.setValue(periods)
        self.length.setValue(minutes)

    def save(self) -> None:
        team_name = self.team.currentText().strip()
        opponent = self.opponent.text().strip()
        if not team_name or not opponent:
            self.error.setText("Enter our team and the opponent.")
            return
        our_side = "home" if self.home_button.isChecked() else "away"
        if self.editing is not None:
            self._save_edit(team_name, opponent, our_side)
            return
        try:
            index = self.team.findText(team_name, Qt.MatchFlag.MatchFixedString)
            team_id = self.team.itemData(index) if index >= 0 else self.service.create_team(team_name).id
            home, away = (team_name, opponent) if our_side == "home" else (opponent, team_name)
            self.match = self.service.create_match(
                home,
                away,
                from_qdatetime(self.kickoff.dateTime()),
                team_id=team_id,
                our_side=our_side,
                venue=self.venue.text().strip() or None,
                period_count=self.periods.value(),
                period_length_min=self.length.value(),
                extra_time_length_min=self.extra_time.value(),
            )
        except FieldmatError as exc:
            self.error.setText(str(exc))
            return
        self.accept()

    def _save_edit(self, team_name: str, opponent: str, our_side: str) -> None:
        match = self.editing
        assert match is not None
        home, away = (team_name, opponent) if our_side == "home" else (opponent, team_name)
        wanted: dict[str, object] = {
            "home_team": home,
            "away_team": away,
            "our_side": our_side,
            "venue": self.venue.text().strip() or None,
            "period_count": self.periods.value(),
            "period_length_min": self.length.value(),
            "extra_time_length_min": self.extra_time.value(),
        }
        kickoff = from_qdatetime(self.kickoff.dateTime())
        if kickoff != self._initial_kickoff:  # the editor shows minutes: untouched keeps the stored value
            wanted["kickoff_at"] = kickoff
        fields = {key: value for key, value in wanted.items() if getattr(match, key) != value}
        if fields:
            try:
                self.match = self.service.update_match(match.id, **fields)
            except FieldmatError as exc:
                self.error.setText(f"Not saved: {exc}")
                return
        else:
            self.match = match
        self.changed_fields = tuple(sorted(fields))
        self.accept()


class PlayerForm(QWidget):
    """Name, shirt number and position, with an Add (or Save) button."""

    def __init__(self, on_submit: Callable[[str, int | None, str | None], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._on_submit = on_submit
        self.name = QLineEdit()
        self.name.setPlaceholderText("Player name")
        self.shirt = QSpinBox()
        self.shirt.setRange(-1, 99)
        self.shirt.setSpecialValueText("no #")
        self.shirt.setValue(-1)
        self.shirt.setPrefix("#")
        self.position = QComboBox()
        self.position.addItem("—", None)
        for code in POSITIONS:
            self.position.addItem(f"{code} {POSITION_NAMES.get(code, '')}".strip(), code)
        self.add_button = big_button("Add player", "addPlayer", px=16)
        self.add_button.clicked.connect(self.submit)
        self.name.returnPressed.connect(self.submit)
        _tall(self.name, self.shirt, self.position)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.name, 3)
        row.addWidget(self.shirt, 1)
        row.addWidget(self.position, 2)
        row.addWidget(self.add_button, 1)

    def fill(self, name: str, shirt: int | None, position: str | None) -> None:
        self.name.setText(name)
        self.shirt.setValue(-1 if shirt is None else shirt)
        self.position.setCurrentIndex(max(0, self.position.findData(position)))

    def submit(self) -> None:
        name = self.name.text().strip()
        if not name:
            self.name.setFocus()
            return
        shirt = self.shirt.value()
        self._on_submit(name, None if shirt < 0 else shirt, self.position.currentData())

    def reset(self) -> None:
        self.fill("", None, None)
        self.name.setFocus()


class RosterEditor(ServicePage):
    """A team's players: table, add, edit (double-click / Edit loads the form), remove."""

    def __init__(
        self,
        service: MatchService,
        on_change: Callable[[Change], None],
        on_error: Callable[[BaseException], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(service, on_change, on_error, parent)
        self.team_id: str | None = None
        self.editing: str | None = None
        self.players: list[Player] = []
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["#", "Name", "Position"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(44)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setFont(big_font(16, bold=False))
        self.table.cellDoubleClicked.connect(lambda row, _c: self.edit_row(row))
        self.form = PlayerForm(self._submit)
        self.edit_button = big_button(
            "Edit", "editPlayer", px=16, on_click=lambda: self.edit_row(self.table.currentRow())
        )
        self.remove_button = big_button("Remove", "removePlayer", px=16, on_click=self.remove_selected)
        over_buttons(self, self.table, (self.edit_button, self.remove_button)).addWidget(self.form)

    def set_team(self, team_id: str | None) -> None:
        self.team_id = team_id
        self.editing = None
        self.form.add_button.setText("Add player")
        self.refresh()

    def refresh(self) -> None:
        self.players = self.service.list_players(self.team_id) if self.team_id else []
        self.table.setRowCount(len(self.players))
        for r, p in enumerate(self.players):
            self.table.setItem(r, 0, item("" if p.shirt_number is None else p.shirt_number, p.id))
            self.table.setItem(r, 1, item(p.name, p.id))
            self.table.setItem(r, 2, item(p.position or "", p.id))
        self.setEnabled(self.team_id is not None)

    def edit_row(self, row: int) -> None:
        if not 0 <= row < len(self.players):
            return
        p = self.players[row]
        self.editing = p.id
        self.form.fill(p.name, p.shirt_number, p.position)
        self.form.add_button.setText("Save player")

    def _submit(self, name: str, shirt: int | None, position: str | None) -> None:
        team_id, editing = self.team_id, self.editing
        if team_id is None:
            return
        if editing is not None:
            saved = self._try(
                lambda: self.service.update_player(editing, name=name, shirt_number=shirt, position=position)
            )
        else:
            saved = self._try(lambda: self.service.add_player(team_id, name, shirt, position))
        if saved is None:
            return
        self.editing = None
        self.form.add_button.setText("Add player")
        self.form.reset()
        self._on_change(roster_change(saved.team_id, saved.id))

    def remove_selected(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.players):
            player_id = self.players[row].id
            self._apply(lambda: self.service.delete_player(player_id))


class TeamsPage(ServicePage):
    """Teams and their players."""

    def __init__(
        self,
        service: MatchService,
        on_change: Callable[[Change], None],
        on_error: Callable[[BaseException], None],
        back: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(service, on_change, on_error, parent)
        self.team = TeamCombo()
        self.new_team = QLineEdit()
        self.new_team.setPlaceholderText("New team name")
        self.new_team.setMinimumHeight(56)
        self.new_team_button = big_button("Create team", "createTeam", px=16, on_click=self.create_team)
        self.new_team.returnPressed.connect(self.create_team)
        self.back_button = big_button("◀ Matches", "teamsBack", px=16, on_click=back)
        self.roster: RosterEditor = RosterEditor(service, on_change, on_error)
        self.team.currentIndexChanged.connect(lambda _i: self.roster.set_team(self.team.currentData()))
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(QLabel("Team"))
        top.addWidget(self.team, 2)
        top.addWidget(self.new_team, 2)
        top.addWidget(self.new_team_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.roster, 1)

    def refresh(self) -> None:
        self.team.reload(self.service.list_teams())
        self.roster.set_team(self.team.currentData())

    def select_team(self, team_id: str) -> None:
        self.team.select(team_id)

    def create_team(self) -> None:
        name = self.new_team.text().strip()
        if not name:
            return
        team = self._try(lambda: self.service.create_team(name))
        if team is None:
            return
        self.new_team.clear()
        self._on_change(roster_change(team.id))
        self.select_team(team.id)
