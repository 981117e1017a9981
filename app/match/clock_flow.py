"""The match clock's state machine: which clock actions a match allows in each state, for the
live view's buttons and keys (the view only maps them to labels).

States come from ``ClockState.status``: scheduled -> live <-> paused -> break -> live ... ->
finished. A finished match whose periods allow it may go on to extra time (up to period 4,
when the regular periods leave room) and to a penalty shoot-out (period 5).
"""

from __future__ import annotations

from app.match.rules import LAST_PLAYED_PERIOD, SHOOTOUT_PERIOD, is_extra_time
from app.match.types import ClockState

START, PAUSE, RESUME, SUMMARY = "start", "pause", "resume", "summary"
EXTRA_TIME, SHOOTOUT = "extra_time", "shootout"


def primary_action(state: ClockState) -> str | None:
    """The one big clock button's action: kick off or start the next period, pause, resume,
    or (at full time) open the summary."""
    return {"scheduled": START, "break": START, "live": PAUSE, "paused": RESUME, "finished": SUMMARY}.get(state.status)


def cup_actions(state: ClockState) -> tuple[str, ...]:
    """After full time: extra time while periods 3-4 are free after the regular ones, and the
    shoot-out until it was played. Nothing while a period runs."""
    if state.status != "finished" or state.period >= SHOOTOUT_PERIOD:
        return ()
    actions: list[str] = []
    if state.period < LAST_PLAYED_PERIOD and is_extra_time(state.period + 1, state.period_count):
        actions.append(EXTRA_TIME)
    actions.append(SHOOTOUT)
    return tuple(actions)


def period_name(period: int, regular_periods: int) -> str:
    """ "Period 1 of 2", "Extra time 1", "Shoot-out" ("Not started" before kick-off)."""
    if period <= 0:
        return "Not started"
    if period >= SHOOTOUT_PERIOD:
        return "Shoot-out"
    if is_extra_time(period, regular_periods):
        return f"Extra time {period - regular_periods}"
    return f"Period {period} of {regular_periods}"
