"""WHOOP v2 pull against the loopback emulator (real HTTP, real SQLite, in-memory keychain)."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlmodel import select

from app.context import AppContext
from app.models.providers import WhoopCycle, WhoopProfile, WhoopRecovery, WhoopSleep, WhoopWorkout
from app.models.sync import ProviderAccount, SyncCursor
from sync.errors import AuthRequired, ProtocolError
from sync.file_lock import InterProcessLock
from sync.http import no_sleep_policy
from sync.provider import SyncRun
from sync.whoop.client import WhoopClient
from sync.whoop.config import WhoopEndpoints
from sync.whoop.provider import WhoopProvider
from sync.whoop.ratelimit import TokenBucket
from sync.whoop.tokens import WhoopAuth, WhoopTokens, lock_path
from tests import loopback
from tests.emulators.server import LocalServer
from tests.emulators.whoop import WhoopEmulator, score
from tests.providers.helpers import NOW, FakeClock, connect_whoop, play_browser

TABLES = (WhoopProfile, WhoopCycle, WhoopRecovery, WhoopSleep, WhoopWorkout)


@pytest.fixture
def connected(ctx: AppContext, whoop_emulator: tuple[WhoopEmulator, LocalServer], http: httpx.Client) -> Any:
    emu, server = whoop_emulator
    ctx.clock = lambda: NOW
    connect_whoop(ctx, emu, server, http)
    return ctx


def pull(ctx: AppContext, http: httpx.Client, clock: FakeClock | None = None) -> SyncRun:
    clock = clock or FakeClock()
    run = SyncRun(ctx=ctx, client=http, provider="whoop", retry=no_sleep_policy(), phase="pull")
    run.retry.sleep = clock.sleep
    bucket = TokenBucket(90, burst=10, clock=clock, sleep=clock.sleep)
    WhoopProvider(ctx, http, bucket=bucket).pull(run)
    return run


def dump(ctx: AppContext) -> dict[str, list[dict[str, Any]]]:
    with ctx.db.session() as s:
        return {
            t.__tablename__: sorted((r.model_dump() for r in s.exec(select(t)).all()), key=repr)  # type: ignore[attr-defined]
            for t in TABLES
        }


def test_connect_plays_browser_and_keeps_secrets_in_keychain(
    ctx: AppContext, whoop_emulator: tuple[WhoopEmulator, LocalServer], http: httpx.Client
) -> None:
    emu, server = whoop_emulator
    account = connect_whoop(ctx, emu, server, http)
    assert account == "athlete@example.com"
    q = emu.authorize_requests[0]
    assert len(q["state"]) >= 8
    assert set(q["scope"].split()) >= {
        "offline",
        "read:recovery",
        "read:cycles",
        "read:workout",
        "read:sleep",
        "read:profile",
        "read:body_measurement",
    }
    assert urlsplit(q["redirect_uri"]).hostname == "127.0.0.1"
    assert ctx.secrets.get("whoop", "client_secret") == emu.client_secret
    assert ctx.secrets.get("whoop", "refresh_token") in emu.refresh_tokens
    assert ctx.settings.provider("whoop").client_id == emu.client_id
    with ctx.db.session() as s:
        acc = s.get(ProviderAccount, "whoop")
        assert acc is not None and acc.account == "athlete@example.com" and not acc.needs_reconnect


def test_redirect_with_wrong_state_is_refused(
    ctx: AppContext, whoop_emulator: tuple[WhoopEmulator, LocalServer], http: httpx.Client
) -> None:
    from sync.whoop.oauth import begin_authorization

    emu, server = whoop_emulator
    ctx.settings.provider("whoop").base_url = server.url
    pending = begin_authorization(ctx, emu.client_id, emu.client_secret, http=http)
    forged = loopback.get(pending.redirect_uri, params={"code": "evil", "state": "x" * 32}, timeout=5)
    assert forged.status_code == 400
    assert play_browser(pending.url).status_code == 200
    assert pending.wait(timeout=10) == "athlete@example.com"


def test_first_pull_pages_to_the_end_with_limit_25(connected: Any, whoop_emulator: Any, http: httpx.Client) -> None:
    emu, _ = whoop_emulator
    run = pull(connected, http)
    tables = dump(connected)
    assert len(tables["whoop_cycle"]) == 40
    assert len(tables["whoop_sleep"]) == 40
    assert len(tables["whoop_recovery"]) == 40
    assert len(tables["whoop_workout"]) == 40
    assert tables["whoop_profile"][0]["weight_kilogram"] == 75.5
    cycle_reqs = [r for r in emu.api_requests("/developer/v2/cycle")]
    assert len(cycle_reqs) == 2  # 25 + 15
    paged = [r for r in emu.api_requests() if "/user/" not in r.path]
    assert paged and all(int(r.query["limit"][0]) <= 25 for r in paged)
    assert "nextToken" in cycle_reqs[1].query
    assert cycle_reqs[0].query["start"] == cycle_reqs[1].query["start"]  # same window on every page
    assert all(
        r.headers.get("user-agent", "").startswith("Fieldmat/") for r in emu.requests if r.path != "/oauth/oauth2/auth"
    )  # that one is the browser
    assert run.pulled_counts["cycle"] == 40
    # backfill_days (90) bounds the first window
    start = cycle_reqs[0].query["start"][0]
    assert start.startswith((NOW - timedelta(days=90)).date().isoformat())


def test_score_fields_only_when_scored(connected: Any, http: httpx.Client) -> None:
    pull(connected, http)
    with connected.db.session() as s:
        newest = s.get(WhoopCycle, 1000)
        older = s.get(WhoopCycle, 1001)
    assert newest is not None and newest.score_state == "PENDING_SCORE" and newest.strain is None
    assert older is not None and older.score_state == "SCORED" and older.strain is not None


def test_rescored_record_is_updated_in_place(connected: Any, whoop_emulator: Any, http: httpx.Client) -> None:
    emu, _ = whoop_emulator
    pull(connected, http)
    score(emu.data.cycles[0], "cycle", NOW)
    score(emu.data.recoveries[0], "recovery", NOW)
    run = pull(connected, http)
    with connected.db.session() as s:
        cycle = s.get(WhoopCycle, 1000)
        recovery = s.get(WhoopRecovery, 1000)
        count = len(s.exec(select(WhoopCycle)).all())
    assert cycle is not None and cycle.score_state == "SCORED" and cycle.strain == 14.2
    assert recovery is not None and recovery.recovery_score == 77.0
    assert count == 40
    assert run.pulled_counts["cycle"] == 1 and run.pulled_counts["recovery"] == 1


def test_pulling_twice_changes_nothing(connected: Any, whoop_emulator: Any, http: httpx.Client) -> None:
    emu, _ = whoop_emulator
    pull(connected, http)
    before = dump(connected)
    run = pull(connected, http)
    assert dump(connected) == before
    assert sum(run.pulled_counts.values()) == 0
    # the second sync asks only for the trailing window after the cursor
    last_cycle = emu.api_requests("/developer/v2/cycle")[-1]
    assert last_cycle.query["start"][0].startswith((NOW - timedelta(days=14)).date().isoformat())


def test_repeating_next_token_stops_paging(connected: Any, whoop_emulator: Any, http: httpx.Client) -> None:
    emu, _ = whoop_emulator
    emu.repeat_token = True
    pull(connected, http)
    assert len(emu.api_requests("/developer/v2/cycle")) == 2  # first page, then the token once


def test_expired_access_token_refreshes_with_rotation(connected: Any, whoop_emulator: Any, http: httpx.Client) -> None:
    emu, _ = whoop_emulator
    old_refresh = connected.secrets.get("whoop", "refresh_token")
    emu.expire_access_tokens()  # WHOOP says 401 although our clock thinks the token is fine
    pull(connected, http)
    assert emu.refresh_grants == 1
    assert old_refresh in emu.spent_refresh_tokens
    new_refresh = connected.secrets.get("whoop", "refresh_token")
    assert new_refresh != old_refresh and new_refresh in emu.refresh_tokens
    refresh_form = next(f for f in emu.token_requests if f.get("grant_type") == "refresh_token")
    assert refresh_form["scope"] == "offline"
    # the old refresh token is refused by WHOOP now (rotation)
    reply = loopback.post(
        f"{WhoopEndpoints.from_context(connected).token_url}",
        data={
            "grant_type": "refresh_token",
            "refresh_token": old_refresh,
            "client_id": emu.client_id,
            "client_secret": emu.client_secret,
            "scope": "offline",
        },
    )
    assert reply.status_code == 400


def test_access_token_near_expiry_is_refreshed_before_use(
    connected: Any, whoop_emulator: Any, http: httpx.Client
) -> None:
    emu, _ = whoop_emulator
    connected.clock = lambda: NOW + timedelta(hours=2)
    pull(connected, http)
    assert emu.refresh_grants == 1
    assert not any(
        r.path.startswith("/developer") and r.headers.get("authorization", "").endswith("acc-") for r in emu.requests
    )


class SimulatedCrash(BaseException):
    """Stands for the process dying (not an Exception: nothing may catch it)."""


def _crash_on(ctx: AppContext, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    real_set = ctx.secrets.set

    def set_or_crash(provider: str, key: str, value: str) -> None:
        if key == name:
            raise SimulatedCrash(key)
        real_set(provider, key, value)

    monkeypatch.setattr(ctx.secrets, "set", set_or_crash)


def test_crash_before_storing_rotated_refresh_token_asks_to_reconnect(
    connected: Any, whoop_emulator: Any, http: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    emu, _ = whoop_emulator
    old_refresh = connected.secrets.get("whoop", "refresh_token")
    emu.expire_access_tokens()
    _crash_on(connected, monkeypatch, "refresh_token")
    with pytest.raises(SimulatedCrash):
        pull(connected, http)
    monkeypatch.undo()
    # WHOOP rotated (old token spent) but we never stored the new one: the next sync must say
    # clearly "reconnect", never loop, and never leave an empty token behind.
    with pytest.raises(AuthRequired, match="Connect WHOOP again"):
        pull(connected, http)
    assert connected.secrets.get("whoop", "refresh_token") == old_refresh
    with connected.db.session() as s:
        acc = s.get(ProviderAccount, "whoop")
        assert acc is not None and acc.needs_reconnect
    assert emu.refused_refreshes == 1


def test_crash_after_storing_refresh_token_leaves_account_usable(
    connected: Any, whoop_emulator: Any, http: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    emu, _ = whoop_emulator
    emu.expire_access_tokens()
    _crash_on(connected, monkeypatch, "access_token")
    with pytest.raises(SimulatedCrash):
        pull(connected, http)
    monkeypatch.undo()
    assert connected.secrets.get("whoop", "refresh_token") in emu.refresh_tokens  # the NEW one was stored first
    pull(connected, http)
    assert emu.refresh_grants == 2 and emu.refused_refreshes == 0
    assert len(dump(connected)["whoop_cycle"]) == 40


def test_two_refreshes_at_once_spend_the_token_once(connected: Any, whoop_emulator: Any, http: httpx.Client) -> None:
    emu, _ = whoop_emulator
    emu.expire_access_tokens()
    emu.refresh_delay = 0.3
    endpoints = WhoopEndpoints.from_context(connected)
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def worker() -> None:
        try:
            with loopback.client(timeout=10) as own:
                client = WhoopClient(
                    own,
                    endpoints.api_base,
                    WhoopAuth(WhoopTokens(connected, endpoints)),
                    bucket=TokenBucket(6000, burst=100),
                )
                barrier.wait()
                client.get_json("/v2/user/profile/basic")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert errors == []
    assert emu.refresh_grants == 1
    assert emu.refused_refreshes == 0


@pytest.mark.subprocess
def test_refresh_lock_excludes_other_processes(ctx: AppContext) -> None:
    code = (
        "import sys; from pathlib import Path; from sync.file_lock import InterProcessLock, LockBusy\n"
        "try:\n"
        "    with InterProcessLock(Path(sys.argv[1]), timeout=0.3).hold(): print('GOT')\n"
        "except LockBusy: print('BUSY')\n"
    )
    path = lock_path(ctx.home)
    with InterProcessLock(path).hold():
        held = subprocess.run(
            [sys.executable, "-c", code, str(path)],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=Path(__file__).resolve().parents[2],
        )
    free = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert held.stdout.strip() == "BUSY", held.stderr
    assert free.stdout.strip() == "GOT", free.stderr


def test_token_answer_without_refresh_token_keeps_the_stored_one(connected: Any) -> None:
    tokens = WhoopTokens(connected, WhoopEndpoints.from_context(connected))
    before = connected.secrets.get("whoop", "refresh_token")
    with tokens.locked():
        tokens.store_token_response({"access_token": "acc-new", "expires_in": 3600, "refresh_token": None})
    assert connected.secrets.get("whoop", "refresh_token") == before
    with pytest.raises(ProtocolError), tokens.locked():
        tokens.store_token_response({"refresh_token": ""})
    assert connected.secrets.get("whoop", "refresh_token") == before


def test_429_is_honoured_and_requests_are_paced(connected: Any, whoop_emulator: Any, http: httpx.Client) -> None:
    emu, _ = whoop_emulator
    emu.fail_next["/v2/cycle"] = ["429", "429-reset"]
    clock = FakeClock()
    pull(connected, http, clock)
    assert 7.0 in clock.sleeps  # Retry-After: 7
    assert 3.0 in clock.sleeps  # X-RateLimit-Reset: 3
    assert len(dump(connected)["whoop_cycle"]) == 40
    sent = len(emu.api_requests())
    # 90/min with a burst of 10: the fake clock must have advanced at least that long
    assert clock.t >= (sent - 10) / 1.5 - 0.01


def test_token_bucket_never_exceeds_the_rate() -> None:
    clock = FakeClock()
    bucket = TokenBucket(100, burst=5, clock=clock, sleep=clock.sleep)
    stamps = []
    for _ in range(300):
        bucket.acquire()
        stamps.append(clock.t)
    for i in range(len(stamps)):
        in_window = [t for t in stamps if stamps[i] <= t < stamps[i] + 60]
        assert len(in_window) <= 100 + 5


def test_malformed_json_is_a_clear_error_and_nothing_is_half_written(
    connected: Any, whoop_emulator: Any, http: httpx.Client
) -> None:
    emu, _ = whoop_emulator
    emu.fail_next["/v2/cycle"] = ["ok"] + ["malformed"] * 10  # page 1 fine, page 2 broken on every retry
    with pytest.raises(ProtocolError, match="not valid JSON"):
        pull(connected, http)
    with connected.db.session() as s:
        assert s.exec(select(WhoopCycle)).all() == []
        assert s.get(SyncCursor, ("whoop", "cycle")) is None
    emu.fail_next.clear()
    run = pull(connected, http)  # and the next sync recovers fully
    assert run.pulled_counts["cycle"] == 40


def test_secrets_never_reach_database_settings_or_logs(connected: Any, whoop_emulator: Any, http: httpx.Client) -> None:
    emu, _ = whoop_emulator
    emu.expire_access_tokens()
    pull(connected, http)
    connected.db.close()
    secrets = [emu.client_secret, *emu.refresh_tokens, *emu.spent_refresh_tokens, *emu.access_tokens]
    assert len(secrets) >= 4
    for path in connected.home.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for secret in secrets:
                assert secret.encode() not in data, f"a secret leaked into {path.name}"


def test_disconnect_revokes_then_forgets(connected: Any, whoop_emulator: Any, http: httpx.Client) -> None:
    from sync.whoop import disconnect

    emu, _ = whoop_emulator
    assert disconnect(connected, http=http) is True
    assert emu.revoked
    assert [r.method for r in emu.requests if r.path == "/developer/v2/user/access"] == ["DELETE"]
    for name in ("client_secret", "refresh_token", "access_token", "access_expires_at"):
        assert connected.secrets.get("whoop", name) is None
    with connected.db.session() as s:
        assert s.get(ProviderAccount, "whoop") is None


def test_endpoints_derive_from_one_base_url(ctx: AppContext) -> None:
    ep = WhoopEndpoints.from_context(ctx)
    assert ep.api_base == "https://api.prod.whoop.com/developer"
    assert ep.authorize_url == "https://api.prod.whoop.com/oauth/oauth2/auth"
    assert ep.token_url == "https://api.prod.whoop.com/oauth/oauth2/token"


def test_authorization_url_carries_state_and_loopback_redirect(ctx: AppContext) -> None:
    from sync.whoop.oauth import begin_authorization

    pending = begin_authorization(ctx, "cid", "secret")
    try:
        q = parse_qs(urlsplit(pending.url).query)
        assert q["redirect_uri"] == [pending.redirect_uri]
        assert pending.redirect_uri.startswith("http://127.0.0.1:")
        assert len(q["state"][0]) >= 8 and q["response_type"] == ["code"]
    finally:
        pending.cancel()


def test_cancel_while_paging_writes_nothing_for_that_resource(connected: Any, http: httpx.Client) -> None:
    from sync.errors import Cancelled

    state = {"cycle_pages": 0}

    def on_progress(event: Any) -> None:
        if event.resource == "cycle":
            state["cycle_pages"] += 1

    run = SyncRun(
        ctx=connected,
        client=http,
        provider="whoop",
        retry=no_sleep_policy(),
        phase="pull",
        on_progress=on_progress,
        is_cancelled=lambda: state["cycle_pages"] >= 2,
    )
    clock = FakeClock()
    with pytest.raises(Cancelled):
        WhoopProvider(connected, http, bucket=TokenBucket(90, clock=clock, sleep=clock.sleep)).pull(run)
    with connected.db.session() as s:
        assert s.exec(select(WhoopCycle)).all() == []
        assert s.get(SyncCursor, ("whoop", "cycle")) is None
        assert s.exec(select(WhoopProfile)).all()  # the finished resource before it stays


def test_sign_in_wait_times_out_or_is_cancelled(ctx: AppContext) -> None:
    from sync.oauth_loopback import OAuthCancelled, OAuthTimeout
    from sync.whoop.oauth import begin_authorization

    pending = begin_authorization(ctx, "cid", "secret")
    with pytest.raises(OAuthTimeout):
        pending.wait(timeout=0.2)
    with pytest.raises(httpx.TransportError):  # the listener is closed afterwards
        loopback.get(pending.redirect_uri, timeout=2)
    pending = begin_authorization(ctx, "cid", "secret")
    threading.Timer(0.2, pending.cancel).start()
    with pytest.raises(OAuthCancelled):
        pending.wait(timeout=10)


def test_user_denies_access_in_the_browser(ctx: AppContext) -> None:
    from sync.oauth_loopback import OAuthDenied
    from sync.whoop.oauth import begin_authorization

    pending = begin_authorization(ctx, "cid", "secret")
    state = parse_qs(urlsplit(pending.url).query)["state"][0]
    assert loopback.get(pending.redirect_uri, params={"error": "access_denied", "state": state}).status_code == 200
    with pytest.raises(OAuthDenied):
        pending.wait(timeout=5)
    assert ctx.secrets.get("whoop", "client_secret") is None


def test_busy_redirect_port_is_a_clear_error(ctx: AppContext) -> None:
    import socket

    from sync.oauth_loopback import OAuthError
    from sync.whoop.oauth import begin_authorization

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(OAuthError, match=f"127.0.0.1:{port}"):
            begin_authorization(ctx, "cid", "secret", port=port)


def test_persistent_429_ends_with_rate_limited_and_keeps_finished_resources(
    connected: Any, whoop_emulator: Any, http: httpx.Client
) -> None:
    from sync.errors import RateLimited

    emu, _ = whoop_emulator
    emu.fail_next["/v2/recovery"] = ["429"] * 10
    clock = FakeClock()
    with pytest.raises(RateLimited, match="slow down"):
        pull(connected, http, clock)
    assert clock.sleeps.count(7.0) == 3  # waited as asked, then gave up on the 4th refusal
    tables = dump(connected)
    assert len(tables["whoop_cycle"]) == 40 and tables["whoop_recovery"] == []


def test_rows_from_before_raw_existed_fill_in_with_the_next_trailing_window(
    connected: Any, whoop_emulator: Any, http: httpx.Client
) -> None:
    """Migration prov_0001 leaves old rows' ``raw`` NULL; the next pull rewrites those it covers."""
    from sync.whoop.config import TRAILING_WINDOW_DAYS

    emu, _ = whoop_emulator
    pull(connected, http)
    with connected.db.write() as s:
        for row in s.exec(select(WhoopCycle)).all():
            row.raw = None  # as a row pulled before the migration
            s.add(row)
    pull(connected, http)
    with connected.db.session() as s:
        rows = s.exec(select(WhoopCycle)).all()
    window_start = NOW - timedelta(days=TRAILING_WINDOW_DAYS)
    covered = [r for r in rows if r.start >= window_start]
    assert covered and all(r.raw == next(c for c in emu.data.cycles if c["id"] == r.id) for r in covered)
    assert all(r.raw is None for r in rows if r.start < window_start)  # older ones wait for a re-score
