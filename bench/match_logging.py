"""Benchmark: pitch-side event logging latency and timeline opening.

- Seeds a database holding 200 matches (with 60 events each) quickly, in one transaction.
- Logs 10,000 events through ``MatchService.log_event`` into a live match and measures each
  call: from the call to its return, i.e. to the durable commit of the event AND its outbox
  entry (synchronous=FULL, WAL).
- Does the same insert (event row + outbox row, one transaction each) with bare sqlite3 in
  the same run, for comparison.
- Opens the timeline of a match holding 2,000 events (worst of 5 openings, fresh service).

Last line: ``p99_ms <x> bare_p99_ms <y> timeline_ms <z>``.
Run: ``.venv/bin/python bench/match_logging.py [--events 10000]``.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.context import AppContext
from app.db import sqlite_cursor
from app.match import MatchService
from app.match.service import sql_ts

KINDS = ("tackle", "key_pass", "interception", "save", "foul", "ball_out", "free_kick", "goal")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def seed(ctx: AppContext, svc: MatchService, matches: int, events_per_match: int) -> tuple[str, list[str]]:
    team = svc.create_team("Bench United")
    players = [svc.add_player(team.id, f"Player {i}", i, "MF").id for i in range(1, 17)]
    start = datetime(2025, 8, 1, 10, 0, tzinfo=UTC)
    stamp = sql_ts(datetime.now(UTC))
    with ctx.db.write() as s:
        cur = sqlite_cursor(s)
        seq = 0
        match_rows, event_rows, outbox_rows = [], [], []
        for m in range(matches):
            mid = str(uuid.uuid4())
            kickoff = sql_ts(start + timedelta(days=7 * m))
            match_rows.append(
                (mid, team.id, "home", "Bench United", f"Opponent {m}", kickoff, None, "finished", 2, 2, 45, stamp, 0)
            )
            outbox_rows.append(("team", "match", mid, "upsert", "done", 0, stamp))
            for e in range(events_per_match):
                seq += 1
                eid = str(uuid.uuid4())
                event_rows.append(
                    (
                        eid,
                        seq,
                        mid,
                        KINDS[e % len(KINDS)],
                        "home",
                        players[e % 16],
                        None,
                        1 + e * 2 // events_per_match,
                        (e * 90_000) % 2_700_000,
                        None,
                        stamp,
                        stamp,
                        0,
                    )
                )
                outbox_rows.append(("team", "event", eid, "upsert", "done", 0, stamp))
        cur.executemany(
            "INSERT INTO match (id, team_id, our_side, home_team, away_team, kickoff_at, venue, status, "
            "current_period, period_count, period_length_min, updated_at, deleted) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            match_rows,
        )
        cur.executemany(
            "INSERT INTO match_event (id, seq, match_id, kind, team, player_id, related_player_id, period, "
            "clock_ms, note, logged_at, updated_at, deleted) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            event_rows,
        )
        cur.executemany(
            "INSERT INTO outbox (provider, entity, entity_id, op, status, attempts, created_at) VALUES (?,?,?,?,?,?,?)",
            outbox_rows,
        )
    return team.id, players


def bench_service(svc: MatchService, team_id: str, players: list[str], n: int) -> list[float]:
    match = svc.create_match("Bench United", "Rivals", datetime.now(UTC), team_id=team_id)
    svc.start_period(match.id)
    latencies = []
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        related = players[(i + 1) % 16] if kind == "goal" else None
        t0 = time.perf_counter()
        svc.log_event(match.id, kind, "home", players[i % 16], related)
        latencies.append((time.perf_counter() - t0) * 1000)
    return latencies


def bench_bare(folder: Path, n: int) -> list[float]:
    conn = sqlite3.connect(folder / "bare.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute(
        "CREATE TABLE match_event (id TEXT PRIMARY KEY, seq INTEGER, match_id TEXT NOT NULL, kind TEXT NOT NULL, "
        "team TEXT NOT NULL, player_id TEXT, related_player_id TEXT, period INTEGER NOT NULL, "
        "clock_ms INTEGER NOT NULL, note TEXT, logged_at TEXT NOT NULL, updated_at TEXT NOT NULL, deleted INTEGER)"
    )
    conn.execute("CREATE INDEX ix_e_match ON match_event (match_id)")
    conn.execute("CREATE INDEX ix_e_seq ON match_event (seq)")
    conn.execute(
        "CREATE TABLE outbox (seq INTEGER PRIMARY KEY, provider TEXT, entity TEXT, entity_id TEXT, op TEXT, "
        "status TEXT, attempts INTEGER, created_at TEXT)"
    )
    conn.execute("CREATE INDEX ix_o_entity ON outbox (entity_id)")
    mid = str(uuid.uuid4())
    latencies = []
    for i in range(n):
        eid = str(uuid.uuid4())
        stamp = sql_ts(datetime.now(UTC))
        t0 = time.perf_counter()
        conn.execute("BEGIN")
        conn.execute(
            "INSERT INTO match_event VALUES (?,?,?,?,?,?,?,?,?,?,?,?,0)",
            (eid, i + 1, mid, KINDS[i % len(KINDS)], "home", None, None, 1, i * 100, None, stamp, stamp),
        )
        conn.execute(
            "INSERT INTO outbox (provider, entity, entity_id, op, status, attempts, created_at) "
            "VALUES ('team','event',?,'upsert','pending',0,?)",
            (eid, stamp),
        )
        conn.execute("COMMIT")
        latencies.append((time.perf_counter() - t0) * 1000)
    conn.close()
    return latencies


def bench_timeline(ctx: AppContext, team_id: str, players: list[str], n: int) -> float:
    svc = MatchService(ctx.db)
    match = svc.create_match("Bench United", "Timeline FC", datetime.now(UTC), team_id=team_id)
    for i in range(n):
        svc.log_event(
            match.id,
            KINDS[i % len(KINDS)],
            "home" if i % 3 else "away",
            players[i % 16],
            None,
            period=1 + i * 2 // n,
            clock_ms=(i * 2700) % 2_700_000,
        )
    times = []
    for _ in range(5):
        fresh = MatchService(ctx.db)  # as the UI opening the match
        t0 = time.perf_counter()
        items = fresh.timeline(match.id)
        times.append((time.perf_counter() - t0) * 1000)
        assert len(items) == n
    return max(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--matches", type=int, default=200)
    parser.add_argument("--timeline-events", type=int, default=2_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fieldmat-bench-") as tmp:
        folder = Path(tmp)
        home = folder / "home"
        home.mkdir()
        ctx = AppContext.create(home)
        try:
            svc = MatchService(ctx.db)
            t0 = time.perf_counter()
            team_id, players = seed(ctx, svc, args.matches, 60)
            print(f"seeded {args.matches} matches ({args.matches * 60} events) in {time.perf_counter() - t0:.1f} s")
            service_ms = bench_service(svc, team_id, players, args.events)
            bare_ms = bench_bare(folder, args.events)
            timeline_ms = bench_timeline(ctx, team_id, players, args.timeline_events)
        finally:
            ctx.close()
    p50, p99 = statistics.median(service_ms), percentile(service_ms, 99)
    bare_p50, bare_p99 = statistics.median(bare_ms), percentile(bare_ms, 99)
    print(f"MatchService.log_event x{args.events}: p50 {p50:.2f} ms  p99 {p99:.2f} ms  max {max(service_ms):.2f} ms")
    print(f"bare sqlite3 insert+outbox x{args.events}: p50 {bare_p50:.2f} ms  p99 {bare_p99:.2f} ms")
    print(f"timeline of {args.timeline_events} events (worst of 5): {timeline_ms:.1f} ms")
    print("load average during the run: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print(f"p99_ms {p99:.2f} bare_p99_ms {bare_p99:.2f} timeline_ms {timeline_ms:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
