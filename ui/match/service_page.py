"""The base of the match screens that call ``MatchService`` (a refused call, ``FieldmatError``,
goes to ``on_error``; what changed goes to ``on_change``, the panel announces it) and the
match roster (shirt numbers and names) those screens show."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QWidget

from app.errors import FieldmatError
from app.match.lineups import side_team
from app.match.service import MatchService
from app.match.types import Change, LineupItem
from app.models.match import Match, Player

T = TypeVar("T")


class ServicePage(QWidget):
    match_id: str | None = None  # the match shown, on the screens that show one

    def __init__(
        self,
        service: MatchService,
        on_change: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self._on_change = on_change
        self._on_error = on_error

    def _try(self, call: Callable[[], T]) -> T | None:
        """``call()``; None when the service refused it (the refusal went to ``on_error``)."""
        try:
            return call()
        except FieldmatError as exc:
            self._on_error(exc)
            return None

    def _apply(self, call: Callable[[], Change | None]) -> Change | None:
        """``call()`` and hand what it changed to ``on_change``; None when refused or nothing changed."""
        change = self._try(call)
        if change is not None:
            self._on_change(change)
        return change

    def _for_match(self, signal: SignalInstance) -> Callable[[], None]:
        """A slot emitting ``signal(match_id)`` while a match is shown."""

        def emit() -> None:
            if self.match_id:
                signal.emit(self.match_id)

        return emit


@dataclass(frozen=True)
class MatchRoster:
    """The players of a match's kept squads as the match shows them."""

    players: list[Player]  # our team's roster, then the opponent's when kept (empty without squads)
    lineup: list[LineupItem]
    shirts: dict[str, int | None]  # this match's number per player: the lineup's, else the roster's
    names: dict[str, str]  # "#7 Name" (no number: just the name), in roster order
    side_of: dict[str, str] = field(default_factory=dict)  # player id -> home | away


def match_roster(service: MatchService, match: Match) -> MatchRoster:
    """Both kept squads (ours first), the lineup, and which side each player is on."""
    players: list[Player] = []
    side_of: dict[str, str] = {}
    for side in (match.our_side, "away" if match.our_side == "home" else "home"):
        team_id = side_team(match, side)
        if team_id is None:
            continue
        for p in service.list_players(team_id):
            players.append(p)
            side_of[p.id] = side
    lineup = service.lineup(match.id)
    shirts: dict[str, int | None] = {p.id: p.shirt_number for p in players}
    for entry in lineup:
        if entry.shirt_number is not None:
            shirts[entry.player_id] = entry.shirt_number
    names = {p.id: (f"#{shirts[p.id]} " if shirts.get(p.id) is not None else "") + p.name for p in players}
    return MatchRoster(players, lineup, shirts, names, side_of)
