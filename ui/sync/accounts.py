"""The Accounts screen: connect, create, disconnect the team server, yoga cloud, WHOOP, Reboot.

Every network call (sign in, sign up, the WHOOP browser wait, disconnect) runs in a
``run_op`` worker; the cards only show what the core returns or raises (``str(exc)`` is
written for the user: e.g. the URL rule "plain http only to this computer").
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QDate, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.context import AppContext
from app.errors import FieldmatError
from sync import accounts as core_accounts
from sync import registry
from sync.engine import ProviderStatus
from ui.bus import ChangeBus
from ui.ops import CancelToken, Op, run_op
from ui.sync.controller import SyncController

log = logging.getLogger(__name__)

UrlOpener = Callable[[QUrl], Any]
WHOOP_WAIT_S = 300.0


def error_words(exc: BaseException) -> str:
    """The core's errors are written for the user; anything else gets a generic sentence."""
    if isinstance(exc, FieldmatError):
        return str(exc)
    log.error("account operation failed", exc_info=exc)
    return f"Something went wrong ({type(exc).__name__}). Details are in the log file."


def when(moment: datetime | None) -> str:
    if moment is None:
        return "never"
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def status_words(status: ProviderStatus | None) -> str:
    if status is None:
        return ""
    if not status.available:
        return "Not part of this Fieldmat build."
    waiting = f"{status.pending} change{'s' if status.pending != 1 else ''} waiting"
    if not status.connected:
        text = "Not connected."
        if status.can_push and status.pending:
            text += f" {waiting} for it (they are kept and sent after you connect)."
        return text
    parts = [f"Connected as {status.account or 'this account'}"]
    if status.base_url:
        parts.append(f"at {status.base_url}")
    text = " ".join(parts) + f". Last successful sync: {when(status.last_success_at)}."
    if status.can_push:
        text += f" {waiting}."
    if status.rejected:
        text += f" {status.rejected} change(s) were refused by the server (see the sync summary)."
    if status.open_conflicts:
        text += f" {status.open_conflicts} conflict(s) to look at."
    if status.last_error and not status.needs_reconnect:
        text += f"\nLast sync: {status.last_error}"
    return text


