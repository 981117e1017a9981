"""``fieldmat connect whoop|reboot`` handlers (``connect_cli(args, ctx)``), without the argparse layer."""

from __future__ import annotations

import argparse
import io
import threading
from typing import Any

import pytest

from app.context import AppContext
from app.models.sync import ProviderAccount
from tests import loopback
from tests.emulators.reboot import RebootEmulator
from tests.emulators.server import LocalServer
from tests.emulators.whoop import WhoopEmulator
from tests.providers.helpers import play_browser


def _args(**kw: Any) -> argparse.Namespace:
    base: dict[str, Any] = {"url": None, "email": None, "api_key_stdin": False, "client_id": None}
    base.update(kw)
    return argparse.Namespace(**base)


def test_connect_whoop_prints_url_and_waits_for_the_redirect(
    ctx: AppContext,
    whoop_emulator: tuple[WhoopEmulator, LocalServer],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import sync.whoop.cli as cli
    from sync.whoop import oauth

    emu, server = whoop_emulator
    monkeypatch.setenv("FIELDMAT_WHOOP_CLIENT_SECRET", emu.client_secret)
    browsers: list[threading.Thread] = []

    def begin_and_open_browser(*a: Any, **kw: Any) -> oauth.PendingAuthorization:
        pending = oauth.begin_authorization(*a, **kw)
        browsers.append(threading.Thread(target=play_browser, args=(pending.url,)))
        browsers[-1].start()
        return pending

    monkeypatch.setattr(cli, "begin_authorization", begin_and_open_browser)
    code = cli.connect_cli(_args(url=server.url, client_id=emu.client_id, timeout=10), ctx)
    for t in browsers:
        t.join(10)
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "/oauth/oauth2/auth?" in out.out and "WHOOP connected (athlete@example.com)" in out.out
    assert emu.client_secret not in out.out + out.err
    assert ctx.settings.provider("whoop").base_url == server.url


def test_connect_whoop_refuses_plain_http_to_a_remote_host(ctx: AppContext, capsys: pytest.CaptureFixture[str]) -> None:
    from sync.whoop import connect_cli

    assert connect_cli(_args(url="http://whoop.example.com", client_id="x"), ctx) == 1
    assert "http://" in capsys.readouterr().err


def test_connect_reboot_with_api_key_on_stdin_and_with_password(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from sync.reboot import connect_cli

    emu = RebootEmulator([])
    with LocalServer(emu) as server:
        monkeypatch.setattr("sys.stdin", io.StringIO(emu.api_key + "\n"))
        assert connect_cli(_args(url=server.url, api_key_stdin=True), ctx) == 0
        assert ctx.secrets.get("reboot", "api_key") == emu.api_key
        monkeypatch.setenv("FIELDMAT_PASSWORD", emu.password)
        assert connect_cli(_args(url=server.url, email=emu.email), ctx) == 0
        assert ctx.secrets.get("reboot", "api_key") is None  # one way of signing in at a time
        monkeypatch.setenv("FIELDMAT_PASSWORD", "wrong")
        assert connect_cli(_args(url=server.url, email=emu.email), ctx) == 1
    out = capsys.readouterr()
    assert emu.api_key not in out.out + out.err and emu.password not in out.out + out.err
    with ctx.db.session() as s:
        acc = s.get(ProviderAccount, "reboot")
        assert acc is not None and acc.account == emu.email
    assert connect_cli(_args(), ctx) == 2


def test_cli_disconnect_whoop_revokes_at_whoop_and_forgets_every_secret(
    ctx: AppContext, whoop_emulator: tuple[WhoopEmulator, LocalServer], capsys: pytest.CaptureFixture[str]
) -> None:

    from app.cli import CliEnv
    from sync.cli import cmd_disconnect
    from tests.providers.helpers import connect_whoop

    emu, server = whoop_emulator
    with loopback.client() as http:
        connect_whoop(ctx, emu, server, http)
    assert ctx.secrets.get("whoop", "refresh_token")
    env = CliEnv(_context=ctx)
    assert cmd_disconnect(argparse.Namespace(provider="whoop"), env) == 0
    assert emu.revoked
    for name in ("access_token", "refresh_token", "client_secret", "access_expires_at"):
        assert ctx.secrets.get("whoop", name) is None, name
    with ctx.db.session() as s:
        assert s.get(ProviderAccount, "whoop") is None
    assert "Disconnected whoop" in capsys.readouterr().out
