"""A tab whose real panel is built the first time it is shown.

The Dashboard imports pyqtgraph and runs queries; neither belongs on the path to a shown
window. ``LazyPanel`` keeps start-up light and builds the panel on first show (or when
``panel()`` is asked for). GUI thread only.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget


class LazyPanel(QWidget):
    def __init__(self, factory: Callable[[], QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._factory = factory
        self._panel: QWidget | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    @property
    def built(self) -> bool:
        return self._panel is not None

    def panel(self) -> QWidget:
        """The real panel, built now if it was not yet."""
        if self._panel is None:
            self._panel = self._factory()
            self._layout.addWidget(self._panel)
        return self._panel

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        self.panel()
        super().showEvent(event)

    def shutdown(self) -> None:
        """Forward to the real panel, if it was ever built."""
        shutdown = getattr(self._panel, "shutdown", None)
        if callable(shutdown):
            shutdown()
