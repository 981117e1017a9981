"""The clock's state machine (``app.match.clock_flow``) and ``clock_step``, which runs it."""

from __future__ import annotations

import pytest

from app.errors import ValidationError
from app.match import MatchService
from app.match import clock_flow as flow
from app.match.types import ClockState

from .conftest import FakeClock, Squad


def state(status: str, period: int, regular: int = 2) -> ClockState:
    return ClockState(period, status == "live", 0, "", status, period_count=regular)


@pytest.mark.parametrize(
    ("status", "action"),
    [
        ("scheduled", flow.START),
        ("live", flow.PAUSE),
        ("paused", flow.RESUME),
        ("break", flow.START),
        ("finished", flow.SUMMARY),
    ],
)
def test_primary_action_by_state(status: str, action: str) -> None:
    assert flow.primary_action(state(status, 1)) == action


@pytest.mark.parametrize(
    ("period", "regular", "actions"),
    [
        (2, 2, (flow.EXTRA_TIME, flow.SHOOTOUT)),  # halves: extra time (3) or straight to penalties
        (3, 2, (flow.EXTRA_TIME, flow.SHOOTOUT)),  # after the first period of extra time
        (4, 2, (flow.SHOOTOUT,)),
        (4, 4, (flow.SHOOTOUT,)),  # quarters leave no room for extra time
        (5, 2, ()),  # the shoot-out was the last period
    ],
)
def test_cup_actions_after_full_time(period: int, regular: int, actions: tuple[str, ...]) -> None:
    assert flow.cup_actions(state("finished", period, regular)) == actions
    assert flow.cup_actions(state("live", period, regular)) == ()


def test_period_names() -> None:
    assert [flow.period_name(p, 2) for p in range(6)] == [
        "Not started",
        "Period 1 of 2",
        "Period 2 of 2",
        "Extra time 1",
        "Extra time 2",
        "Shoot-out",
    ]
    assert flow.period_name(4, 4) == "Period 4 of 4"


def test_clock_step_runs_a_cup_match_and_refuses_what_the_state_does_not_allow(
    svc: MatchService, squad: Squad, clock: FakeClock
) -> None:
    mid = squad.match.id
    with pytest.raises(ValidationError, match="cannot pause"):
        svc.clock_step(mid, flow.PAUSE)
    for _ in range(2):
        svc.clock_step(mid, flow.START)
        clock.advance(45)
        svc.end_period(mid)
    with pytest.raises(ValidationError, match="cannot start"):
        svc.clock_step(mid, flow.START)
    svc.clock_step(mid, flow.EXTRA_TIME)
    assert svc.clock_state(mid).period == 3 and svc.get_match(mid).status == "live"
    svc.clock_step(mid, flow.PAUSE)
    svc.clock_step(mid, flow.RESUME)
    svc.end_period(mid)
    svc.clock_step(mid, flow.SHOOTOUT)
    assert svc.clock_state(mid).period == 5


@pytest.mark.parametrize("regular", [1, 2, 3, 4])
def test_the_timeline_labeler_equals_minute_label(regular: int) -> None:
    from app.match import clock as clk

    label = clk.minute_labeler(20, regular, 5)
    for period in range(0, 7):
        for clock_ms in (0, 59_999, 60_000, 19 * 60_000, 20 * 60_000, 21 * 60_000 + 1, 31 * 60_000):
            assert label(period, clock_ms) == clk.minute_label(period, clock_ms, 20, regular, 5)
