"""The other match screens and the live view's promises: keys on every button, the clock after
a restart, timers that stop, the outdoor theme, exports off the GUI thread, season stats."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from app.context import AppContext
from tests.match_ui.conftest import FakeClock

LEFT = Qt.MouseButton.LeftButton


def setup_match(
    panel: Any, clock: FakeClock, opponent: str = "Hill Rovers", team_id: str | None = None
) -> tuple[str, dict[str, str]]:
    """A match with a lineup, made through the service (setup only)."""
    from app.match.types import LineupItem

    service = panel.service
    if team_id is None:
        team_id = service.create_team("Riverside U12").id
        for name, shirt, pos in (("Alex", 1, "GK"), ("Ben", 4, "DF"), ("Cara", 7, "MF"), ("Finn", 12, "MF")):
            service.add_player(team_id, name, shirt, pos)
    players = {p.name: p.id for p in service.list_players(team_id)}
    match = service.create_match(
        "Riverside U12", opponent, clock.now, team_id=team_id, period_count=2, period_length_min=25
    )
    service.set_lineup(
        match.id,
        [
            LineupItem(players["Alex"], True, 1),
            LineupItem(players["Ben"], True, 4),
            LineupItem(players["Cara"], True, 7),
            LineupItem(players["Finn"], False, 12),
        ],
    )
    panel.refresh_list()
    return match.id, players


def test_every_event_kind_has_a_big_button_with_its_key(qtbot: QtBot, panel: Any, clock: FakeClock) -> None:
    from app.match.service import LOGGABLE_KINDS
    from ui.match.keys import KIND_KEY

    match_id, _ = setup_match(panel, clock)
    panel.show_live(match_id)
    live = panel.live_page
    assert set(live.event_buttons) == set(LOGGABLE_KINDS)
    keys = [KIND_KEY[k] for k in LOGGABLE_KINDS]
    assert len(set(keys)) == len(keys)  # no key does two things
    assert not set(keys) & {"H"}  # H is the side switch
    for kind, button in live.event_buttons.items():
        assert f"[{KIND_KEY[kind]}]" in button.text()
        assert button.minimumWidth() >= 64 and button.minimumHeight() >= 64
        assert button.height() >= 64
        assert button.focusPolicy() == Qt.FocusPolicy.NoFocus
    for button in live.findChildren(QPushButton):
        if button.isVisible():
            assert button.height() >= 64, button.text()
    assert "font-size:56px" in live.score_label.text()  # the numbers are the biggest text
    assert live.clock_label.font().pixelSize() >= 60


def test_every_kind_can_be_logged_by_its_key(qtbot: QtBot, panel: Any, clock: FakeClock) -> None:
    from app.match.service import LOGGABLE_KINDS
    from ui.match.keys import KIND_KEY

    match_id, players = setup_match(panel, clock)
    panel.show_live(match_id)
    live = panel.live_page
    qtbot.keyClick(live, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)  # kick off
    for kind in sorted(LOGGABLE_KINDS, key=lambda k: k == "red_card"):  # sent off last: no confirmations
        if kind == "substitution":
            for ch in f"7{KIND_KEY[kind].lower()}12":
                qtbot.keyClick(live, ch)
            qtbot.keyClick(live, Qt.Key.Key_Return)
        else:
            for ch in f"4{KIND_KEY[kind].lower()}":
                qtbot.keyClick(live, ch)
    timeline = [e for e in panel.service.timeline(match_id) if e.kind != "period_start"]
    assert sorted(e.kind for e in timeline) == sorted(LOGGABLE_KINDS)
    sub = next(e for e in timeline if e.kind == "substitution")
    assert (sub.player_id, sub.related_player_id) == (players["Cara"], players["Finn"])
    assert all(e.player_id == players["Ben"] for e in timeline if e.kind != "substitution")
    assert live.timeline.table.rowCount() == len(LOGGABLE_KINDS) + 1


def test_clock_survives_a_restart(qtbot: QtBot, ctx: AppContext, panel: Any, clock: FakeClock) -> None:
    from ui.bus import ChangeBus
    from ui.match.panel import MatchPanel

    match_id, _ = setup_match(panel, clock)
    setup_match(panel, clock, opponent="Later match", team_id=panel.service.get_match(match_id).team_id)
    panel.show_live(match_id)
    qtbot.mouseClick(panel.live_page.primary_clock, LEFT)
    clock.advance(minutes=27, seconds=10)
    panel.live_page.refresh_clock()
    assert panel.live_page.clock_label.text() == "25+3"
    panel.shutdown()
    panel.close()

    again = MatchPanel(ctx, ChangeBus())
    qtbot.addWidget(again)
    again.show()
    assert again.list_page.selected_id() == match_id  # the live match is ready to reopen
    qtbot.mouseClick(again.list_page.live_button, LEFT)
    assert again.stack.currentWidget() is again.live_page
    assert again.live_page.clock_label.text() == "25+3"
    assert again.live_page.clock_state.status == "live"
    again.shutdown()
    again.close()


def test_clock_timer_runs_only_while_the_live_view_shows(qtbot: QtBot, panel: Any, clock: FakeClock) -> None:
    match_id, _ = setup_match(panel, clock)
    timer = panel.live_page.timer
    assert not timer.isActive()
    panel.show_live(match_id)
    assert timer.isActive()
    panel.show_list()
    assert not timer.isActive()
    panel.show_live(match_id)
    assert timer.isActive()
    panel.close()  # closing the widget alone stops it
    assert not timer.isActive()
    panel.show()
    assert timer.isActive()
    panel.shutdown()
    assert not timer.isActive()


def test_outdoor_theme_toggle(qtbot: QtBot, panel: Any, clock: FakeClock) -> None:
    from ui.theme import OUTDOOR_QSS, apply_outdoor_theme, is_outdoor

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before_qss, before_font = app.styleSheet(), app.font()
    match_id, _ = setup_match(panel, clock)
    panel.show_live(match_id)
    toggle = panel.live_page.theme_button
    try:
        qtbot.mouseClick(toggle, LEFT)
        assert is_outdoor(app)
        assert OUTDOOR_QSS in app.styleSheet()
        assert app.palette().color(app.palette().ColorRole.Window).name() == "#ffffff"
        assert app.palette().color(app.palette().ColorRole.WindowText).name() == "#000000"
        assert app.font().bold()
        apply_outdoor_theme(app, True)  # idempotent
        assert app.styleSheet().count("fieldmat-outdoor-begin") == 1
        qtbot.mouseClick(toggle, LEFT)
        assert not is_outdoor(app)
        assert app.styleSheet() == before_qss
        assert app.font() == before_font
        apply_outdoor_theme(app, True)  # switched elsewhere (the View menu): the toggle follows
        qtbot.waitUntil(toggle.isChecked)
        apply_outdoor_theme(app, False)
        qtbot.waitUntil(lambda: not toggle.isChecked())
    finally:
        apply_outdoor_theme(app, False)


@pytest.mark.parametrize("fmt", ["json", "csv", "pdf"])
def test_export_buttons_write_off_the_gui_thread(
    qtbot: QtBot, panel: Any, clock: FakeClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    import ui.match.exporting as exporting

    match_id, _players = setup_match(panel, clock)
    panel.show_live(match_id)
    live = panel.live_page
    qtbot.mouseClick(live.primary_clock, LEFT)
    clock.advance(minutes=3)
    for ch in "7g":
        qtbot.keyClick(live, ch)
    qtbot.mouseClick(live.summary_button, LEFT)
    summary = panel.summary_page

    threads: list[int] = []
    real = exporting.export_to_file

    def spy(*args: Any, **kwargs: Any) -> Path:
        threads.append(threading.get_ident())
        return real(*args, **kwargs)

    monkeypatch.setattr(exporting, "export_to_file", spy)
    target = tmp_path / f"out.{fmt}"
    monkeypatch.setattr(summary, "ask_path", lambda f: target if f == fmt else None)
    qtbot.mouseClick(summary.export_buttons[fmt], LEFT)
    qtbot.waitUntil(lambda: summary.last_export is not None, timeout=10000)
    assert threads and threads[0] != threading.get_ident()
    assert summary.last_export == target and target.exists()
    assert str(target) in summary.export_status.text()
    if fmt == "json":
        doc = json.loads(target.read_text(encoding="utf-8"))
        assert doc["format"] == "fieldmat.match/1"
        assert doc["match"]["score"] == {"home": 1, "away": 0, "shootout": None}
    elif fmt == "csv":
        lines = target.read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("event_id,")
        assert any(",goal," in line and "Cara" in line for line in lines)
    else:
        assert target.read_bytes().startswith(b"%PDF")


def test_season_stats_view(qtbot: QtBot, panel: Any, clock: FakeClock) -> None:
    service = panel.service
    first, players = setup_match(panel, clock)
    team_id = service.get_match(first).team_id
    second, _ = setup_match(panel, clock, opponent="Town", team_id=team_id)
    for match_id, scorers in ((first, ["Cara"]), (second, ["Cara", "Ben"])):
        service.start_period(match_id)
        clock.advance(minutes=5)
        for name in scorers:
            service.log_event(match_id, "goal", "home", players[name])
        service.end_period(match_id)
        clock.advance(minutes=1)
    panel.list_page.select(first)
    qtbot.mouseClick(panel.list_page.season_button, LEFT)
    season = panel.season_page
    assert panel.stack.currentWidget() is season
    qtbot.waitUntil(lambda: bool(season.stats.rows), timeout=5000)
    qtbot.waitUntil(lambda: season.op is None or season.op.finished)
    assert season.stats.stats_for("Cara")["goals"] == 2
    assert season.stats.stats_for("Ben")["goals"] == 1
    assert season.stats.stats_for("Alex")["matches"] == 2
    assert season.stats.stats_for("Finn")["starts"] == 0


def test_teams_page_adds_and_edits_players(qtbot: QtBot, panel: Any, clock: FakeClock) -> None:
    qtbot.mouseClick(panel.list_page.teams_button, LEFT)
    page = panel.teams_page
    qtbot.keyClicks(page.new_team, "Riverside U12")
    qtbot.mouseClick(page.new_team_button, LEFT)
    assert page.team.currentText() == "Riverside U12"
    roster = page.roster
    qtbot.keyClicks(roster.form.name, "Alex")
    roster.form.shirt.setValue(1)
    roster.form.position.setCurrentIndex(roster.form.position.findData("GK"))
    qtbot.mouseClick(roster.form.add_button, LEFT)
    assert [(p.name, p.shirt_number, p.position) for p in roster.players] == [("Alex", 1, "GK")]
    roster.table.selectRow(0)
    qtbot.mouseClick(roster.edit_button, LEFT)
    assert roster.form.name.text() == "Alex"
    roster.form.shirt.setValue(13)
    qtbot.mouseClick(roster.form.add_button, LEFT)
    assert [(p.name, p.shirt_number) for p in roster.players] == [("Alex", 13)]
    assert roster.table.item(0, 0).text() == "13"


def test_refused_edit_is_reported_and_changes_nothing(qtbot: QtBot, panel: Any, clock: FakeClock) -> None:
    match_id, _ = setup_match(panel, clock)
    panel.show_live(match_id)
    live = panel.live_page
    qtbot.mouseClick(live.primary_clock, LEFT)
    clock.advance(timedelta(minutes=1).total_seconds() / 60)
    table = live.timeline.table
    assert [e.kind for e in table.events] == ["period_start"]
    table.selectRow(0)
    qtbot.mouseClick(live.timeline.delete_button, LEFT)  # the clock depends on it: refused
    assert "cannot be deleted" in live.feedback_label.text()
    assert [e.kind for e in table.events] == ["period_start"]
