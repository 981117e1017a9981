"""The team server's and the yoga cloud's account card: address, email, password (yoga: create
an account)."""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QFormLayout, QGroupBox, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.context import AppContext
from sync import accounts as core_accounts
from sync import registry
from sync.engine import ProviderStatus
from ui.bus import ChangeBus
from ui.ops import CancelToken
from ui.sync.account_card import AccountCard


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
            return core_accounts.signup(ctx, provider, url, fullname, email, password, sex, dob, apply_settings=False)

        self.run(work, self._connected, f"Creating your {registry.label(provider)} account…")

    def _connected(self, info: core_accounts.AccountInfo) -> None:
        core_accounts.apply_account_settings(self.ctx, info)
        account = info.account
        self.password.clear()
        if self.signup_box is not None:
            self.signup_toggle.setChecked(False)
        self.did_connect(account)
