"""Fixtures of the match tests: a fake clock and a service with a small squad."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from app.context import AppContext
from app.match import LineupItem, MatchService
from app.models.match import Match, Player, Team
from tests.fakes import FakeClock

KICKOFF = datetime(2026, 5, 2, 10, 0, tzinfo=UTC)


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
    return FakeClock(KICKOFF)


@pytest.fixture
def svc(ctx: AppContext, clock: FakeClock) -> MatchService:
    return MatchService(ctx.db, clock=clock)


def make_squad(
    svc: MatchService,
    *,
    team_name: str = "Lions",
    opponent: str = "Tigers",
    our_side: str = "home",
    kickoff: datetime = KICKOFF,
    team: Team | None = None,
    players: list[Player] | None = None,
) -> Squad:
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
