"""Reboot Motion's account card: an API key, or the email and password of the Reboot account."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QPushButton, QWidget

from app.context import AppContext
from ui.bus import ChangeBus
from ui.ops import CancelToken
from ui.sync.account_card import AccountCard


class RebootAccountCard(AccountCard):
    provider = "reboot"

    def __init__(self, ctx: AppContext, bus: ChangeBus, parent: QWidget | None = None) -> None:
        super().__init__(ctx, bus, parent)
        self.api_key = QLineEdit()
        self.api_key.setObjectName("apiKey")
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.api_key.setPlaceholderText("kept in the system keychain only")
        self.email = QLineEdit(ctx.settings.provider("reboot").account)
        self.email.setObjectName("email")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.addRow("API key", self.api_key)
        self.form.addRow("— or email", self.email)
        self.form.addRow("and password", self.password)
        self.connect_button = QPushButton("Connect")
        self.connect_button.setObjectName("connect")
        self.connect_button.clicked.connect(self.connect_account)
        self.buttons.addWidget(self.connect_button)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.disconnect_button)
        self._busy_widgets += [self.connect_button]

    def connect_account(self) -> None:
        if self.busy:
            return
        ctx = self.ctx
        key, email, password = self.api_key.text().strip(), self.email.text().strip(), self.password.text()
        if not key and not (email and password):
            self.show_error("Enter an API key, or the email and password of your Reboot Motion account.")
            return

        def work(token: CancelToken) -> str:
            from sync.reboot import connect as reboot_connect

            if key:
                return str(reboot_connect.connect_api_key(ctx, key))
            return str(reboot_connect.connect_password(ctx, email, password))

        self.run(work, self._connected, "Connecting Reboot Motion…")

    def _connected(self, account: str) -> None:
        self.api_key.clear()
        self.password.clear()
        self.did_connect(account)

    def disconnect_work(self, ctx: AppContext) -> object:
        from sync.reboot import connect as reboot_connect

        reboot_connect.disconnect(ctx)
        return None
