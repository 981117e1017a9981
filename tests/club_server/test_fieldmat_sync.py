"""Fieldmat's own sync client against the real club server (SQLite and PostgreSQL).

The same client code and comparison as the emulator tests in tests/sync: what Fieldmat holds
and what the server holds are equal record by record after every scenario.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import select

from app.__main__ import run as fieldmat
from app.context import AppContext
from app.models.match import Match, MatchEvent, Player
from sync import accounts
from sync.engine import SyncEngine
from sync.http import make_client, no_sleep_policy
from tests.club_server.conftest import EMAIL
from tests.club_server.fault_proxy import FaultProxy
from tests.club_server.harness import PASSWORD, RunningServer, add_club_user
from tests.club_server.records import ServerRecords
from tests.emulators.server import STALL_READ_TIMEOUT_S, LocalServer
from tests.sync.helpers import add_events, add_match, add_player, add_team, assert_team_equal, edit, pending, set_lineup

SECOND_COACH = "assistant@riverside.example"


def seed(ctx: AppContext, events: int) -> tuple[list[Player], Match]:
    team = add_team(ctx)
    players = [add_player(ctx, team, f"Player {i}", shirt=i + 1) for i in range(3)]
    match = add_match(ctx, team)
    set_lineup(ctx, match, players)
    add_events(ctx, match, events, player=players[0])
    return players, match


def sync_engine(ctx: AppContext, read_timeout: float = 10.0) -> SyncEngine:
    """Fieldmat's engine; the read timeout is short only where a test makes the server too slow on purpose."""
    timeout = httpx.Timeout(10.0, read=read_timeout)
    return SyncEngine(ctx, client_factory=lambda: make_client(timeout=timeout), retry=no_sleep_policy(4))


def on_server(server: RunningServer, email: str = EMAIL) -> ServerRecords:
    with server.client(email) as client:
        return ServerRecords(client)


def connect(ctx: AppContext, url: str, email: str = EMAIL) -> None:
    with make_client(timeout=httpx.Timeout(10.0)) as client:
        accounts.connect(ctx, "team", url, email, PASSWORD, client=client)


@pytest.fixture
def connected_by_command(team_server: RunningServer, fieldmat_home: Path, monkeypatch: pytest.MonkeyPatch,
                         capsys: pytest.CaptureFixture[str]) -> Iterator[AppContext]:  # fmt: skip
    """`fieldmat connect team --url ... --email ...`, then the app opened on that data folder."""
    monkeypatch.setenv("FIELDMAT_PASSWORD", PASSWORD)
    assert fieldmat(["connect", "team", "--url", team_server.url, "--email", EMAIL]) == 0
    assert "Connected team" in capsys.readouterr().out
    context = AppContext.create(fieldmat_home)
    yield context
    context.close()


def test_connect_command_then_sync_pushes_and_pulls(team_server: RunningServer,
                                                    connected_by_command: AppContext) -> None:  # fmt: skip
    ctx = connected_by_command
    seed(ctx, events=620)  # two batches of /api/sync/events
    summary = sync_engine(ctx).run()
    assert summary.ok, summary.describe()
    assert pending(ctx) == 0
    server = on_server(team_server)
    assert len(server.records("event")) == 620
    assert_team_equal(ctx, server)
    # Edits and deletions travel, and a second run changes nothing.
    with ctx.db.session() as s:
        first = s.exec(select(MatchEvent)).first()
    assert first is not None
    edit(ctx, MatchEvent, first.id, "event", kind="goal", team="home")
    assert sync_engine(ctx).run().ok
    server = on_server(team_server)
    assert server.records("event")[first.id]["kind"] == "goal"
    match = next(iter(server.records("match").values()))
    assert match["score"]["home"] == 1
    assert_team_equal(ctx, server)


def test_two_homes_logging_one_match_converge(team_server: RunningServer, ctx: AppContext,
                                              tmp_path: Path) -> None:  # fmt: skip
    add_club_user(team_server.db_url, "Riverside", SECOND_COACH)
    connect(ctx, team_server.url)
    players, match = seed(ctx, events=5)
    assert sync_engine(ctx).run().ok
    other_home = tmp_path / "second-home"
    other_home.mkdir()
    other = AppContext.create(other_home)
    try:
        connect(other, team_server.url, SECOND_COACH)
        assert sync_engine(other).run().ok
        with other.db.session() as s:
            match_b = s.get(Match, match.id)
            assert match_b is not None
            player_b = s.get(Player, players[1].id)
        # Both log the same match at once; A edits the venue, B corrects one of A's events.
        add_events(ctx, match, 7, player=players[0], kind="tackle", start=100)
        add_events(other, match_b, 4, player=player_b, kind="goal", start=200)
        edit(ctx, Match, match.id, "match", venue="Riverside Park")
        with other.db.session() as s:
            some_event = s.exec(select(MatchEvent).where(MatchEvent.note == "event 2")).one()
        edit(other, MatchEvent, some_event.id, "event", note="corrected on the other tablet")
        for home in (ctx, other, ctx, other):
            summary = sync_engine(home).run()
            assert summary.ok, summary.describe()
        server = on_server(team_server)
        assert len(server.records("event")) == 16
        assert server.records("match")[match.id]["venue"] == "Riverside Park"
        assert server.records("match")[match.id]["score"]["home"] + server.records("match")[match.id]["score"][
            "away"] == 4  # fmt: skip
        assert server.records("event")[some_event.id]["note"] == "corrected on the other tablet"
        assert_team_equal(ctx, server)
        assert_team_equal(other, server)
    finally:
        other.close()


@pytest.fixture
def proxy(team_server: RunningServer) -> Iterator[tuple[FaultProxy, LocalServer]]:
    app = FaultProxy(team_server.url)
    with LocalServer(app) as local:
        yield app, local
    app.close()


FAULTS = [
    # every fault on the event batches; the answer lost after commit on single-record writes too
    pytest.param("drop_after", {}, "/api/sync/events", id="events-drop-after-commit"),
    pytest.param("error", {"status": 503}, "/api/sync/events", id="events-5xx"),
    pytest.param("slow", {}, "/api/sync/events", id="events-timeout"),
    pytest.param("drop_after", {}, "/api/matches$", id="match-drop-after-commit"),
    pytest.param("drop_after", {}, "/api/players/", id="player-put-drop-after-commit"),
    pytest.param("error", {"status": 502}, "/lineup$", id="lineup-5xx"),
]


@pytest.mark.parametrize(("kind", "options", "path"), FAULTS)
def test_faults_then_recover_equal(team_server: RunningServer, proxy: tuple[FaultProxy, LocalServer],
                                   ctx: AppContext, kind: str, options: dict[str, Any], path: str) -> None:  # fmt: skip
    app, local = proxy
    connect(ctx, local.url)
    players, _match = seed(ctx, events=520)
    engine = sync_engine(ctx)
    if path == "/api/players/":
        assert engine.run().ok
        edit(ctx, Player, players[0].id, "player", name="Edited under fault")
    app.inject(kind, path=path, times=10, **options)  # more than the retry budget
    sync_engine(ctx, read_timeout=STALL_READ_TIMEOUT_S if kind == "slow" else 10.0).run()
    app.clear_faults()
    second = engine.run()
    assert second.ok, second.describe()
    assert pending(ctx) == 0
    assert_team_equal(ctx, on_server(team_server))
    if kind != "slow":  # the fault did happen: a dropped answer (0) or the injected status
        assert any(status == options.get("status", 0) for _, _, status in app.hits)
