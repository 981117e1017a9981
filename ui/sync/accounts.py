"""The Accounts screen: one card per provider (team server, yoga cloud, WHOOP, Reboot), in
``sync.registry`` order, and the "connect again" dialog showing one card.

The cards live in their own modules (``password_card``, ``whoop_card``, ``reboot_card``, all
built on ``account_card.AccountCard``); ``make_card`` picks one by the provider's connect flow
(``sync.specs``).
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from app.context import AppContext
from sync import registry
from ui.bus import ChangeBus
from ui.sync.account_card import AccountCard, UrlOpener
from ui.sync.controller import SyncController
from ui.sync.password_card import PasswordAccountCard
from ui.sync.reboot_card import RebootAccountCard
from ui.sync.whoop_card import WhoopAccountCard

__all__ = ["AccountsView", "ConnectDialog", "UrlOpener", "make_card", "make_cards"]


class AccountsView(QScrollArea):
    """All provider cards, fed by the controller's ``statuses``."""

    def __init__(
        self,
        controller: SyncController,
        parent: QWidget | None = None,
        *,
        open_url: UrlOpener | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        ctx, bus = controller.ctx, controller.bus
        self.setWidgetResizable(True)
        inner = QWidget()
        layout = QVBoxLayout(inner)
        self.keychain_warning = QLabel()
        self.keychain_warning.setObjectName("keychainWarning")
        self.keychain_warning.setWordWrap(True)
        self.keychain_warning.setStyleSheet("color: #8a5300; font-weight: bold;")
        layout.addWidget(self.keychain_warning)
        self.cards: dict[str, AccountCard] = {}
        for card in make_cards(ctx, bus, open_url=open_url):
            self.cards[card.provider] = card
            layout.addWidget(card)
        layout.addStretch(1)
        self.setWidget(inner)
        controller.statuses_changed.connect(self.update_status)
        self.update_status()

    def update_status(self) -> None:
        warning = self.controller.ctx.secrets.warning
        self.keychain_warning.setText(f"⚠ {warning}" if warning else "")
        self.keychain_warning.setVisible(bool(warning))
        by_name = {s.provider: s for s in self.controller.statuses}
        for name, card in self.cards.items():
            card.set_status(by_name.get(name))

    def shutdown(self) -> None:
        for card in self.cards.values():
            card.shutdown()


def make_card(
    provider: str, ctx: AppContext, bus: ChangeBus, parent: QWidget | None = None, *, open_url: UrlOpener | None = None
) -> AccountCard:
    spec = registry.spec(provider)
    connect = spec.connect if spec else "password"
    if connect == "oauth":
        return WhoopAccountCard(ctx, bus, parent, open_url=open_url)
    if connect == "api_key":
        return RebootAccountCard(ctx, bus, parent)
    return PasswordAccountCard(provider, ctx, bus, parent)


def make_cards(ctx: AppContext, bus: ChangeBus, *, open_url: UrlOpener | None = None) -> list[AccountCard]:
    return [make_card(name, ctx, bus, open_url=open_url) for name in registry.names()]


class ConnectDialog(QDialog):
    """'Log in again' for one provider: the same card as on the Accounts screen, in a window."""

    def __init__(
        self,
        controller: SyncController,
        provider: str,
        parent: QWidget | None = None,
        *,
        reason: str = "",
        open_url: UrlOpener | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"connectDialog_{provider}")
        self.setWindowTitle(f"Connect the {registry.label(provider)}")
        self.controller = controller
        self.provider = provider
        layout = QVBoxLayout(self)
        if reason:
            note = QLabel(reason)
            note.setObjectName("reason")
            note.setWordWrap(True)
            layout.addWidget(note)
        self.card = make_card(provider, controller.ctx, controller.bus, self, open_url=open_url)
        self.update_status()
        controller.statuses_changed.connect(self.update_status)
        layout.addWidget(self.card)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.card.connected.connect(lambda _p: self.accept())
        self.finished.connect(lambda _r: self.card.shutdown())

    def update_status(self) -> None:
        by_name = {s.provider: s for s in self.controller.statuses}
        self.card.set_status(by_name.get(self.provider))
