"""A whole cup match through the real widgets with both squads kept: the opponent's squad
picked in the lineup, shots, a corner, an offside, a goal with its assist, a second yellow
giving a red, substitutions typed both ways, extra time and a shoot-out; the newest timeline
row is visible after every event. Then quarters straight to a shoot-out, and at 1024×768 no
button or label of the live view has its text cut."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from app.match import MatchService
from tests.match_ui.conftest import FakeClock
from tests.match_ui.test_match_ui_whole_match import click, shown, top_row, type_keys
from ui.match.widgets import FitButton

CTRL = Qt.KeyboardModifier.ControlModifier
HOME = (("Alex Goalkeeper", 1), ("Ben", 4), ("Dan", 9), ("Eve", 10), ("Finn", 12), ("Gus", 13))
AWAY = (("Hal", 1), ("Ivo", 5), ("Jon", 10), ("Kit", 14))


def squads(service: MatchService) -> None:
    for team, players in (("Riverside U12", HOME), ("Hillside Rovers U12", AWAY)):
        t = service.create_team(team)
        for name, shirt in players:
            service.add_player(t.id, name, shirt)


def new_match(qtbot: QtBot, panel: Any, periods: int, length: int, extra: int = 15) -> None:
    click(qtbot, panel.list_page.new_button)
    dialog = panel.new_match_dialog
    dialog.team.setCurrentIndex(dialog.team.findText("Riverside U12"))
    qtbot.keyClicks(dialog.opponent, "Hillside Rovers U12")
    dialog.periods.setValue(periods)
    dialog.length.setValue(length)
    dialog.extra_time.setValue(extra)
    click(qtbot, dialog.home_button)
    click(qtbot, dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save))
    qtbot.waitUntil(lambda: panel.stack.currentWidget() is panel.lineup_page)


def lineup_both_squads(qtbot: QtBot, panel: Any, bench: set[str]) -> dict[str, str]:
    page = panel.lineup_page
    page.opponent.setCurrentIndex(page.opponent.findText("Hillside Rovers U12"))
    page.opponent.activated.emit(page.opponent.currentIndex())
    ids = {p.name: p.id for p in page.players}
    assert set(ids) == {n for n, _ in HOME + AWAY}
    for name, pid in ids.items():
        click(qtbot, page.buttons[pid])  # bench -> starting
        if name in bench:
            click(qtbot, page.buttons[pid])  # -> not playing
            click(qtbot, page.buttons[pid])  # -> bench
    click(qtbot, page.live_button)
    qtbot.waitUntil(lambda: panel.stack.currentWidget() is panel.live_page)
    return ids


def log(qtbot: QtBot, live: Any, keys: str, *, enter: bool = False, away: bool = False) -> None:
    """Type an event as a coach does; the newest row must then be in view."""
    if away:
        qtbot.keyClick(live, Qt.Key.Key_Tab)
    type_keys(qtbot, live, keys)
    if enter:
        qtbot.keyClick(live, Qt.Key.Key_Return)
    assert live.timeline.newest_visible(), keys


def end_and_next(qtbot: QtBot, live: Any, clock: FakeClock, minutes: float) -> None:
    clock.advance(minutes=minutes)
    qtbot.keyClick(live, Qt.Key.Key_E, CTRL)
    qtbot.keyClick(live, Qt.Key.Key_E, CTRL)


def test_a_cup_match_with_both_squads(qtbot: QtBot, panel: Any, clock: FakeClock) -> None:
    service = panel.service
    squads(service)
    panel.refresh_list()
    new_match(qtbot, panel, periods=2, length=20, extra=5)
    ids = lineup_both_squads(qtbot, panel, bench={"Finn", "Gus", "Kit"})
    live = panel.live_page
    qtbot.keyClick(live, Qt.Key.Key_Space, CTRL)  # kick off
    clock.advance(minutes=3)
    log(qtbot, live, "10n")  # shot on target, home #10
    assert top_row(live) == ("4'", "Shot on", "Riverside U12", "#10 Eve", "")
    log(qtbot, live, "10m", away=True)  # shot off target, away #10: the away squad's #10
    assert top_row(live) == ("4'", "Shot off", "Hillside Rovers U12", "#10 Jon", "")
    log(qtbot, live, "4c")
    log(qtbot, live, "5d", away=True)
    assert top_row(live)[1:4] == ("Offside", "Hillside Rovers U12", "#5 Ivo")
    clock.advance(minutes=2)
    log(qtbot, live, "10g")
    assert "Assist?" in live.prompt_label.text()
    log(qtbot, live, "9", enter=True)  # the assist, linked to the goal
    goal = next(e for e in service.timeline(live.match_id) if e.kind == "goal")
    assert goal.related_player_id == ids["Dan"]
    log(qtbot, live, "5y", away=True)
    clock.advance(minutes=4)
    log(qtbot, live, "5y", away=True)  # second yellow
    assert "RED CARD" in live.feedback_label.text()
    assert top_row(live)[1:4] == ("Red card", "Hillside Rovers U12", "#5 Ivo")
    qtbot.keyClick(live, Qt.Key.Key_Tab)
    type_keys(qtbot, live, "5t")  # a tackle by the sent-off player asks first
    assert "sent off" in live.feedback_label.text() and top_row(live)[1] == "Red card"
    qtbot.keyClick(live, Qt.Key.Key_Escape)
    assert top_row(live)[1] == "Red card"
    bench_kit = ids["Kit"]
    click(qtbot, live.event_buttons["foul"])
    qtbot.keyClick(live, Qt.Key.Key_Tab)
    assert "Foul" in live.prompt_label.text()
    click(qtbot, live.player_buttons[bench_kit])  # a tap on a bench player asks too ...
    assert "on the bench" in live.feedback_label.text() and top_row(live)[1] == "Red card"
    click(qtbot, live.event_buttons["foul"])
    qtbot.keyClick(live, Qt.Key.Key_Tab)
    click(qtbot, live.player_buttons[bench_kit])  # ... and the same again logs it
    assert top_row(live)[1:4] == ("Foul", "Hillside Rovers U12", "#14 Kit")
    end_and_next(qtbot, live, clock, 10)
    qtbot.keyClick(live, Qt.Key.Key_Space, CTRL)  # second half
    clock.advance(minutes=5)
    log(qtbot, live, "9u12", enter=True)  # on the pitch first
    assert top_row(live)[1:5] == ("Substitution", "Riverside U12", "#9 Dan", "#12 Finn")
    log(qtbot, live, "13u4", enter=True)  # the bench player first: the same meaning
    assert top_row(live)[1:5] == ("Substitution", "Riverside U12", "#4 Ben", "#13 Gus")
    grid = live.player_grid
    assert grid.side_of_grid(ids["Finn"]) == "pitch" and grid.side_of_grid(ids["Dan"]) == "bench"
    log(qtbot, live, "10g", away=True)
    qtbot.keyClick(live, Qt.Key.Key_Return)  # no assist
    assert live.score_text.startswith("Riverside U12  1 – 1")
    end_and_next(qtbot, live, clock, 15)  # full time, level: extra time
    assert live.clock_bar.extra_button.isVisible() and live.clock_bar.shootout_button.isVisible()
    click(qtbot, live.clock_bar.extra_button)
    assert live.status_label.text().startswith("Extra time 1")
    clock.advance(minutes=6)  # 5 minutes of extra time and one of stoppage
    qtbot.waitUntil(lambda: live.clock_label.text() == "45+1")
    end_and_next(qtbot, live, clock, 0)
    click(qtbot, live.clock_bar.extra_button)
    end_and_next(qtbot, live, clock, 5)
    assert not live.clock_bar.extra_button.isVisible()
    click(qtbot, live.clock_bar.shootout_button)
    assert live.clock_label.text() == "Pens"
    for keys, away in (("10q", False), ("10w", True), ("9q", False), ("1q", True), ("1q", False)):
        log(qtbot, live, keys, away=away)
    end_and_next(qtbot, live, clock, 3)
    assert live.score_text == "Riverside U12  1 – 1 (3 – 1 pens)  Hillside Rovers U12"
    assert live.score_label.toolTip() == live.score_text
    assert shown(live.score_label).startswith("1 – 1") or "  1 – 1 (3 – 1 pens)  " in shown(live.score_label)
    assert "3 – 1" in shown(live.score_label) and "pens" in shown(live.score_label)

    stats = {s.player_id: s for s in service.player_stats(live.match_id)}
    assert (stats[ids["Eve"]].goals, stats[ids["Eve"]].shots_on_target) == (1, 1)
    assert (stats[ids["Jon"]].goals, stats[ids["Jon"]].shots_off_target) == (1, 1)
    assert stats[ids["Dan"]].assists == 1
    assert (stats[ids["Ivo"]].yellow_cards, stats[ids["Ivo"]].red_cards) == (2, 1)
    assert stats[ids["Ivo"]].minutes == 9  # sent off at 9:00
    # every period (the first ended at 19:00), and no minutes in the shoot-out
    assert stats[ids["Alex Goalkeeper"]].minutes == 19 + 20 + 6 + 5
    kinds = [e.kind for e in service.timeline(live.match_id)]
    for kind in ("shot_on_target", "shot_off_target", "corner", "offside", "shootout_goal", "shootout_miss"):
        assert kind in kinds


def test_quarters_go_straight_to_the_shootout(qtbot: QtBot, panel: Any, clock: FakeClock) -> None:
    squads(panel.service)
    panel.refresh_list()
    new_match(qtbot, panel, periods=4, length=10)
    lineup_both_squads(qtbot, panel, bench=set())
    live = panel.live_page
    for quarter in range(1, 5):
        qtbot.keyClick(live, Qt.Key.Key_Space, CTRL)
        assert live.status_label.text().startswith(f"Period {quarter} of 4")
        end_and_next(qtbot, live, clock, 10)
    assert not live.clock_bar.extra_button.isVisible()
    click(qtbot, live.clock_bar.shootout_button)
    assert live.status_label.text().startswith("Shoot-out")


def clipped(widget: QPushButton | QLabel) -> bool:
    """Some line of the widget's shown plain text is wider than the widget can show (an elided
    name, "Alex Goalk…", fits: its whole text is the tooltip); a rich-text label is checked by
    its plain text against its width."""
    if isinstance(widget, QLabel) and widget.textFormat() == Qt.TextFormat.RichText:
        return widget.sizeHint().width() > widget.width() + 2 and widget.minimumSizeHint().width() > widget.width()
    if isinstance(widget, QLabel) and (widget.wordWrap() or widget.textFormat() == Qt.TextFormat.RichText):
        return widget.heightForWidth(widget.width()) > widget.height() + 2 if widget.wordWrap() else False
    metrics = widget.fontMetrics()
    room = widget.text_room() if isinstance(widget, FitButton) else widget.contentsRect().width()
    return any(metrics.horizontalAdvance(line) > room for line in widget.text().split("\n"))


def test_nothing_is_cut_at_1024x768(qtbot: QtBot, panel: Any, clock: FakeClock) -> None:
    squads(panel.service)
    panel.refresh_list()
    new_match(qtbot, panel, periods=2, length=20)
    lineup_both_squads(qtbot, panel, bench={"Finn", "Gus", "Kit"})
    live = panel.live_page
    qtbot.keyClick(live, Qt.Key.Key_Space, CTRL)
    log(qtbot, live, "10g")
    qtbot.keyClick(live, Qt.Key.Key_Return)
    for size in ((1024, 768), (1200, 800)):
        panel.resize(*size)
        qtbot.wait(50)
        cut = [
            w.text()
            for w in live.findChildren(QPushButton) + live.findChildren(QLabel)
            if w.isVisible() and w.text() and clipped(w)
        ]
        assert cut == [], (size, cut)
