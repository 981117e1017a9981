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
import functools
import json
import multiprocessing
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
from multiprocessing.connection import Connection
from pathlib import Path

import httpx
from websockets.client import ClientProtocol
from websockets.frames import Frame, Opcode
from websockets.http11 import Response
from websockets.uri import parse_uri

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
BY_ROUTE: dict[str, list[float]] = {}  # the coach's request times by route, for the report
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
    """One family phone: what it received for its match, and when each event first arrived."""

    def __init__(self, match_id: str) -> None:
        self.match_id = match_id
        self.bytes = 0
        self.events: set[str] = set()
        self.latencies: list[float] = []

    def receive(self, raw: bytes, now: float) -> None:
        self.bytes += len(raw)
        msg = json.loads(raw)
        if msg["type"] == "event" and not msg["event"]["deleted"]:
            if msg["event"]["id"] not in self.events:
                self.latencies.append(now - stamp_seconds(msg["event"]["updated_at"]))
            self.events.add(msg["event"]["id"])


class LiveSocket(asyncio.Protocol):
    """A viewer's /ws/match connection on websockets' sans-I/O protocol: the arrival time of a
    message is read as soon as its bytes come off the socket, before anything is parsed."""

    def __init__(self, url: str, viewer: Viewer, opened: asyncio.Future[None]) -> None:
        self.ws = ClientProtocol(parse_uri(url), max_size=2**22)
        self.viewer = viewer
        self.opened = opened
        self.partial: list[bytes] = []
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.ws.send_request(self.ws.connect())
        self._flush()

    def data_received(self, data: bytes) -> None:
        now = time.time()
        self.ws.receive_data(data)
        for event in self.ws.events_received():
            if isinstance(event, Response):
                if not self.opened.done():
                    exc = self.ws.handshake_exc
                    self.opened.set_exception(exc) if exc else self.opened.set_result(None)
            elif isinstance(event, Frame) and event.opcode in (Opcode.TEXT, Opcode.CONT):
                self.partial.append(bytes(event.data))
                if event.fin:
                    self.viewer.receive(b"".join(self.partial), now)
                    self.partial.clear()
        self._flush()

    def _flush(self) -> None:
        assert self.transport is not None
        for chunk in self.ws.data_to_send():  # pongs, close frames
            if chunk:
                self.transport.write(chunk)

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.opened.done():
            self.opened.set_exception(exc or ConnectionError("closed before the handshake"))


async def watch_all(base: str, assignments: list[tuple[str, str, int]], conn: Connection) -> None:
    """This process's viewers: pages, then sockets; ``ready``; then run until every logged event
    of each viewer's match arrived (or 60 s after the coaches finished), and report."""
    loop = asyncio.get_running_loop()
    viewers: list[Viewer] = []
    sockets: list[asyncio.Transport] = []
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        for match_id, token, count in assignments:
            for _ in range(count):
                viewer = Viewer(match_id)
                for path in (f"/share/{token}", "/static/share.js", "/static/share.css"):
                    r = await http.get(path)
                    r.raise_for_status()
                    viewer.bytes += len(r.content)
                viewers.append(viewer)
                opened: asyncio.Future[None] = loop.create_future()
                url = base.replace("http://", "ws://") + f"/ws/match/{match_id}?token={token}"
                host, port = base.removeprefix("http://").split(":")
                socket_of = functools.partial(LiveSocket, url, viewer, opened)
                transport, _ = await loop.create_connection(socket_of, host, int(port))
                await asyncio.wait_for(opened, 60)
                sockets.append(transport)
    conn.send("ready")
    while not conn.poll():
        await asyncio.sleep(0.05)
    expected: dict[str, set[str]] = conn.recv()
    deadline = time.monotonic() + 60
    while any(not expected[v.match_id] <= v.events for v in viewers) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    for transport in sockets:
        transport.close()
    conn.send([(v.match_id, v.bytes, v.latencies, len(expected[v.match_id] - v.events)) for v in viewers])


