"""Reboot Motion on the Accounts screen: API key or email/password, then disconnect."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pytestqt.qtbot import QtBot

from app.context import AppContext
from app.models.sync import ProviderAccount
from tests.emulators.reboot import RebootEmulator
from tests.emulators.server import LocalServer
from ui.sync.panel import SyncPanel
from ui.sync.reboot_card import RebootAccountCard


def test_connect_reboot_with_a_key_or_a_password(
    qtbot: QtBot, ctx: AppContext, serve: Callable[[Any], LocalServer], make_panel: Callable[..., SyncPanel]
) -> None:
    emulator = RebootEmulator()
    ctx.settings.provider("reboot").base_url = serve(emulator).url
    panel = make_panel()
    card = panel.accounts.cards["reboot"]
    assert isinstance(card, RebootAccountCard)

    card.connect_button.click()
    assert "Enter an API key" in card.message.text()

    card.api_key.setText("wrong-key")
    card.connect_button.click()
    qtbot.waitUntil(lambda: "did not accept that API key" in card.message.text(), timeout=10_000)

    card.api_key.setText(emulator.api_key)
    card.connect_button.click()
    qtbot.waitUntil(lambda: card.message.text() == "Connected as API key.", timeout=10_000)
    qtbot.waitUntil(lambda: card.status_label.text().startswith("Connected as API key"))
    assert card.api_key.text() == ""
    assert ctx.secrets.get("reboot", "api_key") == emulator.api_key

    card.disconnect_button.click()
    qtbot.waitUntil(lambda: card.status_label.text().startswith("Not connected"), timeout=10_000)
    assert ctx.secrets.get("reboot", "api_key") is None

    card.email.setText(emulator.email)
    card.password.setText(emulator.password)
    card.connect_button.click()
    qtbot.waitUntil(lambda: card.message.text() == f"Connected as {emulator.email}.", timeout=10_000)
    with ctx.db.session() as s:
        row = s.get(ProviderAccount, "reboot")
    assert row is not None and row.account == emulator.email
