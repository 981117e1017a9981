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

    def build(
        self, grid: list[tuple[str, bool]], shirts: dict[str, int | None], by_id: dict[str, Player]
    ) -> None:
        """Starters, then a "Bench" marker and the bench, flowing row by row (fits a laptop screen)."""
        clear_layout(self.grid)
        self.buttons = {}
        cells: list[QWidget] = []
        bench_started = False
        for pid, starting in grid:
            if not starting and not bench_started:
                bench_started = True
                bench = QLabel("Bench ▸")
                bench.setFont(big_font(16))
                bench.setAlignment(Qt.AlignmentFlag.AlignCenter)
                cells.append(bench)
            number = shirts.get(pid)
            name = by_id[pid].name
            short = name if len(name) <= 11 else name[:10] + "…"
            text = f"{'#' + str(number) if number is not None else '–'}\n{short}"
            button = big_button(text, None, px=17, on_click=lambda _=False, p=pid: self.playerTapped.emit(p))
            button.setProperty("baseText", text)
            button.setToolTip(name)
            button.setProperty("playerId", pid)
            button.setProperty("bench", not starting)
            self.buttons[pid] = button
            cells.append(button)
        for i, widget in enumerate(cells):
            self.grid.addWidget(widget, i // PLAYER_COLUMNS, i % PLAYER_COLUMNS)
        if not grid:
            hint = QLabel("No players: add them under Teams & players, then set the lineup.")
            hint.setWordWrap(True)
            self.grid.addWidget(hint, 0, 0)

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
