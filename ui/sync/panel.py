"""The Sync tab and the toolbar's Sync button.

``SyncPanel(ctx, bus)`` composes: the state line (online/offline and changes waiting), the
Sync/Cancel buttons with per-provider progress and the last summary (``status_view``), the
Accounts screen (``accounts``) and the Conflicts list (``conflicts``). ``sync_action()`` is the
toolbar button: its icon carries a badge with the number of changes waiting.

The sync itself runs in a worker through ``SyncController`` (``ui.ops.run_op``); the window
stays usable and Cancel is cooperative. When a provider refused the saved sign-in, the
panel opens the connect dialog for it ("log in again").
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QTabWidget, QVBoxLayout, QWidget
from shiboken6 import isValid

from app.context import AppContext
from sync import registry
from sync.engine import SyncSummary
from sync.provider import ProgressEvent
from ui.bus import ChangeBus
from ui.sync.accounts import AccountsView, ConnectDialog, UrlOpener
from ui.sync.badge import make_sync_action, sync_icon
from ui.sync.conflicts import ConflictsView
from ui.sync.controller import EngineFactory, Probe, SyncController, default_engine, default_probe
from ui.sync.status_view import SyncStatusView, provider_title

log = logging.getLogger(__name__)


class SyncPanel(QWidget):
    def __init__(
        self,
        ctx: AppContext,
        bus: ChangeBus,
        parent: QWidget | None = None,
        *,
        engine_factory: EngineFactory | None = None,
        probe: Probe | None = default_probe,
        open_url: UrlOpener | None = None,
        action: QAction | None = None,
    ) -> None:
        """``action``: the window's own Sync button, when the window made it before this panel
        (the panel is built after the window shows); the window then routes its clicks here."""
        super().__init__(parent)
        self.setObjectName("syncPanel")
        self.ctx = ctx
        self.bus = bus
        self.open_url = open_url
        self.controller = SyncController(
            ctx,
            bus,
            self,
            engine_factory=engine_factory or default_engine,
            probe=probe,
        )
        self.connect_dialogs: dict[str, ConnectDialog] = {}

        if action is None:
            action = make_sync_action(self)
            action.triggered.connect(self.start_sync)
        self._action = action

        self.status_view = SyncStatusView(self.controller, self._action)
        self.accounts = AccountsView(self.controller, open_url=open_url)
        self.conflicts = ConflictsView(self.controller)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("syncTabs")
        self.tabs.addTab(self.accounts, "Accounts")
        self.tabs.addTab(self.conflicts, "Conflicts")
        layout = QVBoxLayout(self)
        layout.addWidget(self.status_view)
        layout.addWidget(self.tabs, 1)

        c = self.controller
        c.state_changed.connect(self._update_action)
        c.pending_changed.connect(lambda _n: self._update_action())
        c.statuses_changed.connect(self._update_conflict_tab)
        c.started.connect(lambda: self._status_bar("Syncing…"))
        c.progressed.connect(self._progress_message)
        c.finished.connect(self._finished)
        c.failed.connect(lambda message: self._status_bar(f"Sync did not run: {message}"))
        self.status_view.relogin_requested.connect(self.open_connect_dialog)
        self._update_action()
        c.refresh()

    # -- the toolbar button ------------------------------------------------------------------------
    def sync_action(self) -> QAction:
        """The toolbar's Sync button (icon with a badge of the changes waiting)."""
        return self._action

    @property
    def badge_count(self) -> int:
        return self.controller.pending

    def _update_action(self) -> None:
        if not isValid(self):
            return
        c = self.controller
        self._action.setIcon(sync_icon(c.pending, running=c.running, offline=c.offline))
        self._action.setEnabled(not c.running)
        if c.running:
            tip = "Syncing… (cancel it on the Sync tab)"
        elif c.offline:
            tip = c.offline_text
        else:
            tip = f"Sync now — {c.pending} change{'s' if c.pending != 1 else ''} waiting"
        self._action.setToolTip(tip)
        self._action.setIconText("Sync")

    def start_sync(self) -> None:
        if not self.controller.start():
            self._status_bar("A sync is already running.")

    # -- messages outside the tab (the window's status bar) --------------------------------------
    def _status_bar(self, text: str) -> None:
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(text)

    def _progress_message(self, event: ProgressEvent) -> None:
        sent, _received = self.status_view.counts(event.provider)
        live = self.status_view.live.get(event.provider)
        step = f" — {live.now}" if live is not None and live.now else ""
        self._status_bar(f"Syncing the {registry.label(event.provider)}: {sent} sent{step}")

    def _finished(self, summary: SyncSummary) -> None:
        if not summary.results:
            self._status_bar("Nothing to sync: no account is connected.")
        else:
            parts = [
                f"{provider_title(r.provider)}: {r.status}, {r.total_pushed} sent, {r.total_pulled} received"
                for r in summary.results
            ]
            self._status_bar(
                "Sync " + ("cancelled" if self.controller.cancel_requested else "finished") + " — " + "; ".join(parts)
            )
        for result in summary.results:
            if result.needs_reconnect:
                self.open_connect_dialog(result.provider)
                break

    def _update_conflict_tab(self) -> None:
        open_conflicts = sum(s.open_conflicts for s in self.controller.statuses)
        self.tabs.setTabText(1, f"Conflicts ({open_conflicts})" if open_conflicts else "Conflicts")

    # -- log in again ------------------------------------------------------------------------------
    def open_connect_dialog(self, provider: str) -> ConnectDialog:
        dialog = self.connect_dialogs.get(provider)
        if dialog is not None and isValid(dialog) and dialog.isVisible():
            dialog.raise_()
            return dialog
        dialog = ConnectDialog(
            self.controller,
            provider,
            self,
            reason=f"The {registry.label(provider)} did not accept the saved sign-in. Log in again to keep syncing; "
            "your unsent changes are kept meanwhile.",
            open_url=self.open_url,
        )
        self.connect_dialogs[provider] = dialog
        dialog.show()
        return dialog

    # -- lifetime ------------------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop the reachability timer and ask running work to stop."""
        self.controller.shutdown()
        self.accounts.shutdown()
        self.conflicts.shutdown()
        for dialog in self.connect_dialogs.values():
            if isValid(dialog):
                dialog.close()
