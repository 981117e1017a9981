"""``fieldmat connect/disconnect/sync`` through ``python -m app`` against a loopback emulator."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app.context import AppContext
from tests.emulators.server import LocalServer
from tests.emulators.team import TeamServer
from tests.sync.helpers import EMAIL, PASSWORD, add_events, add_match, add_team

pytestmark = pytest.mark.subprocess


def run_cli(
    home: Path, keyring_file: Path, *args: str, password: str | None = PASSWORD
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.update(
        FIELDMAT_HOME=str(home),
        PYTHON_KEYRING_BACKEND="tests.sync.filekeyring.FileKeyring",
        FIELDMAT_TEST_KEYRING=str(keyring_file),
        QT_QPA_PLATFORM="offscreen",
    )
    env.pop("FIELDMAT_PASSWORD", None)
    if password is not None:
        env["FIELDMAT_PASSWORD"] = password
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_connect_sync_status_disconnect(
    tmp_path: Path, fieldmat_home: Path, team_app: TeamServer, team_server: LocalServer
) -> None:
    keys = tmp_path / "keyring.json"
    out = run_cli(fieldmat_home, keys, "connect", "team", "--url", team_server.url, "--email", EMAIL)
    assert out.returncode == 0, out.stderr
    assert "Connected team" in out.stdout
    assert PASSWORD not in out.stdout + out.stderr

    ctx = AppContext.create(fieldmat_home)
    try:
        team = add_team(ctx)
        match = add_match(ctx, team)
        add_events(ctx, match, 25)
    finally:
        ctx.close()

    out = run_cli(fieldmat_home, keys, "sync", "--json")
    assert out.returncode == 0, out.stdout + out.stderr
    data: dict[str, Any] = json.loads(out.stdout)
    assert data["ok"] is True
    (result,) = data["results"]
    assert set(result) >= {
        "provider",
        "status",
        "pushed",
        "pulled",
        "rejected",
        "conflicts",
        "errors",
        "needs_reconnect",
        "pending_after",
        "started_at",
        "completed_at",
    }
    assert result["provider"] == "team" and result["status"] == "synced"
    assert result["pushed"]["events"] == 25 and result["pending_after"] == 0
    assert len(team_app.records("event")) == 25

    # The server fails: non-zero exit, plain words, nothing lost.
    ctx = AppContext.create(fieldmat_home)
    try:
        add_events(ctx, match, 5, start=100)
    finally:
        ctx.close()
    team_app.inject("error", status=503, times=1000)
    out = run_cli(fieldmat_home, keys, "sync", "--json", "--push-only")
    assert out.returncode == 1
    failed = json.loads(out.stdout)["results"][0]
    assert (failed["status"], failed["kind"]) == ("failed", "server_error")
    assert "HTTP 503" in failed["errors"][0] and failed["pending_after"] == 5
    out = run_cli(fieldmat_home, keys, "sync")
    assert out.returncode == 1 and "sync failed" in out.stdout
    team_app.clear_faults()

    out = run_cli(fieldmat_home, keys, "sync", "--status", "--json")
    assert out.returncode == 0
    status = {p["provider"]: p for p in json.loads(out.stdout)["providers"]}
    assert status["team"]["connected"] and status["team"]["pending"] == 5
    assert status["team"]["base_url"] == team_server.url and status["team"]["account"] == EMAIL
    assert status["yoga"]["connected"] is False

    out = run_cli(fieldmat_home, keys, "sync", "--provider", "team", "--pull-only")
    assert out.returncode == 0, out.stdout + out.stderr
    out = run_cli(fieldmat_home, keys, "sync", "--provider", "team")
    assert out.returncode == 0 and len(team_app.records("event")) == 30

    out = run_cli(fieldmat_home, keys, "sync", "--status")
    assert out.returncode == 0 and "team" in out.stdout and "connected" in out.stdout

    out = run_cli(fieldmat_home, keys, "disconnect", "team")
    assert out.returncode == 0 and "Disconnected team" in out.stdout
    assert PASSWORD not in keys.read_text()
    out = run_cli(fieldmat_home, keys, "sync", "--provider", "team", "--json")
    assert out.returncode == 1  # asked for a provider that is not connected: not ok, and says so
    data = json.loads(out.stdout)
    assert data["ok"] is False
    assert (data["results"][0]["status"], data["results"][0]["kind"]) == ("failed", "not_connected")
    assert "fieldmat connect team" in data["results"][0]["errors"][0]


def test_connect_errors_exit_non_zero(tmp_path: Path, fieldmat_home: Path, team_server: LocalServer) -> None:
    keys = tmp_path / "keyring.json"
    out = run_cli(fieldmat_home, keys, "connect", "team", "--url", "http://team.example.org", "--email", EMAIL)
    assert out.returncode == 2 and "https://" in out.stderr
    out = run_cli(fieldmat_home, keys, "connect", "team", "--url", team_server.url, "--email", EMAIL, password="wrong")
    assert out.returncode == 2 and "did not accept" in out.stderr
    out = run_cli(fieldmat_home, keys, "connect", "team", "--email", EMAIL)
    assert out.returncode == 2 and "--url" in out.stderr
    out = run_cli(fieldmat_home, keys, "sync", "--json")
    assert out.returncode == 0 and json.loads(out.stdout) == {"ok": True, "results": []}


def test_connect_yoga_with_signup(tmp_path: Path, fieldmat_home: Path, yoga_server: LocalServer) -> None:
    keys = tmp_path / "keyring.json"
    out = run_cli(
        fieldmat_home,
        keys,
        "connect",
        "yoga",
        "--url",
        yoga_server.url,
        "--email",
        "new@example.org",
        "--signup",
        "--fullname",
        "New Yogi",
        "--sex",
        "f",
        "--dob",
        "1990-01-01",
    )
    assert out.returncode == 0, out.stderr
    assert "Created and connected" in out.stdout


def test_delegated_provider_missing_module_says_so(
    monkeypatch: pytest.MonkeyPatch, ctx: AppContext, capsys: pytest.CaptureFixture[str]
) -> None:
    import importlib

    from app.__main__ import build_parser
    from sync import cli as cli_sync

    real = importlib.import_module

    def fake(name: str, *a: Any) -> Any:
        if name == "sync.reboot":
            raise ImportError(name)
        return real(name, *a)

    monkeypatch.setattr(cli_sync.importlib, "import_module", fake)
    args = build_parser().parse_args(["connect", "reboot", "--api-key-stdin"])

    class Env:
        def context(self) -> AppContext:
            return ctx

    assert cli_sync.cmd_connect(args, Env()) == 2
    assert "not available" in capsys.readouterr().err


def test_delegated_provider_gets_args_and_ctx(monkeypatch: pytest.MonkeyPatch, ctx: AppContext) -> None:
    import types

    from app.__main__ import build_parser
    from sync import cli as cli_sync

    seen: dict[str, Any] = {}
    fake = types.SimpleNamespace(connect_cli=lambda args, c: seen.update(args=args, ctx=c) or 0)
    monkeypatch.setattr(cli_sync.importlib, "import_module", lambda name: fake)
    args = build_parser().parse_args(["connect", "whoop", "--client-id", "abc"])

    class Env:
        def context(self) -> AppContext:
            return ctx

    assert cli_sync.cmd_connect(args, Env()) == 0
    assert seen["ctx"] is ctx and seen["args"].client_id == "abc"
