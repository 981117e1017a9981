"""How the Practice view reacts to a session event: message, change announcement, speech.

Pure functions (no widgets), so the panel stays a thin composer. GUI thread or any.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from app.changes import ChangeSet
from app.practice.run import StepChanged
from app.practice.service import HoldSaved, SessionStarted, SessionStopped
from ui.practice.live_view import format_clock


@dataclass(frozen=True)
class Reaction:
    message: str = ""  # shown in the panel's message line
    changes: ChangeSet = field(default_factory=ChangeSet)  # practice data changed: announced on the bus
    speak: str = ""  # said at once (interrupting a cue)
    step_text: str | None = None  # new guided-step line


def react(event: object, pose_name: Callable[[str], str]) -> Reaction:
    """The reaction to one event from the practice worker (unknown events: none)."""
    if isinstance(event, SessionStarted):
        if event.recovered:
            return Reaction(
                f"Closed {len(event.recovered)} interrupted session(s) from last time.", changes=event.changes
            )
        return Reaction("Session started.")
    if isinstance(event, HoldSaved):
        h = event.hold
        return Reaction(
            f"Saved {pose_name(h.pose_id)}: held {h.hold_s:.0f} s at {h.accuracy:.0f}%.", changes=event.changes
        )
    if isinstance(event, SessionStopped):
        s = event.session
        if event.discarded:
            return Reaction("No pose was held long enough: nothing saved.")
        return Reaction(
            f"Session saved: {s.total_poses} pose(s), average {s.avg_accuracy:.0f}%, {format_clock(s.duration_s)}.",
            changes=event.changes,
        )
    if isinstance(event, StepChanged):
        if event.step is None:
            return Reaction(speak="Sequence complete. Well done.", step_text="Sequence complete.")
        name = pose_name(event.step.pose)
        return Reaction(speak=f"Next: {name}", step_text=f"Step {event.index + 1}/{len(event.sequence.steps)}: {name}")
    return Reaction()


def step_line(index: int, total: int, name: str, held_s: float, target_s: float) -> str:
    """ "Step 2/8: Tree · 0:12 / 0:20"."""
    return f"Step {index + 1}/{total}: {name} · {format_clock(held_s)} / {format_clock(target_s)}"
