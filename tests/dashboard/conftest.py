"""Fixed data for the Dashboard tests: sessions, matches, WHOOP and a Reboot CSV export."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from app.context import AppContext
from app.db import Database
from app.models import (
    LineupEntry,
    Match,
    MatchEvent,
    Player,
    PoseHold,
    PracticeSession,
    RebootExport,
    RebootSession,
    Team,
    WhoopCycle,
    WhoopRecovery,
    WhoopSleep,
)

NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
# Wednesday 25 November 2026, 15:00 in New York (20:00 UTC); the week began Monday 23 November
NOW = datetime(2026, 11, 25, 15, 0, tzinfo=NEW_YORK).astimezone(UTC)


def local(y: int, mo: int, d: int, h: int = 7, mi: int = 0, tz: ZoneInfo = NEW_YORK) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=tz).astimezone(UTC)


def add_session(
    db: Database,
    start: datetime,
    minutes: float,
    holds: Sequence[tuple[str, str, float]] = (),
    *,
    deleted: bool = False,
    avg: float | None = None,
) -> str:
    """A practice session at ``start`` (UTC) with ``holds`` = (pose_id, pose_name, accuracy)."""
    accuracies = [h[2] for h in holds]
    session = PracticeSession(
        started_at=start,
        ended_at=start + timedelta(minutes=minutes),
        duration_s=minutes * 60,
        avg_accuracy=avg if avg is not None else (sum(accuracies) / len(accuracies) if accuracies else 0.0),
        total_poses=len(holds),
        deleted=deleted,
    )
    with db.write() as s:
        s.add(session)
        s.flush()
        t = start
        for pose_id, name, acc in holds:
            s.add(
                PoseHold(
                    session_id=session.id,
                    pose_id=pose_id,
                    pose_name=name,
                    started_at=t,
                    ended_at=t + timedelta(seconds=30),
                    hold_s=30.0,
                    accuracy=acc,
                    best_accuracy=min(100.0, acc + 5),
                    feedback=["Straighten your back"],
                    improvements=[],
                )
            )
            t += timedelta(seconds=45)
    return session.id


@dataclass
class Squad:
    team_id: str
    players: dict[str, str]  # name -> id


def add_squad(db: Database, names: Sequence[str], team: str = "Fieldmat FC") -> Squad:
    with db.write() as s:
        t = Team(name=team)
        s.add(t)
        s.flush()
        players = {}
        for i, name in enumerate(names):
            p = Player(team_id=t.id, name=name, shirt_number=i + 1)
            s.add(p)
            players[name] = p.id
    return Squad(t.id, players)


def add_match(
    db: Database,
    squad: Squad,
    kickoff: datetime,
    starters: Sequence[str],
    events: Sequence[tuple[Any, ...]],
    *,
    bench: Sequence[str] = (),
    our_side: str = "home",
    opponent: str = "Rivals",
    status: str = "finished",
    current_period: int = 2,
    deleted: bool = False,
) -> str:
    """``events``: (kind, team, period, minute, player name|None, related name|None[, deleted])."""
    with db.write() as s:
        m = Match(
            team_id=squad.team_id,
            our_side=our_side,
            home_team="Fieldmat FC" if our_side == "home" else opponent,
            away_team=opponent if our_side == "home" else "Fieldmat FC",
            kickoff_at=kickoff,
            status=status,
            current_period=current_period,
            deleted=deleted,
        )
        s.add(m)
        s.flush()
        for name in starters:
            s.add(LineupEntry(match_id=m.id, player_id=squad.players[name], starting=True))
        for name in bench:
            s.add(LineupEntry(match_id=m.id, player_id=squad.players[name], starting=False))
        for seq, ev in enumerate(events):
            kind, team, period, minute, who, related = ev[:6]
            s.add(
                MatchEvent(
                    seq=seq,
                    match_id=m.id,
                    kind=kind,
                    team=team,
                    period=period,
                    clock_ms=int(minute * 60_000),
                    player_id=squad.players[who] if who else None,
                    related_player_id=squad.players[related] if related else None,
                    deleted=bool(ev[6]) if len(ev) > 6 else False,
                )
            )
    return m.id


def add_whoop_day(db: Database, day_start: datetime, recovery: float, sleep: float, strain: float, n: int) -> None:
    with db.write() as s:
        s.add(
            WhoopCycle(
                id=n,
                start=day_start,
                end=day_start + timedelta(days=1),
                score_state="SCORED",
                strain=strain,
                updated_at=day_start,
            )
        )
        s.add(
            WhoopSleep(
                id=f"sleep-{n}",
                cycle_id=n,
                start=day_start - timedelta(hours=8),
                end=day_start,
                score_state="SCORED",
                sleep_performance_percentage=sleep,
                updated_at=day_start,
            )
        )
        s.add(
            WhoopRecovery(
                cycle_id=n, score_state="SCORED", recovery_score=recovery, created_at=day_start, updated_at=day_start
            )
        )


REBOOT_CSV = """\ufefforg_movement_id,time,rel_frame,pelvis_rot,torso_rot,left_knee_angle,right_elbow_x,note,session_id
m1,0.00,0,10.0,20.0,30.0,1.5,start,abc
m1,0.01,1,11.0,21.0,,1.6,,abc
m1,0.02,2,12.0,22.5,32.0,1.7,,abc