class AccountCard(QGroupBox):
    """One provider's box. Subclasses add their form; the base runs and tracks the workers."""

    connected = Signal(str)  # provider
    disconnected = Signal(str)

    provider = ""

    def __init__(self, ctx: AppContext, bus: ChangeBus, parent: QWidget | None = None) -> None:
        super().__init__(registry.label(self.provider)[:1].upper() + registry.label(self.provider)[1:], parent)
        self.setObjectName(f"account_{self.provider}")
        self.ctx = ctx
        self.bus = bus
        self.status: ProviderStatus | None = None
        self._ops: list[Op] = []
        self._closed = False
        self._busy_widgets: list[QWidget] = []

        self.status_label = QLabel()
        self.status_label.setObjectName("status")
        self.status_label.setWordWrap(True)
        self.reconnect_label = QLabel()
        self.reconnect_label.setObjectName("needsReconnect")
        self.reconnect_label.setWordWrap(True)
        self.reconnect_label.setStyleSheet("color: #b00020; font-weight: bold;")
        self.reconnect_label.hide()
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.form = QFormLayout()
        self.buttons = QHBoxLayout()
        self.disconnect_button = QPushButton("Disconnect")
        self.disconnect_button.setObjectName("disconnect")
        self.disconnect_button.setToolTip("Forget the sign-in. Your local records and unsent changes are kept.")
        self.disconnect_button.clicked.connect(self.disconnect_account)

        layout = QVBoxLayout(self)
        layout.addWidget(self.status_label)
        layout.addWidget(self.reconnect_label)
        layout.addLayout(self.form)
        layout.addLayout(self.buttons)
        layout.addWidget(self.message)

    # -- showing -------------------------------------------------------------------------------
    def set_status(self, status: ProviderStatus | None) -> None:
        self.status = status
        self.status_label.setText(status_words(status))
        needs = bool(status and status.needs_reconnect)
        self.reconnect_label.setVisible(needs)
        if needs:
            self.reconnect_label.setText(
                f"⚠ The {registry.label(self.provider)} refused the saved sign-in: connect again below."
            )
        self.disconnect_button.setEnabled(bool(status and status.connected) and not self.busy)
        self.setEnabled(status is None or status.available)

    def show_error(self, text: str) -> None:
        self.message.setStyleSheet("color: #b00020;")
        self.message.setText(text)

    def show_info(self, text: str) -> None:
        self.message.setStyleSheet("")
        self.message.setText(text)

    # -- workers -------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return any(not op.finished for op in self._ops)

    def run(
        self,
        work: Callable[[CancelToken], Any],
        on_success: Callable[[Any], None],
        busy_text: str,
    ) -> Op:
        self.show_info(busy_text)
        self._set_busy(True)

        def success(result: Any) -> None:
            if self._closed:
                return
            self._set_busy(False)
            on_success(result)

        def failure(exc: BaseException) -> None:
            if self._closed:
                return
            self._set_busy(False)
            self.show_error(error_words(exc))

        op = run_op(self, work, on_success=success, on_failure=failure)
        self._ops = [o for o in self._ops if not o.finished] + [op]
        return op

    def _set_busy(self, busy: bool) -> None:
        for widget in self._busy_widgets:
            widget.setEnabled(not busy)
        self.disconnect_button.setEnabled(not busy and bool(self.status and self.status.connected))

    def _changed(self) -> None:
        self.bus.announce("providers", "sync")

    def did_connect(self, account: str) -> None:
        self.show_info(f"Connected as {account}.")
        self._changed()
        self.connected.emit(self.provider)

    def disconnect_account(self) -> None:
        ctx, provider = self.ctx, self.provider

        def work(token: CancelToken) -> object:
            return self.disconnect_work(ctx)

        def done(_result: object) -> None:
            self.show_info("Disconnected. Your local records and unsent changes are kept.")
            self._changed()
            self.disconnected.emit(provider)

        self.run(work, done, "Disconnecting…")

    def disconnect_work(self, ctx: AppContext) -> object:
        """Runs in the worker."""
        core_accounts.disconnect(ctx, self.provider)
        return None

    def shutdown(self) -> None:
        self._closed = True
        for op in self._ops:
            if not op.finished:
                op.cancel()


