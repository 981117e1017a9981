"""The yoga API (--api yoga): accounts, expiring JWTs, client_id dedupe, stats, and Fieldmat against it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.context import AppContext
from server.models import YogaUser
from server.security import Tokens, signing_key
from server.yoga.stats import practice_stats
from sync import accounts
from sync.engine import SyncEngine
from sync.http import make_client, no_sleep_policy
from tests import loopback
from tests.club_server.harness import RunningServer
from tests.sync.helpers import add_session

USER = {"fullname": "Asha Yogi", "email": "asha@example.org", "password": "long-Pa55word", "sex": "f",
        "dob": "1990-04-01"}  # fmt: skip


def signed_in(server: RunningServer) -> httpx.Client:
    assert loopback.post(server.url + "/auth/signup", json=USER).status_code == 201
    r = loopback.post(server.url + "/auth/login", json={"email": USER["email"], "password": USER["password"]})
    assert r.status_code == 200 and r.json()["token_type"] == "bearer" and r.json()["expires_in"] == 3600
    return loopback.client(base_url=server.url, headers={"Authorization": "Bearer " + r.json()["access_token"]})


def test_signup_hashes_with_argon2_and_refuses_a_taken_email(yoga_server: RunningServer) -> None:
    c = signed_in(yoga_server)
    assert c.get("/auth/me").json() == {"id": 1, "fullname": "Asha Yogi", "email": "asha@example.org"}
    assert loopback.post(yoga_server.url + "/auth/signup", json=USER).status_code == 409
    with Session(yoga_server.engine) as s:
        stored = s.execute(select(YogaUser.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and USER["password"] not in stored
    wrong = loopback.post(yoga_server.url + "/auth/login", json={"email": USER["email"], "password": "nope-nope"})
    assert wrong.status_code == 401 and wrong.json() == {"detail": "Incorrect email or password"}


def test_expired_jwt_answers_401(yoga_server: RunningServer) -> None:
    signed_in(yoga_server)
    expired = Tokens(signing_key(yoga_server.engine), "fieldmat-yoga", ttl_s=-10).issue(1)
    r = loopback.get(yoga_server.url + "/api/sessions", headers={"Authorization": f"Bearer {expired}"})
    assert r.status_code == 401 and "detail" in r.json()
    team_token = Tokens(signing_key(yoga_server.engine), "fieldmat-team", ttl_s=60).issue(1, club=1)
    r = loopback.get(yoga_server.url + "/api/sessions", headers={"Authorization": f"Bearer {team_token}"})
    assert r.status_code == 401  # a team token is not a yoga token


def test_sessions_are_deduplicated_by_client_id(yoga_server: RunningServer) -> None:
    c = signed_in(yoga_server)
    body = {"client_id": str(uuid.uuid4()), "duration": 20, "avg_accuracy": 81.5,
            "poses": [{"pose_name": "Mountain Pose", "accuracy": 90, "unknown": 1}]}  # fmt: skip
    first = c.post("/api/sessions", json=body)
    again = c.post("/api/sessions", json={**body, "duration": 99})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json() and first.json()["total_poses"] == 1
    assert len(c.get("/api/sessions").json()) == 1
    assert c.post("/api/sessions", json={**body, "avg_accuracy": 101}).status_code == 422


def test_other_users_sessions_answer_404(yoga_server: RunningServer) -> None:
    c = signed_in(yoga_server)
    sid = c.post("/api/sessions", json={"duration": 5, "avg_accuracy": 50, "poses": []}).json()["id"]
    other = {**USER, "email": "ben@example.org"}
    loopback.post(yoga_server.url + "/auth/signup", json=other)
    token = loopback.post(yoga_server.url + "/auth/login", json=other).json()["access_token"]
    with loopback.client(base_url=yoga_server.url, headers={"Authorization": f"Bearer {token}"}) as ben:
        assert ben.get(f"/api/sessions/{sid}").status_code == 404
        assert ben.delete(f"/api/sessions/{sid}").status_code == 404
    assert c.delete(f"/api/sessions/{sid}").status_code == 204


def test_stats_week_from_monday_streak_minutes_accuracy(yoga_server: RunningServer) -> None:
    now = datetime(2026, 12, 9, 18, 0, tzinfo=UTC)  # a Wednesday
    state = yoga_server.uvicorn.config.app.state.server  # the clock is an edge: fixed here
    state.clock = lambda: now
    c = signed_in(yoga_server)
    for days_ago, minutes, acc in [(0, 10, 80.0), (1, 20, 70.0), (2, 30, 90.0), (4, 40, 60.0)]:
        date = (now - timedelta(days=days_ago)).isoformat()
        c.post("/api/sessions", json={"date": date, "duration": minutes, "avg_accuracy": acc, "poses": []})
    stats = c.get("/api/sessions/stats").json()
    # Monday the 7th to now: the sessions of Wednesday, Tuesday, Monday (not the Saturday before).
    assert stats == {"sessions_this_week": 3, "mindful_minutes": 60, "current_streak": 3, "avg_accuracy": 75.0}


def test_streak_counts_from_yesterday_when_today_is_empty() -> None:
    now = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)  # Monday morning, nothing yet today
    sessions = [(now - timedelta(days=d), 10, 50.0) for d in (1, 2, 3)]
    assert practice_stats(sessions, now) == {"sessions_this_week": 0, "mindful_minutes": 0, "current_streak": 3,
                                             "avg_accuracy": 50.0}  # fmt: skip
    assert practice_stats([], now)["current_streak"] == 0


def test_fieldmat_syncs_practice_sessions_without_duplicates(yoga_server: RunningServer, ctx: AppContext) -> None:
    signed_in(yoga_server)
    with make_client(timeout=httpx.Timeout(10.0)) as client:
        accounts.connect(ctx, "yoga", yoga_server.url, USER["email"], USER["password"], client=client)
    for day in range(3):
        add_session(ctx, minutes=15, day=day)
    engine = SyncEngine(ctx, client_factory=lambda: make_client(timeout=httpx.Timeout(10.0)), retry=no_sleep_policy(3))
    assert engine.run().ok
    assert engine.run().ok
    token = loopback.post(yoga_server.url + "/auth/login", json=USER).json()["access_token"]
    sessions = loopback.get(yoga_server.url + "/api/sessions", headers={"Authorization": f"Bearer {token}"}).json()
    assert len(sessions) == 3 and all(s["client_id"] for s in sessions)


@pytest.mark.parametrize("path", ["/auth/me", "/api/sessions", "/api/sessions/stats", "/api/sessions/1"])
def test_every_private_route_needs_a_token(yoga_server: RunningServer, path: str) -> None:
    assert loopback.get(yoga_server.url + path).status_code == 401
