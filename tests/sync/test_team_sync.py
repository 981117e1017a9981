"""Team server sync against the loopback emulator: push, pull, faults, conflicts, rejections."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import col, select

from app.context import AppContext
from app.models.match import LineupEntry, Match, MatchEvent, Player, Team
from app.models.sync import OutboxEntry, ProviderAccount, SyncConflict, SyncLog
from sync.engine import SyncEngine
from tests.emulators.server import LocalServer
from tests.emulators.team import TeamServer
from tests.sync.helpers import (
    add_events,
    add_match,
    add_player,
    add_team,
    assert_team_equal,
    edit,
    pending,
    seed_remote_match,
    set_lineup,
)


def seed(ctx: AppContext, events: int = 30) -> tuple[Team, list[Player], Match]:
    team = add_team(ctx)
    players = [add_player(ctx, team, f"Player {i}", shirt=i + 1) for i in range(3)]
    match = add_match(ctx, team)
    set_lineup(ctx, match, players)
    add_events(ctx, match, events, player=players[0])
    return team, players, match


def test_push_then_pull_roundtrip(team_ctx: AppContext, team_app: TeamServer, engine: SyncEngine) -> None:
    seed(team_ctx, events=1200)
    summary = engine.run()
    result = summary.result("team")
    assert result is not None
    assert result.status == "synced", result.describe()
    assert result.pushed["events"] == 1200
    assert pending(team_ctx) == 0
    assert_team_equal(team_ctx, team_app)
    batches = [h for h in team_app.hits if h[1] == "/api/sync/events"]
    assert len(batches) == 3  # 500 + 500 + 200
    with team_ctx.db.session() as s:
        log = s.exec(select(SyncLog)).one()
        assert log.status == "synced" and log.records_pushed >= 1200 and log.completed_at is not None
        assert s.get(ProviderAccount, "team").last_success_at is not None  # type: ignore[union-attr]
    # A second run sends nothing and changes nothing.
    before = len(team_app.hits)
    again = engine.run().result("team")
    assert again is not None and again.status == "synced" and again.total_pushed == 0
    assert not any(h[0] in ("POST", "PUT", "DELETE") and "auth" not in h[1] for h in team_app.hits[before:])
    assert_team_equal(team_ctx, team_app)


def test_pull_brings_remote_records_without_echo(
    team_ctx: AppContext, team_app: TeamServer, engine: SyncEngine
) -> None:
    team_id, player_id, match_id, _events = seed_remote_match(team_app, goals=120)
    with team_app.lock:
        team_app.lineups[match_id] = [{"player_id": player_id, "starting": True, "shirt_number": 9}]
    team_app.page_max = 50  # force paging
    result = engine.run().result("team")
    assert result is not None and result.status == "synced", result.describe()
    assert result.pulled["events"] == 120
    stored = result.stored  # by id, what the panels refresh from
    assert stored.teams == {team_id} and stored.players == {player_id} and stored.matches == {match_id}
    assert len(stored.events) == 120 and stored.event_matches == {match_id} and stored.lineups == {match_id}
    assert pending(team_ctx) == 0  # nothing echoed back
    with team_ctx.db.session() as s:
        assert s.exec(select(OutboxEntry)).all() == []
    assert_team_equal(team_ctx, team_app)
    # Incremental: a remote edit and a remote delete arrive; nothing else is re-applied.
    ev = next(iter(team_app.records("event")))
    team_app.edit("event", ev, note="corrected")
    team_app.delete("player", player_id)
    result = engine.run().result("team")
    assert result is not None
    assert {k: v for k, v in result.pulled.items() if v} == {"players": 1, "events": 1}
    assert_team_equal(team_ctx, team_app)


def test_edits_and_deletions_travel(team_ctx: AppContext, team_app: TeamServer, engine: SyncEngine) -> None:
    _team, players, match = seed(team_ctx, events=5)
    assert engine.run().ok
    with team_ctx.db.session() as s:
        events = s.exec(select(MatchEvent)).all()
    edit(team_ctx, MatchEvent, events[0].id, "event", note="edited after sync")
    edit(team_ctx, Player, players[1].id, "player", name="Renamed")
    edit(team_ctx, Match, match.id, "match", status="finished", current_period=2)
    edit(team_ctx, MatchEvent, events[1].id, "event", deleted=True)
    summary = engine.run()
    assert summary.ok, summary.describe()
    assert team_app.records("event")[events[0].id]["note"] == "edited after sync"
    assert team_app.records("event")[events[1].id]["deleted"] is True
    assert team_app.records("player")[players[1].id]["name"] == "Renamed"
    assert team_app.records("match")[match.id]["status"] == "finished"
    assert_team_equal(team_ctx, team_app)


FAULTS = [
    pytest.param("drop_after", {}, id="connection-dropped-after-commit"),
    pytest.param("drop_before", {}, id="connection-dropped-before"),
    pytest.param("error", {"status": 503}, id="5xx"),
    pytest.param("rate_limit", {"retry_after": 0.01}, id="429-retry-after"),
    pytest.param("slow", {}, id="timeout"),
    pytest.param("malformed", {}, id="malformed-json"),
]


@pytest.mark.parametrize(("kind", "options"), FAULTS)
@pytest.mark.parametrize("path", ["/api/sync/events", "/api/matches$", "/api/players/", "/lineup$"])
def test_faults_then_recover_equal(
    team_ctx: AppContext,
    team_app: TeamServer,
    engine: SyncEngine,
    stall_engine: SyncEngine,
    kind: str,
    options: dict[str, float],
    path: str,
) -> None:
    _team, players, _match = seed(team_ctx, events=520)
    if path == "/api/players/":
        assert engine.run().ok
        edit(team_ctx, Player, players[0].id, "player", name="Edited under fault")
    team_app.inject(kind, path=path, times=10, **options)  # more than the retry budget
    first = (stall_engine if kind == "slow" else engine).run()
    team_app.clear_faults()
    second = engine.run()
    assert second.ok, second.describe()
    assert pending(team_ctx) == 0
    assert_team_equal(team_ctx, team_app)
    result = first.result("team")
    assert result is not None
    if result.status == "failed":
        assert result.errors and "team server" in result.errors[0]
    if kind == "slow":  # the stall did outlast the read timeout
        assert result.kind == "timeout" and not result.ok, result.describe()


@pytest.mark.parametrize("kind", ["drop_after", "error", "slow", "malformed", "rate_limit"])
def test_single_transient_fault_is_retried_within_run(
    team_ctx: AppContext, team_app: TeamServer, engine: SyncEngine, stall_engine: SyncEngine, kind: str
) -> None:
    seed(team_ctx, events=40)
    team_app.inject(kind, path="/api/sync/events", times=1, retry_after=0.01)
    summary = (stall_engine if kind == "slow" else engine).run()
    if kind == "malformed":  # an unreadable answer is not retried blindly: the next sync finishes it
        assert not summary.ok
        summary = engine.run()
    assert summary.ok, summary.describe()
    assert_team_equal(team_ctx, team_app)


def test_conflict_newer_edit_wins_and_other_is_kept(
    team_ctx: AppContext, team_app: TeamServer, engine: SyncEngine
) -> None:
    _team, players, match = seed(team_ctx, events=2)
    assert engine.run().ok
    # Another device edits the match; we edit it later -> ours is newer and wins (409 then re-PUT).
    team_app.edit("match", match.id, venue="Remote venue")
    edit(team_ctx, Match, match.id, "match", venue="Local venue")
    # We edit a player; another device edits it later -> theirs is newer and wins.
    edit(team_ctx, Player, players[0].id, "player", name="Local name")
    team_app.edit("player", players[0].id, name="Remote name")
    summary = engine.run()
    assert summary.ok, summary.describe()
    assert team_app.records("match")[match.id]["venue"] == "Local venue"
    with team_ctx.db.session() as s:
        assert s.get(Player, players[0].id).name == "Remote name"  # type: ignore[union-attr]
        conflicts = {c.entity_id: c for c in s.exec(select(SyncConflict)).all()}
    assert conflicts[match.id].winner == "local" and conflicts[match.id].kept_version["venue"] == "Remote venue"
    assert conflicts[players[0].id].winner == "remote"
    assert conflicts[players[0].id].kept_version["name"] == "Local name"
    assert any(h[2] == 409 for h in team_app.hits)
    assert_team_equal(team_ctx, team_app)
    assert len(engine.conflicts()) == 2


def test_rejected_record_lets_the_rest_through(team_ctx: AppContext, team_app: TeamServer, engine: SyncEngine) -> None:
    team = add_team(team_ctx)
    bad_player = add_player(team_ctx, team, "X" * 200)  # the server refuses names over 120 chars
    match = add_match(team_ctx, team)
    good = add_events(team_ctx, match, 10)
    bad = add_events(team_ctx, match, 1, kind="goal", start=50)[0]
    edit(team_ctx, MatchEvent, bad.id, "event", period=9)  # invalid period: rejected inside the batch
    summary = engine.run()
    result = summary.result("team")
    assert result is not None and result.status == "partial"
    assert {r["entity_id"] for r in result.rejected} == {bad_player.id, bad.id}
    assert any("120" in r["detail"] for r in result.rejected)
    assert all(e.id in team_app.records("event") for e in good)
    assert not summary.ok
    with team_ctx.db.session() as s:
        rejected = s.exec(select(OutboxEntry).where(OutboxEntry.status == "rejected")).all()
    assert {r.entity_id for r in rejected} == {bad_player.id, bad.id}
    assert all(r.last_error for r in rejected)
    assert pending(team_ctx) == 0
    assert engine.status()[0].rejected == 2


def test_expired_token_relogs_in_once(team_ctx: AppContext, team_app: TeamServer, engine: SyncEngine) -> None:
    seed(team_ctx, events=5)
    logins = team_app.logins
    team_app.expire_tokens()
    assert engine.run().ok
    assert team_app.logins == logins + 1
    assert_team_equal(team_ctx, team_app)


def test_refused_password_asks_user_to_reconnect(
    team_ctx: AppContext, team_app: TeamServer, engine: SyncEngine
) -> None:
    seed(team_ctx, events=5)
    team_app.expire_tokens()
    team_app.users["coach@example.org"] = "changed-elsewhere"
    logins_before = len([h for h in team_app.hits if h[1] == "/api/auth/login"])
    result = engine.run().result("team")
    assert result is not None and result.status == "needs_reconnect" and result.kind == "auth"
    assert "Connect the account again" in result.errors[0]
    assert len([h for h in team_app.hits if h[1] == "/api/auth/login"]) == logins_before + 1
    status = {s.provider: s for s in engine.status()}["team"]
    assert status.needs_reconnect and status.pending > 0


def test_local_change_during_push_is_not_lost(team_ctx: AppContext, team_app: TeamServer, engine: SyncEngine) -> None:
    """An edit made while its record is being sent stays queued and goes out next time."""
    _team, _players, _match = seed(team_ctx, events=3)
    calls = {"n": 0}
    original = team_app.route

    def route(request):  # type: ignore[no-untyped-def]
        if request.path == "/api/sync/events" and calls["n"] == 0:
            calls["n"] += 1
            with team_ctx.db.session() as s:
                ev = s.exec(select(MatchEvent)).first()
            assert ev is not None
            edit(team_ctx, MatchEvent, ev.id, "event", note="typed during sync")
        return original(request)

    team_app.route = route  # type: ignore[method-assign]
    engine.run()
    team_app.route = original  # type: ignore[method-assign]
    engine.run()
    assert pending(team_ctx) == 0
    assert "typed during sync" in {e["note"] for e in team_app.records("event").values()}
    assert_team_equal(team_ctx, team_app)


def test_events_edited_while_queued_go_in_the_batch_and_close(
    team_ctx: AppContext, team_app: TeamServer, engine: SyncEngine
) -> None:
    """Each change made while an entry waits counts on the entry (its revision); a batch read
    at that revision closes it like any other."""
    _team, _players, _match = seed(team_ctx, events=4)
    with team_ctx.db.session() as s:
        first, second = (e.id for e in s.exec(select(MatchEvent).order_by(col(MatchEvent.seq))).all()[:2])
    edit(team_ctx, MatchEvent, first, "event", note="fixed once")
    edit(team_ctx, MatchEvent, first, "event", note="fixed twice")
    edit(team_ctx, MatchEvent, second, "event", note="fixed")
    with team_ctx.db.session() as s:
        revisions = {
            e.entity_id: e.revision for e in s.exec(select(OutboxEntry).where(OutboxEntry.entity == "event")).all()
        }
    assert (revisions[first], revisions[second]) == (2, 1) and sorted(revisions.values())[:2] == [0, 0]
    assert engine.run().ok
    assert pending(team_ctx) == 0
    assert {team_app.records("event")[first]["note"], team_app.records("event")[second]["note"]} == {
        "fixed twice",
        "fixed",
    }
    with team_ctx.db.session() as s:  # each closed by the run that sent it, at the first attempt
        entries = s.exec(select(OutboxEntry).where(OutboxEntry.entity == "event")).all()
    assert {(e.status, e.attempts, e.last_error) for e in entries} == {("done", 1, None)}
    assert_team_equal(team_ctx, team_app)


def test_cancel_stops_between_batches(team_ctx: AppContext, team_app: TeamServer, engine: SyncEngine) -> None:
    _team, _players, _match = seed(team_ctx, events=1500)
    batches = {"n": 0}

    def progress(event):  # type: ignore[no-untyped-def]
        if event.resource == "changes" and event.done > 600:
            batches["n"] += 1

    result = engine.run(progress=progress, cancelled=lambda: batches["n"] > 0).result("team")
    assert result is not None and result.status == "cancelled"
    assert 0 < pending(team_ctx) < 1500
    assert engine.run().ok
    assert_team_equal(team_ctx, team_app)


def test_unreachable_server_keeps_everything(
    team_ctx: AppContext, team_server: LocalServer, engine: SyncEngine
) -> None:
    seed(team_ctx, events=3)
    waiting = pending(team_ctx)
    team_server.stop()
    result = engine.run().result("team")
    assert result is not None and (result.status, result.kind) == ("offline", "unreachable")
    assert "could not be reached" in result.errors[0]
    assert pending(team_ctx) == waiting
    with team_ctx.db.session() as s:
        log = s.exec(select(SyncLog)).one()
    assert log.status == "offline" and log.error


def test_lineup_travels(team_ctx: AppContext, team_app: TeamServer, engine: SyncEngine) -> None:
    _team, players, match = seed(team_ctx, events=0)
    assert engine.run().ok
    assert {i["player_id"] for i in team_app.lineups[match.id]} == {p.id for p in players}
    team_app.lineups[match.id] = team_app.lineups[match.id][:1]
    assert engine.run().ok
    with team_ctx.db.session() as s:
        assert len(s.exec(select(LineupEntry)).all()) == 1
    assert_team_equal(team_ctx, team_app)


def test_kickoff_roundtrip_keeps_timezone(team_ctx: AppContext, team_app: TeamServer, engine: SyncEngine) -> None:
    _team, _players, match = seed(team_ctx, events=0)
    assert engine.run().ok
    with team_ctx.db.session() as s:
        assert s.get(Match, match.id).kickoff_at == datetime(2026, 5, 2, 10, 0, tzinfo=UTC)  # type: ignore[union-attr]


def test_lost_answer_to_put_is_not_a_conflict(team_ctx: AppContext, team_app: TeamServer, engine: SyncEngine) -> None:
    _team, players, _match = seed(team_ctx, events=1)
    assert engine.run().ok
    edit(team_ctx, Player, players[0].id, "player", name="Changed once")
    team_app.inject("drop_after", path="/api/players/", method="PUT", times=1)
    assert engine.run().ok  # the retried PUT gets 409 with our own version: not a conflict
    assert team_app.records("player")[players[0].id]["name"] == "Changed once"
    assert engine.conflicts() == []
    assert_team_equal(team_ctx, team_app)


def test_relogin_survives_a_5xx_on_login(team_ctx: AppContext, team_app: TeamServer, engine: SyncEngine) -> None:
    seed(team_ctx, events=2)
    team_app.expire_tokens()
    team_app.inject("error", path="/api/auth/login", times=1, status=503)
    assert engine.run().ok
    assert_team_equal(team_ctx, team_app)
