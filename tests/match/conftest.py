"""Fixtures of the match tests: a fake clock and a service with a small squad."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.match import LineupItem, MatchService
from app.models.match import Match, Player, Team

KICKOFF = datetime(2026, 5, 2, 10, 0, tzinfo=UTC)


class FakeClock:
    """A wall clock the test moves by hand."""

    def __init__(self, start: datetime = KICKOFF) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: float = 0, seconds: float = 0) -> None:
        self.now += timedelta(minutes=minutes, seconds=seconds)


@dataclass
class Squad:
    team: Team
    players: list[Player]
    match: Match

    @property
    def starters(self) -> list[Player]:
        return self.players[:11]

    @property
    def bench(self) -> list[Player]:
        return self.players[11:]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def svc(ctx: Any, clock: FakeClock) -> MatchService:
    return MatchService(ctx.db, clock=clock)


def make_squad(svc: MatchService, *, team_name: str = "Lions", opponent: str = "Tigers", our_side: str = "home",
               kickoff: datetime = KICKOFF, team: Team | None = None, players: list[Player] | None = None) -> Squad:
    team = team or svc.create_team(team_name)
    if players is None:
        positions = ["GK", "DF", "DF", "DF", "DF", "MF", "MF", "MF", "FW", "FW", "FW", "GK", "MF", "FW"]
        players = [svc.add_player(team.id, f"Player {i + 1}", i + 1, pos) for i, pos in enumerate(positions)]
    home, away = (team.name, opponent) if our_side == "home" else (opponent, team.name)
    match = svc.create_match(home, away, kickoff, team_id=team.id, our_side=our_side, venue="Rec ground")
    svc.set_lineup(match.id, [LineupItem(p.id, starting=i < 11) for i, p in enumerate(players)])
    return Squad(team, players, match)


@pytest.fixture
def squad(svc: MatchService) -> Squad:
    return make_squad(svc)


@pytest.fixture
def squad_factory(svc: MatchService) -> Any:
    """make_squad bound to the test's service."""

    def factory(**kwargs: Any) -> Squad:
        return make_squad(svc, **kwargs)

    return factory
