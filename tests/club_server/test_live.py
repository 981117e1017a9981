"""The live channel /ws/match/{id} and the share page, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import text
from websockets.exceptions import InvalidStatus
from websockets.sync.client import ClientConnection, connect

from tests import loopback
from tests.club_server.conftest import EMAIL, OTHER_EMAIL
from tests.club_server.harness import RunningServer, serve
from tests.club_server.test_team_rules import make_event, make_match


@contextmanager
def viewer(server: RunningServer, match_id: str, token: str, after_seq: int | None = None
           ) -> Iterator[ClientConnection]:  # fmt: skip
    url = server.url.replace("http://", "ws://") + f"/ws/match/{match_id}?token={token}"
    if after_seq is not None:
        url += f"&after_seq={after_seq}"
    with connect(url, open_timeout=10) as ws:
        yield ws


def receive(ws: ClientConnection) -> dict[str, Any]:
    return dict(json.loads(ws.recv(timeout=10)))


def bearer(server: RunningServer, email: str = EMAIL) -> str:
    return server.login(email)["Authorization"].removeprefix("Bearer ")


def test_snapshot_then_changes_in_commit_order_with_seq(team_server: RunningServer) -> None:
    with team_server.client(EMAIL) as c:
        match = make_match(c, current_period=1)
        make_event(c, match["id"], kind="goal", clock_ms=61_000)
        with viewer(team_server, match["id"], bearer(team_server)) as ws:
            snap = receive(ws)
            assert snap["type"] == "snapshot"
            assert snap["view"]["match"]["score"]["home"] == 1 and snap["view"]["match"]["clock_time"] == "01:01"
            tackle = make_event(c, match["id"], kind="tackle", clock_ms=62_000)
            goal = make_event(c, match["id"], kind="goal", team="away", clock_ms=63_000)
            c.delete(f"/api/events/{tackle['id']}")
            c.put(f"/api/matches/{match['id']}", json={"status": "live"})
            got = [receive(ws) for _ in range(5)]
    assert [m["seq"] for m in got] == list(range(snap["seq"] + 1, snap["seq"] + 6))
    assert [(m["type"], (m.get("event") or m.get("match") or {}).get("id")) for m in got] == [
        ("event", tackle["id"]), ("event", goal["id"]), ("match", match["id"]), ("event", tackle["id"]),
        ("match", match["id"]),
    ]  # fmt: skip
    assert got[2]["match"]["score"] == {"home": 1, "away": 1, "shootout": None}
    assert got[3]["event"]["deleted"] is True
    assert got[4]["match"]["status"] == "live"


def test_resume_after_seq_gets_what_was_missed_or_a_snapshot(team_server: RunningServer) -> None:
    with team_server.client(EMAIL) as c:
        match = make_match(c)
        with viewer(team_server, match["id"], bearer(team_server)) as ws:
            seen = receive(ws)["seq"]
        missed = [make_event(c, match["id"], clock_ms=i) for i in range(3)]
        with viewer(team_server, match["id"], bearer(team_server), after_seq=seen) as ws:
            got = [receive(ws) for _ in range(3)]
        assert [m["event"]["id"] for m in got] == [e["id"] for e in missed]
        assert [m["seq"] for m in got] == [seen + 1, seen + 2, seen + 3]
        with viewer(team_server, match["id"], bearer(team_server), after_seq=seen + 1000) as ws:
            assert receive(ws)["type"] == "snapshot"  # a seq this server never gave: start afresh


def test_share_token_is_read_only_and_for_its_match_only(team_server: RunningServer) -> None:
    with team_server.client(EMAIL) as c:
        match, other_match = make_match(c), make_match(c)
        share = c.get(f"/api/matches/{match['id']}/share").json()
        assert share["url"].endswith(f"/share/{share['token']}")
        with viewer(team_server, match["id"], share["token"]) as ws:
            assert receive(ws)["type"] == "snapshot"
            ws.send(json.dumps({"type": "event", "event": {"id": str(uuid.uuid4()), "kind": "goal"}}))
            event = make_event(c, match["id"])
            assert receive(ws)["event"]["id"] == event["id"]  # what it sent was ignored
        assert c.get(f"/api/matches/{match['id']}/events").json()["items"] == [event]
        with pytest.raises(InvalidStatus), viewer(team_server, other_match["id"], share["token"]):
            pass
        with pytest.raises(InvalidStatus), viewer(team_server, match["id"], bearer(team_server, OTHER_EMAIL)):
            pass  # another club's token: refused as an unknown match


def test_share_page_is_self_contained_and_gone_when_revoked(team_server: RunningServer) -> None:
    with team_server.client(EMAIL) as c:
        match = make_match(c)
        share = c.get(f"/api/matches/{match['id']}/share").json()
        page = loopback.get(share["url"])
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert '<meta name="viewport"' in page.text and "Riverside – Hillside" in page.text
        assert 'src="/static/share.js"' in page.text and "http" not in page.text.replace("http-equiv", "")
        assert "script-src" not in page.headers["content-security-policy"]  # default-src 'self' covers it
        assert loopback.get(team_server.url + "/static/share.js").status_code == 200
        assert c.delete(f"/api/matches/{match['id']}/share").status_code == 204
        gone = loopback.get(share["url"])
        assert gone.status_code == 404 and "no longer valid" in gone.text
        assert gone.headers["content-type"].startswith("text/html")
        with pytest.raises(InvalidStatus), viewer(team_server, match["id"], share["token"]):
            pass


def test_expired_share_token_answers_the_plain_404_page(team_server: RunningServer) -> None:
    with serve(team_server.db_url, share_ttl_h=0) as server, server.client(EMAIL) as c:
        match = make_match(c)
        share = c.get(f"/api/matches/{match['id']}/share").json()
        assert loopback.get(share["url"]).status_code == 404


def test_postgres_fans_out_between_server_processes(team_server: RunningServer) -> None:
    """Two servers on one PostgreSQL database: a viewer of one sees a write made through the other."""
    if not team_server.db_url.startswith("postgresql"):
        pytest.skip("fan-out between processes goes through PostgreSQL LISTEN/NOTIFY; SQLite serves one process")
    with serve(team_server.db_url) as second, team_server.client(EMAIL) as c:
        match = make_match(c)
        with viewer(second, match["id"], bearer(second)) as ws:
            assert receive(ws)["type"] == "snapshot"
            event = make_event(c, match["id"], kind="goal")
            got = receive(ws), receive(ws)
        assert got[0]["event"]["id"] == event["id"] and got[1]["match"]["score"]["home"] == 1


def test_concurrent_writers_keep_commit_order_and_seq(team_server: RunningServer) -> None:
    """Four writers at once (single events, edits, batches, goals) on one match, and writes on
    another match of the club in between: the viewer gets every message once, seq +1 each time,
    the event stamps rise with seq (commit order), and a resume from seq 0 replays the same bytes."""
    with team_server.client(EMAIL) as c:
        match, other = make_match(c, current_period=1), make_match(c, current_period=1)
    with viewer(team_server, match["id"], bearer(team_server)) as ws:
        start = receive(ws)["seq"]

        def write(n: int) -> int:
            sent = 0
            with team_server.client(EMAIL) as w:
                for i in range(8):
                    kind = "goal" if i % 4 == 3 else "tackle"
                    event = make_event(w, match["id"], kind=kind, clock_ms=n * 100_000 + i)
                    make_event(w, other["id"], clock_ms=i)
                    sent += 2 if kind == "goal" else 1
                    if i % 3 == 0:
                        assert w.put(f"/api/events/{event['id']}", json={"note": f"w{n}"}).status_code == 200
                        sent += 1
                batch = [{"id": str(uuid.uuid4()), "match_id": match["id"], "kind": "tackle", "team": "away",
                          "period": 1, "clock_ms": j} for j in range(5)]  # fmt: skip
                r = w.post("/api/sync/events", json={"events": batch})
                assert [x["status"] for x in r.json()["results"]] == ["created"] * 5
                return sent + 5

        with ThreadPoolExecutor(4) as pool:
            expected = sum(pool.map(write, range(4)))
        got = [receive(ws) for _ in range(expected)]
    assert [m["seq"] for m in got] == list(range(start + 1, start + expected + 1))
    stamps = [m["event"]["updated_at"] for m in got if m["type"] == "event"]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
    goals: set[str] = set()
    for m in got:  # each score message counts the goals committed before it
        if m["type"] == "event" and m["event"]["kind"] == "goal":
            goals.add(m["event"]["id"])
        elif m["type"] == "match":
            assert m["match"]["score"]["home"] == len(goals)
    assert len(goals) == 8
    with viewer(team_server, match["id"], bearer(team_server), after_seq=0) as ws:
        replayed = [ws.recv(timeout=10) for _ in range(start + expected)]
    assert [json.loads(text) for text in replayed[start:]] == got


def test_clock_time_follows_deletes_periods_and_other_processes(team_server: RunningServer) -> None:
    """The live messages' clock_time (kept by the server between its writes, keyed by the match's
    live seq) stays the latest event of the current period through deletes, period changes, and
    a change committed by another server process."""
    with team_server.client(EMAIL) as c:
        match = make_match(c, current_period=1)
        with viewer(team_server, match["id"], bearer(team_server)) as ws:
            receive(ws)

            def clock_after(make: Any) -> str:
                make()
                return str(receive(ws)["clock_time"])

            assert clock_after(lambda: make_event(c, match["id"], clock_ms=10_000)) == "00:10"
            late = make_event(c, match["id"], clock_ms=30_000)
            assert receive(ws)["clock_time"] == "00:30"
            assert clock_after(lambda: c.delete(f"/api/events/{late['id']}")) == "00:10"
            assert clock_after(lambda: make_event(c, match["id"], clock_ms=20_000)) == "00:20"
            with team_server.engine.begin() as conn:  # what another process's commit looks like here
                conn.execute(
                    text(
                        "INSERT INTO events (id, club_id, updated_at, deleted, match_id, kind, team, period, clock_ms)"
                        " SELECT :id, club_id, updated_at + 1, :no, id, 'tackle', 'home', 1, 40000"
                        " FROM matches WHERE id = :m"
                    ),
                    {"id": str(uuid.uuid4()), "m": match["id"], "no": False},
                )
                conn.execute(text("UPDATE matches SET live_seq = live_seq + 1 WHERE id = :m"), {"m": match["id"]})
            assert clock_after(lambda: make_event(c, match["id"], clock_ms=25_000)) == "00:40"
            assert clock_after(lambda: c.put(f"/api/matches/{match['id']}", json={"current_period": 2})) == "00:00"
            assert clock_after(lambda: make_event(c, match["id"], period=1, clock_ms=50_000)) == "00:00"
            assert clock_after(lambda: make_event(c, match["id"], period=2, clock_ms=5_000)) == "00:05"


def test_writes_of_different_matches_run_side_by_side_in_order(team_server: RunningServer) -> None:
    """Event writes lock their match only: writers on two matches at once, edits of one match and
    the deletion of a third (which locks the club and the match) all succeed, and each match's
    messages and event stamps keep its commit order."""
    with team_server.client(EMAIL) as c:
        a, b, gone = (make_match(c, current_period=1) for _ in range(3))
        doomed = [make_event(c, gone["id"], clock_ms=i) for i in range(3)]

    def events(match_id: str, n: int) -> None:
        with team_server.client(EMAIL) as w:
            for i in range(10):
                event = make_event(w, match_id, kind="goal" if i % 5 == 4 else "tackle", clock_ms=n * 1000 + i)
                if i % 4 == 0:
                    assert w.delete(f"/api/events/{event['id']}").status_code == 204

    def match_edits() -> None:
        with team_server.client(EMAIL) as w:
            for status in ("live", "scheduled", "live"):
                assert w.put(f"/api/matches/{a['id']}", json={"status": status}).status_code == 200
            assert w.delete(f"/api/matches/{gone['id']}").status_code == 204

    with ThreadPoolExecutor(6) as pool:
        jobs = [pool.submit(events, m["id"], n) for n in range(2) for m in (a, b)] + [pool.submit(match_edits)]
        for job in jobs:
            job.result()
    for match in (a, b):
        with viewer(team_server, match["id"], bearer(team_server), after_seq=0) as ws:
            first = receive(ws)
            assert first["type"] in ("event", "match") and first["seq"] == 1
            got = [first] + [receive(ws) for _ in range(2 * 16 - 1 + (3 if match is a else 0))]
        assert [m["seq"] for m in got] == list(range(1, len(got) + 1))
        stamps = [m["event"]["updated_at"] for m in got if m["type"] == "event"]
        assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
    with team_server.client(EMAIL) as c:
        listed = c.get(f"/api/matches/{gone['id']}/events").json()["items"]
        assert {e["id"] for e in listed} == {e["id"] for e in doomed} and all(e["deleted"] for e in listed)
        assert c.get(f"/api/matches/{gone['id']}").status_code == 404


def test_a_server_skips_its_own_notifications_and_hears_the_others() -> None:
    """On PostgreSQL a server delivers its own commits to its viewers at once; the NOTIFY it
    hears back for them is skipped, another server's is delivered."""
    import asyncio

    from server.live import NOTIFY_MAX, Live, decode_notice, encode_notice

    async def scenario() -> list[tuple[int, str | None]]:
        live, other = Live(), Live()
        live.attach(asyncio.get_running_loop())
        queue = live.subscribe("m1")
        live.heard(*decode_notice(encode_notice(live.origin, "m1", 1, '{"seq":1}')))
        live.heard(*decode_notice(encode_notice(other.origin, "m1", 2, '{"seq":2}')))
        live.heard(*decode_notice(encode_notice(other.origin, "m1", 3, "x" * NOTIFY_MAX)))
        await asyncio.sleep(0.05)
        return [queue.get_nowait() for _ in range(queue.qsize())]

    assert asyncio.run(scenario()) == [(2, '{"seq":2}'), (3, None)]  # too long for NOTIFY: read from the table
