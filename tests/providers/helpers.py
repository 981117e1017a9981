"""Helpers shared by the provider tests (importable; fixtures live in conftest.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from tests.emulators.server import LocalServer
from tests.emulators.whoop import WhoopEmulator

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@dataclass
class FakeClock:
    """Monotonic seconds for the token bucket; ``sleep`` advances it and records the wait."""

    t: float = 0.0
    sleeps: list[float] = field(default_factory=list)

    def __call__(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += seconds


def play_browser(url: str) -> httpx.Response:
    """Do what the user's browser does: open the URL, follow the redirect to the loopback."""
    return httpx.get(url, follow_redirects=True, timeout=10.0)


def connect_whoop(ctx: Any, emu: WhoopEmulator, server: LocalServer, http: httpx.Client) -> str:
    """Connect ``ctx`` to the emulator through the real OAuth flow."""
    from sync.whoop.oauth import begin_authorization

    ctx.settings.provider("whoop").base_url = server.url
    pending = begin_authorization(ctx, emu.client_id, emu.client_secret, http=http)
    reply = play_browser(pending.url)
    assert reply.status_code == 200, reply.text
    return pending.wait(timeout=10)
