"""Exports: JSON round trip into a fresh database, idempotent import, rejected files, CSV, PDF."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import func, select

from app.context import AppContext
from app.errors import ImportRejected
from app.match import MatchService
from app.match.export import export_csv, export_dict, export_json, import_match, report_data
from app.models.match import LineupEntry, Match, MatchEvent, Player, Team
from app.models.sync import OutboxEntry

from .conftest import FakeClock, Squad


def other_home(tmp_path: Path) -> AppContext:
    """A second, fresh data folder (another FIELDMAT_HOME)."""
    home = tmp_path / "other-home"
    home.mkdir(exist_ok=True)
    return AppContext.create(home)


def play(svc: MatchService, squad: Squad, clock: FakeClock) -> dict[str, str]:
    """A short match with every interesting case; returns some event ids."""
    mid = squad.match.id
    p = squad.players
    svc.start_period(mid)
    clock.advance(9)
    goal = svc.log_event(mid, "goal", "home", p[9].id, p[7].id, note="top corner").event_id
    clock.advance(3)
    svc.log_event(mid, "own_goal", "home", p[2].id)
    svc.log_event(mid, "save", "home", p[0].id)
    wrong = svc.log_event(mid, "foul", "away").event_id
    svc.delete_event(wrong)
    clock.advance(35)
    svc.end_period(mid)
    clock.advance(15)
    svc.start_period(mid)
    clock.advance(20)
    svc.log_event(mid, "substitution", "home", p[9].id, p[12].id)
    svc.log_event(mid, "yellow_card", "away", note="#4")
    return {"goal": goal, "deleted": wrong}


def counts(db: Any) -> dict[str, int]:
    with db.session() as s:
        return {
            model.__name__: int(s.exec(select(func.count()).select_from(model)).one())
            for model in (Team, Player, Match, LineupEntry, MatchEvent, OutboxEntry)
        }


def test_json_has_the_documented_shape(svc: MatchService, squad: Squad, clock: FakeClock) -> None:
    ids = play(svc, squad, clock)
    doc = export_dict(svc, squad.match.id)
    assert list(doc) == ["format", "match", "teams", "players", "lineup", "events", "view"]
    assert doc["format"] == "fieldmat.match/1"
    assert doc["match"]["score"] == {"home": 1, "away": 1, "shootout": None}
    assert doc["match"]["kickoff_at"] == "2026-05-02T10:00:00Z"
    assert {e["id"] for e in doc["events"]} >= {ids["goal"], ids["deleted"]}
    deleted = next(e for e in doc["events"] if e["id"] == ids["deleted"])
    assert deleted["deleted"] is True
    sub = next(e for e in doc["events"] if e["kind"] == "substitution")
    assert (sub["player_id"], sub["related_player_id"]) == (squad.players[9].id, squad.players[12].id)
    assert set(doc["lineup"][0]) == {"player_id", "starting", "shirt_number"}
    assert doc["view"]["match"]["score"] == {"home": 1, "away": 1}
    assert doc["view"]["recent_events"][0]["kind"] == "yellow_card"
    json.loads(export_json(svc, squad.match.id))


def test_round_trip_into_a_fresh_database(svc: MatchService, squad: Squad, clock: FakeClock, tmp_path: Path) -> None:
    play(svc, squad, clock)
    text = export_json(svc, squad.match.id)

    fresh = other_home(tmp_path)
    try:
        other = MatchService(fresh.db, clock=clock)
        result = import_match(other, text)
        assert result.changed and result.updated == 1  # the lineup
        assert other.score(squad.match.id) == svc.score(squad.match.id) == (1, 1)
        original = export_dict(svc, squad.match.id)
        copied = export_dict(other, squad.match.id)
        assert copied["match"] == original["match"]
        assert copied["events"] == original["events"]
        assert copied["players"] == original["players"]
        assert copied["teams"] == original["teams"]
        assert sorted(copied["lineup"], key=str) == sorted(original["lineup"], key=str)
        assert [t.id for t in other.timeline(squad.match.id)] == [t.id for t in svc.timeline(squad.match.id)]
        assert other.minutes_played(squad.match.id) == svc.minutes_played(squad.match.id)
        assert other.clock_state(squad.match.id).display == svc.clock_state(squad.match.id).display

        # importing the same file again changes nothing, not even the outbox
        before = counts(fresh.db)
        again = import_match(other, text)
        assert not again.changed
        assert counts(fresh.db) == before
        # ...and importing it back into the original database changes nothing either
        before = counts(svc.db)
        assert not import_match(svc, text).changed
        assert counts(svc.db) == before
    finally:
        fresh.close()


def test_import_applies_newer_edits(svc: MatchService, squad: Squad, clock: FakeClock, tmp_path: Path) -> None:
    ids = play(svc, squad, clock)
    first = export_json(svc, squad.match.id)
    fresh = other_home(tmp_path)
    try:
        other = MatchService(fresh.db, clock=clock)
        import_match(other, first)
        clock.advance(1)
        svc.delete_event(ids["goal"])
        result = import_match(other, export_json(svc, squad.match.id))
        assert result.updated == 2  # the goal and its assist
        assert other.score(squad.match.id) == (0, 1)
    finally:
        fresh.close()


def _mutations() -> list[tuple[str, Any, str]]:
    def drop_field(doc: dict[str, Any]) -> None:
        del doc["events"][1]["kind"]

    def unknown_kind(doc: dict[str, Any]) -> None:
        doc["events"][1]["kind"] = "header"

    def dangling_player(doc: dict[str, Any]) -> None:
        doc["events"][1]["player_id"] = "11111111-2222-3333-4444-555555555555"

    def dangling_lineup(doc: dict[str, Any]) -> None:
        doc["lineup"][0]["player_id"] = "11111111-2222-3333-4444-555555555555"

    def bad_period(doc: dict[str, Any]) -> None:
        doc["events"][-1]["period"] = 9

    def wrong_match(doc: dict[str, Any]) -> None:
        doc["events"][-1]["match_id"] = "11111111-2222-3333-4444-555555555555"

    def no_match(doc: dict[str, Any]) -> None:
        del doc["match"]

    def wrong_format(doc: dict[str, Any]) -> None:
        doc["format"] = "something/2"

    def not_uuid(doc: dict[str, Any]) -> None:
        doc["events"][-1]["id"] = "42"

    def duplicate(doc: dict[str, Any]) -> None:
        doc["events"].append(dict(doc["events"][0]))

    return [
        ("missing field", drop_field, r"events\.1\.kind"),
        ("unknown kind", unknown_kind, r"events\.1\.kind"),
        ("dangling player", dangling_player, r"events\[1\]\.player_id .* not a player"),
        ("dangling lineup", dangling_lineup, r"lineup\[0\]\.player_id"),
        ("bad period", bad_period, r"period"),
        ("event of another match", wrong_match, r"match_id"),
        ("no match", no_match, r"match"),
        ("wrong format", wrong_format, r"format"),
        ("not a uuid", not_uuid, r"not a UUID"),
        ("duplicate id", duplicate, r"appears twice"),
    ]


@pytest.mark.parametrize(("case", "mutate", "message"), _mutations(), ids=[m[0] for m in _mutations()])
def test_malformed_files_are_rejected_with_nothing_written(
    svc: MatchService, squad: Squad, clock: FakeClock, tmp_path: Path, case: str, mutate: Any, message: str
) -> None:
    play(svc, squad, clock)
    doc = export_dict(svc, squad.match.id)
    mutate(doc)
    fresh = other_home(tmp_path)
    try:
        before = counts(fresh.db)
        with pytest.raises(ImportRejected, match=message):
            import_match(MatchService(fresh.db, clock=clock), json.dumps(doc))
        assert counts(fresh.db) == before
    finally:
        fresh.close()


@pytest.mark.parametrize("data", [b"{not json", b"\xff\xfe", b"[1, 2]", b""])
def test_files_that_are_not_json_objects_are_rejected(svc: MatchService, data: bytes) -> None:
    before = counts(svc.db)
    with pytest.raises(ImportRejected, match=r"JSON|export"):
        import_match(svc, data)
    assert counts(svc.db) == before


def test_a_late_failure_rolls_back_the_whole_import(
    svc: MatchService, squad: Squad, clock: FakeClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even an error while writing (after validation) leaves nothing half-imported."""
    play(svc, squad, clock)
    text = export_json(svc, squad.match.id)
    fresh = other_home(tmp_path)
    try:
        import app.match.export as export_module

        calls = {"n": 0}
        real = export_module.enqueue

        def failing(*args: Any, **kwargs: Any) -> None:
            calls["n"] += 1
            if calls["n"] > 20:
                raise RuntimeError("disk on fire")
            real(*args, **kwargs)

        monkeypatch.setattr(export_module, "enqueue", failing)
        before = counts(fresh.db)
        with pytest.raises(RuntimeError):
            import_match(MatchService(fresh.db, clock=clock), text)
        assert counts(fresh.db) == before
    finally:
        fresh.close()