class PasswordAccountCard(AccountCard):
    """Team server and yoga cloud: server address, email and password (yoga: create account)."""

    def __init__(self, provider: str, ctx: AppContext, bus: ChangeBus, parent: QWidget | None = None) -> None:
        self.provider = provider
        super().__init__(ctx, bus, parent)
        settings = ctx.settings.provider(provider)
        self.url = QLineEdit(settings.base_url)
        self.url.setObjectName("url")
        self.url.setPlaceholderText("https://…")
        self.email = QLineEdit(settings.account)
        self.email.setObjectName("email")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.addRow("Server address", self.url)
        self.form.addRow("Email", self.email)
        self.form.addRow("Password", self.password)
        self.connect_button = QPushButton("Connect")
        self.connect_button.setObjectName("connect")
        self.connect_button.clicked.connect(self.connect_account)
        self.password.returnPressed.connect(self.connect_account)
        self.buttons.addWidget(self.connect_button)
        self._busy_widgets += [self.connect_button]

        self.signup_box: QGroupBox | None = None
        if core_accounts.can_sign_up(provider):
            self.signup_toggle = QPushButton("Create an account…")
            self.signup_toggle.setObjectName("signupToggle")
            self.signup_toggle.setCheckable(True)
            self.buttons.addWidget(self.signup_toggle)
            self.signup_box = self._signup_form()
            self.signup_box.hide()
            self.signup_toggle.toggled.connect(self.signup_box.setVisible)
            layout = self.layout()
            assert isinstance(layout, QVBoxLayout)
            layout.insertWidget(layout.count() - 1, self.signup_box)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.disconnect_button)

    def _signup_form(self) -> QGroupBox:
        box = QGroupBox("New account (uses the server address, email and password above)")
        box.setObjectName("signup")
        form = QFormLayout(box)
        self.fullname = QLineEdit()
        self.fullname.setObjectName("fullname")
        self.sex = QComboBox()
        self.sex.setObjectName("sex")
        for text, value in (("Female", "female"), ("Male", "male"), ("Other", "other")):
            self.sex.addItem(text, value)
        self.dob = QDateEdit()
        self.dob.setObjectName("dob")
        self.dob.setDisplayFormat("yyyy-MM-dd")
        self.dob.setCalendarPopup(True)
        self.dob.setDate(QDate(1995, 1, 1))
        self.dob.setMaximumDate(QDate.currentDate())
        self.signup_button = QPushButton("Create account and connect")
        self.signup_button.setObjectName("signup")
        self.signup_button.clicked.connect(self.signup_account)
        form.addRow("Full name", self.fullname)
        form.addRow("Sex", self.sex)
        form.addRow("Date of birth", self.dob)
        form.addRow(self.signup_button)
        self._busy_widgets.append(self.signup_button)
        return box

    def set_status(self, status: ProviderStatus | None) -> None:
        super().set_status(status)
        if status is not None and status.connected and status.base_url and not self.url.text():
            self.url.setText(status.base_url)
        self.connect_button.setText("Connect again" if status is not None and status.connected else "Connect")

    def connect_account(self) -> None:
        if self.busy:
            return
        ctx, provider = self.ctx, self.provider
        url, email, password = self.url.text(), self.email.text(), self.password.text()

        def work(token: CancelToken) -> core_accounts.AccountInfo:
            # Settings change on the GUI thread only: the worker signs in, _connected saves.
            return core_accounts.connect(ctx, provider, url, email, password, apply_settings=False)

        self.run(work, self._connected, f"Signing in to the {registry.label(provider)}…")

    def signup_account(self) -> None:
        if self.busy:
            return
        ctx, provider = self.ctx, self.provider
        url, email, password = self.url.text(), self.email.text(), self.password.text()
        fullname, sex = self.fullname.text().strip(), str(self.sex.currentData())
        dob = self.dob.date().toString("yyyy-MM-dd")
        if not fullname:
            self.show_error("Enter your full name to create an account.")
            return

        def work(token: CancelToken) -> core_accounts.AccountInfo:
            return core_accounts.signup(
                ctx, provider, url, fullname, email, password, sex, dob, apply_settings=False
            )

        self.run(work, self._connected, f"Creating your {registry.label(provider)} account…")

    def _connected(self, info: core_accounts.AccountInfo) -> None:
        core_accounts.apply_account_settings(self.ctx, info)
        account = info.account
        self.password.clear()
        if self.signup_box is not None:
            self.signup_toggle.setChecked(False)
        self.did_connect(account)


