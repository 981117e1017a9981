"""Engine behaviour independent of one provider: status, registry, retries, busy, progress, sharing."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import httpx
import pytest
from sqlmodel import select

from app.context import AppContext
from app.models.sync import OutboxEntry, ProviderAccount, SyncLog
from sync import accounts, registry
from sync.engine import SyncBusy, SyncEngine
from sync.errors import AuthRequired, NotSynced, ProviderUnreachable, RateLimited, Rejected
from sync.http import Api, RetryPolicy, make_client, no_sleep_policy
from sync.provider import ProgressEvent, Provider, SyncRun
from sync.sharing import share_link
from tests import loopback
from tests.emulators.server import LocalServer
from tests.emulators.team import TeamServer
from tests.emulators.yoga import YogaServer
from tests.sync.conftest import fast_client, stall_client
from tests.sync.helpers import EMAIL, PASSWORD, add_events, add_match, add_session, add_team, pending


class FakeProvider:
    name = "fake"
    label = "fake service"
    can_push = False

    def __init__(self, ctx: AppContext, client: httpx.Client) -> None:
        self.ctx = ctx

    def push(self, run: SyncRun) -> None:  # pragma: no cover - pull-only
        raise AssertionError

    def pull(self, run: SyncRun) -> None:
        for i in range(3):
            run.check_cancelled()
            run.progress("things", i + 1, 3)
            run.pulled("things")
        run.set_cursor("things", "c3")


@pytest.fixture
def fake_registered(ctx: AppContext) -> Iterator[None]:
    registry.register("fake", FakeProvider, label="fake service")
    accounts.record_account(ctx, "fake", "me")
    yield
    registry.unregister("fake")


def test_status_lists_every_known_provider(ctx: AppContext) -> None:
    status = {s.provider: s for s in SyncEngine(ctx).status()}
    assert {"team", "yoga", "whoop", "reboot"} <= set(status)
    assert not status["team"].connected and status["team"].pending == 0
    assert SyncEngine(ctx).run().results == []


def test_pull_only_provider_through_registry(ctx: AppContext, fake_registered: None) -> None:
    assert isinstance(FakeProvider(ctx, loopback.client()), Provider)
    events: list[ProgressEvent] = []
    summary = SyncEngine(ctx).run(progress=events.append)
    result = summary.result("fake")
    assert result is not None and result.status == "synced" and result.pulled == {"things": 3}
    assert [e.done for e in events if e.resource == "things"] == [1, 2, 3]
    assert all(e.phase == "pull" for e in events)
    with ctx.db.session() as s:
        log = s.exec(select(SyncLog)).one()
        assert log.sync_type == "both" and log.records_pulled == 3 and log.status == "synced"
        assert log.details["pulled"] == {"things": 3} and log.details["kind"] == "none"
        assert log.completed_at is not None and log.completed_at >= log.started_at
        assert s.get(ProviderAccount, "fake").last_success_at is not None  # type: ignore[union-attr]


def test_cancel_before_start(ctx: AppContext, fake_registered: None) -> None:
    result = SyncEngine(ctx).run(cancelled=lambda: True).result("fake")
    assert result is not None and result.status == "cancelled"


def test_provider_crash_is_reported_not_raised(
    ctx: AppContext, fake_registered: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(FakeProvider, "pull", lambda self, run: 1 / 0)
    result = SyncEngine(ctx).run().result("fake")
    assert result is not None and (result.status, result.kind) == ("failed", "unexpected")
    assert "unexpected problem" in result.errors[0] and "ZeroDivisionError" in result.errors[0]


def test_unavailable_provider_is_skipped(ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    accounts.record_account(ctx, "reboot", "org")
    monkeypatch.setattr(registry, "is_available", lambda name: name != "reboot")
    result = SyncEngine(ctx).run(providers=["reboot"]).result("reboot")
    assert result is not None and (result.status, result.kind) == ("failed", "unavailable")


def test_second_concurrent_run_is_refused(
    ctx: AppContext, fake_registered: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    inside = threading.Event()
    release = threading.Event()

    def slow_pull(self: Any, run: SyncRun) -> None:
        inside.set()
        release.wait(5)

    monkeypatch.setattr(FakeProvider, "pull", slow_pull)
    engine = SyncEngine(ctx)
    worker = threading.Thread(target=engine.run)
    worker.start()
    assert inside.wait(5)
    with pytest.raises(SyncBusy):
        engine.run()
    release.set()
    worker.join(5)


def test_one_provider_down_does_not_stop_the_other(
    ctx: AppContext, team_server: LocalServer, yoga_server: LocalServer, yoga_app: YogaServer
) -> None:
    with fast_client() as client:
        accounts.connect(ctx, "team", team_server.url, EMAIL, PASSWORD, client=client)
        accounts.connect(ctx, "yoga", yoga_server.url, EMAIL, PASSWORD, client=client)
    add_events(ctx, add_match(ctx, add_team(ctx)), 3)
    add_session(ctx)
    team_server.stop()
    summary = SyncEngine(ctx, client_factory=fast_client, retry=no_sleep_policy()).run()
    assert summary.result("team").status == "offline"  # type: ignore[union-attr]
    assert summary.result("yoga").status == "synced"  # type: ignore[union-attr]
    assert not summary.ok and "team server: offline" in summary.describe()
    assert len(yoga_app.user_sessions(EMAIL)) == 1 and pending(ctx, "team") == 5


# ---------------------------------------------------------------------- retries (Api level)
@pytest.fixture
def api_and_app(team_server: LocalServer, team_app: TeamServer) -> Iterator[tuple[Api, TeamServer, list[float]]]:
    sleeps: list[float] = []
    policy = RetryPolicy(max_attempts=4, base_delay=0.5, max_delay=30, sleep=sleeps.append, jitter=lambda: 1.0)
    with make_client(timeout=1.0) as client:
        yield Api(client, team_server.url, "team server", retry=policy), team_app, sleeps


def test_backoff_is_exponential_with_jitter(api_and_app: tuple[Api, TeamServer, list[float]]) -> None:
    api, app, sleeps = api_and_app
    app.inject("error", path="/api/health", times=3, status=502)
    assert api.request("GET", "/api/health").status_code == 200
    assert sleeps == [0.5, 1.0, 2.0]
    jittered = RetryPolicy(jitter=lambda: 0.25)
    assert jittered.backoff(3) == 0.25 * 4.0


def test_retry_after_is_honoured(api_and_app: tuple[Api, TeamServer, list[float]]) -> None:
    api, app, sleeps = api_and_app
    app.inject("rate_limit", path="/api/health", times=1, retry_after=7)
    assert api.request("GET", "/api/health").status_code == 200
    assert sleeps == [7.0]


def test_too_long_retry_after_ends_with_plain_message(api_and_app: tuple[Api, TeamServer, list[float]]) -> None:
    api, app, sleeps = api_and_app
    app.inject("rate_limit", path="/api/health", times=1, retry_after=3600)
    with pytest.raises(RateLimited) as info:
        api.request("GET", "/api/health")
    assert info.value.retry_after == 3600 and "slow down" in str(info.value) and sleeps == []


def test_non_idempotent_request_is_not_resent_after_ambiguous_failure(
    api_and_app: tuple[Api, TeamServer, list[float]],
) -> None:
    api, app, _sleeps = api_and_app
    app.inject("drop_after", path="/api/auth/login", times=1)
    with pytest.raises(ProviderUnreachable):
        api.request("POST", "/api/auth/login", json_body={"email": "a", "password": "b"}, idempotent=False)
    assert len([h for h in app.hits if h[1] == "/api/auth/login"]) == 1


def test_timeouts_then_unreachable(api_and_app: tuple[Api, TeamServer, list[float]]) -> None:
    api, app, sleeps = api_and_app
    app.inject("slow", path="/api/health", times=10)
    with stall_client() as client, pytest.raises(ProviderUnreachable) as info:
        replace(api, client=client).request("GET", "/api/health")
    assert "did not answer in time" in str(info.value) and info.value.kind == "timeout"
    assert sleeps == [0.5, 1.0, 2.0] and app.hits == [("GET", "/api/health", 200)] * 4


# ---------------------------------------------------------------------- accounts and sharing
def test_accounts_connect_signup_disconnect(ctx: AppContext, yoga_server: LocalServer, yoga_app: YogaServer) -> None:
    with fast_client() as client:
        with pytest.raises(AuthRequired, match="did not accept"):
            accounts.connect(ctx, "yoga", yoga_server.url, EMAIL, "wrong", client=client)
        with pytest.raises(Rejected, match="already has an account"):
            accounts.signup(ctx, "yoga", yoga_server.url, "X", EMAIL, "pw", "m", "1990-01-01", client=client)
        info = accounts.signup(
            ctx, "yoga", yoga_server.url, "New", "new@example.org", "pw2", "f", "1991-02-03", client=client
        )
    assert info.account == "new@example.org" and "new@example.org" in yoga_app.users
    assert ctx.secrets.get("yoga", "token") and ctx.secrets.get("yoga", "password") == "pw2"
    assert ctx.settings.provider("yoga").base_url == yoga_server.url
    add_session(ctx)
    accounts.disconnect(ctx, "yoga")
    assert ctx.secrets.get("yoga", "token") is None and ctx.secrets.get("yoga", "password") is None
    with ctx.db.session() as s:
        assert s.get(ProviderAccount, "yoga") is None
        assert len(s.exec(select(OutboxEntry)).all()) == 1  # unsent changes are kept
    assert not accounts.can_sign_up("team")


def test_share_link_for_synced_match(team_ctx: AppContext, engine: SyncEngine) -> None:
    match = add_match(team_ctx, add_team(team_ctx))
    with fast_client() as client:
        with pytest.raises(NotSynced):
            share_link(team_ctx, match.id, client=client)
        assert engine.run().ok
        link = share_link(team_ctx, match.id, client=client)
    assert link.url.startswith("http://127.0.0.1") and link.token and link.expires_at is not None


def test_reachable_probe(team_ctx: AppContext, team_server: LocalServer, team_app: TeamServer) -> None:
    engine = SyncEngine(team_ctx, client_factory=fast_client)
    assert engine.reachable(["team"]) is True
    assert ("GET", "/api/health", 200) in team_app.hits
    assert engine.reachable(["yoga"]) is False  # not configured
    team_server.stop()
    assert engine.reachable() is False


def test_run_interrupted_by_a_crash_is_closed_next_time(ctx: AppContext, fake_registered: None) -> None:
    with ctx.db.write() as s:
        s.add(SyncLog(provider="fake", sync_type="both", status="running"))
    assert SyncEngine(ctx).run().ok
    with ctx.db.session() as s:
        logs = sorted(s.exec(select(SyncLog)).all(), key=lambda r: r.status)
    assert [r.status for r in logs] == ["failed", "synced"]
    assert "closed during this sync" in (logs[0].error or "") and logs[0].completed_at is not None


@pytest.mark.subprocess
def test_run_is_refused_while_another_process_syncs(ctx: AppContext, fake_registered: None) -> None:
    """The window and `fieldmat sync` (or two windows) on one data folder never sync at once."""
    import subprocess
    import sys
    from pathlib import Path

    from sync.engine import BUSY_ELSEWHERE, RUN_LOCK_FILE

    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from sync.file_lock import InterProcessLock\n"
            "with InterProcessLock(Path(sys.argv[1])).hold():\n"
            "    print('HELD', flush=True); sys.stdin.readline()\n",
            str(ctx.home / RUN_LOCK_FILE),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "HELD"
        with pytest.raises(SyncBusy) as busy:
            SyncEngine(ctx).run()
        assert str(busy.value) == BUSY_ELSEWHERE
    finally:
        holder.communicate("\n", timeout=30)
    result = SyncEngine(ctx).run().result("fake")  # the other process finished: this one runs
    assert result is not None and result.status == "synced"
