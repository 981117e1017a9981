"""The live view's clock bar: the big match clock, its status line and the two clock buttons
(kick off / pause / resume / next period, and end period, which a first press only arms)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from app.match import clock_flow as flow
from app.match.types import ClockState
from ui.match.widgets import big_button, big_label, repolish

STATUS_WORDS = {
    "scheduled": "Before kick-off",
    "live": "Running",
    "paused": "PAUSED",
    "break": "Break",
    "finished": "Full time",
}


class ClockBar(QWidget):
    """Shows a ``ClockState`` (``show_state``); the owner connects ``primary`` and ``end_button``
    and sets ``armed`` (the end button then asks for the confirming second press)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.armed = False
        self.clock_label = big_label("00:00", 60, "clockLabel")
        self.status_label = big_label("", 20, "clockStatus", bold=False)
        self.primary = big_button("Kick off\n[Ctrl+Space]", "clockPrimary", px=20)
        self.end_button = big_button("End period\n[Ctrl+E]", "clockEnd", px=20)
        # a cup match at full time: extra time and the penalty shoot-out (hidden otherwise)
        self.extra_button = big_button("Extra\ntime", "clockExtraTime", px=18)
        self.shootout_button = big_button("Shoot-\nout", "clockShootout", px=18)
        self.extra_button.setVisible(False)
        self.shootout_button.setVisible(False)
        clock_col = QVBoxLayout()
        clock_col.setSpacing(0)
        clock_col.addWidget(self.clock_label)
        clock_col.addWidget(self.status_label)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addLayout(clock_col, 3)
        row.addWidget(self.primary, 2)
        row.addWidget(self.end_button, 2)
        row.addWidget(self.extra_button, 1)
        row.addWidget(self.shootout_button, 1)

    def show_state(self, state: ClockState) -> None:
        """The clock, "Period 1 of 2 · Running", and the buttons' texts for ``state``."""
        self.clock_label.setText(state.display)
        period = flow.period_name(state.period, state.period_count)
        self.status_label.setText(f"{period} · {STATUS_WORDS.get(state.status, state.status)}")
        cup = flow.cup_actions(state)
        self.extra_button.setVisible(flow.EXTRA_TIME in cup)
        self.shootout_button.setVisible(flow.SHOOTOUT in cup)
        primary = {
            "scheduled": "Kick off",
            "live": "Pause",
            "paused": "Resume",
            "break": f"Start {flow.period_name(state.period + 1, state.period_count).split(' of ')[0].lower()}",
            "finished": "Full time:\nsummary",
        }.get(state.status, "Kick off")
        if state.status != "finished":
            primary += "\n[Ctrl+Space]"
        self.primary.setText(primary)
        can_end = state.status in ("live", "paused")
        self.end_button.setEnabled(can_end)
        if not can_end:
            self.armed = False
        if self.armed:
            self.end_button.setText(f"Tap again to END\nperiod {state.period}")
            self.end_button.setProperty("picked", True)
        else:
            self.end_button.setText(f"End period {state.period or ''}\n[Ctrl+E]".replace("  ", " "))
            self.end_button.setProperty("picked", False)
        repolish(self.end_button)

    def show_problem(self, text: str) -> None:
        """The clock could not be read: say why on the status line."""
        self.status_label.setText(text)