m1,0.03,3,13.0,23.0,33.0,1.8,end,abc
"""


def add_reboot_export(
    db: Database, home: Path, text: str = REBOOT_CSV, name: str = "ik.csv", fetched: datetime | None = None
) -> Path:
    folder = home / "reboot"
    folder.mkdir(exist_ok=True)
    path = folder / name
    if name.endswith(".gz"):
        import gzip

        path.write_bytes(gzip.compress(text.encode("utf-8")))
    else:
        path.write_text(text, encoding="utf-8")
    with db.write() as s:
        if s.get(RebootSession, "rs-1") is None:
            s.add(RebootSession(id="rs-1", session_date="2026-11-20", session_name="Bullpen"))
        s.add(RebootExport(session_id="rs-1", path=str(path.relative_to(home)), fetched_at=fetched or NOW))
    return path


@pytest.fixture
def seeded(ctx: AppContext) -> AppContext:
    """A database with practice, matches, WHOOP and a Reboot export (numbers in test_panel)."""
    db = ctx.db
    ctx.clock = lambda: NOW
    # practice: Mon 23, Tue 24 and Wed 25 November (this week), Sun 22 at 23:30 (last week)
    add_session(db, local(2026, 11, 22, 23, 30), 20, [("tree", "Tree Pose", 60.0), ("mountain", "Mountain Pose", 80.0)])
    add_session(db, local(2026, 11, 23), 10, [("tree", "Tree Pose", 70.0)])
    add_session(db, local(2026, 11, 24), 15, [("tree", "Tree Pose", 80.0), ("warrior", "Warrior II", 90.0)])
    add_session(db, local(2026, 11, 25, 9), 30, [("tree", "Tree Pose", 90.0), ("mountain", "Mountain Pose", 100.0)])
    add_session(db, local(2026, 11, 20), 50, [("tree", "Tree Pose", 10.0)], deleted=True)
    squad = add_squad(db, ["Ada", "Ben", "Cat"])
    add_match(
        db,
        squad,
        local(2026, 11, 21, 10),
        ["Ada", "Ben"],
        [
            ("period_start", "home", 1, 0, None, None),
            ("goal", "home", 1, 10, "Ada", "Ben"),
            ("own_goal", "home", 1, 20, "Ben", None),
            ("period_end", "home", 1, 45, None, None),
            ("period_start", "home", 2, 0, None, None),
            ("substitution", "home", 2, 15, "Ben", "Cat"),
            ("goal", "home", 2, 30, "Cat", None),
            ("save", "home", 2, 35, "Ada", None),
            ("period_end", "home", 2, 45, None, None),
        ],
        bench=["Cat"],
    )
    for n in range(5):
        add_whoop_day(db, local(2026, 11, 21 + n, 0), 50 + n, 70 + n, 10 + n, n + 1)
    add_reboot_export(db, ctx.home)
    return ctx