def test_csv_has_one_row_per_live_event(svc: MatchService, squad: Squad, clock: FakeClock) -> None:
    ids = play(svc, squad, clock)
    rows = list(csv.DictReader(io.StringIO(export_csv(svc, squad.match.id))))
    assert ids["deleted"] not in {r["event_id"] for r in rows}
    goal = next(r for r in rows if r["event_id"] == ids["goal"])
    assert (goal["label"], goal["minute"], goal["stoppage"], goal["player"], goal["related_player"]) == (
        "10'",
        "10",
        "0",
        "Player 10",
        "Player 8",
    )
    assert goal["team_name"] == "Lions"
    markers = [r for r in rows if r["kind"] in ("period_start", "period_end")]
    assert markers and all(r["team"] == "" and r["team_name"] == "" for r in markers)
    assert len(rows) == len(svc.timeline(squad.match.id))


def test_pdf_report_is_a_pdf(svc: MatchService, squad: Squad, clock: FakeClock, tmp_path: Path) -> None:
    from ui.report_pdf import render_match_pdf, report_html

    play(svc, squad, clock)
    report = report_data(svc, squad.match.id)
    assert {s["name"] for s in report["player_stats"]} >= {"Player 10", "Player 13"}
    html = report_html(report)
    assert "Lions 1 – 1 Tigers" in html and "top corner" in html and "Player 13 (sub)" in html
    path = tmp_path / "report.pdf"
    render_match_pdf(report, path)
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
    assert len(data) > 2000
