"""ChangeBus: how panels learn that data changed (services return what changed, an
``app.changes.ChangeSet``; the panel that called the service announces it here; other panels
refresh only what the set touches).

``changed`` carries a ``ChangeSet``. ``announce(changes)`` sends what a service returned;
``announce_topic("settings")`` says an area changed when nothing finer is known. GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.changes import ChangeSet


class ChangeBus(QObject):
    changed = Signal(object)  # a ChangeSet

    def announce(self, changes: ChangeSet) -> None:
        """Tell every listener what changed (nothing is sent for an empty set)."""
        if changes:
            self.changed.emit(changes)

    def announce_topic(self, *areas: str) -> None:
        """Anything in ``areas`` may have changed (``ChangeSet.topic``)."""
        self.announce(ChangeSet.topic(*areas))