def viewer_process(base: str, assignments: list[tuple[str, str, int]], conn: Connection) -> None:
    asyncio.run(watch_all(base, assignments, conn))


async def coach(base: str, email: str, match_id: str, api_ms: list[float], logged: set[str]) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        r = await http.post("/api/auth/login", json={"email": email, "password": PASSWORD})
        http.headers["Authorization"] = "Bearer " + r.json()["access_token"]

        async def call(method: str, path: str, body: object | None = None) -> httpx.Response:
            t = time.perf_counter()
            r = await http.request(method, path, json=body)
            api_ms.append((time.perf_counter() - t) * 1000)
            route = f"{method} /{path.split('/')[2]}{'/events' if path.endswith('/events') else ''}"
            BY_ROUTE.setdefault(route, []).append(api_ms[-1])
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


async def open_matches(base: str, emails: list[str]) -> list[tuple[str, str, str]]:
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
    return matches


async def coach_all(base: str, matches: list[tuple[str, str, str]]) -> tuple[list[float], dict[str, set[str]]]:
    api_ms: list[float] = []
    BY_ROUTE.clear()
    logged: dict[str, set[str]] = {mid: set() for _, mid, _ in matches}
    await asyncio.gather(*(coach(base, email, mid, api_ms, logged[mid]) for email, mid, _ in matches))
    by_route = "; ".join(f"{k} n={len(v)} p99 {pct(v, 99):.1f}" for k, v in sorted(BY_ROUTE.items()))
    print(f"api by route (ms): {by_route}")
    return api_ms, logged


def run(base: str, emails: list[str], clients: int) -> tuple[list[float], list[tuple[str, int, list[float], int]]]:
    """The coaches in this process; the viewers spread over ``clients`` processes (each match's
    viewers split among them), so a busy client loop does not count as server latency."""
    matches = asyncio.run(open_matches(base, emails))
    ctx = multiprocessing.get_context("spawn")
    pipes, procs = [], []
    for c in range(clients):
        share = [(mid, token, len(range(c, VIEWERS, clients))) for _, mid, token in matches]
        mine, theirs = ctx.Pipe()
        proc = ctx.Process(target=viewer_process, args=(base, share, theirs), daemon=True)
        proc.start()
        pipes.append(mine)
        procs.append(proc)
    for conn in pipes:
        assert conn.poll(180), "viewers did not connect"
        assert conn.recv() == "ready"
    api_ms, logged = asyncio.run(coach_all(base, matches))
    results: list[tuple[str, int, list[float], int]] = []
    for conn in pipes:
        conn.send(logged)
    for conn in pipes:
        assert conn.poll(120), "viewers did not report"
        results.extend(conn.recv())
    for proc in procs:
        proc.join(10)
    assert all(missing == 0 for _, _, _, missing in results), "a viewer missed events"
    return api_ms, results


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--clients", type=int, default=2, help="processes the viewers are spread over")
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
        api_ms, viewers = run(base, emails, args.clients)
        elapsed = time.perf_counter() - started
    finally:
        proc.terminate()
        proc.wait(10)
    ws_ms = [lat * 1000 for _, _, latencies, _ in viewers for lat in latencies]
    per_viewer = max(size for _, size, _, _ in viewers)
    kind = "postgresql" if db.startswith("postgres") else "sqlite"
    print(f"db {kind}; {MATCHES} matches x {VIEWERS} viewers, {EVENTS} events per match, {elapsed:.1f} s")
    print(f"api requests {len(api_ms)}  p50 {statistics.median(api_ms):.1f} ms  p99 {pct(api_ms, 99):.1f} ms")
    print(f"ws deliveries {len(ws_ms)}  p50 {statistics.median(ws_ms):.1f} ms  p99 {pct(ws_ms, 99):.1f} ms")
    mean = statistics.mean(size for _, size, _, _ in viewers)
    print(f"bytes per viewer per match: max {per_viewer}, mean {mean:.0f}")
    print(f"api_p99_ms {pct(api_ms, 99):.1f} ws_p99_ms {pct(ws_ms, 99):.1f} bytes_per_viewer {per_viewer}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
