"""The match panel refreshes from the typed change set: only what a change touched is read.

The reads are counted on the panel's real ``MatchService`` (each read method wrapped, the
real one still answers), so a test sees exactly which reads a change caused.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.changes import ChangeSet
from app.context import AppContext
from app.match.service import MatchService
from app.match.types import LineupItem, roster_change
from tests.fakes import FakeClock

LEFT = Qt.MouseButton.LeftButton
READS = (
    "get_match",
    "list_matches",
    "list_players",
    "list_teams",
    "lineup",
    "match_score",
    "pitch_status",
    "timeline",
    "clock_state",
    "undo_label",
    "redo_label",
    "player_stats",
)


class ReadCounter:
    """Wraps the read methods of one service instance; ``calls`` lists (method, first arg)."""

    def __init__(self, service: MatchService) -> None:
        self.calls: list[tuple[str, object]] = []
        for name in READS:
            setattr(service, name, self._wrap(name, getattr(service, name)))

    def _wrap(self, name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls.append((name, args[0] if args else None))
            return real(*args, **kwargs)

        return counted

    def names(self) -> set[str]:
        return {name for name, _ in self.calls}

    def reset(self) -> None:
        self.calls.clear()


def make_match(service: MatchService, clock: FakeClock, team_name: str, opponent: str) -> tuple[str, dict[str, str]]:
    """A team with three players, a match with a lineup; returns (match id, players by name)."""
    team = service.create_team(team_name)
    for name, shirt in (("Alex", 1), ("Ben", 4), ("Cara", 7)):
        service.add_player(team.id, name, shirt)
    players = {p.name: p.id for p in service.list_players(team.id)}
    match = service.create_match(team_name, opponent, clock.now, team_id=team.id, period_length_min=25)
    service.set_lineup(match.id, [LineupItem(pid, True) for pid in players.values()])
    return match.id, players


def live_on(panel: Any, clock: FakeClock) -> tuple[str, str, dict[str, str]]:
    """Matches A (shown live, kicked off) and B (another team's); the clock display timer is
    stopped so that only the refreshes under test read the clock."""
    a, players = make_match(panel.service, clock, "Riverside U12", "Hill Rovers")
    b, _ = make_match(panel.service, clock, "Lakeside U10", "Dale")
    panel.refresh_list()
    panel.show_live(a)
    panel.live_page.primary_clock.click()  # kick-off of A
    panel.live_page.timer.stop()
    return a, b, players


def test_a_change_to_another_match_reads_nothing_for_the_shown_one(qtbot: QtBot, panel: Any, clock: FakeClock) -> None:
    a, b, _ = live_on(panel, clock)
    other = MatchService(panel.ctx.db, clock=clock)  # e.g. a second window or a sync
    kickoff = other.start_period(b)
    goal = other.log_event(b, "goal", "home")
    before = panel.live_page.timeline.table.row_texts()
    reads = ReadCounter(panel.service)

    panel.bus.announce(kickoff.changes | goal.changes)
    assert reads.calls == []
    assert panel.live_page.timeline.table.row_texts() == before

    # the same kind of change to the shown match is read (the counter sees reads when they happen)
    panel.bus.announce(other.log_event(a, "goal", "home").changes)
    assert ("timeline", a) in reads.calls
    assert all(arg == a for name, arg in reads.calls if name not in ("undo_label", "redo_label"))


def test_a_clock_action_reads_the_clock_only(qtbot: QtBot, panel: Any, clock: FakeClock) -> None:
    a, _, _ = live_on(panel, clock)
    live = panel.live_page
    clock.advance(minutes=3)
    reads = ReadCounter(panel.service)

    qtbot.mouseClick(live.primary_clock, LEFT)  # pause

    assert reads.names() == {"clock_state"}  # the button's choice and the refresh: nothing else
    assert all(arg == a for _, arg in reads.calls)
    assert live.clock_state.status == "paused" and live.clock_label.text() == "03:00"
    reads.reset()
    clock.advance(minutes=1)
    qtbot.mouseClick(live.primary_clock, LEFT)  # resume
    assert reads.names() == {"clock_state"}
    assert live.clock_state.status == "live"


def test_logging_an_event_refreshes_timeline_and_score_as_a_full_reread_would(
    qtbot: QtBot, ctx: AppContext, panel: Any, clock: FakeClock
) -> None:
    a, _, players = live_on(panel, clock)
    live = panel.live_page
    clock.advance(minutes=4)
    reads = ReadCounter(panel.service)

    live.tap_player(players["Cara"])
    live.press_kind("tackle")

    names = [name for name, _ in reads.calls]
    assert names.count("timeline") == 1 and names.count("match_score") == 1
    assert {"clock_state", "get_match", "list_players", "lineup"}.isdisjoint(names)  # not the clock, not the squads
    assert all(arg == a for name, arg in reads.calls if name in ("timeline", "match_score", "pitch_status"))
    shown = (live.timeline.table.row_texts(), live.score_text, live.undo_button.isEnabled())
    assert shown[0][0][:4] == ("5'", "Tackle", "Riverside U12", "#7 Cara")

    clock.advance(minutes=1)
    live.tap_player(players["Cara"])
    live.press_kind("goal")  # a goal changes the score
    live.clear_entry()  # no assist
    shown = (live.timeline.table.row_texts(), live.score_text, live.undo_button.isEnabled())
    assert "1 – 0" in live.score_text

    live.set_match(a)  # a full re-read of everything shows the same
    assert (live.timeline.table.row_texts(), live.score_text, live.undo_button.isEnabled()) == shown

    reads.reset()
    qtbot.mouseClick(live.undo_button, LEFT)  # undo the goal: events again, not the clock
    assert "0 – 0" in live.score_text
    assert "clock_state" not in reads.names() and [n for n, _ in reads.calls].count("timeline") == 1


def test_a_roster_change_reloads_only_the_pages_showing_that_team(qtbot: QtBot, panel: Any, clock: FakeClock) -> None:
    a, b, players = live_on(panel, clock)
    live = panel.live_page
    other = MatchService(panel.ctx.db, clock=clock)
    b_team = other.get_match(b).team_id
    assert b_team is not None
    reads = ReadCounter(panel.service)

    stranger = other.add_player(b_team, "Zed", 99)
    panel.bus.announce(roster_change(b_team, stranger.id).changes)
    assert reads.calls == []  # another team's player: the live page of A is left alone

    other.update_player(players["Ben"], name="Benjamin")
    panel.bus.announce(roster_change(live.team_id, players["Ben"]).changes)
    assert ("get_match", a) in reads.calls and "list_players" in reads.names()
    assert live.player_buttons[players["Ben"]].toolTip() == "Benjamin"

    # the list page: a roster change is not on it; a match change is
    panel.show_list()
    reads.reset()
    panel.bus.announce(roster_change(b_team, stranger.id).changes)
    assert reads.calls == []
    panel.bus.announce(ChangeSet.of(matches=[b]))
    assert reads.names() == {"list_matches"}


def test_a_long_timeline_is_refreshed_in_one_sizing_pass(qtbot: QtBot, panel: Any, clock: FakeClock) -> None:
    """The timeline is sized to its contents once per fill, not once per cell: with 150 events
    shown live, a refresh (after every logged event) took ~2.6 s before, ~10 ms after, here."""
    import time

    from PySide6.QtWidgets import QApplication

    a, _, players = live_on(panel, clock)
    live = panel.live_page
    long_name = "Maximiliana Featherstonehaugh"
    panel.service.update_player(players["Ben"], name=long_name)
    for n in range(150):
        panel.service.log_event(a, "tackle", "home", player_id=players["Ben" if n == 75 else "Cara"])
    live.reload_match()
    QApplication.processEvents()  # laid out with its rows, as between two taps in the app

    started = time.perf_counter()
    live.refresh_events()
    elapsed = time.perf_counter() - started

    table = live.timeline.table
    assert table.rowCount() == 151  # and the kick-off
    # every column is as wide as its widest cell (sized to contents after the fill)
    assert table.horizontalHeader().sectionSize(3) >= table.fontMetrics().horizontalAdvance(f"#4 {long_name}")
    assert elapsed < 1.0, f"refreshing 150 events took {elapsed:.2f} s"


def test_the_summary_reads_only_for_its_own_match(qtbot: QtBot, panel: Any, clock: FakeClock) -> None:
    a, b, players = live_on(panel, clock)
    panel.show_summary(a)
    other = MatchService(panel.ctx.db, clock=clock)
    kickoff = other.start_period(b)
    reads = ReadCounter(panel.service)

    panel.bus.announce(kickoff.changes | other.log_event(b, "goal", "home").changes)
    assert reads.calls == []

    panel.bus.announce(other.log_event(a, "goal", "home", player_id=players["Cara"]).changes)
    assert ("match_score", a) in reads.calls and ("player_stats", a) in reads.calls
    assert panel.summary_page.stats.stats_for("Cara")["goals"] == 1
