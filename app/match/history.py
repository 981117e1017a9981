"""The undo history of one service instance: in-memory, thread-safe stacks of actions, each
holding field snapshots of the events it touched (``app.match.undo`` replays them)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

UNDO_DEPTH = 200


@dataclass
class Action:
    """One undoable action: field snapshots of every event it touched, before and after."""

    label: str
    match_id: str
    before: dict[str, dict[str, Any]]
    after: dict[str, dict[str, Any]]
    kinds: tuple[str, ...] = field(default=())


class UndoHistory:
    """The last ``UNDO_DEPTH`` actions to undo and the undone ones to redo."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.undo: list[Action] = []
        self.redo: list[Action] = []

    def push(self, action: Action) -> None:
        """A new action: it can be undone; nothing can be redone any more."""
        with self.lock:
            self.undo.append(action)
            del self.undo[:-UNDO_DEPTH]
            self.redo.clear()
