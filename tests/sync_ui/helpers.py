"""Helpers for the Sync tab tests (constants, a fast engine, local test data)."""

from __future__ import annotations

from typing import Any

from app.context import AppContext

EMAIL = "coach@example.org"
PASSWORD = "s3cret-Pa55word!"


def fast_engine(ctx: AppContext) -> Any:
    """The real engine with short timeouts and no retry sleeps (the emulators answer at once)."""
    import httpx

    from sync.engine import SyncEngine
    from sync.http import make_client, no_sleep_policy

    return SyncEngine(ctx, client_factory=lambda: make_client(timeout=httpx.Timeout(10.0)), retry=no_sleep_policy(2))


def add_squad(ctx: AppContext, players: int = 12) -> int:
    """A team, players and a match made through the match service; returns the outbox entries made."""
    from datetime import UTC, datetime

    from app.match.service import MatchService

    service = MatchService(ctx.db)
    team = service.create_team("Riverside U12")
    for n in range(players):
        service.add_player(team.id, f"Player {n + 1}", n + 1)
    service.create_match("Riverside U12", "Hillside", datetime(2026, 5, 2, 10, 0, tzinfo=UTC), team_id=team.id)
    return players + 2
