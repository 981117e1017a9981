"""Each rule of the team contract (providers/team/openapi.yaml 1.1), on SQLite and PostgreSQL."""

from __future__ import annotations

import logging
import uuid
from typing import Any

import httpx
import pytest

from server.security import Tokens, signing_key
from tests import loopback
from tests.club_server.conftest import EMAIL, OTHER_EMAIL
from tests.club_server.harness import PASSWORD, RunningServer, serve


def new_id() -> str:
    return str(uuid.uuid4())


def make_match(c: httpx.Client, **fields: Any) -> dict[str, Any]:
    body = {"id": new_id(), "home_team": "Riverside", "away_team": "Hillside",
            "kickoff_at": "2026-05-02T10:00:00+02:00", **fields}  # fmt: skip
    r = c.post("/api/matches", json=body)
    assert r.status_code == 201, r.text
    return dict(r.json())


def make_event(c: httpx.Client, match_id: str, **fields: Any) -> dict[str, Any]:
    body = {"id": new_id(), "kind": "tackle", "team": "home", "period": 1, "clock_ms": 1000, **fields}
    r = c.post(f"/api/matches/{match_id}/events", json=body)
    assert r.status_code == 201, r.text
    return dict(r.json())


@pytest.fixture
def c(team_server: RunningServer) -> httpx.Client:
    return team_server.client(EMAIL)


def test_client_uuid_first_post_201_replay_200_changes_nothing(c: httpx.Client) -> None:
    team_id = new_id()
    first = c.post("/api/teams", json={"id": team_id, "name": "U12"})
    assert first.status_code == 201
    replay = c.post("/api/teams", json={"id": team_id, "name": "Something else"})
    assert replay.status_code == 200
    assert replay.json() == first.json()
    assert [t["name"] for t in c.get("/api/teams").json()["items"]] == ["U12"]


def test_updated_at_is_the_servers_and_increases(c: httpx.Client) -> None:
    sent = "1999-01-01T00:00:00.000000Z"
    a = c.post("/api/teams", json={"id": new_id(), "name": "A", "updated_at": sent}).json()
    b = c.post("/api/teams", json={"id": new_id(), "name": "B", "updated_at": sent}).json()
    assert a["updated_at"] != sent and a["updated_at"].endswith("Z")
    assert b["updated_at"] > a["updated_at"]


def test_if_match_stale_answers_409_with_the_current_record(c: httpx.Client) -> None:
    match = make_match(c)
    edited = c.put(f"/api/matches/{match['id']}", json={"venue": "Park"}, headers={"If-Match": match["updated_at"]})
    assert edited.status_code == 200 and edited.json()["venue"] == "Park"
    stale = c.put(f"/api/matches/{match['id']}", json={"venue": "Old"}, headers={"If-Match": match["updated_at"]})
    assert stale.status_code == 409
    assert stale.json() == edited.json()


def test_delete_unknown_404_deleted_again_204_and_match_takes_its_events(c: httpx.Client) -> None:
    assert c.delete(f"/api/events/{new_id()}").status_code == 404
    match = make_match(c)
    event = make_event(c, match["id"])
    assert c.delete(f"/api/matches/{match['id']}").status_code == 204
    assert c.delete(f"/api/matches/{match['id']}").status_code == 204
    events = c.get(f"/api/matches/{match['id']}/events").json()["items"]
    assert [(e["id"], e["deleted"]) for e in events] == [(event["id"], True)]


