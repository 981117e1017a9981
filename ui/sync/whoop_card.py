"""WHOOP's account card: the user's own developer app (client id + secret), signed in in the
browser through a loopback redirect."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QSpinBox, QWidget

from app.context import AppContext
from ui.bus import ChangeBus
from ui.ops import CancelToken, error_words
from ui.sync.account_card import AccountCard, UrlOpener

WHOOP_WAIT_S = 300.0


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
