"""Sync and accounts panel."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from app.context import AppContext
from ui.bus import ChangeBus
from ui.coming import ComingPanel


class SyncPanel(ComingPanel):
    """Says what is coming until this area is built."""

    def __init__(self, ctx: AppContext, bus: ChangeBus, parent: QWidget | None = None) -> None:
        super().__init__(
            "Sync and accounts",
            "Connecting the team server, the yoga cloud, WHOOP and Reboot Motion arrives "
            "here. Everything you record is kept on this computer meanwhile.",
            parent,
        )
        self.ctx = ctx
        self.bus = bus

    def shutdown(self) -> None:
        """Stop any worker this panel runs; called before the window closes."""

    def sync_action(self) -> QAction:
        """The toolbar's Sync button; disabled until sync is built."""
        action = QAction("Sync", self)
        action.setEnabled(False)
        action.setToolTip("Sync with the team server, yoga cloud, WHOOP and Reboot Motion is coming.")
        return action
