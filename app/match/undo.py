"""undo/redo of this service instance's last log/edit/delete calls (durable, outboxed)."""

from __future__ import annotations

from typing import Any

from app.match.base import ServiceBase
from app.match.records import apply_fields, event_row
from app.match.types import Change


class UndoOps(ServiceBase):
    """undo/redo and what they would do."""

    def can_undo(self) -> bool:
        with self._history.lock:
            return bool(self._history.undo)

    def can_redo(self) -> bool:
        with self._history.lock:
            return bool(self._history.redo)

    def undo_label(self) -> str | None:
        """Short text of what ``undo`` would undo ("goal" for a log, "goal edit", "goal deletion"), or None."""
        with self._history.lock:
            return self._history.undo[-1].label if self._history.undo else None

    def redo_label(self) -> str | None:
        """Short text of what ``redo`` would redo, or None."""
        with self._history.lock:
            return self._history.redo[-1].label if self._history.redo else None

    def undo(self) -> Change | None:
        """Undo this instance's last log/edit/delete (durable, outboxed). None when empty."""
        return self._step(undo=True)

    def redo(self) -> Change | None:
        """Redo the last undone action. None when there is nothing to redo."""
        return self._step(undo=False)

    def _step(self, *, undo: bool) -> Change | None:
        """Write back the top action's before (undo) or after (redo) snapshots and move it to
        the other stack (only once written: a failed write leaves both stacks as they were)."""
        history = self._history
        source, target = (history.undo, history.redo) if undo else (history.redo, history.undo)
        with history.lock:
            if not source:
                return None
            action = source[-1]
            snapshots = action.before if undo else action.after
            self._restore(snapshots)
            source.pop()
            target.append(action)
        verb = "undo" if undo else "redo"
        # "Undone: tackle" (a log), "Undone: tackle edit": the text names what was taken back
        return Change(
            verb,
            match_ids=(action.match_id,),
            event_ids=tuple(snapshots),
            kinds=action.kinds,
            description=f"{'Undone' if undo else 'Redone'}: {action.label}",
        )

    def _restore(self, snapshots: dict[str, dict[str, Any]]) -> None:
        now = self._now()
        with self.db.write() as s:
            for event_id, fields in snapshots.items():
                apply_fields(s, event_row(s, event_id), fields, now)
