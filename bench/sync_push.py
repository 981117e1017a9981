"""Benchmark: push 10,000 queued match events to the local team-server emulator, against a
bare httpx client sending the same batches.

Run: ``.venv/bin/python bench/sync_push.py [--events N] [--rounds R]``. Uses throw-away data
folders and an in-memory keychain. The app (``SyncEngine.run``: outbox to server and back)
pushes to an emulator; every request it sent is recorded, and a bare ``httpx.Client``
(already signed in, keep-alive, JSON encoded and decoded) sends exactly those batches to a
fresh emulator of the same kind, in the same run. ``--rounds`` alternating rounds (10 by
default); the best of each side counts, since the machine may be shared: on this 2-core
machine single rounds of either side vary by a factor of 1.5. The LAST line is exactly
``events_per_s <x> bare_events_per_s <y> ratio <x/y>``. Target: ratio >= 0.8.

Each emulator (tests/emulators/team.py) runs in a process of its own, as a server does: in
the client's process it would share one interpreter lock with the client, so every step of
the server's work would wait for the client's and the other way round, which no deployment
does. The app's push does its database work (reading batches, marking the outbox) on threads
beside the wire; the bare client has none to do.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import multiprocessing
import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path

import httpx
import keyring
from keyring.backends import fail

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

LOGIN_PATH = "/api/auth/login"
EMAIL, PASSWORD = "bench@example.org", "bench-password"


def _serve(conn: Connection) -> None:
    """The emulator's process: serve until told to stop; answer how many events it stores."""
    from tests.emulators.server import LocalServer
    from tests.emulators.team import TeamServer

    app = TeamServer()
    app.add_user(EMAIL, PASSWORD)
    with LocalServer(app) as server:
        conn.send(server.url)
        while (command := conn.recv()) != "stop":
            if command == "stored":
                conn.send(sum(1 for e in app.records("event").values() if not e["deleted"]))
            elif command == "requests":
                conn.send(server.requests)


class Emulator:
    """A fresh team-server emulator in its own process (see the module docstring)."""

    def __init__(self, conn: Connection, url: str) -> None:
        self.conn = conn
        self.url = url

    def ask(self, command: str) -> int:
        self.conn.send(command)
        return int(self.conn.recv())


@contextmanager
def emulator() -> Iterator[Emulator]:
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    process = context.Process(target=_serve, args=(theirs,), daemon=True)
    process.start()
    try:
        url = ours.recv()
        yield Emulator(ours, url)
    finally:
        ours.send("stop")
        process.join(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=10, help="app and bare alternate; the best of each counts")
    args = parser.parse_args()
    keyring.set_keyring(fail.Keyring())  # never touch the real keychain: secrets stay in memory
    logging.getLogger().setLevel(logging.WARNING)
    app_times: list[float] = []
    bare_times: list[float] = []
    requests = 0
    for _ in range(args.rounds):
        elapsed, requests, sent, problem = app_push(args.events)
        if problem:
            print(f"FAILED: {problem}", file=sys.stderr)
            return 1
        bare_elapsed, bare_stored = bare_push(sent, args.events)
        if bare_stored != args.events:
            print(f"FAILED: the bare client stored {bare_stored}", file=sys.stderr)
            return 1
        app_times.append(elapsed)
        bare_times.append(bare_elapsed)
    rate = args.events / min(app_times)
    bare_rate = args.events / min(bare_times)
    print(f"app:  {args.events} events in {', '.join(f'{t:.2f}' for t in app_times)} s, {requests} HTTP requests")
    print(f"bare: the same requests in {', '.join(f'{t:.2f}' for t in bare_times)} s (best of each counts)")
    print(f"events_per_s {rate:.0f} bare_events_per_s {bare_rate:.0f} ratio {rate / bare_rate:.2f}")
    return 0


def settle(database: Path | None = None) -> None:
    """Leave no work of the set-up to the timed part (both sides call it).

    The 10,000 ORM objects of the app's set-up hold reference cycles that the garbage
    collector would otherwise free during the push; and the set-up's write-ahead log would be
    copied into the database by the app's background checkpointer during the push, which in
    the app happens long before a sync (the events are logged during a match).
    """
    gc.collect()
    if database is not None:
        conn = sqlite3.connect(database)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()


def app_push(events: int) -> tuple[float, int, list[tuple[str, str, bytes]], str]:
    """Queue ``events`` match events in a fresh data folder and sync them to a fresh emulator.

    Returns (seconds, HTTP requests, the requests sent, a problem or "").
    """
    from app.context import AppContext
    from app.models.match import Match, MatchEvent, Team
    from app.outbox import enqueue, pending_count
    from sync import accounts
    from sync.engine import SyncEngine
    from sync.http import make_client

    sent: list[tuple[str, str, bytes]] = []

    def record(request: httpx.Request) -> None:
        sent.append((request.method, request.url.raw_path.decode(), request.read()))

    def recording_client() -> httpx.Client:
        client = make_client()
        client.event_hooks["request"].append(record)
        return client

    with tempfile.TemporaryDirectory(prefix="fieldmat-bench-") as tmp:
        home = Path(tmp)
        os.environ["FIELDMAT_HOME"] = str(home)
        ctx = AppContext.create(home)
        with emulator() as server:
            accounts.connect(ctx, "team", server.url, EMAIL, PASSWORD)
            now = datetime.now(UTC)
            with ctx.db.write() as s:
                team = Team(name="Bench FC", updated_at=now)
                s.add(team)
                s.flush()
                enqueue(s, "team", team.id)
                match = Match(
                    team_id=team.id, home_team="Bench FC", away_team="Load XI", kickoff_at=now, updated_at=now
                )
                s.add(match)
                enqueue(s, "match", match.id)
                s.flush()
                for i in range(events):
                    ev = MatchEvent(
                        match_id=match.id,
                        seq=i,
                        kind="tackle",
                        team="home" if i % 2 else "away",
                        period=1 + i // 5000,
                        clock_ms=i * 10,
                        logged_at=now,
                        updated_at=now,
                    )
                    s.add(ev)
                    enqueue(s, "event", ev.id)
            before = server.ask("requests")
            engine = SyncEngine(ctx, client_factory=recording_client)
            settle(ctx.db.path)
            start = time.perf_counter()
            summary = engine.run(providers=["team"], pull=False)
            elapsed = time.perf_counter() - start
            requests = server.ask("requests") - before
            with ctx.db.session() as s:
                left = pending_count(s, "team")
            stored = server.ask("stored")
        ctx.close()
    problem = (
        "" if summary.ok and not left and stored == events else f"{summary.describe()} pending={left} stored={stored}"
    )
    return elapsed, requests, sent, problem


def bare_push(sent: list[tuple[str, str, bytes]], events: int) -> tuple[float, int]:
    """Send the app's recorded requests (sign-in excluded) with a plain signed-in httpx client."""
    with emulator() as server, httpx.Client(timeout=30.0) as client:
        login = client.post(server.url + LOGIN_PATH, json={"email": EMAIL, "password": PASSWORD})
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        # The same batches as Python objects: the bare client encodes them as the app does.
        work = [(m, p, json.loads(b) if b else None) for m, p, b in sent if p != LOGIN_PATH]
        settle()
        start = time.perf_counter()
        for method, path, body in work:
            response = client.request(method, server.url + path, json=body, headers=headers)
            response.raise_for_status()
            response.json()
        elapsed = time.perf_counter() - start
        stored = server.ask("stored")
    return elapsed, stored


if __name__ == "__main__":
    sys.exit(main())