def test_cursor_paging_and_updated_since_with_deletions(c: httpx.Client) -> None:
    ids = [c.post("/api/teams", json={"id": new_id(), "name": f"T{i}"}).json()["id"] for i in range(7)]
    seen: list[str] = []
    cursor = None
    while True:
        page = c.get("/api/teams", params={"limit": 3, **({"cursor": cursor} if cursor else {})}).json()
        assert len(page["items"]) <= 3
        seen += [t["id"] for t in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ids
    assert len(c.get("/api/teams", params={"limit": 100000}).json()["items"]) == 7  # capped at 500, not refused
    player_team = ids[0]
    player = c.post(f"/api/teams/{player_team}/players", json={"id": new_id(), "name": "Sam"}).json()
    mark = player["updated_at"]
    assert c.delete(f"/api/players/{player['id']}").status_code == 204
    changed = c.get(f"/api/teams/{player_team}/players", params={"updated_since": mark}).json()["items"]
    assert [(p["id"], p["deleted"]) for p in changed] == [(player["id"], True)]
    assert c.get("/api/teams", params={"updated_since": "yesterday"}).status_code == 422


def test_sync_events_batch_reports_each_item(c: httpx.Client) -> None:
    match = make_match(c)
    good, replay = new_id(), make_event(c, match["id"])["id"]
    items = [
        {"id": good, "match_id": match["id"], "kind": "goal", "team": "home", "period": 1, "clock_ms": 5},
        {"id": replay, "match_id": match["id"], "kind": "goal", "team": "home", "period": 1, "clock_ms": 5},
        {"id": new_id(), "match_id": match["id"], "kind": "dance", "team": "home", "period": 1, "clock_ms": 5},
        {"id": new_id(), "match_id": new_id(), "kind": "goal", "team": "home", "period": 1, "clock_ms": 5},
    ]
    results = c.post("/api/sync/events", json={"events": items}).json()["results"]
    assert [r["status"] for r in results] == ["created", "replayed", "rejected", "rejected"]
    assert "kind" in results[2]["detail"] and results[3]["detail"] == "match not found"
    assert c.post("/api/sync/events", json={"events": items * 126}).status_code == 422  # over 500


def test_errors_are_detail_json_with_401_for_missing_invalid_and_expired_tokens(team_server: RunningServer) -> None:
    url = team_server.url + "/api/teams"
    expired = Tokens(signing_key(team_server.engine), "fieldmat-team", ttl_s=-10).issue(1, club=1)
    for headers in ({}, {"Authorization": "Bearer nonsense"}, {"Authorization": f"Bearer {expired}"}):
        r = loopback.get(url, headers=headers)
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
        assert isinstance(r.json()["detail"], str)
    wrong = loopback.post(team_server.url + "/api/auth/login", json={"email": EMAIL, "password": "wrong"})
    assert wrong.status_code == 401 and wrong.json() == {"detail": "bad credentials"}
    with team_server.client(EMAIL) as c:
        missing = c.get(f"/api/matches/{new_id()}")
        assert missing.status_code == 404 and missing.json() == {"detail": "match not found"}
        invalid = c.post("/api/teams", json={"id": new_id(), "name": ""})
        assert invalid.status_code == 422 and isinstance(invalid.json()["detail"], str)


def test_429_with_retry_after_per_token_and_per_address(team_server: RunningServer) -> None:
    with serve(team_server.db_url, rate_per_token=3, rate_per_address=1000, login_rate_per_address=1000) as limited:
        headers = limited.login(EMAIL)
        codes = [loopback.get(limited.url + "/api/teams", headers=headers).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        r = loopback.get(limited.url + "/api/teams", headers=headers)
        assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1 and "detail" in r.json()
        other = limited.login(OTHER_EMAIL)  # another token still goes
        assert loopback.get(limited.url + "/api/teams", headers=other).status_code == 200
    with serve(team_server.db_url, rate_per_token=0, rate_per_address=2, login_rate_per_address=1000) as limited:
        codes = [loopback.get(limited.url + "/api/health").status_code for _ in range(3)]
        assert codes == [200, 200, 429]


def test_unknown_fields_are_ignored(c: httpx.Client) -> None:
    match = make_match(c, weather="rain", regular_periods=4, future={"nested": [1]})
    assert "weather" not in match and match["regular_periods"] == 4
    event = make_event(c, match["id"], mood="happy", reason="second_yellow", kind="red_card")
    assert event["reason"] == "second_yellow" and "mood" not in event


def test_another_clubs_ids_answer_404(team_server: RunningServer, c: httpx.Client) -> None:
    match = make_match(c)
    event = make_event(c, match["id"])
    team = c.post("/api/teams", json={"id": new_id(), "name": "U12"}).json()
    player = c.post(f"/api/teams/{team['id']}/players", json={"id": new_id(), "name": "Sam"}).json()
    with team_server.client(OTHER_EMAIL) as other:
        for method, path in [
            ("GET", f"/api/matches/{match['id']}"), ("PUT", f"/api/matches/{match['id']}"),
            ("DELETE", f"/api/matches/{match['id']}"), ("GET", f"/api/matches/{match['id']}/events"),
            ("POST", f"/api/matches/{match['id']}/events"), ("GET", f"/api/matches/{match['id']}/lineup"),
            ("GET", f"/api/matches/{match['id']}/share"), ("DELETE", f"/api/matches/{match['id']}/share"),
            ("PUT", f"/api/events/{event['id']}"), ("DELETE", f"/api/events/{event['id']}"),
            ("GET", f"/api/teams/{team['id']}/players"), ("PUT", f"/api/players/{player['id']}"),
            ("DELETE", f"/api/players/{player['id']}"),
        ]:  # fmt: skip
            body = {"id": new_id(), "kind": "goal", "team": "home", "period": 1, "clock_ms": 0}
            r = other.request(method, path, json=body if method in ("PUT", "POST") else None)
            assert r.status_code == 404, (method, path, r.status_code)
        assert other.get("/api/matches").json()["items"] == []
    assert c.get(f"/api/matches/{match['id']}").json()["match"]["score"] == {"home": 0, "away": 0, "shootout": None}


def test_score_own_goals_and_shootout(c: httpx.Client) -> None:
    match = make_match(c, current_period=2)
    make_event(c, match["id"], kind="goal", team="home")
    make_event(c, match["id"], kind="own_goal", team="home")  # counts for away
    make_event(c, match["id"], kind="goal", team="away", period=4, clock_ms=60_000)
    view = c.get(f"/api/matches/{match['id']}").json()
    assert view["match"]["score"] == {"home": 1, "away": 2, "shootout": None}
    make_event(c, match["id"], kind="shootout_goal", team="home", period=5)
    make_event(c, match["id"], kind="shootout_miss", team="away", period=5)
    score = c.get("/api/matches").json()["items"][0]["score"]
    assert score == {"home": 1, "away": 2, "shootout": {"home": 1, "away": 0}}
    assert [e["timestamp"] for e in view["recent_events"]] == ["00:01", "00:01", "01:00"]


def test_lineup_is_replaced_whole(c: httpx.Client) -> None:
    team = c.post("/api/teams", json={"id": new_id(), "name": "U12"}).json()
    players = [c.post(f"/api/teams/{team['id']}/players", json={"id": new_id(), "name": f"P{i}"}).json()
               for i in range(3)]  # fmt: skip
    match = make_match(c)
    items = [{"player_id": p["id"], "starting": i < 2, "shirt_number": i + 1} for i, p in enumerate(players)]
    assert c.put(f"/api/matches/{match['id']}/lineup", json={"items": items}).json()["items"] == items
    assert c.put(f"/api/matches/{match['id']}/lineup", json={"items": items[:1]}).status_code == 200
    assert c.get(f"/api/matches/{match['id']}/lineup").json()["items"] == items[:1]
    unknown = [{"player_id": new_id(), "starting": True}]
    assert c.put(f"/api/matches/{match['id']}/lineup", json={"items": unknown}).status_code == 404


def test_health_security_headers_and_no_cors_by_default(team_server: RunningServer) -> None:
    r = loopback.get(team_server.url + "/api/health", headers={"Origin": "https://evil.example"})
    assert r.json() == {"status": "ok"}
    assert r.headers["x-content-type-options"] == "nosniff" and r.headers["x-frame-options"] == "DENY"
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert "access-control-allow-origin" not in r.headers
    with serve(team_server.db_url, cors_origins=("https://club.example",)) as open_server:
        r = loopback.get(open_server.url + "/api/health", headers={"Origin": "https://club.example"})
        assert r.headers["access-control-allow-origin"] == "https://club.example"


def test_logs_name_no_secret(team_server: RunningServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    headers = team_server.login(EMAIL)
    token = headers["Authorization"].removeprefix("Bearer ")
    with team_server.client(EMAIL) as c:
        match = make_match(c)
        share = c.get(f"/api/matches/{match['id']}/share").json()
    loopback.get(f"{team_server.url}/api/teams?token={token}", headers=headers)
    # Everything the server side logged (the test's own HTTP client logs its URLs: not the server's).
    text = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith(("httpx", "httpcore")))
    assert "/api/teams" in text  # the access log is on
    assert PASSWORD not in text and token not in text and share["token"] not in text.replace("/share/", "")
