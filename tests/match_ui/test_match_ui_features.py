"""Import, edit details, share, per-match shirt numbers and the key list, through real widgets."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel
from pytestqt.qtbot import QtBot

from app.context import AppContext
from tests.match_ui.conftest import FakeClock

LEFT = Qt.MouseButton.LeftButton
REPO = Path(__file__).resolve().parents[2]


def setup_match(panel: Any, clock: FakeClock, opponent: str = "Hill Rovers") -> tuple[str, dict[str, str]]:
    """A match with a lineup (#1 Alex, #4 Ben, #7 Cara starting; #12 Finn on the bench), via the service."""
    from app.match.types import LineupItem

    service = panel.service
    team_id = service.create_team("Riverside U12").id
    for name, shirt, pos in (("Alex", 1, "GK"), ("Ben", 4, "DF"), ("Cara", 7, "MF"), ("Finn", 12, "MF")):
        service.add_player(team_id, name, shirt, pos)
    players = {p.name: p.id for p in service.list_players(team_id)}
    match = service.create_match(
        "Riverside U12", opponent, clock.now, team_id=team_id, venue="Rec", period_count=2, period_length_min=25
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


def list_row(panel: Any, match_id: str) -> tuple[str, ...]:
    page = panel.list_page
    row = next(r for r, m in enumerate(page.matches) if m.id == match_id)
    return tuple(page.table.item(row, c).text() for c in range(page.table.columnCount()))


def save_button(dialog: Any) -> Any:
    return dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)


def row_counts(ctx: AppContext) -> dict[str, int]:
    from sqlalchemy import func
    from sqlmodel import select

    from app.models.match import LineupEntry, Match, MatchEvent, Player, Team
    from app.models.sync import OutboxEntry

    with ctx.db.session() as s:
        return {
            model.__name__: int(s.exec(select(func.count()).select_from(model)).one())
            for model in (Team, Player, Match, LineupEntry, MatchEvent, OutboxEntry)
        }


# ------------------------------------------------------------------ import
@pytest.fixture
def exported_file(tmp_path: Path, clock: FakeClock) -> tuple[Path, str]:
    """A match played on another device (its own data folder) and exported by the core: 2 – 1."""
    from app.context import AppContext
    from app.match.export import export_to_file
    from app.match.service import MatchService
    from app.match.types import LineupItem

    home = tmp_path / "other-device"
    home.mkdir()
    other = AppContext.create(home)
    try:
        service = MatchService(other.db, clock=clock)
        team = service.create_team("Lakeside Colts")
        ana = service.add_player(team.id, "Ana", 9, "FW")
        bo = service.add_player(team.id, "Bo", 5, "DF")
        match = service.create_match("Lakeside Colts", "Hill Rovers", clock.now, team_id=team.id, venue="Lake Park")
        service.set_lineup(match.id, [LineupItem(ana.id, True, 9), LineupItem(bo.id, True, 5)])
        service.start_period(match.id)
        clock.advance(minutes=10)
        service.log_event(match.id, "goal", "home", ana.id, related_player_id=bo.id)
        clock.advance(minutes=5)
        service.log_event(match.id, "goal", "away", note="#10")
        clock.advance(minutes=5)
        service.log_event(match.id, "own_goal", "away")
        path = export_to_file(service, match.id, "json", tmp_path / "lakeside.json")
    finally:
        other.close()
    return path, match.id


def test_import_a_file_exported_by_the_core(
    qtbot: QtBot, panel: Any, exported_file: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import ui.match.panel as panel_module

    path, match_id = exported_file
    threads: list[int] = []
    real = panel_module.import_file

    def spy(*args: Any) -> Any:
        threads.append(threading.get_ident())
        return real(*args)

    monkeypatch.setattr(panel_module, "import_file", spy)
    monkeypatch.setattr(panel, "ask_import_path", lambda: path)
    announced: list[object] = []
    panel.bus.changed.connect(announced.append)
    assert panel.list_page.matches == []

    qtbot.mouseClick(panel.list_page.import_button, LEFT)
    qtbot.waitUntil(lambda: panel.last_import is not None, timeout=10000)
    assert threads and threads[0] != threading.get_ident()  # off the GUI thread
    assert panel.list_page.import_button.isEnabled()
    assert [m.id for m in panel.list_page.matches] == [match_id]
    assert list_row(panel, match_id)[1:] == ("Lakeside Colts v Hill Rovers", "2 – 1", "Live", "Lake Park")
    assert panel.list_page.selected_id() == match_id
    text = panel.message.text()
    assert "Imported Lakeside Colts 2 – 1 Hill Rovers from lakeside.json" in text
    assert f"{panel.last_import.inserted} new records" in text
    assert any(match_id in c.matches and match_id in c.event_matches for c in announced)  # type: ignore[attr-defined]
    qtbot.mouseClick(panel.list_page.summary_button, LEFT)
    assert panel.summary_page.score_label.text() == "Lakeside Colts  2 – 1  Hill Rovers"
    assert panel.summary_page.stats.stats_for("Ana")["goals"] == 1

    # the same file again: nothing changes, and the summary says so
    qtbot.mouseClick(panel.summary_page.back_button, LEFT)
    panel.last_import = None
    announced.clear()
    qtbot.mouseClick(panel.list_page.import_button, LEFT)
    qtbot.waitUntil(lambda: panel.last_import is not None, timeout=10000)
    assert not panel.last_import.changed
    assert "already here; nothing changed" in panel.message.text()
    assert len(panel.list_page.matches) == 1
    assert announced == []


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        ("truncate", "not valid JSON"),
        ("bad_kind", "events.0.kind"),
        ("unknown_player", "is not a player in the file or the database"),
    ],
)
def test_malformed_file_is_refused_in_words_and_nothing_is_imported(
    qtbot: QtBot,
    ctx: AppContext,
    panel: Any,
    clock: FakeClock,
    exported_file: tuple[Path, str],
    monkeypatch: pytest.MonkeyPatch,
    damage: str,
    words: str,
) -> None:
    path, _match_id = exported_file
    mine, _ = setup_match(panel, clock)
    text = path.read_text(encoding="utf-8")
    if damage == "truncate":
        path.write_text(text[: len(text) // 2], encoding="utf-8")
    else:
        doc = json.loads(text)
        if damage == "bad_kind":
            doc["events"][0]["kind"] = "header"
        else:  # the last event names a player nobody has: the first events must not go in either
            doc["events"][-1]["player_id"] = "7f9a1c2e-0000-4000-8000-000000000000"
        path.write_text(json.dumps(doc), encoding="utf-8")
    before = row_counts(ctx)
    monkeypatch.setattr(panel, "ask_import_path", lambda: path)

    qtbot.mouseClick(panel.list_page.import_button, LEFT)
    qtbot.waitUntil(lambda: panel.import_box is not None, timeout=10000)
    box = panel.import_box
    assert box.isVisible()
    assert words in box.text() and path.name in box.text()
    assert "Nothing was imported" in box.text()
    assert words in panel.message.text()
    assert row_counts(ctx) == before
    assert [m.id for m in panel.list_page.matches] == [mine]
    assert panel.last_import is None
    assert panel.list_page.import_button.isEnabled()
    qtbot.mouseClick(box.button(box.StandardButton.Ok), LEFT)
    qtbot.waitUntil(lambda: panel.import_box is None)


def test_cancelled_file_dialog_imports_nothing(qtbot: QtBot, panel: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(panel, "ask_import_path", lambda: None)
    qtbot.mouseClick(panel.list_page.import_button, LEFT)
    assert panel.import_op is None and panel.message.text() == ""


# ------------------------------------------------------------------ edit details
def test_edit_details_updates_the_list_and_the_summary(qtbot: QtBot, panel: Any, clock: FakeClock) -> None:
    match_id, _ = setup_match(panel, clock)
    page = panel.list_page
    page.select(match_id)
    qtbot.mouseClick(page.edit_button, LEFT)
    dialog = panel.edit_match_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "Match details"
    assert dialog.team.currentText() == "Riverside U12"
    assert dialog.opponent.text() == "Hill Rovers"
    assert dialog.home_button.isChecked()
    assert (dialog.venue.text(), dialog.periods.value(), dialog.length.value()) == ("Rec", 2, 25)

    dialog.team.setEditText("Riverside Reds")
    dialog.opponent.clear()
    qtbot.keyClicks(dialog.opponent, "Hill Rovers B")
    qtbot.mouseClick(dialog.away_button, LEFT)
    dialog.venue.clear()
    qtbot.keyClicks(dialog.venue, "Hilltop Park")
    dialog.periods.setValue(4)
    dialog.length.setValue(12)
    dialog.kickoff.setDateTime(dialog.kickoff.dateTime().addDays(1))
    qtbot.mouseClick(save_button(dialog), LEFT)
    qtbot.waitUntil(lambda: panel.edit_match_dialog is None)

    match = panel.service.get_match(match_id)
    assert (match.home_team, match.away_team, match.our_side) == ("Hill Rovers B", "Riverside Reds", "away")
    assert match.kickoff_at == clock.now + timedelta(days=1)
    assert match.team_id is not None  # still our team, with its lineup
    assert panel.message.text() == "Match details saved"
    row = list_row(panel, match_id)
    assert row[1] == "Hill Rovers B v Riverside Reds" and row[4] == "Hilltop Park"
    assert row[0] == (clock.now + timedelta(days=1)).astimezone().strftime("%a %d %b %Y %H:%M")

    qtbot.mouseClick(page.summary_button, LEFT)
    summary = panel.summary_page
    assert summary.score_label.text() == "Hill Rovers B  0 – 0  Riverside Reds"
    meta = summary.meta_label.text()
    assert "Hilltop Park" in meta and "4 × 12 min" in meta and "we are away" in meta

    # from the summary: Details… opens the same dialog; Save with no change writes nothing
    qtbot.mouseClick(summary.details_button, LEFT)
    dialog = panel.edit_match_dialog
    assert dialog is not None and dialog.opponent.text() == "Hill Rovers B" and dialog.away_button.isChecked()
    stamp = panel.service.get_match(match_id).updated_at
    clock.advance(minutes=1)
    qtbot.mouseClick(save_button(dialog), LEFT)
    qtbot.waitUntil(lambda: panel.edit_match_dialog is None)
    assert panel.service.get_match(match_id).updated_at == stamp
    assert panel.message.text() == "No change to the match details"

    # a name change from the summary shows at once there (timeline team column too)
    panel.service.log_event(match_id, "foul", "home", period=1, clock_ms=60_000)
    qtbot.mouseClick(summary.details_button, LEFT)
    dialog = panel.edit_match_dialog
    dialog.opponent.clear()
    qtbot.keyClicks(dialog.opponent, "Hill Rovers C")
    qtbot.mouseClick(save_button(dialog), LEFT)
    qtbot.waitUntil(lambda: panel.edit_match_dialog is None)
    assert summary.score_label.text() == "Hill Rovers C  0 – 0  Riverside Reds"
    assert summary.timeline.table.row_texts()[0][2] == "Hill Rovers C"


def test_refused_edit_is_shown_in_words(qtbot: QtBot, panel: Any, clock: FakeClock) -> None:
    match_id, _ = setup_match(panel, clock)
    service = panel.service
    service.start_period(match_id)
    clock.advance(minutes=25)
    service.end_period(match_id)
    service.start_period(match_id)  # second half under way
    panel.refresh_list()
    panel.list_page.select(match_id)
    qtbot.mouseClick(panel.list_page.edit_button, LEFT)
    dialog = panel.edit_match_dialog
    dialog.periods.setValue(1)
    dialog.venue.clear()
    qtbot.keyClicks(dialog.venue, "Elsewhere")
    stamp = service.get_match(match_id).updated_at
    qtbot.mouseClick(save_button(dialog), LEFT)
    assert dialog.isVisible()  # the dialog stays open with the reason
    assert "Not saved: the match has already reached period 2" in dialog.error.text()
    match = service.get_match(match_id)
    assert (match.period_count, match.venue, match.updated_at) == (2, "Rec", stamp)  # nothing written

    dialog.opponent.clear()  # the form's own check
    qtbot.mouseClick(save_button(dialog), LEFT)
    assert dialog.error.text() == "Enter our team and the opponent."
    dialog.reject()
    qtbot.waitUntil(lambda: panel.edit_match_dialog is None)
    assert list_row(panel, match_id)[4] == "Rec"


# ------------------------------------------------------------------ shirt numbers for one match
def test_shirt_override_is_used_by_the_number_entry(qtbot: QtBot, panel: Any, clock: FakeClock) -> None:
    match_id, ids = setup_match(panel, clock)
    panel.list_page.select(match_id)
    qtbot.mouseClick(panel.list_page.lineup_button, LEFT)
    page = panel.lineup_page
    assert {pid: f.value() for pid, f in page.number_fields.items()} == {
        ids["Alex"]: 1,
        ids["Ben"]: 4,
        ids["Cara"]: 7,
        ids["Finn"]: 12,
    }

    # a number already worn in the lineup is refused in words; nothing is saved
    finn = page.number_fields[ids["Finn"]]
    finn.selectAll()
    qtbot.keyClicks(finn, "4")
    assert page.numbers[ids["Finn"]] == 4 and "not saved" in page.counts.text()
    qtbot.mouseClick(page.save_button, LEFT)
    assert "#4 is given to two home players" in panel.message.text()
    assert {e.player_id: e.shirt_number for e in panel.service.lineup(match_id)}[ids["Finn"]] == 12
    finn.selectAll()
    qtbot.keyClicks(finn, "12")

    # Cara wears 17 today (her roster number stays 7)
    cara = page.number_fields[ids["Cara"]]
    cara.selectAll()
    qtbot.keyClicks(cara, "17")
    assert page.buttons[ids["Cara"]].text().startswith("#17 Cara")
    qtbot.mouseClick(page.live_button, LEFT)
    qtbot.waitUntil(lambda: panel.stack.currentWidget() is panel.live_page)
    assert {e.player_id: e.shirt_number for e in panel.service.lineup(match_id)}[ids["Cara"]] == 17
    assert (
        next(
            p for p in panel.service.list_players(panel.service.get_match(match_id).team_id) if p.id == ids["Cara"]
        ).shirt_number
        == 7
    )

    live = panel.live_page
    assert live.player_buttons[ids["Cara"]].text() == "#17\nCara"
    qtbot.keyClick(live, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)  # kick off
    clock.advance(minutes=4)
    for ch in "17g":
        qtbot.keyClick(live, ch)
    goal = next(e for e in panel.service.timeline(match_id) if e.kind == "goal")
    assert goal.player_id == ids["Cara"]
    assert live.timeline.table.row_texts()[0][:4] == ("5'", "Goal", "Riverside U12", "#17 Cara")
    rows = live.timeline.table.rowCount()
    for ch in "7g":  # her roster number is nobody's today
        qtbot.keyClick(live, ch)
    assert live.prompt_label.text() == "No #7 in the squad"
    assert live.timeline.table.rowCount() == rows


# ------------------------------------------------------------------ key list
def test_help_overlay_lists_every_key_and_any_key_closes_it(qtbot: QtBot, panel: Any, clock: FakeClock) -> None:
    from ui.match.keys import CONTROL_KEY_HELP, ENTRY_KEY_HELP, EVENT_BUTTONS

    match_id, _ = setup_match(panel, clock)
    panel.show_live(match_id)
    live = panel.live_page
    overlay = live.help_overlay
    qtbot.keyClick(live, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)  # kick off
    assert not overlay.isVisible()

    qtbot.keyClick(live, "?")
    assert overlay.isVisible()
    assert overlay.geometry() == live.rect()  # covers the whole view
    qtbot.waitUntil(overlay.hasFocus)
    text = overlay.text()
    for _kind, label, key in EVENT_BUTTONS:
        assert f"{key}: {label}" in text
    for keys, _what in (*ENTRY_KEY_HELP, *CONTROL_KEY_HELP):
        assert f"{keys}:" in text
    shown = [lbl for lbl in overlay.findChildren(QLabel) if lbl.text()]
    assert min(lbl.font().pixelSize() for lbl in shown) >= 22  # large type

    # Shift alone (as when typing "?") keeps it; the next key closes it and does nothing else
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Shift)
    assert overlay.isVisible()
    rows = live.timeline.table.rowCount()
    qtbot.keyClick(QApplication.focusWidget(), "g")
    assert not overlay.isVisible()
    assert live.entry.kind is None and live.timeline.table.rowCount() == rows
    qtbot.waitUntil(live.hasFocus)

    # F1 opens it too; Tab closes it without switching the side
    qtbot.keyClick(live, Qt.Key.Key_F1)
    assert overlay.isVisible()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert not overlay.isVisible() and live.entry.side == "home"

    # a key that reaches the view while the list shows only closes it
    qtbot.mouseClick(live.help_button, LEFT)
    assert overlay.isVisible()
    qtbot.keyClick(live, "7")
    assert not overlay.isVisible() and live.entry.digits == ""

    # a tap closes it; leaving the view closes it
    qtbot.keyClick(live, "?")
    qtbot.mouseClick(overlay, LEFT, pos=QPoint(10, 10))
    assert not overlay.isVisible()
    qtbot.keyClick(live, "?")
    panel.show_list()
    assert not overlay.isVisible()


# ------------------------------------------------------------------ share
def test_share_button_opens_the_share_dialog_for_a_synced_match(
    qtbot: QtBot, ctx: AppContext, panel: Any, clock: FakeClock
) -> None:
    from sqlmodel import select

    from app.models.sync import OutboxEntry
    from sync import state

    match_id, _ = setup_match(panel, clock)
    panel.show_summary(match_id)
    summary = panel.summary_page
    button = summary.share_button
    assert panel.share_supported and button.isVisible()
    assert not button.isEnabled() and "sync first" in button.text()

    with ctx.db.write() as s:  # what a finished sync leaves behind
        state.set_version(s, "team", "match", match_id, "v1", clock.now)
        pending = s.exec(select(OutboxEntry.seq).where(OutboxEntry.status == "pending")).all()
        state.mark_done(s, pending, clock.now)
    panel.bus.announce_topic("sync")
    assert button.isEnabled() and button.text() == "Share…"

    qtbot.mouseClick(button, LEFT)
    dialog = panel.share_dialog
    assert dialog is not None and dialog.isVisible()
    assert type(dialog).__name__ == "ShareDialog" and dialog.match_id == match_id
    qtbot.waitUntil(lambda: dialog.op.finished, timeout=10000)
    assert "team server" in dialog.note.text()  # no server here: the dialog says what to do
    dialog.close()
    qtbot.waitUntil(lambda: panel.share_dialog is None)


@pytest.mark.subprocess
def test_the_match_screens_do_not_import_the_share_dialog_until_asked() -> None:
    code = "import sys, ui.match.panel; print('ui.sync.share_dialog' in sys.modules, 'sync.sharing' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert out.stdout.split() == ["False", "False"]
