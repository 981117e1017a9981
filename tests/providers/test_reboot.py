"""Reboot Motion pull against the loopback emulator (real HTTP, real SQLite)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlmodel import select

from app.context import AppContext
from app.models.providers import RebootExport, RebootPlayer, RebootSession
from app.models.sync import ProviderAccount
from sync.errors import AuthRequired, ProtocolError
from sync.http import no_sleep_policy
from sync.provider import SyncRun
from sync.reboot import connect_api_key, connect_password, disconnect
from sync.reboot.provider import RebootProvider
from tests.emulators.reboot import CSV, RebootEmulator, make_sessions
from tests.emulators.server import LocalServer
from tests.providers.helpers import NOW


@pytest.fixture
def reboot() -> Iterator[tuple[RebootEmulator, LocalServer]]:
    emu = RebootEmulator(make_sessions(NOW, 250))
    with LocalServer(emu) as server:
        yield emu, server


@pytest.fixture
def keyed(ctx: AppContext, reboot: tuple[RebootEmulator, LocalServer], http: httpx.Client) -> Any:
    emu, server = reboot
    ctx.clock = lambda: NOW
    ctx.settings.backfill_days = 365
    connect_api_key(ctx, emu.api_key, url=server.url, client=http, retry=no_sleep_policy())
    return ctx


def pull(ctx: AppContext, http: httpx.Client) -> SyncRun:
    run = SyncRun(ctx=ctx, client=http, provider="reboot", retry=no_sleep_policy(), phase="pull")
    RebootProvider(ctx, http).pull(run)
    return run


def dump(ctx: AppContext) -> dict[str, list[dict[str, Any]]]:
    with ctx.db.session() as s:
        return {
            t.__tablename__: sorted((r.model_dump() for r in s.exec(select(t)).all()), key=repr)  # type: ignore[attr-defined]
            for t in (RebootPlayer, RebootSession, RebootExport)
        }


def test_wrong_api_key_is_refused_and_not_stored(ctx: AppContext, reboot: Any, http: httpx.Client) -> None:
    _, server = reboot
    with pytest.raises(AuthRequired, match="API key"):
        connect_api_key(ctx, "wrong", url=server.url, client=http, retry=no_sleep_policy())
    assert ctx.secrets.get("reboot", "api_key") is None
    with ctx.db.session() as s:
        assert s.get(ProviderAccount, "reboot") is None


def test_pull_pages_sessions_players_and_exports(keyed: Any, reboot: Any, http: httpx.Client) -> None:
    emu, _ = reboot
    run = pull(keyed, http)
    tables = dump(keyed)
    assert len(tables["reboot_session"]) == 250
    assert len(tables["reboot_player"]) == 2
    session_reqs = [r for r in emu.requests if r.path == "/sessions" and "updated_since" in r.query]
    assert [r.query["offset"][0] for r in session_reqs] == ["0", "100", "200"]
    assert all(r.query["limit"] == ["100"] for r in session_reqs)
    since = session_reqs[0].query["updated_since"][0]
    assert since.startswith((NOW - timedelta(days=365)).date().isoformat())
    # 3 processed sessions x 2 files (one .csv.gz, one .csv)
    assert len(emu.exports) == 3
    assert all(e["data_format"] == "csv" for e in emu.exports)
    exports = tables["reboot_export"]
    assert len(exports) == 6
    for row in exports:
        path = keyed.home / row["path"]
        assert path.is_file() and path.read_bytes() == CSV  # .gz was unpacked
        assert row["path"].startswith("reboot/")
    assert run.pulled_counts["exports"] == 6


def test_download_urls_get_no_reboot_credentials(keyed: Any, reboot: Any, http: httpx.Client) -> None:
    emu, _ = reboot
    pull(keyed, http)
    assert len(emu.downloads) == 6
    for req in emu.downloads:
        assert "x-api-key" not in req.headers
        assert "authorization" not in req.headers
    assert all(r.headers.get("x-api-key") == emu.api_key for r in emu.requests if r.path == "/data_export")


def test_pulling_twice_changes_nothing(keyed: Any, reboot: Any, http: httpx.Client) -> None:
    emu, _ = reboot
    pull(keyed, http)
    before = dump(keyed)
    run = pull(keyed, http)
    assert dump(keyed) == before
    assert len(emu.exports) == 3  # nothing exported again
    assert sum(run.pulled_counts.values()) == 0
    last = [r for r in emu.requests if r.path == "/sessions"][-1]
    assert last.query["updated_since"][0].startswith((NOW - timedelta(days=1)).date().isoformat())


def test_updated_session_is_fetched_again(keyed: Any, reboot: Any, http: httpx.Client) -> None:
    emu, _ = reboot
    pull(keyed, http)
    emu.sessions[0]["session_name"] = "Renamed"
    emu.sessions[0]["updated_at"] = (NOW + timedelta(minutes=5)).isoformat().replace("+00:00", "Z")
    keyed.clock = lambda: NOW + timedelta(minutes=10)
    run = pull(keyed, http)
    with keyed.db.session() as s:
        row = s.get(RebootSession, "sess-0000")
        assert row is not None and row.session_name == "Renamed"
        assert len(s.exec(select(RebootExport)).all()) == 6  # replaced, not duplicated
    assert run.pulled_counts["sessions"] == 1
    assert len(emu.exports) == 4


def test_password_sign_in_and_silent_relogin(ctx: AppContext, reboot: Any, http: httpx.Client) -> None:
    emu, server = reboot
    ctx.clock = lambda: NOW
    with pytest.raises(AuthRequired):
        connect_password(ctx, emu.email, "wrong", url=server.url, client=http, retry=no_sleep_policy())
    assert (
        connect_password(ctx, emu.email, emu.password, url=server.url, client=http, retry=no_sleep_policy())
        == emu.email
    )
    emu.tokens.clear()  # the token expired at Reboot
    pull(ctx, http)
    assert len(dump(ctx)["reboot_session"]) == 90  # default backfill
    assert len([r for r in emu.requests if r.path == "/oauth/token"]) == 3  # wrong, connect, silent re-login


def test_missing_players_endpoint_is_skipped(keyed: Any, reboot: Any, http: httpx.Client) -> None:
    emu, _ = reboot
    emu.players_missing = True
    run = pull(keyed, http)
    assert "players" not in run.pulled_counts
    assert len(dump(keyed)["reboot_session"]) == 250


def test_malformed_session_page_writes_nothing(keyed: Any, reboot: Any, http: httpx.Client) -> None:
    emu, _ = reboot
    emu.fail_next["/sessions"] = ["ok"] + ["malformed"] * 10  # still broken after every retry
    with pytest.raises(ProtocolError, match="not valid JSON"):
        pull(keyed, http)
    assert dump(keyed)["reboot_session"] == []


def test_secrets_never_in_files_and_disconnect_forgets(keyed: Any, reboot: Any, http: httpx.Client) -> None:
    emu, server = reboot
    pull(keyed, http)
    connect_password(keyed, emu.email, emu.password, url=server.url, client=http, retry=no_sleep_policy())
    pull(keyed, http)
    for path in keyed.home.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for secret in (emu.api_key, emu.password, *emu.tokens):
                assert secret.encode() not in data, path.name
    disconnect(keyed)
    for name in ("api_key", "token", "password", "email"):
        assert keyed.secrets.get("reboot", name) is None


def test_failed_download_is_retried_next_sync(keyed: Any, reboot: Any, http: httpx.Client) -> None:
    from sync.errors import ProviderUnreachable

    emu, _ = reboot
    emu.expired_downloads = 1
    with pytest.raises(ProviderUnreachable, match="expired"):
        pull(keyed, http)
    assert len(dump(keyed)["reboot_session"]) == 250  # sessions kept...
    with keyed.db.session() as s:
        from app.models.sync import SyncCursor

        assert s.get(SyncCursor, ("reboot", "sessions")) is None  # ...but the cursor did not move
    run = pull(keyed, http)
    assert run.pulled_counts["exports"] == 6
    assert len(dump(keyed)["reboot_export"]) == 6


def test_export_refused_by_reboot_is_a_warning_not_a_failure(keyed: Any, reboot: Any, http: httpx.Client) -> None:
    emu, _ = reboot
    emu.refuse_export_for = {"sess-0001"}
    run = pull(keyed, http)
    assert len(run.warnings) == 1 and "Bullpen 1" in run.warnings[0]
    assert len(dump(keyed)["reboot_export"]) == 4
