"""The live channel /ws/match/{id} and the share page, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import ClientConnection, connect

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
        page = httpx.get(share["url"])
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert '<meta name="viewport"' in page.text and "Riverside – Hillside" in page.text
        assert 'src="/static/share.js"' in page.text and "http" not in page.text.replace("http-equiv", "")
        assert "script-src" not in page.headers["content-security-policy"]  # default-src 'self' covers it
        assert httpx.get(team_server.url + "/static/share.js").status_code == 200
        assert c.delete(f"/api/matches/{match['id']}/share").status_code == 204
        gone = httpx.get(share["url"])
        assert gone.status_code == 404 and "no longer valid" in gone.text
        assert gone.headers["content-type"].startswith("text/html")
        with pytest.raises(InvalidStatus), viewer(team_server, match["id"], share["token"]):
            pass


def test_expired_share_token_answers_the_plain_404_page(db_url: str, team_server: RunningServer) -> None:
    with serve(db_url, share_ttl_h=0) as server, server.client(EMAIL) as c:
        match = make_match(c)
        share = c.get(f"/api/matches/{match['id']}/share").json()
        assert httpx.get(share["url"]).status_code == 404


def test_postgres_fans_out_between_server_processes(db_url: str, team_server: RunningServer) -> None:
    """Two servers on one PostgreSQL database: a viewer of one sees a write made through the other."""
    if not db_url.startswith("postgresql"):
        pytest.skip("fan-out between processes goes through PostgreSQL LISTEN/NOTIFY; SQLite serves one process")
    with serve(db_url) as second, team_server.client(EMAIL) as c:
        match = make_match(c)
        with viewer(second, match["id"], bearer(second)) as ws:
            assert receive(ws)["type"] == "snapshot"
            event = make_event(c, match["id"], kind="goal")
            got = receive(ws), receive(ws)
        assert got[0]["event"]["id"] == event["id"] and got[1]["match"]["score"]["home"] == 1
