"""Fixtures for the WHOOP and Reboot provider tests (real HTTP emulators on 127.0.0.1)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.emulators.server import LocalServer
from tests.emulators.whoop import WhoopEmulator, make_data
from tests.providers.helpers import NOW


@pytest.fixture
def whoop_emulator() -> Iterator[tuple[WhoopEmulator, LocalServer]]:
    emu = WhoopEmulator(make_data(NOW, days=40))
    with LocalServer(emu) as server:
        yield emu, server


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    from sync.http import make_client

    client = make_client(timeout=10.0)
    yield client
    client.close()
