"""Club server live benchmark: 10 live matches x 20 viewers on loopback, coach pace and bursts.

Starts ``fieldmat-server run`` in its own process (rate limits off) on a fresh SQLite file, or
on ``--db URL`` (PostgreSQL: a fresh club is added to that database). Each of the 10 coaches
logs one event every PACE seconds, edits one in ten, reads the match view now and then, and
every BURST_EVERY events replays a burst of BURST events through /api/sync/events (a tablet
back online). Each match has 20 viewers: family phones that open the share page (HTML, JS,
CSS) and follow /ws/match/{id} with the share token.

Measured in one run:
- ``api``: every coach request, from send to answer (p50, p99);
- ``ws``: from an event's server ``updated_at`` (stamped inside the transaction, just before
  commit: an upper bound of commit->viewer) to its arrival at each viewer (p50, p99);
- ``bytes_per_viewer``: what one viewer received for its match (page + every live message), the
  largest over viewers. Each viewer must have received every event of its match, or the run fails.
Last line: ``api_p99_ms <x> ws_p99_ms <y> bytes_per_viewer <z>``. Bars: 200, 100, 1000000.
Run: ``.venv/bin/python bench/server_live.py [--db postgresql://...]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

import httpx
from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server.cli import main as server_cli  # noqa: E402

MATCHES = 10
VIEWERS = 20
EVENTS = 300  # per match, as many as a busy 90 minutes
PACE = 0.12  # seconds between a coach's events
BURST = 25
BURST_EVERY = 60
PASSWORD = "bench-Pa55word"
KINDS = ["tackle", "interception", "key_pass", "foul", "free_kick", "ball_out", "corner", "save", "goal"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def stamp_seconds(iso: str) -> float:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


class Viewer:
    def __init__(self) -> None:
        self.bytes = 0
        self.events: set[str] = set()
        self.latencies: list[float] = []


async def watch(base: str, match_id: str, token: str, viewer: Viewer, ready: asyncio.Event, done: asyncio.Event,
                expected: set[str]) -> None:  # fmt: skip
    async with httpx.AsyncClient(base_url=base) as http:
        for path in (f"/share/{token}", "/static/share.js", "/static/share.css"):
            r = await http.get(path)
            r.raise_for_status()
            viewer.bytes += len(r.content)
    url = base.replace("http://", "ws://") + f"/ws/match/{match_id}?token={token}"
    async with connect(url, max_size=2**22, compression=None) as ws:
        ready.set()
        while not (done.is_set() and expected <= viewer.events):
            try:
                raw = await asyncio.wait_for(ws.recv(), timeout=1.0)
            except TimeoutError:
                continue
            now = time.time()
            viewer.bytes += len(raw.encode() if isinstance(raw, str) else raw)
            msg = json.loads(raw)
            if msg["type"] == "event" and not msg["event"]["deleted"]:
                if msg["event"]["id"] not in viewer.events:
                    viewer.latencies.append(now - stamp_seconds(msg["event"]["updated_at"]))
                viewer.events.add(msg["event"]["id"])


async def coach(base: str, email: str, match_id: str, api_ms: list[float], logged: set[str]) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        r = await http.post("/api/auth/login", json={"email": email, "password": PASSWORD})
        http.headers["Authorization"] = "Bearer " + r.json()["access_token"]

        async def call(method: str, path: str, body: object | None = None) -> httpx.Response:
            t = time.perf_counter()
            r = await http.request(method, path, json=body)
            api_ms.append((time.perf_counter() - t) * 1000)
            assert r.status_code < 300, (method, path, r.status_code, r.text)
            return r

        n = 0
        rng = random.Random(match_id)
        while n < EVENTS:
            if n and n % BURST_EVERY == 0:
                batch = [{"id": str(uuid.uuid4()), "match_id": match_id, "kind": rng.choice(KINDS), "team": "away",
                          "period": 1, "clock_ms": n * 1000 + i} for i in range(BURST)]  # fmt: skip
                r = await call("POST", "/api/sync/events", {"events": batch})
                assert all(x["status"] == "created" for x in r.json()["results"])
                logged.update(e["id"] for e in batch)
                n += BURST
                continue
            body = {"id": str(uuid.uuid4()), "kind": rng.choice(KINDS), "team": rng.choice(["home", "away"]),
                    "period": 1, "clock_ms": n * 1000, "note": "pitch-side"}  # fmt: skip
            r = await call("POST", f"/api/matches/{match_id}/events", body)
            logged.add(body["id"])
            if n % 10 == 5:
                await call("PUT", f"/api/events/{body['id']}", {"note": "corrected"})
            if n % 25 == 0:
                await call("GET", f"/api/matches/{match_id}")
            n += 1
            await asyncio.sleep(PACE * rng.uniform(0.5, 1.5))


async def run(base: str, emails: list[str]) -> tuple[list[float], list[Viewer]]:
    matches: list[tuple[str, str, str]] = []
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        for email in emails:
            r = await http.post("/api/auth/login", json={"email": email, "password": PASSWORD})
            headers = {"Authorization": "Bearer " + r.json()["access_token"]}
            mid = str(uuid.uuid4())
            body = {"id": mid, "home_team": "Riverside", "away_team": "Hillside", "status": "live",
                    "current_period": 1, "kickoff_at": "2026-12-06T10:00:00Z"}  # fmt: skip
            assert (await http.post("/api/matches", json=body, headers=headers)).status_code == 201
            token = (await http.get(f"/api/matches/{mid}/share", headers=headers)).json()["token"]
            matches.append((email, mid, token))
    api_ms: list[float] = []
    viewers: list[Viewer] = []
    done = asyncio.Event()
    watchers = []
    readies = []
    logged: dict[str, set[str]] = {mid: set() for _, mid, _ in matches}
    for _, mid, token in matches:
        for _ in range(VIEWERS):
            viewer, ready = Viewer(), asyncio.Event()
            viewers.append(viewer)
            readies.append(ready)
            watchers.append(asyncio.create_task(watch(base, mid, token, viewer, ready, done, logged[mid])))
    await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), 120)
    await asyncio.gather(*(coach(base, email, mid, api_ms, logged[mid]) for email, mid, _ in matches))
    done.set()
    await asyncio.wait_for(asyncio.gather(*watchers), 60)
    for i, viewer in enumerate(viewers):
        assert logged[matches[i // VIEWERS][1]] <= viewer.events, "a viewer missed events"
    return api_ms, viewers


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="fieldmat-bench-")
    db = args.db or f"sqlite:///{tmp}/server.db"
    club = f"Bench {uuid.uuid4().hex[:8]}"
    os.environ["FIELDMAT_SERVER_PASSWORD"] = PASSWORD
    assert server_cli(["club", "add", club, "--db", db]) == 0
    emails = [f"coach{i}-{club.split()[1]}@bench.example" for i in range(MATCHES)]
    for email in emails:
        assert server_cli(["user", "add", "--club", club, "--email", email, "--db", db]) == 0
    port = free_port()
    env = {**os.environ, "FIELDMAT_SERVER_RATE_PER_TOKEN": "0", "FIELDMAT_SERVER_RATE_PER_ADDRESS": "0",
           "FIELDMAT_SERVER_LOGIN_RATE": "0", "PYTHONPATH": str(ROOT)}  # fmt: skip
    proc = subprocess.Popen([sys.executable, "-m", "server", "run", "--port", str(port), "--db", db], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(base + "/api/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        started = time.perf_counter()
        api_ms, viewers = asyncio.run(run(base, emails))
        elapsed = time.perf_counter() - started
    finally:
        proc.terminate()
        proc.wait(10)
    ws_ms = [lat * 1000 for v in viewers for lat in v.latencies]
    per_viewer = max(v.bytes for v in viewers)
    kind = "postgresql" if db.startswith("postgres") else "sqlite"
    print(f"db {kind}; {MATCHES} matches x {VIEWERS} viewers, {EVENTS} events per match, {elapsed:.1f} s")
    print(f"api requests {len(api_ms)}  p50 {statistics.median(api_ms):.1f} ms  p99 {pct(api_ms, 99):.1f} ms")
    print(f"ws deliveries {len(ws_ms)}  p50 {statistics.median(ws_ms):.1f} ms  p99 {pct(ws_ms, 99):.1f} ms")
    print(f"bytes per viewer per match: max {per_viewer}, mean {statistics.mean(v.bytes for v in viewers):.0f}")
    print(f"api_p99_ms {pct(api_ms, 99):.1f} ws_p99_ms {pct(ws_ms, 99):.1f} bytes_per_viewer {per_viewer}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
