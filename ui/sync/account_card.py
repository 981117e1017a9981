"""What every provider's account card shares: ``AccountCard`` (status, message, busy state,
its workers) and the words shown for a status, a time or an error.

The cards themselves: ``password_card`` (team server, yoga cloud), ``whoop_card``,
``reboot_card``; ``accounts`` lays them out. Every network call (sign in, sign up, the WHOOP
browser wait, disconnect) runs in a ``run_op`` worker; the cards only show what the core
returns or raises (``str(exc)`` is written for the user: e.g. the URL rule "plain http only
to this computer").
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.context import AppContext
from sync import accounts as core_accounts
from sync import registry
from sync.engine import ProviderStatus
from ui.bus import ChangeBus
from ui.ops import CancelToken, Op, close_ops, error_words, run_op, running_ops

UrlOpener = Callable[[QUrl], Any]
T = TypeVar("T")


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
        return bool(running_ops(self))

    def run(self, work: Callable[[CancelToken], T], on_success: Callable[[T], None], busy_text: str) -> Op[T]:
        """Run ``work`` for this card (busy meanwhile); a failure is shown on the card."""
        self.show_info(busy_text)
        self._set_busy(True)

        def success(result: T) -> None:
            self._set_busy(False)
            on_success(result)

        def failure(exc: BaseException) -> None:
            self._set_busy(False)
            self.show_error(error_words(exc))

        return run_op(self, work, on_success=success, on_failure=failure)

    def _set_busy(self, busy: bool) -> None:
        for widget in self._busy_widgets:
            widget.setEnabled(not busy)
        self.disconnect_button.setEnabled(not busy and bool(self.status and self.status.connected))

    def _changed(self) -> None:
        self.bus.announce_topic("sync")  # an account, not its records: disconnecting keeps them

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
        close_ops(self)