class WhoopAccountCard(AccountCard):
    """WHOOP: the user's own developer app (client id + secret), signed in in the browser."""

    provider = "whoop"

    def __init__(
        self, ctx: AppContext, bus: ChangeBus, parent: QWidget | None = None, *, open_url: UrlOpener | None = None
    ) -> None:
        super().__init__(ctx, bus, parent)
        self.open_url: UrlOpener = open_url or QDesktopServices.openUrl
        self.pending: Any = None  # sync.whoop.oauth.PendingAuthorization while waiting
        self.client_id = QLineEdit(ctx.settings.provider("whoop").client_id)
        self.client_id.setObjectName("clientId")
        self.client_secret = QLineEdit()
        self.client_secret.setObjectName("clientSecret")
        self.client_secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.client_secret.setPlaceholderText("kept in the system keychain only")
        self.port = QSpinBox()
        self.port.setObjectName("redirectPort")
        self.port.setRange(0, 65535)
        self.port.setSpecialValueText("any free port")
        self.port.setValue(0)
        self.port.valueChanged.connect(self._show_planned_redirect)
        self.redirect = QLabel()
        self.redirect.setObjectName("redirect")
        self.redirect.setWordWrap(True)
        self.redirect.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.auth_link = QLabel()
        self.auth_link.setObjectName("authLink")
        self.auth_link.setWordWrap(True)
        self.auth_link.setOpenExternalLinks(False)
        self.auth_link.linkActivated.connect(lambda link: self.open_url(QUrl(link)))
        self.auth_link.hide()
        self.form.addRow("Client id", self.client_id)
        self.form.addRow("Client secret", self.client_secret)
        self.form.addRow("Redirect port", self.port)
        self.form.addRow("Redirect URL", self.redirect)
        self.form.addRow(self.auth_link)
        self.connect_button = QPushButton("Connect in browser")
        self.connect_button.setObjectName("connect")
        self.connect_button.clicked.connect(self.connect_in_browser)
        self.cancel_button = QPushButton("Stop waiting")
        self.cancel_button.setObjectName("cancelConnect")
        self.cancel_button.clicked.connect(self.cancel_connect)
        self.cancel_button.hide()
        self.buttons.addWidget(self.connect_button)
        self.buttons.addWidget(self.cancel_button)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.disconnect_button)
        self._busy_widgets += [self.connect_button, self.client_id, self.client_secret, self.port]
        self._show_planned_redirect()

    def _show_planned_redirect(self) -> None:
        port = self.port.value()
        if port:
            self.redirect.setText(
                f"http://127.0.0.1:{port}/callback — register exactly this address as a redirect URL "
                "of your app in the WHOOP Developer Dashboard."
            )
        else:
            self.redirect.setText(
                "Shown when you connect (a free port is chosen). Pick a fixed port to register the "
                "address in the WHOOP Developer Dashboard beforehand."
            )

    def connect_in_browser(self) -> None:
        if self.busy:
            return
        from sync.whoop import oauth

        try:
            pending = oauth.begin_authorization(
                self.ctx, self.client_id.text(), self.client_secret.text(), port=self.port.value()
            )
        except Exception as exc:  # noqa: BLE001 - shown to the user in words
            self.show_error(error_words(exc))
            return
        self.pending = pending
        self.redirect.setText(
            f"{pending.redirect_uri} — this address must be registered as a redirect URL of your app "
            "in the WHOOP Developer Dashboard."
        )
        self.auth_link.setText(
            f'If no browser opened, <a href="{pending.url}">open the WHOOP sign-in page</a> yourself.'
        )
        self.auth_link.show()
        self.cancel_button.show()

        def work(token: CancelToken) -> str:
            return str(pending.wait(WHOOP_WAIT_S))

        self.run(work, self._connected, "Waiting for you to sign in to WHOOP in the browser…")
        self.open_url(QUrl(pending.url))

    def _connected(self, account: str) -> None:
        self._end_wait()
        self.client_secret.clear()
        self.did_connect(account)

    def _set_busy(self, busy: bool) -> None:
        super()._set_busy(busy)
        if not busy:
            self._end_wait()

    def _end_wait(self) -> None:
        self.pending = None
        self.cancel_button.hide()
        self.auth_link.hide()

    def cancel_connect(self) -> None:
        if self.pending is not None:
            self.pending.cancel()

    def disconnect_work(self, ctx: AppContext) -> object:
        from sync.whoop import oauth

        return oauth.disconnect(ctx)

    def shutdown(self) -> None:
        self.cancel_connect()
        super().shutdown()


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
        from ui.sync.reboot_card import RebootAccountCard

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

