"""The live view's player grid: a big button per player of the lineup (starters, then the
bench), marked with what the timeline says (substituted off or on, sent off)."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QPushButton, QWidget

from app.match.types import TimelineEvent
from app.models.match import Player
from ui.match.widgets import big_button, big_font, clear_layout, repolish

PLAYER_COLUMNS = 10


class PlayerGrid(QGroupBox):
    """``playerTapped(player_id)`` on a tap. ``build`` lays the buttons out for a match."""

    playerTapped = Signal(str)  # noqa: N815

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Players — tap to pick", parent)
        self.setFont(big_font(16))
        self.grid = QGridLayout(self)
        self.grid.setSpacing(6)
        self.buttons: dict[str, QPushButton] = {}
        self.order: list[str] = []
        self.placed: list[QWidget] = []
        self.bench_label = QLabel("Bench ▸")
        self.shown_side = ""

    def build(self, grid: list[tuple[str, bool]], shirts: dict[str, int | None], by_id: dict[str, Player]) -> None:
        """Starters, then a "Bench" marker and the bench, flowing row by row (fits a laptop screen)."""
        clear_layout(self.grid)
        self.buttons = {}
        self.order = []
        self.bench_label = QLabel("Bench ▸")
        self.bench_label.setFont(big_font(16))
        self.bench_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.bench_label.setVisible(False)
        cells: list[QWidget] = []
        bench_started = False
        for pid, starting in grid:
            if not starting and not bench_started:
                bench_started = True
                self.bench_label.setVisible(True)
                cells.append(self.bench_label)
            number = shirts.get(pid)
            name = by_id[pid].name
            short = name if len(name) <= 9 else name[:8] + "…"
            text = f"{'#' + str(number) if number is not None else '–'}\n{short}"
            button = big_button(text, None, px=17, on_click=lambda _=False, p=pid: self.playerTapped.emit(p))
            button.setProperty("baseText", text)
            button.setToolTip(name)
            button.setProperty("playerId", pid)
            button.setProperty("bench", not starting)
            self.buttons[pid] = button
            self.order.append(pid)
            cells.append(button)
        for i, widget in enumerate(cells):
            self.grid.addWidget(widget, i // PLAYER_COLUMNS, i % PLAYER_COLUMNS)
        self.placed = cells
        if not grid:
            hint = QLabel("No players: add them under Teams & players, then set the lineup.")
            hint.setWordWrap(True)
            self.grid.addWidget(hint, 0, 0)

    def arrange(self, status: dict[str, str], shown: set[str] | None = None) -> None:
        """Lay the buttons out again: who is on the pitch first, then "Bench ▸" and everyone
        else (the bench, substituted off, sent off), each group in lineup order. After a
        substitution the two players swap places. ``shown``: the players to show (one squad)."""
        order = [pid for pid in self.order if shown is None or pid in shown]
        for pid, button in self.buttons.items():
            button.setVisible(shown is None or pid in shown)
            off_pitch = status.get(pid, "on") != "on"
            if bool(button.property("bench")) != off_pitch:  # the dashed frame follows the player
                button.setProperty("bench", off_pitch)
                repolish(button)
        on = [pid for pid in order if status.get(pid, "on") == "on"]
        off = [pid for pid in order if status.get(pid, "on") != "on"]
        cells: list[QWidget] = [self.buttons[pid] for pid in on]
        if off:
            cells.append(self.bench_label)
            cells.extend(self.buttons[pid] for pid in off)
        self.bench_label.setVisible(bool(off))
        if not self.buttons or self.placed == cells:
            return
        for widget in self.placed:
            self.grid.removeWidget(widget)
        for i, widget in enumerate(cells):
            self.grid.addWidget(widget, i // PLAYER_COLUMNS, i % PLAYER_COLUMNS)
        self.placed = cells

    def side_of_grid(self, player_id: str) -> str:
        """ "pitch" or "bench": the part of the grid the player's button is in now."""
        button = self.buttons[player_id]
        if self.bench_label not in self.placed:
            return "pitch"
        return "bench" if self.placed.index(button) > self.placed.index(self.bench_label) else "pitch"

    def mark(self, events: Iterable[TimelineEvent]) -> None:
        """Show on each button what ``events`` (in match order) say: substituted off or on, sent off.

        A display of the timeline only (the service owns minutes and who played); every button
        stays tappable so a mistake can always be logged around.
        """
        marks: dict[str, str] = {}
        for e in events:
            if e.kind == "substitution":
                if e.player_id:
                    marks[e.player_id] = "off"
                if e.related_player_id:
                    marks[e.related_player_id] = "on"
            elif e.kind == "red_card" and e.player_id:
                marks[e.player_id] = "sent off"
        for pid, button in self.buttons.items():
            mark = marks.get(pid)
            text = str(button.property("baseText")) + (f" ({mark})" if mark else "")
            if text != button.text():
                button.setText(text)
            if button.property("mark") != mark:
                button.setProperty("mark", mark or "")
                repolish(button)

    def show_picked(self, picked: set[str | None]) -> None:
        for pid, button in self.buttons.items():
            if bool(button.property("picked")) != (pid in picked):
                button.setProperty("picked", pid in picked)
                repolish(button)
