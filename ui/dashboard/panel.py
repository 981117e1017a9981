"""Dashboard panel."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.context import AppContext
from ui.bus import ChangeBus
from ui.coming import ComingPanel


class DashboardPanel(ComingPanel):
    """Says what is coming until this area is built."""

    def __init__(self, ctx: AppContext, bus: ChangeBus, parent: QWidget | None = None) -> None:
        super().__init__(
            "Dashboard",
            "Charts of practice, matches and provider data arrive here.",
            parent,
        )
        self.ctx = ctx
        self.bus = bus

    def shutdown(self) -> None:
        """Stop any worker this panel runs; called before the window closes."""
