"""Helpers shared by the provider tests (importable; fixtures live in conftest.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from app.context import AppContext
from tests import loopback
from tests.emulators.server import LocalServer
from tests.emulators.whoop import WhoopEmulator
from tests.fakes import FakeMonotonic

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
FakeClock = FakeMonotonic  # the provider tests' name for it: monotonic seconds for the token bucket


def play_browser(url: str) -> httpx.Response:
    """Do what the user's browser does: open the URL, follow the redirect to the loopback."""
    return loopback.get(url, follow_redirects=True, timeout=10.0)


def connect_whoop(ctx: AppContext, emu: WhoopEmulator, server: LocalServer, http: httpx.Client) -> str:
    """Connect ``ctx`` to the emulator through the real OAuth flow."""
    from sync.whoop.oauth import begin_authorization

    ctx.settings.provider("whoop").base_url = server.url
    pending = begin_authorization(ctx, emu.client_id, emu.client_secret, http=http)
    reply = play_browser(pending.url)
    assert reply.status_code == 200, reply.text
    return pending.wait(timeout=10)
