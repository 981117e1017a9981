"""Connecting WHOOP through the Accounts screen against the WHOOP emulator (the test is the browser)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pytestqt.qtbot import QtBot

from app.context import AppContext
from app.models.sync import ProviderAccount
from tests import loopback
from tests.emulators.server import LocalServer
from tests.emulators.whoop import WhoopEmulator
from ui.sync.panel import SyncPanel
from ui.sync.whoop_card import WhoopAccountCard


def _whoop(ctx: AppContext, serve: Callable[[Any], LocalServer]) -> tuple[WhoopEmulator, LocalServer]:
    emulator = WhoopEmulator()
    server = serve(emulator)
    ctx.settings.provider("whoop").base_url = server.url
    return emulator, server


def test_connect_whoop_in_the_browser(
    qtbot: QtBot,
    ctx: AppContext,
    make_panel: Callable[..., SyncPanel],
    serve: Callable[[Any], LocalServer],
    browser: Any,
) -> None:
    emulator, server = _whoop(ctx, serve)
    panel = make_panel()
    card = panel.accounts.cards["whoop"]
    assert isinstance(card, WhoopAccountCard)
    assert not card.status_label.text().startswith("Connected")

    card.client_id.setText(emulator.client_id)
    card.client_secret.setText(emulator.client_secret)
    card.connect_button.click()

    # The app asked the browser to open WHOOP's authorization page, and shows the redirect address.
    assert len(browser.opened) == 1
    auth_url = browser.opened[0]
    assert auth_url.startswith(server.url + "/oauth/oauth2/auth?")
    assert card.pending is not None
    redirect = card.pending.redirect_uri
    assert redirect.startswith("http://127.0.0.1:") and redirect.endswith("/callback")
    assert redirect in card.redirect.text()
    assert card.redirect.isVisibleTo(card)
    assert not card.connect_button.isEnabled()  # waiting in a worker; the GUI is free

    # Play the browser: WHOOP redirects to the loopback address with the code.
    page = loopback.get(auth_url, follow_redirects=True, timeout=10)
    assert page.status_code == 200
    assert str(page.url).startswith(redirect)

    qtbot.waitUntil(lambda: card.message.text().startswith("Connected as"), timeout=10_000)
    with ctx.db.session() as s:
        assert s.get(ProviderAccount, "whoop") is not None
    assert ctx.secrets.get("whoop", "client_secret") == emulator.client_secret
    assert ctx.settings.provider("whoop").client_id == emulator.client_id
    qtbot.waitUntil(lambda: card.status_label.text().startswith("Connected as"))
    assert card.disconnect_button.isEnabled()
    assert card.client_secret.text() == ""

    card.disconnect_button.click()
    qtbot.waitUntil(lambda: card.status_label.text().startswith("Not connected"), timeout=10_000)
    with ctx.db.session() as s:
        assert s.get(ProviderAccount, "whoop") is None


def test_whoop_wrong_secret_is_shown_in_words(
    qtbot: QtBot,
    ctx: AppContext,
    make_panel: Callable[..., SyncPanel],
    serve: Callable[[Any], LocalServer],
    browser: Any,
) -> None:
    emulator, _server = _whoop(ctx, serve)
    panel = make_panel()
    card = panel.accounts.cards["whoop"]
    assert isinstance(card, WhoopAccountCard)
    card.client_id.setText(emulator.client_id)
    card.client_secret.setText("not-the-secret")
    card.connect_button.click()
    loopback.get(browser.opened[0], follow_redirects=True, timeout=10)
    qtbot.waitUntil(lambda: "refused" in card.message.text(), timeout=10_000)
    assert card.connect_button.isEnabled()
    with ctx.db.session() as s:
        assert s.get(ProviderAccount, "whoop") is None


def test_whoop_stop_waiting(qtbot: QtBot, ctx: AppContext, make_panel: Callable[..., SyncPanel], serve: Any) -> None:
    emulator, _server = _whoop(ctx, serve)
    panel = make_panel()
    card = panel.accounts.cards["whoop"]
    assert isinstance(card, WhoopAccountCard)
    card.client_id.setText(emulator.client_id)
    card.client_secret.setText(emulator.client_secret)
    card.connect_button.click()
    assert card.cancel_button.isVisibleTo(card)
    card.cancel_button.click()
    qtbot.waitUntil(lambda: "cancelled" in card.message.text(), timeout=10_000)
    assert card.connect_button.isEnabled()
