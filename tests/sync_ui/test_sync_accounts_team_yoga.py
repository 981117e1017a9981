"""The Accounts screen: team server and yoga cloud (URL rule, connect, sign up, disconnect, warnings)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pytestqt.qtbot import QtBot

from app.context import AppContext
from app.models.sync import ProviderAccount
from tests.emulators.server import LocalServer
from tests.sync_ui.helpers import EMAIL, PASSWORD, add_squad
from ui.sync.panel import SyncPanel
from ui.sync.password_card import PasswordAccountCard


def _card(panel: SyncPanel, provider: str) -> PasswordAccountCard:
    card = panel.accounts.cards[provider]
    assert isinstance(card, PasswordAccountCard)
    return card


def test_connect_team_server_through_the_accounts_screen(
    qtbot: QtBot, ctx: AppContext, team_url: str, make_panel: Callable[..., SyncPanel]
) -> None:
    add_squad(ctx, players=2)
    panel = make_panel()
    card = _card(panel, "team")
    assert card.status_label.text().startswith("Not connected. 4 changes waiting")
    assert panel.controller.offline

    # Plain http to another computer: the core refuses, the card says why.
    card.url.setText("http://example.org")
    card.email.setText(EMAIL)
    card.password.setText(PASSWORD)
    card.connect_button.click()
    qtbot.waitUntil(lambda: "plain http://" in card.message.text(), timeout=10_000)
    # A wrong password is said in words too.
    card.url.setText(team_url)
    card.password.setText("wrong")
    card.connect_button.click()
    qtbot.waitUntil(lambda: "did not accept" in card.message.text(), timeout=10_000)

    card.password.setText(PASSWORD)
    card.connect_button.click()
    assert not card.connect_button.isEnabled()
    qtbot.waitUntil(lambda: card.message.text() == f"Connected as {EMAIL}.", timeout=10_000)
    qtbot.waitUntil(lambda: card.status_label.text().startswith(f"Connected as {EMAIL} at {team_url}"))
    assert "Last successful sync: never" in card.status_label.text()
    assert "4 changes waiting" in card.status_label.text()
    assert card.password.text() == ""
    assert ctx.secrets.get("team", "token")
    assert not panel.controller.offline
    assert panel.status_view.state_label.text().startswith("Online — 4 changes waiting")

    card.disconnect_button.click()
    qtbot.waitUntil(lambda: card.status_label.text().startswith("Not connected"), timeout=10_000)
    with ctx.db.session() as s:
        assert s.get(ProviderAccount, "team") is None
    assert ctx.secrets.get("team", "token") is None
    assert panel.badge_count == 4  # local changes are kept


def test_create_a_yoga_account(
    qtbot: QtBot, ctx: AppContext, serve: Callable[[Any], LocalServer], make_panel: Callable[..., SyncPanel]
) -> None:
    from tests.emulators.yoga import YogaServer

    yoga = YogaServer()
    url = serve(yoga).url
    panel = make_panel()
    card = _card(panel, "yoga")
    assert card.signup_box is not None and not card.signup_box.isVisibleTo(card)
    assert "signupToggle" not in [b.objectName() for b in _card(panel, "team").findChildren(type(card.connect_button))]
    card.signup_toggle.click()
    assert card.signup_box.isVisibleTo(card)
    card.url.setText(url)
    card.email.setText("new@example.org")
    card.password.setText("another-Pa55word")
    card.signup_button.click()
    qtbot.waitUntil(lambda: "full name" in card.message.text())
    card.fullname.setText("Nia Yogi")
    card.signup_button.click()
    qtbot.waitUntil(lambda: card.message.text() == "Connected as new@example.org.", timeout=10_000)
    assert "new@example.org" in yoga.users
    qtbot.waitUntil(lambda: card.status_label.text().startswith("Connected as new@example.org"))
    assert not card.signup_box.isVisibleTo(card)


def test_keychain_warning_is_shown(qtbot: QtBot, ctx: AppContext, make_panel: Callable[..., SyncPanel]) -> None:
    ctx.secrets.persistent = False
    panel = make_panel()
    assert panel.accounts.keychain_warning.isVisibleTo(panel)
    assert "No system keychain" in panel.accounts.keychain_warning.text()
