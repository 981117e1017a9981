"""WHOOP and Reboot through the real sync engine and registry (what the Sync button runs)."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest

from app.changes import ChangeSet
from app.context import AppContext
from app.models.sync import ProviderAccount, SyncLog
from sync import registry
from sync.engine import SyncEngine
from sync.http import make_client, no_sleep_policy
from sync.provider import ProgressEvent
from sync.reboot import connect_api_key
from sync.whoop.provider import WhoopProvider
from sync.whoop.ratelimit import TokenBucket
from tests.emulators.reboot import RebootEmulator, make_sessions
from tests.emulators.server import LocalServer
from tests.emulators.whoop import WhoopEmulator
from tests.providers.helpers import NOW, connect_whoop


@pytest.fixture
def fast_whoop() -> Iterator[None]:
    """The real WHOOP provider with a bucket that does not wait in real time."""
    registry.register("whoop", lambda ctx, client: WhoopProvider(ctx, client, bucket=TokenBucket(6000, burst=100)))
    yield
    registry.unregister("whoop")


def test_registry_finds_both_providers() -> None:
    assert registry.is_available("whoop") and registry.is_available("reboot")
    assert registry.factory("whoop").__module__ == "sync.whoop.provider"
    assert registry.factory("reboot").__module__ == "sync.reboot.provider"


def test_sync_button_pulls_whoop_and_reboot(
    ctx: AppContext, whoop_emulator: tuple[WhoopEmulator, LocalServer], http: httpx.Client, fast_whoop: None
) -> None:
    emu, server = whoop_emulator
    ctx.clock = lambda: NOW
    connect_whoop(ctx, emu, server, http)
    reboot = RebootEmulator(make_sessions(NOW, 5))
    with LocalServer(reboot) as rserver:
        connect_api_key(ctx, reboot.api_key, url=rserver.url, client=http, retry=no_sleep_policy())
        events: list[ProgressEvent] = []
        engine = SyncEngine(ctx, client_factory=lambda: make_client(10.0), retry=no_sleep_policy())
        summary = engine.run(progress=events.append)
        again = engine.run()
    assert summary.ok, summary.describe()
    whoop = summary.result("whoop")
    rb = summary.result("reboot")
    assert whoop is not None and whoop.pulled["cycle"] == 40
    assert rb is not None and rb.pulled["sessions"] == 5 and rb.pulled["exports"] == 6
    assert {e.resource for e in events if e.provider == "whoop"} >= {"profile", "cycle", "sleep"}
    assert any(e.total and e.done == e.total for e in events if e.resource == "cycle")
    assert again.ok and all(r.total_pulled == 0 for r in again.results)
    assert summary.stored == ChangeSet.of(providers=["whoop", "reboot"]) and not again.stored
    with ctx.db.session() as s:
        from sqlmodel import select

        logs = s.exec(select(SyncLog)).all()
        assert {(log.provider, log.status) for log in logs} == {("whoop", "synced"), ("reboot", "synced")}


def test_refused_refresh_shows_reconnect_in_the_summary(
    ctx: AppContext, whoop_emulator: tuple[WhoopEmulator, LocalServer], http: httpx.Client, fast_whoop: None
) -> None:
    emu, server = whoop_emulator
    ctx.clock = lambda: NOW
    connect_whoop(ctx, emu, server, http)
    emu.refresh_tokens.clear()  # WHOOP forgot the grant (revoked in the WHOOP app)
    emu.expire_access_tokens()
    summary = SyncEngine(ctx, client_factory=lambda: make_client(10.0), retry=no_sleep_policy()).run()
    result = summary.result("whoop")
    assert result is not None and result.status == "needs_reconnect" and result.kind == "auth"
    assert "Connect WHOOP again" in result.errors[0]
    with ctx.db.session() as s:
        acc = s.get(ProviderAccount, "whoop")
        assert acc is not None and acc.needs_reconnect
    assert ctx.secrets.get("whoop", "refresh_token")  # never overwritten with nothing


def test_spent_refresh_token_is_not_spent_again_and_failure_is_logged(
    ctx: AppContext,
    whoop_emulator: tuple[WhoopEmulator, LocalServer],
    http: httpx.Client,
    fast_whoop: None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    emu, server = whoop_emulator
    ctx.clock = lambda: NOW
    connect_whoop(ctx, emu, server, http)
    emu.refresh_tokens.clear()
    emu.expire_access_tokens()
    engine = SyncEngine(ctx, client_factory=lambda: make_client(10.0), retry=no_sleep_policy())
    with caplog.at_level(logging.INFO, logger="sync.engine"):
        first = engine.run().result("whoop")
    logged = [r for r in caplog.records if r.name == "sync.engine" and "whoop" in r.getMessage()]
    assert first is not None and first.status == "needs_reconnect" and emu.refused_refreshes == 1
    refreshes_seen = len(emu.token_requests)
    again = engine.run().result("whoop")
    assert again is not None and again.status == "needs_reconnect"
    assert len(emu.token_requests) == refreshes_seen  # known spent: no second refresh call
    # A failed sync is a WARNING with its reason, and no secret in it.
    (record,) = logged
    assert record.levelno == logging.WARNING
    message = record.getMessage()
    assert "needs_reconnect" in message and "auth" in message and "Connect WHOOP again" in message
    secrets = [emu.client_secret, *emu.spent_refresh_tokens, *emu.access_tokens]
    assert not any(secret in message for secret in secrets)
