"""Benchmark: push 10,000 queued match events to the local team-server emulator.

Run: ``.venv/bin/python bench/sync_push.py [--events N]``. Uses a throw-away data folder and an
in-memory keychain. Prints events per second and the number of HTTP requests; the LAST line is
exactly ``events_per_s <x> requests <n>``. Target: >= 2,000 events/s.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import keyring
from keyring.backends import fail

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=10_000)
    args = parser.parse_args()
    keyring.set_keyring(fail.Keyring())  # never touch the real keychain: secrets stay in memory

    from app.context import AppContext
    from app.models.match import Match, MatchEvent, Team
    from app.outbox import enqueue, pending_count
    from sync import accounts
    from sync.engine import SyncEngine
    from tests.emulators.server import LocalServer
    from tests.emulators.team import TeamServer

    with tempfile.TemporaryDirectory(prefix="fieldmat-bench-") as tmp:
        home = Path(tmp)
        os.environ["FIELDMAT_HOME"] = str(home)
        ctx = AppContext.create(home)
        logging.getLogger().setLevel(logging.WARNING)
        app = TeamServer()
        app.add_user("bench@example.org", "bench-password")
        with LocalServer(app) as server:
            accounts.connect(ctx, "team", server.url, "bench@example.org", "bench-password")
            now = datetime.now(UTC)
            with ctx.db.write() as s:
                team = Team(name="Bench FC", updated_at=now)
                s.add(team)
                s.flush()
                enqueue(s, "team", team.id)
                match = Match(team_id=team.id, home_team="Bench FC", away_team="Load XI", kickoff_at=now,
                              updated_at=now)
                s.add(match)
                enqueue(s, "match", match.id)
                s.flush()
                for i in range(args.events):
                    ev = MatchEvent(match_id=match.id, seq=i, kind="tackle", team="home" if i % 2 else "away",
                                    period=1 + i // 5000, clock_ms=i * 10, logged_at=now, updated_at=now)
                    s.add(ev)
                    enqueue(s, "event", ev.id)
            before = server.requests
            engine = SyncEngine(ctx)
            start = time.perf_counter()
            summary = engine.run(providers=["team"], pull=False)
            elapsed = time.perf_counter() - start
            requests = server.requests - before
            with ctx.db.session() as s:
                left = pending_count(s, "team")
            stored = sum(1 for e in app.records("event").values() if not e["deleted"])
        ctx.close()
    print(summary.describe())
    if not summary.ok or left or stored != args.events:
        print(f"FAILED: pending={left} stored={stored}", file=sys.stderr)
        return 1
    rate = args.events / elapsed
    print(f"{args.events} events pushed in {elapsed:.2f} s with {requests} HTTP requests")
    print(f"events_per_s {rate:.0f} requests {requests}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
