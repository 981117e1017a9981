"""What the user has typed or tapped towards the next event (input handling, no business rules).

The live view feeds it keystrokes and taps; it answers with a ``LogRequest`` once it knows
enough to ask the service to log an event, and otherwise with a prompt for the user.

- shirt digits then an event key: logs at once (``7 G``);
- event key then digits + Enter, or event key then a tap on a player: logs (``G 7 Enter``);
- a tap on a player then an event button (or the other way round): logs;
- Enter after an event key with nothing else: logs without a player;
- substitution: the two players (taps or digits + Enter, in any mix, in either order: the
  service works out who goes off);
- a goal with a player asks "Assist?": a number + Enter (or a tap) links the assist, Enter
  alone (or any event key) goes on without one;
- the side (home/away) is our side unless switched for the next event (H / Tab); a side
  whose squad is kept works like ours; for a side known by name only an event key logs at
  once and digits become a note.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ui.match.keys import kind_label

MAX_DIGITS = 3


@dataclass(frozen=True)
class LogRequest:
    kind: str
    team: str
    player_id: str | None = None
    related_player_id: str | None = None
    note: str | None = None
    goal_id: str | None = None  # kind "assist": link this player to that goal


ASSIST_LINK = "assist"


class Entry:
    """The pending input. ``resolve(shirt) -> player_id | None`` looks shirt numbers up."""

    def __init__(self, resolve: Callable[[int], str | None], our_side: str = "home") -> None:
        self._resolve = resolve
        self.our_side = our_side
        self.side = our_side
        self.squad_sides: set[str] = {our_side}
        self.assist_goal: tuple[str, str] | None = None  # (goal id, side) waiting for "Assist?"
        self.digits = ""
        self.kind: str | None = None
        self.player_id: str | None = None  # picked on the grid before an event key
        self.sub_off: str | None = None  # first step of a substitution
        self.error = ""

    # ----------------------------------------------------------------- state
    @property
    def opponent(self) -> bool:
        return self.side != self.our_side

    @property
    def by_name(self) -> bool:
        """The side picked is known by name only (no squad: no players to pick)."""
        return self.side not in self.squad_sides

    @property
    def idle(self) -> bool:
        return not (self.digits or self.kind or self.player_id or self.sub_off)

    def clear(self) -> None:
        self.digits = ""
        self.kind = None
        self.player_id = None
        self.sub_off = None
        self.error = ""
        self.assist_goal = None

    def ask_assist(self, goal_id: str, side: str) -> None:
        """A goal was logged: the next Enter (with a number) or tap names its assist."""
        self.assist_goal = (goal_id, side)

    def _done(self, request: LogRequest) -> LogRequest:
        self.clear()
        self.side = self.our_side  # a switched side lasts for one event
        return request

    def toggle_side(self) -> None:
        self.side = "away" if self.side == "home" else "home"
        self.error = ""

    def set_our_side(self, side: str, squad_sides: set[str] | None = None) -> None:
        self.our_side = side
        self.side = side
        self.squad_sides = set(squad_sides) if squad_sides is not None else {side}
        self.clear()

    # ----------------------------------------------------------------- input
    def digit(self, d: str) -> None:
        self.error = ""
        if len(self.digits) < MAX_DIGITS:
            self.digits += d

    def backspace(self) -> None:
        self.error = ""
        self.digits = self.digits[:-1]

    def _typed_player(self) -> tuple[bool, str | None]:
        """(ok, player_id) for the digits typed; not ok when the number is nobody's."""
        if not self.digits:
            return True, None
        pid = self._resolve(int(self.digits))
        if pid is None:
            self.error = f"No #{int(self.digits)} in the squad"
            self.digits = ""
            return False, None
        self.digits = ""
        return True, pid

    def event_key(self, kind: str) -> LogRequest | None:
        """An event button or key. Returns a request when the event is complete."""
        self.error = ""
        self.assist_goal = None  # an event key moves on: no assist
        if self.by_name:
            note = f"#{int(self.digits)}" if self.digits else None
            return self._done(LogRequest(kind, self.side, note=note))
        ok, typed = self._typed_player()
        if not ok:
            return None
        player = typed or self.player_id
        self.player_id = None
        if kind == "substitution":
            self.kind = kind
            self.sub_off = player
            return None
        if player is not None:
            return self._done(LogRequest(kind, self.side, player_id=player))
        self.kind = kind
        return None

    def player_tap(self, player_id: str) -> LogRequest | None:
        """A tap on a player of the lineup grid."""
        self.error = ""
        self.digits = ""
        return self._player(player_id)

    def _assist(self, player_id: str) -> LogRequest:
        assert self.assist_goal is not None
        goal_id, side = self.assist_goal
        request = LogRequest(ASSIST_LINK, side, player_id=player_id, goal_id=goal_id)
        self.clear()
        return request

    def _player(self, player_id: str) -> LogRequest | None:
        if self.assist_goal is not None and self.kind is None:
            return self._assist(player_id)
        if self.kind == "substitution":
            if self.sub_off is None:
                self.sub_off = player_id
                return None
            if player_id == self.sub_off:
                self.error = "Pick a different second player"
                return None
            return self._done(
                LogRequest("substitution", self.side, player_id=self.sub_off, related_player_id=player_id)
            )
        if self.kind is not None:
            return self._done(LogRequest(self.kind, self.side, player_id=player_id))
        self.player_id = None if self.player_id == player_id else player_id
        return None

    def enter(self) -> LogRequest | None:
        """Enter: completes a pending event with the typed number, or without a player."""
        self.error = ""
        if self.assist_goal is not None and self.kind is None:
            if not self.digits:
                self.clear()  # Enter alone: no assist
                return None
            ok, pid = self._typed_player()
            if not ok or pid is None:
                return None
            return self._assist(pid)
        if self.kind is None:
            if self.digits:
                ok, pid = self._typed_player()
                if ok and pid is not None:
                    self.player_id = pid
            return None
        ok, typed = self._typed_player()
        if not ok:
            return None
        if typed is not None:
            return self._player(typed)
        if self.kind == "substitution":
            self.error = "A substitution needs its two players"
            return None
        return self._done(LogRequest(self.kind, self.side))

    def no_player(self) -> LogRequest | None:
        """The 'No player' button: same as Enter with nothing typed."""
        self.digits = ""
        return self.enter()

    # ----------------------------------------------------------------- prompt
    def prompt(self, name: Callable[[str], str]) -> str:
        """A short line telling the user what the app is waiting for."""
        if self.error:
            return self.error
        typed = f"#{self.digits}" if self.digits else ""
        if self.assist_goal is not None and self.kind is None:
            return f"Assist? {typed or 'number + Enter, or Enter for none'}"
        if self.kind == "substitution":
            if self.sub_off is None:
                return f"Substitution: first player? {typed}".strip()
            return f"Substitution: {name(self.sub_off)} — and the other player? {typed}".strip()
        if self.kind is not None:
            return f"{kind_label(self.kind)}: which player? {typed or '(Enter = none)'}"
        if self.player_id is not None:
            return f"{name(self.player_id)} selected — tap an event"
        if typed:
            return f"{typed} — press an event key"
        return ""
