"""Contract test: the WHOOP client against Stoplight Prism serving WHOOP's official openapi.json.

Prism validates every request against the spec (wrong paths, a ``limit`` over 25, a
``start`` that is not a date-time, a missing bearer ... are refused), so a green run means
our requests match the spec and our parser reads the spec's example records.
Needs ``npm ci`` at the repo root (``node_modules/.bin/prism``) and ../shared; skips otherwise.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import select

from app.context import AppContext
from app.models.providers import WhoopCycle, WhoopProfile, WhoopRecovery, WhoopSleep, WhoopWorkout
from sync.http import make_client, no_sleep_policy
from sync.provider import SyncRun
from sync.whoop.client import WhoopClient
from sync.whoop.config import WhoopEndpoints
from sync.whoop.pull import pull_all
from sync.whoop.ratelimit import TokenBucket
from sync.whoop.tokens import WhoopAuth, WhoopTokens
from tests import loopback
from tests.providers.helpers import NOW

pytestmark = pytest.mark.subprocess

REPO = Path(__file__).resolve().parents[2]
PRISM = REPO / "node_modules" / ".bin" / "prism"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def prism(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    shared = Path(os.environ.get("FIELDMAT_SHARED", REPO.parent / "shared"))
    spec_src = shared / "providers" / "whoop" / "openapi.json"
    if not spec_src.is_file():
        pytest.skip(f"WHOOP spec {spec_src} is absent (needs ../shared)")
    if not PRISM.exists() or shutil.which("node") is None:
        pytest.skip("Prism is not installed: run `npm ci` at the repo root (needs node and npm)")
    folder = tmp_path_factory.mktemp("prism")
    spec = json.loads(spec_src.read_text(encoding="utf-8"))
    spec.setdefault("info", {}).setdefault("version", "2.0.0")
    spec_path = folder / "openapi.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    port = _free_port()
    log = (folder / "prism.log").open("w")
    proc = subprocess.Popen(
        [str(PRISM), "mock", "-h", "127.0.0.1", "-p", str(port), str(spec_path)],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=folder,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                pytest.fail(f"Prism exited: {(folder / 'prism.log').read_text()[-2000:]}")
            try:
                loopback.get(url + "/v2/user/profile/basic", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    pytest.fail("Prism did not start within 90 s")
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        log.close()


@pytest.fixture
def prism_ctx(ctx: AppContext) -> Any:
    """A context whose WHOOP access token is valid (Prism accepts any bearer)."""
    ctx.clock = lambda: NOW
    ctx.settings.provider("whoop").client_id = "prism-client"
    ctx.secrets.set("whoop", "client_secret", "prism-secret")
    ctx.secrets.set("whoop", "refresh_token", "prism-refresh")
    ctx.secrets.set("whoop", "access_token", "prism-access")
    ctx.secrets.set("whoop", "access_expires_at", str(NOW.timestamp() + 3600))
    return ctx


def _client(ctx: AppContext, http: httpx.Client, base: str) -> WhoopClient:
    endpoints = WhoopEndpoints(api_base=base, authorize_url=base + "/oauth", token_url=base + "/token")
    return WhoopClient(
        http, base, WhoopAuth(WhoopTokens(ctx, endpoints)), bucket=TokenBucket(6000, burst=100), max_attempts=1
    )


def _violations(responses: list[httpx.Response]) -> list[str]:
    return [
        f"{r.request.method} {r.request.url}: {r.headers['sl-violations']}"
        for r in responses
        if "sl-violations" in r.headers
    ]


def test_every_request_matches_the_official_spec(prism: str, prism_ctx: AppContext) -> None:
    seen: list[httpx.Response] = []
    http = make_client(timeout=30.0)
    http.event_hooks["response"].append(seen.append)
    try:
        run = SyncRun(ctx=prism_ctx, client=http, provider="whoop", retry=no_sleep_policy(), phase="pull")
        pull_all(run, _client(prism_ctx, http, prism))
        assert _client(prism_ctx, http, prism).revoke() is True
    finally:
        http.close()
    assert _violations(seen) == []
    assert all(r.status_code in (200, 204) for r in seen), [(str(r.request.url), r.status_code) for r in seen]
    paths = {r.request.url.path for r in seen}
    assert {
        "/v2/user/profile/basic",
        "/v2/user/measurement/body",
        "/v2/cycle",
        "/v2/recovery",
        "/v2/activity/sleep",
        "/v2/activity/workout",
        "/v2/user/access",
    } <= paths
    # Prism's static mock repeats next_token: we asked for page 2 once and stopped
    assert len([r for r in seen if r.request.url.path == "/v2/cycle"]) == 2
    with prism_ctx.db.session() as s:
        for table in (WhoopProfile, WhoopCycle, WhoopRecovery, WhoopSleep, WhoopWorkout):
            assert s.exec(select(table)).all(), table.__tablename__
        cycle = s.exec(select(WhoopCycle)).one()
        assert cycle.score_state == "SCORED" and cycle.strain is not None


def test_prism_does_refuse_requests_that_break_the_spec(prism: str) -> None:
    """Guard: the contract test can fail (Prism really validates)."""
    bearer = {"Authorization": "Bearer x"}
    assert loopback.get(prism + "/v2/activity/sleep", params={"limit": "26"}, headers=bearer).status_code in (400, 422)
    assert loopback.get(prism + "/v2/cycle", params={"start": "yesterday"}, headers=bearer).status_code in (400, 422)
    assert loopback.get(prism + "/v2/user/profile/basic").status_code == 401
