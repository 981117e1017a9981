"""Labels and keyboard keys of the pitch-side event buttons (presentation only)."""

from __future__ import annotations

from PySide6.QtCore import Qt

# (kind, button label, key letter) in button order. Every loggable kind has a key.
EVENT_BUTTONS: tuple[tuple[str, str, str], ...] = (
    ("goal", "Goal", "G"),
    ("assist", "Assist", "A"),
    ("key_pass", "Key pass", "K"),
    ("save", "Save", "S"),
    ("interception", "Interception", "I"),
    ("tackle", "Tackle", "T"),
    ("foul", "Foul", "F"),
    ("penalty", "Penalty", "P"),
    ("free_kick", "Free kick", "R"),
    ("ball_out", "Ball out", "B"),
    ("own_goal", "Own goal", "O"),
    ("substitution", "Substitution", "U"),
    ("yellow_card", "Yellow card", "Y"),
    ("red_card", "Red card", "X"),
    ("shot_on_target", "Shot on", "N"),
    ("shot_off_target", "Shot off", "M"),
    ("corner", "Corner", "C"),
    ("offside", "Offside", "D"),
    ("shootout_goal", "Pen scored", "Q"),
    ("shootout_miss", "Pen missed", "W"),
)

KIND_LABEL: dict[str, str] = {kind: label for kind, label, _ in EVENT_BUTTONS} | {
    "period_start": "Period start",
    "period_end": "Period end",
}
KEY_TO_KIND: dict[int, str] = {int(getattr(Qt.Key, f"Key_{key}")): kind for kind, _, key in EVENT_BUTTONS}
KIND_KEY: dict[str, str] = {kind: key for kind, _, key in EVENT_BUTTONS}

SIDE_KEYS = (int(Qt.Key.Key_H), int(Qt.Key.Key_Tab))
HELP_KEYS = (int(Qt.Key.Key_Question), int(Qt.Key.Key_F1))

HELP_TEXT = (
    "Type a shirt number then an event key (7 G = goal by #7), or an event key then the number and "
    "Enter, or tap a player and an event. H or Tab switches home/away for the next event. "
    "Enter alone logs without a player; Esc clears. Ctrl+Z undo, Ctrl+Shift+Z redo. ? or F1: every key."
)

# (keys, what they do) for the live view's help overlay, in the order a user needs them.
ENTRY_KEY_HELP: tuple[tuple[str, str], ...] = (
    ("0 – 9", "shirt number (7 then G = goal by #7)"),
    ("Enter", "complete the event (no number: log it without a player)"),
    ("Backspace", "delete the last digit"),
    ("Esc", "clear what was typed"),
    ("H or Tab", "switch home / away for the next event"),
)
CONTROL_KEY_HELP: tuple[tuple[str, str], ...] = (
    ("Ctrl+Space", "kick off / pause / resume / start the next period"),
    ("Ctrl+E", "end the period (press twice)"),
    ("Ctrl+N", "new match"),
    ("Ctrl+Z", "undo"),
    ("Ctrl+Shift+Z or Ctrl+Y", "redo"),
    ("? or F1", "this list (any key closes it)"),
)


def kind_label(kind: str) -> str:
    return KIND_LABEL.get(kind, kind.replace("_", " ").capitalize())
