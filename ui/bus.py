"""ChangeBus: how panels learn that data changed (services return what changed; the panel
that called the service announces it here; other panels refresh themselves).

Topics: "practice", "match", "sync", "providers", "settings". GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class ChangeBus(QObject):
    changed = Signal(object)  # a frozenset[str] of topics

    def announce(self, *topics: str) -> None:
        self.changed.emit(frozenset(topics))
