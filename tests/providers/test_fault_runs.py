"""One ``fieldmat sync`` survives one-off faults: the eight of issue #13, all in one run.

Against the WHOOP and Reboot emulators (real HTTP on 127.0.0.1) behind ``FaultWrapper``:
a 503 on the token refresh, a 500 on a page, a 429 with ``Retry-After``, a 401 on a page, a
malformed page, a dropped connection, a stall longer than the read timeout, and a dropped
answer / download. Then ONE ``fieldmat sync --provider P`` (a real subprocess, no terminal)
must exit 0 with ``"ok": true`` and everything stored equal to the server. Every fault must
have been consumed, so the test cannot pass by not meeting them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from app.context import AppContext
from app.models.providers import (
    RebootExport,
    RebootPlayer,
    RebootSession,
    WhoopCycle,
    WhoopProfile,
    WhoopRecovery,
    WhoopSleep,
    WhoopWorkout,
)
from tests.emulators.reboot import CSV, RebootEmulator, make_sessions
from tests.emulators.server import Fault, FaultWrapper, LocalServer
from tests.emulators.whoop import WhoopEmulator, make_data
from tests.providers.helpers import play_browser

pytestmark = pytest.mark.slow

READ_TIMEOUT_S = 1.0
STALL_S = 2.5  # longer than the read timeout: the client gives up on that answer and retries


def cli_env(home: Path, keyring_file: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        FIELDMAT_HOME=str(home),
        PYTHON_KEYRING_BACKEND="tests.sync.filekeyring.FileKeyring",
        FIELDMAT_TEST_KEYRING=str(keyring_file),
        QT_QPA_PLATFORM="offscreen",
        **extra,
    )
    return env


def run_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        stdin=subprocess.DEVNULL,
    )


def short_read_timeout(home: Path) -> None:
    ctx = AppContext.create(home)
    try:
        ctx.settings.sync_read_timeout_s = READ_TIMEOUT_S
        ctx.save_settings()
    finally:
        ctx.close()


def synced(env: dict[str, str], provider: str) -> dict[str, Any]:
    out = run_cli(env, "sync", "--provider", provider, "--json")
    assert out.returncode == 0, out.stdout + out.stderr
    data: dict[str, Any] = json.loads(out.stdout)
    assert data["ok"] is True and data["results"][0]["status"] == "synced", data
    return data


def assert_all_met(faults: list[Fault]) -> None:
    left = [(f.kind, f.path, f.times) for f in faults if f.times]
    assert not left, f"faults never met: {left}"


# ---------------------------------------------------------------------- WHOOP
@pytest.fixture
def whoop_served() -> Iterator[tuple[WhoopEmulator, FaultWrapper, LocalServer]]:
    emu = WhoopEmulator(make_data(datetime.now(UTC), days=8))
    faulty = FaultWrapper(emu)
    with LocalServer(faulty) as server:
        yield emu, faulty, server


def connect_whoop_cli(env: dict[str, str], emu: WhoopEmulator, url: str) -> None:
    env = {**env, "FIELDMAT_WHOOP_CLIENT_SECRET": emu.client_secret}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "app",
            "connect",
            "whoop",
            "--url",
            url,
            "--client-id",
            emu.client_id,
            "--timeout",
            "60",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("http"):
            assert play_browser(line.strip()).status_code == 200
            break
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, out + err


def test_one_whoop_sync_survives_every_fault(
    tmp_path: Path, fieldmat_home: Path, whoop_served: tuple[WhoopEmulator, FaultWrapper, LocalServer]
) -> None:
    emu, faulty, server = whoop_served
    env = cli_env(fieldmat_home, tmp_path / "keyring.json")
    connect_whoop_cli(env, emu, server.url)
    short_read_timeout(fieldmat_home)
    emu.expire_access_tokens()  # the run starts with a token refresh
    faults = [
        faulty.inject("error", path="^/oauth/oauth2/token$", status=503),
        faulty.inject("error", path="/v2/cycle$", status=500),
        faulty.inject("rate_limit", path="/v2/recovery$", retry_after=1),
        faulty.inject("error", path="/v2/activity/sleep$", status=401),
        faulty.inject("malformed", path="/v2/activity/workout$"),
        faulty.inject("drop_before", path="/v2/cycle$"),
        faulty.inject("slow", path="/v2/user/profile/basic$", delay=STALL_S),
        faulty.inject("drop_after", path="/v2/user/measurement/body$"),
    ]
    synced(env, "whoop")
    assert_all_met(faults)

    ctx = AppContext.create(fieldmat_home)
    try:
        with ctx.db.session() as s:
            for table, records, key in (
                (WhoopCycle, emu.data.cycles, "id"),
                (WhoopRecovery, emu.data.recoveries, "cycle_id"),
                (WhoopSleep, emu.data.sleeps, "id"),
                (WhoopWorkout, emu.data.workouts, "id"),
            ):
                stored = {getattr(r, key): r.raw for r in s.exec(select(table)).all()}
                assert stored == {r[key]: r for r in records}, table.__name__
            (profile,) = s.exec(select(WhoopProfile)).all()
            assert profile.user_id == emu.data.user_id and profile.raw is not None
            assert profile.raw["body"] == {"height_meter": 1.8, "weight_kilogram": 75.5, "max_heart_rate": 195}
    finally:
        ctx.close()


# ---------------------------------------------------------------------- Reboot Motion
@pytest.fixture
def reboot_served() -> Iterator[tuple[RebootEmulator, FaultWrapper, LocalServer]]:
    emu = RebootEmulator(make_sessions(datetime.now(UTC), 5))
    faulty = FaultWrapper(emu)
    with LocalServer(faulty) as server:
        yield emu, faulty, server


def test_one_reboot_sync_survives_every_fault(
    tmp_path: Path, fieldmat_home: Path, reboot_served: tuple[RebootEmulator, FaultWrapper, LocalServer]
) -> None:
    emu, faulty, server = reboot_served
    env = cli_env(fieldmat_home, tmp_path / "keyring.json", FIELDMAT_PASSWORD=emu.password)
    out = run_cli(env, "connect", "reboot", "--url", server.url, "--email", emu.email)
    assert out.returncode == 0, out.stdout + out.stderr
    short_read_timeout(fieldmat_home)
    faults = [
        faulty.inject("error", path="^/players$", status=401),  # the sign-in is renewed ...
        faulty.inject("error", path="^/oauth/token$", status=503),  # ... and that renewal fails once
        faulty.inject("error", path="^/sessions$", status=500),
        faulty.inject("malformed", path="^/sessions$"),
        faulty.inject("rate_limit", path="^/data_export$", retry_after=1),
        faulty.inject("drop_before", path="^/data_export$"),
        faulty.inject("slow", path="^/players$", delay=STALL_S),
        faulty.inject("drop_before", path="^/files/"),  # a dropped download
    ]
    synced(env, "reboot")
    assert_all_met(faults)

    ctx = AppContext.create(fieldmat_home)
    try:
        with ctx.db.session() as s:
            sessions = {r.id: r.raw for r in s.exec(select(RebootSession)).all()}
            players = {r.org_player_id: r.raw for r in s.exec(select(RebootPlayer)).all()}
            exports = list(s.exec(select(RebootExport)).all())
        assert sessions == {x["id"]: x for x in emu.sessions}
        assert players == {p["org_player_id"]: p for p in emu.players}
        processed = {x["id"] for x in emu.sessions if x["status"] == "processed"}
        assert {e.session_id for e in exports} == processed and len(exports) == 2 * len(processed)
        for export in exports:
            assert (fieldmat_home / export.path).read_bytes() == CSV
    finally:
        ctx.close()
