"""A whole grassroots match logged through the real widgets: new match and players through the
dialogs, the lineup grid, the clock (fake wall clock), events by button and by keyboard with
shirt numbers, a substitution, undo/redo, an edit and a delete from the timeline, then the
summary's score, timeline and per-player stats."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QDialogButtonBox, QPushButton
from pytestqt.qtbot import QtBot

from tests.match_ui.conftest import FakeClock

LEFT = Qt.MouseButton.LeftButton
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier

SQUAD = (  # name, shirt, position, lineup taps (bench -> starting -> out -> bench)
    ("Alex", 1, "GK", 1),
    ("Ben", 4, "DF", 1),
    ("Cara", 7, "MF", 1),
    ("Dan", 9, "FW", 1),
    ("Eve", 10, "FW", 1),
    ("Finn", 12, "MF", 0),
    ("Gus", 14, "DF", 2),
)


def click(qtbot: QtBot, button: QPushButton) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, LEFT)


def type_keys(qtbot: QtBot, widget: Any, text: str) -> None:
    for ch in text:
        qtbot.keyClick(widget, ch)


def create_match_through_dialog(qtbot: QtBot, panel: Any) -> str:
    click(qtbot, panel.list_page.new_button)
    dialog = panel.new_match_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.team.setEditText("Riverside U12")
    qtbot.keyClicks(dialog.opponent, "Hill Rovers")
    qtbot.keyClicks(dialog.venue, "Rec Ground pitch 3")
    preset = next(b for b in dialog.findChildren(QPushButton) if b.text() == "2×20")
    click(qtbot, preset)
    assert (dialog.periods.value(), dialog.length.value()) == (2, 20)
    click(qtbot, dialog.home_button)
    save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    click(qtbot, save)
    qtbot.waitUntil(lambda: panel.stack.currentWidget() is panel.lineup_page)
    assert panel.lineup_page.match_id is not None
    return str(panel.lineup_page.match_id)


def build_lineup(qtbot: QtBot, panel: Any) -> dict[str, str]:
    page = panel.lineup_page
    for name, shirt, position, _taps in SQUAD:
        qtbot.keyClicks(page.form.name, name)
        page.form.shirt.setValue(shirt)
        page.form.position.setCurrentIndex(page.form.position.findData(position))
        click(qtbot, page.form.add_button)
    ids = {p.name: p.id for p in page.players}
    assert set(ids) == {s[0] for s in SQUAD}
    assert page.counts.text().startswith("Starting 0 · Bench 7 · Not playing 0")
    for name, _shirt, _pos, taps in SQUAD:
        for _ in range(taps):
            click(qtbot, page.buttons[ids[name]])
    assert page.counts.text().startswith("Starting 5 · Bench 1 · Not playing 1")
    click(qtbot, page.live_button)
    qtbot.waitUntil(lambda: panel.stack.currentWidget() is panel.live_page)
    return ids


def shown(label: Any) -> str:
    """The text a rich-text label shows."""
    doc = QTextDocument()
    doc.setHtml(label.text())
    return doc.toPlainText().replace("\xa0", " ")


def top_row(live: Any) -> tuple[str, ...]:
    rows = live.timeline.table.row_texts()
    assert rows, "the timeline is empty"
    return tuple(rows[0][:5])


def test_whole_match_through_the_widgets(qtbot: QtBot, panel: Any, clock: FakeClock) -> None:
    announced: list[object] = []
    panel.bus.changed.connect(announced.append)

    match_id = create_match_through_dialog(qtbot, panel)
    ids = build_lineup(qtbot, panel)
    live = panel.live_page
    home = "Riverside U12"
    assert shown(live.score_label) == f"{home}  0 – 0  Hill Rovers"
    assert live.clock_label.text() == "00:00"
    assert set(live.player_buttons) == {ids[n] for n in ("Alex", "Ben", "Cara", "Dan", "Eve", "Finn")}
    assert live.timer.isActive()
    qtbot.waitUntil(live.hasFocus)

    # nothing is shown as logged when the service refuses (not kicked off yet)
    type_keys(qtbot, live, "7g")
    assert live.feedback_label.text().startswith("✗ Not logged")
    assert live.timeline.table.rowCount() == 0

    # ---------------------------------------------------------------- first half
    click(qtbot, live.primary_clock)  # kick off
    assert live.clock_state.status == "live"
    clock.advance(seconds=30)
    qtbot.waitUntil(lambda: live.clock_label.text() == "00:30")  # the QTimer re-reads the derived clock
    clock.advance(minutes=1, seconds=30)

    n = len(announced)
    type_keys(qtbot, live, "7g")  # digits then the kind key: goal by #7
    assert top_row(live) == ("3'", "Goal", home, "#7 Cara", "")
    assert shown(live.score_label) == f"{home}  1 – 0  Hill Rovers"
    assert len(announced) > n and all(c.touches("match") for c in announced[n:])  # type: ignore[attr-defined]
    assert match_id in announced[-1].event_matches  # type: ignore[attr-defined]

    type_keys(qtbot, live, "a9")  # kind, then digits + Enter
    assert live.prompt_label.text().startswith("Assist: which player? #9")
    qtbot.keyClick(live, Qt.Key.Key_Return)
    assert top_row(live) == ("3'", "Assist", home, "#9 Dan", "")

    clock.advance(minutes=3)
    click(qtbot, live.event_buttons["save"])  # kind button, then a player on the grid
    click(qtbot, live.player_buttons[ids["Alex"]])
    assert top_row(live) == ("6'", "Save", home, "#1 Alex", "")

    clock.advance(minutes=3)
    click(qtbot, live.player_buttons[ids["Ben"]])  # player, then the kind button
    assert "Ben selected" in live.prompt_label.text()
    click(qtbot, live.event_buttons["tackle"])
    assert top_row(live) == ("9'", "Tackle", home, "#4 Ben", "")

    # Tab switches the side and back; H switches it for one event
    qtbot.keyClick(live, Qt.Key.Key_Tab)
    assert live.entry.side == "away" and "AWAY" in live.side_button.text()
    qtbot.keyClick(live, Qt.Key.Key_Tab)
    assert live.entry.side == "home"
    clock.advance(minutes=2)
    type_keys(qtbot, live, "hg")
    assert top_row(live) == ("11'", "Goal", "Hill Rovers", "", "")
    assert shown(live.score_label) == f"{home}  1 – 1  Hill Rovers"
    assert live.entry.side == "home"  # back to our side after one event

    # pause: the displayed clock stands still while the wall clock runs on
    clock.advance(minutes=1)
    click(qtbot, live.primary_clock)
    qtbot.waitUntil(lambda: "PAUSED" in live.status_label.text())
    clock.advance(minutes=3)
    live.refresh_clock()
    assert live.clock_label.text() == "11:00"
    qtbot.keyClick(live, Qt.Key.Key_Space, CTRL)  # resume
    assert live.clock_state.status == "live"
    clock.advance(minutes=10)
    qtbot.waitUntil(lambda: live.clock_label.text() == "20+1")  # stoppage time

    click(qtbot, live.end_period_button)  # first tap only arms
    assert live.clock_state.status == "live"
    assert "again" in live.end_period_button.text()
    click(qtbot, live.end_period_button)
    assert live.clock_state.status == "break"
    assert live.primary_clock.text().startswith("Start period 2")

    # ---------------------------------------------------------------- second half
    clock.advance(minutes=10)  # half-time
    click(qtbot, live.primary_clock)
    assert live.clock_state.period == 2 and live.clock_label.text() == "20:00"
    clock.advance(minutes=5)
    qtbot.waitUntil(lambda: live.clock_label.text() == "25:00")

    click(qtbot, live.event_buttons["substitution"])  # player off, then player on
    click(qtbot, live.player_buttons[ids["Dan"]])
    assert "Dan — and the other player" in live.prompt_label.text()
    click(qtbot, live.player_buttons[ids["Finn"]])
    assert top_row(live) == ("26'", "Substitution", home, "#9 Dan", "#12 Finn")
    assert live.player_buttons[ids["Dan"]].text() == "#9\nDan (off)"
    assert live.player_buttons[ids["Finn"]].text() == "#12\nFinn (on)"

    clock.advance(minutes=2)
    qtbot.keyClick(live, "y")
    type_keys(qtbot, live, "4")
    qtbot.keyClick(live, Qt.Key.Key_Enter)
    assert top_row(live) == ("28'", "Yellow card", home, "#4 Ben", "")

    clock.advance(minutes=2)
    type_keys(qtbot, live, "12g")
    assert top_row(live) == ("30'", "Goal", home, "#12 Finn", "")
    assert shown(live.score_label) == f"{home}  2 – 1  Hill Rovers"

    # a wrong goal, undone, redone, undone again
    clock.advance(minutes=1)
    type_keys(qtbot, live, "10g")
    assert shown(live.score_label) == f"{home}  3 – 1  Hill Rovers"
    qtbot.keyClick(live, Qt.Key.Key_Z, CTRL)
    assert shown(live.score_label) == f"{home}  2 – 1  Hill Rovers"
    assert top_row(live)[3] == "#12 Finn"
    qtbot.keyClick(live, Qt.Key.Key_Z, CTRL | SHIFT)
    assert shown(live.score_label) == f"{home}  3 – 1  Hill Rovers"
    click(qtbot, live.undo_button)
    assert shown(live.score_label) == f"{home}  2 – 1  Hill Rovers"

    # an unknown shirt number logs nothing
    rows_before = live.timeline.table.rowCount()
    type_keys(qtbot, live, "55g")
    assert "No #55" in live.prompt_label.text()
    assert live.timeline.table.rowCount() == rows_before

    # a foul without a player (kind + Enter), then deleted from the timeline
    qtbot.keyClick(live, "f")
    qtbot.keyClick(live, Qt.Key.Key_Return)
    assert top_row(live) == ("31'", "Foul", home, "", "")
    live.timeline.table.selectRow(0)
    click(qtbot, live.timeline.delete_button)
    assert "Foul" not in [r[1] for r in live.timeline.table.row_texts()]

    # edit from the timeline: the tackle was really an interception (double-click the row)
    table = live.timeline.table
    row = next(r for r, e in enumerate(table.events) if e.kind == "tackle")
    table.scrollToItem(table.item(row, 1))
    rect = table.visualItemRect(table.item(row, 1))
    # a real double-click is press, release, press+double-click, release (QTest's DClick lacks the first)
    qtbot.mouseClick(table.viewport(), LEFT, pos=QPoint(rect.center()))
    qtbot.mouseDClick(table.viewport(), LEFT, pos=QPoint(rect.center()))
    dialog = live.timeline.edit_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.kind.setCurrentIndex(dialog.kind.findData("interception"))
    click(qtbot, dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save))
    kinds = [e.kind for e in table.events]
    assert "tackle" not in kinds and "interception" in kinds

    clock.advance(minutes=10)  # 20:00 of the second period
    qtbot.keyClick(live, Qt.Key.Key_E, CTRL)
    qtbot.keyClick(live, Qt.Key.Key_E, CTRL)
    assert live.clock_state.status == "finished"
    assert live.primary_clock.text().startswith("Full time")

    # ---------------------------------------------------------------- summary
    click(qtbot, live.summary_button)
    summary = panel.summary_page
    assert panel.stack.currentWidget() is summary
    assert summary.score_label.text() == f"{home}  2 – 1  Hill Rovers"
    assert "Rec Ground pitch 3" in summary.meta_label.text()
    rows = summary.timeline.table.row_texts()
    events = [r[:5] for r in rows if r[1] not in ("Period start", "Period end")]
    assert events == [
        ("3'", "Goal", home, "#7 Cara", ""),
        ("3'", "Assist", home, "#9 Dan", ""),
        ("6'", "Save", home, "#1 Alex", ""),
        ("9'", "Interception", home, "#4 Ben", ""),
        ("11'", "Goal", "Hill Rovers", "", ""),
        ("26'", "Substitution", home, "#9 Dan", "#12 Finn"),
        ("28'", "Yellow card", home, "#4 Ben", ""),
        ("30'", "Goal", home, "#12 Finn", ""),
    ]
    assert [r[1] for r in rows].count("Period start") == 2
    assert [r[1] for r in rows].count("Period end") == 2

    stats = summary.stats
    names = [s.name for s in stats.rows]
    assert names == ["Alex", "Ben", "Cara", "Dan", "Eve", "Finn"]  # Gus was not playing
    expect = {
        "Alex": {"saves": 1, "minutes": 41},
        "Ben": {"tackles": 0, "interceptions": 1, "yellow_cards": 1, "minutes": 41},
        "Cara": {"goals": 1, "minutes": 41},
        "Dan": {"assists": 1, "goals": 0, "minutes": 26},
        "Eve": {"goals": 0, "minutes": 41},
        "Finn": {"goals": 1, "minutes": 15},
    }
    for name, wanted in expect.items():
        got = stats.stats_for(name)
        assert {k: got[k] for k in wanted} == wanted, name
    # the table shows what the rows hold
    goals_col = [h for h, _ in stats.columns].index("Goals")
    finn_row = names.index("Finn")
    assert stats.item(finn_row, goals_col).text() == "1"

    # an edit in the summary can be undone there too (Ctrl+Z), and redone
    row = next(r for r, e in enumerate(summary.timeline.table.events) if e.kind == "yellow_card")
    summary.timeline.table.selectRow(row)
    click(qtbot, summary.timeline.edit_button)
    dialog = summary.timeline.edit_dialog
    assert dialog is not None
    dialog.kind.setCurrentIndex(dialog.kind.findData("red_card"))
    click(qtbot, dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save))
    assert summary.stats.stats_for("Ben")["red_cards"] == 1
    qtbot.keyClick(summary, Qt.Key.Key_Z, CTRL)
    assert summary.stats.stats_for("Ben")["red_cards"] == 0
    assert summary.stats.stats_for("Ben")["yellow_cards"] == 1

    # back to the list: the match shows its final score
    click(qtbot, summary.back_button)
    assert panel.stack.currentWidget() is panel.list_page
    match_row = next(r for r, m in enumerate(panel.list_page.matches) if m.id == match_id)
    assert panel.list_page.table.item(match_row, 2).text() == "2 – 1"
    assert panel.list_page.table.item(match_row, 3).text() == "Full time"
