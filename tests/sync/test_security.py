"""Loopback-only plain http, TLS verification on, and no secret in the data folder's files."""

from __future__ import annotations

import logging
import ssl
from pathlib import Path

import httpx
import pytest

from app.context import AppContext
from sync import accounts
from sync.engine import SyncEngine
from sync.errors import InsecureURL
from sync.http import check_base_url, make_client
from tests.conftest import MemoryKeyring
from tests.emulators.server import LocalServer
from tests.emulators.team import TeamServer
from tests.emulators.yoga import YogaServer
from tests.sync.helpers import EMAIL, PASSWORD, add_events, add_match, add_session, add_team


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000",
        "http://127.9.8.7",
        "http://[::1]:8080/",
        "http://localhost:5000",
        "https://team.example.org",
        "https://10.0.0.5:8443",
        "HTTP://LOCALHOST:1",
    ],
)
def test_allowed_urls(url: str) -> None:
    assert check_base_url(url) == url.strip().rstrip("/")


@pytest.mark.parametrize(
    "url",
    [
        "http://team.example.org",
        "http://192.168.1.20:8000",
        "http://10.0.0.1",
        "http://localhost.evil.com",
        "http://127.0.0.1.nip.io",
        "http://[::ffff:8.8.8.8]",
        "ftp://127.0.0.1",
        "team.example.org",
        "",
        "https://team.example.org/?x=1",
    ],
)
def test_refused_urls(url: str) -> None:
    with pytest.raises(InsecureURL):
        check_base_url(url)


def test_connect_refuses_plain_http_before_any_network(ctx: AppContext) -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200, json={"access_token": "x"})

    with httpx.Client(transport=httpx.MockTransport(handler)) as client, pytest.raises(InsecureURL):
        accounts.connect(ctx, "team", "http://team.example.org", EMAIL, PASSWORD, client=client)
    assert calls == []


def test_client_verifies_tls_and_has_timeouts() -> None:
    with make_client() as client:
        pool = client._transport._pool  # type: ignore[attr-defined]
        assert pool._ssl_context.verify_mode == ssl.CERT_REQUIRED
        assert client.timeout.connect is not None and client.timeout.read is not None
        assert client.follow_redirects is False


def test_engine_refuses_settings_edited_to_plain_http(team_ctx: AppContext, engine: SyncEngine) -> None:
    team_ctx.settings.provider("team").base_url = "http://team.example.org"
    result = engine.run().result("team")
    assert result is not None and (result.status, result.kind) == ("failed", "insecure_url")
    assert "https://" in result.errors[0]


def _all_bytes(home: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(home.rglob("*")) if p.is_file())


def test_no_secret_in_data_folder_after_connect_and_sync(
    ctx: AppContext,
    fieldmat_home: Path,
    memory_keyring: MemoryKeyring,
    team_app: TeamServer,
    team_server: LocalServer,
    yoga_app: YogaServer,
    yoga_server: LocalServer,
) -> None:
    logging.getLogger().setLevel(logging.DEBUG)
    try:
        accounts.connect(ctx, "team", team_server.url, EMAIL, PASSWORD)
        accounts.connect(ctx, "yoga", yoga_server.url, EMAIL, PASSWORD)
        team = add_team(ctx)
        add_events(ctx, add_match(ctx, team), 10)
        add_session(ctx)
        team_app.expire_tokens()  # forces a re-login with the kept password
        engine = SyncEngine(ctx)
        assert engine.run().ok
        secrets = {v for k, v in memory_keyring.store.items() if not k[1].endswith(":email")}
        assert PASSWORD in secrets and len(secrets) >= 3  # tokens and the password: in the keychain
        secrets |= set(team_app.tokens) | set(yoga_app.tokens)  # every token ever issued, expired too
        assert len(secrets) >= 4
        for handler in logging.getLogger().handlers:
            handler.flush()
    finally:
        logging.getLogger().setLevel(logging.INFO)
    ctx.db.close()
    blob = _all_bytes(fieldmat_home)
    assert (fieldmat_home / "fieldmat.log").exists() and (fieldmat_home / "fieldmat.db").exists()
    for secret in secrets:
        assert secret.encode() not in blob, "a secret reached a file in the data folder"


def test_without_keychain_secrets_stay_in_memory_and_user_is_told(
    ctx: AppContext, fieldmat_home: Path, team_server: LocalServer
) -> None:
    ctx.secrets.persistent = False  # as when keyring has no usable backend
    info = accounts.connect(ctx, "team", team_server.url, EMAIL, PASSWORD)
    assert info.keychain_warning and "memory" in info.keychain_warning
    assert ctx.secrets.get("team", "password") == PASSWORD
    statuses = SyncEngine(ctx).status()
    assert all(s.keychain_warning for s in statuses)
    ctx.db.close()
    assert PASSWORD.encode() not in _all_bytes(fieldmat_home)
