"""Helpers for sync tests: local test data (rows + outbox entries) and record-by-record comparison."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import select

from app.context import AppContext
from app.models.match import LineupEntry, Match, MatchEvent, Player, Team
from app.models.practice import PoseHold, PracticeSession
from app.outbox import enqueue
from sync.http import iso, parse_dt
from tests.emulators.team import TeamServer

EMAIL = "coach@example.org"
PASSWORD = "s3cret-Pa55word!"


def now() -> datetime:
    return datetime.now(UTC)


def add_team(ctx: AppContext, name: str = "Riverside U12") -> Team:
    with ctx.db.write() as s:
        team = Team(name=name, updated_at=now())
        s.add(team)
        enqueue(s, "team", team.id)
    return team


def add_player(ctx: AppContext, team: Team, name: str, shirt: int | None = None) -> Player:
    with ctx.db.write() as s:
        player = Player(team_id=team.id, name=name, shirt_number=shirt, position="MF", updated_at=now())
        s.add(player)
        enqueue(s, "player", player.id)
    return player


def add_match(ctx: AppContext, team: Team, away: str = "Hillside") -> Match:
    with ctx.db.write() as s:
        match = Match(
            team_id=team.id,
            home_team=team.name,
            away_team=away,
            kickoff_at=datetime(2026, 5, 2, 10, 0, tzinfo=UTC),
            updated_at=now(),
        )
        s.add(match)
        enqueue(s, "match", match.id)
    return match


def add_events(
    ctx: AppContext, match: Match, n: int, player: Player | None = None, kind: str = "tackle", start: int = 0
) -> list[MatchEvent]:
    out = [
        MatchEvent(
            match_id=match.id,
            seq=start + i,
            kind=kind,
            team="home" if i % 3 else "away",
            player_id=player.id if player else None,
            period=1,
            clock_ms=1000 * (start + i),
            note=f"event {start + i}",
            logged_at=now(),
            updated_at=now(),
        )
        for i in range(n)
    ]
    with ctx.db.write() as s:
        # One flush for all the rows, then their outbox entries in the same transaction (an
        # enqueue flushes first: one by one, the flushes were most of the time of 500 events).
        s.add_all(out)
        s.flush()
        for ev in out:
            enqueue(s, "event", ev.id)
    return out


def set_lineup(ctx: AppContext, match: Match, players: list[Player]) -> None:
    with ctx.db.write() as s:
        for i, p in enumerate(players):
            s.add(
                LineupEntry(
                    match_id=match.id, player_id=p.id, starting=i < 11, shirt_number=p.shirt_number, updated_at=now()
                )
            )
        enqueue(s, "lineup", match.id)


def edit(ctx: AppContext, model: type[Any], record_id: str, entity: str, **changes: Any) -> None:
    with ctx.db.write() as s:
        row = s.get(model, record_id)
        assert row is not None
        for k, v in changes.items():
            setattr(row, k, v)
        row.updated_at = now()
        s.add(row)
        enqueue(s, entity, record_id)


def add_session(ctx: AppContext, minutes: float = 20.0, poses: int = 2, day: int = 0) -> PracticeSession:
    start = datetime(2026, 4, 1, 7, 0, tzinfo=UTC) + timedelta(days=day, minutes=poses)
    with ctx.db.write() as s:
        sess = PracticeSession(
            started_at=start,
            ended_at=start + timedelta(minutes=minutes),
            duration_s=minutes * 60,
            avg_accuracy=80.0 + poses,
            total_poses=poses,
            updated_at=now(),
        )
        s.add(sess)
        s.flush()
        for i in range(poses):
            t = start + timedelta(seconds=30 * i)
            s.add(
                PoseHold(
                    session_id=sess.id,
                    pose_id=f"pose_{i}",
                    pose_name=f"Pose {i}",
                    started_at=t,
                    ended_at=t + timedelta(seconds=20),
                    hold_s=20.0,
                    accuracy=75.0 + i,
                    best_accuracy=90.0,
                    feedback=["straighten"],
                    improvements=[],
                )
            )
        enqueue(s, "practice_session", sess.id)
    return sess


# ---------------------------------------------------------------------- comparison
TEAM_FIELDS = {
    "team": (Team, ("name", "deleted")),
    "player": (Player, ("team_id", "name", "shirt_number", "position", "deleted")),
    "match": (
        Match,
        (
            "team_id",
            "home_team",
            "away_team",
            "kickoff_at",
            "venue",
            "status",
            "current_period",
            "period_length_min",
            "deleted",
        ),
    ),
    "event": (
        MatchEvent,
        (
            "match_id",
            "kind",
            "team",
            "player_id",
            "related_player_id",
            "period",
            "clock_ms",
            "note",
            "logged_at",
            "deleted",
        ),
    ),
}


def _norm(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, str) and len(value) >= 20 and value[4] == "-" and "T" in value:
        try:
            return iso(parse_dt(value))
        except Exception:  # noqa: BLE001
            return value
    return value


def assert_team_equal(ctx: AppContext, app: TeamServer) -> None:
    """Server and local data are equal record by record (nothing lost, nothing extra)."""
    with ctx.db.session() as s:
        for kind, (model, fields) in TEAM_FIELDS.items():
            local = {r.id: r for r in s.exec(select(model)).all()}
            remote = app.records(kind)
            assert set(local) == set(remote), (
                f"{kind}: ids differ local-only={set(local) - set(remote)} remote-only={set(remote) - set(local)}"
            )
            for rid, rec in remote.items():
                for f in fields:
                    assert _norm(getattr(local[rid], f)) == _norm(rec[f]), (
                        kind,
                        rid,
                        f,
                        getattr(local[rid], f),
                        rec[f],
                    )
        for mid, items in app.lineups.items():
            rows = s.exec(select(LineupEntry).where(LineupEntry.match_id == mid)).all()
            assert {(r.player_id, r.starting, r.shirt_number) for r in rows} == {
                (i["player_id"], i["starting"], i["shirt_number"]) for i in items
            }


def pending(ctx: AppContext, provider: str | None = None) -> int:
    from app.outbox import pending_count

    with ctx.db.session() as s:
        return pending_count(s, provider)


def seed_remote_match(team_app: TeamServer, goals: int) -> tuple[str, str, str, list[str]]:
    """A team, a player and a match with ``goals`` goals, made on another device, stored
    straight into the emulator. Returns (team id, player id, match id, event ids)."""
    team_id, player_id, match_id = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    event_ids = [str(uuid.uuid4()) for _ in range(goals)]
    with team_app.lock:
        team_app._store_new("team", {"id": team_id, "name": "Other device FC"})
        team_app._store_new("player", {"id": player_id, "team_id": team_id, "name": "Remote Rita"})
        team_app._store_new(
            "match",
            {
                "id": match_id,
                "team_id": team_id,
                "home_team": "Other device FC",
                "away_team": "Away Town",
                "kickoff_at": "2026-05-01T09:00:00Z",
            },
        )
        for n, event_id in enumerate(event_ids):
            team_app._store_new(
                "event",
                {
                    "id": event_id,
                    "match_id": match_id,
                    "kind": "goal",
                    "team": "home",
                    "player_id": player_id,
                    "period": 1,
                    "clock_ms": 60_000 * (n + 1),
                    "logged_at": "2026-05-01T09:10:00Z",
                },
            )
    return team_id, player_id, match_id, event_ids
