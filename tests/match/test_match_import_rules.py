"""Imports keep the lineup rules (per side), contract 1.1 files survive a round trip, 1.0
files still import, and an old database upgrades to the newest schema without loss."""

from __future__ import annotations

import copy
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine

from app.context import AppContext
from app.db import DB_FILE, Database, alembic_config, known_revisions
from app.errors import ImportRejected
from app.match import LineupItem, MatchService
from app.match.export import export_dict, export_json, import_match

from .conftest import KICKOFF, FakeClock


def fresh_home(tmp_path: Path, name: str = "other-home") -> AppContext:
    home = tmp_path / name
    home.mkdir(exist_ok=True)
    return AppContext.create(home)


def two_squads(svc: MatchService, clock: FakeClock) -> dict[str, Any]:
    """A cup match with both squads kept, both sides wearing a #10."""
    home = svc.create_team("Riverside U12")
    away = svc.create_team("Hillside U12")
    ours = [svc.add_player(home.id, f"River {n}", n) for n in (1, 4, 9, 10, 12)]
    theirs = [svc.add_player(away.id, f"Hill {n}", n) for n in (1, 5, 10, 14)]
    match = svc.create_match(
        home.name,
        away.name,
        KICKOFF,
        team_id=home.id,
        away_team_id=away.id,
        period_count=2,
        period_length_min=20,
        extra_time_length_min=5,
    )
    svc.set_lineup(
        match.id,
        [LineupItem(p.id, p.shirt_number != 12) for p in ours]
        + [LineupItem(p.id, p.shirt_number != 14) for p in theirs],
    )
    return {"match": match, "home": home, "away": away, "ours": ours, "theirs": theirs}


def play_cup(svc: MatchService, clock: FakeClock, m: dict[str, Any]) -> None:
    """Every 1.1 kind, extra time and a shoot-out."""
    mid, ours, theirs = m["match"].id, m["ours"], m["theirs"]
    svc.start_period(mid)
    clock.advance(2)
    svc.log_event(mid, "shot_on_target", "home", ours[3].id)
    svc.log_event(mid, "shot_off_target", "away", theirs[2].id)
    svc.log_event(mid, "corner", "home", ours[1].id)
    svc.log_event(mid, "offside", "away", theirs[2].id)
    svc.log_event(mid, "goal", "home", ours[3].id, ours[2].id)
    svc.log_event(mid, "yellow_card", "away", theirs[1].id)
    clock.advance(3)
    svc.log_event(mid, "yellow_card", "away", theirs[1].id)  # second yellow: red, second_yellow
    svc.end_period(mid)
    svc.start_period(mid)
    clock.advance(7)
    svc.log_event(mid, "substitution", "home", ours[4].id, ours[2].id)  # typed bench first
    svc.log_event(mid, "goal", "away", theirs[2].id)
    svc.end_period(mid)
    for _ in range(2):  # extra time
        svc.start_period(mid)
        clock.advance(5)
        svc.end_period(mid)
    svc.start_period(mid)
    svc.log_event(mid, "shootout_goal", "home", ours[3].id)
    svc.log_event(mid, "shootout_miss", "away", theirs[2].id)
    svc.end_period(mid)


def records(doc: dict[str, Any]) -> dict[str, Any]:
    """The stored records of an export (the view is informative: clock text)."""
    return {k: v for k, v in doc.items() if k != "view"}


def test_two_squads_import_with_a_lineup_and_shirt_lookups_per_side(
    svc: MatchService, clock: FakeClock, tmp_path: Path
) -> None:
    m = two_squads(svc, clock)
    text = export_json(svc, m["match"].id)
    other = fresh_home(tmp_path)
    try:
        osvc = MatchService(other.db, clock=clock)
        mid = import_match(osvc, text).match_id
        assert {i.player_id for i in osvc.lineup(mid)} == {p.id for p in m["ours"] + m["theirs"]}
        home10 = osvc.find_player_by_shirt(mid, "home", 10)
        away10 = osvc.find_player_by_shirt(mid, "away", 10)
        assert home10 is not None and home10.name == "River 10"
        assert away10 is not None and away10.name == "Hill 10"
        assert osvc.find_player_by_shirt(mid, "away", 9) is None  # #9 is a home player only
    finally:
        other.close()


@pytest.mark.parametrize("breakage", ["stranger", "same_shirt", "no_away_squad"])
def test_a_file_breaking_the_lineup_rules_is_rejected_and_nothing_is_written(
    svc: MatchService, clock: FakeClock, tmp_path: Path, breakage: str
) -> None:
    m = two_squads(svc, clock)
    doc = export_dict(svc, m["match"].id)
    bad = copy.deepcopy(doc)
    if breakage == "stranger":  # a player of a third team in the lineup
        third = "0f0f0f0f-0000-4000-8000-000000000003"
        bad["teams"].append({"id": third, "name": "Strangers", "updated_at": None, "deleted": False})
        bad["players"].append(
            {
                "id": "0f0f0f0f-0000-4000-8000-000000000004",
                "team_id": third,
                "name": "Stray Player",
                "shirt_number": 7,
                "position": None,
            }
        )
        bad["lineup"].append({"player_id": "0f0f0f0f-0000-4000-8000-000000000004", "starting": True, "shirt_number": 7})
        named = "Stray Player"
    elif breakage == "same_shirt":
        hill = [e for e in bad["lineup"] if e["player_id"] in {p.id for p in m["theirs"]}]
        hill[0]["shirt_number"], hill[1]["shirt_number"] = 8, 8
        named = "Hill"
    else:  # the file mixes squads: the away side's players, but no away squad
        bad["match"]["away_team_id"] = None
        named = "Hill"
    other = fresh_home(tmp_path)
    import_match(MatchService(other.db, clock=clock), json.dumps(doc))
    other.close()  # the final checkpoint leaves everything in the database file
    path = tmp_path / "other-home" / DB_FILE
    before = path.read_bytes()
    other = fresh_home(tmp_path)
    try:
        with pytest.raises(ImportRejected, match=named):
            import_match(MatchService(other.db, clock=clock), json.dumps(bad))
    finally:
        other.close()
    assert path.read_bytes() == before


def test_a_1_1_cup_match_survives_export_and_import_unchanged(
    svc: MatchService, clock: FakeClock, tmp_path: Path
) -> None:
    m = two_squads(svc, clock)
    play_cup(svc, clock, m)
    doc = export_dict(svc, m["match"].id)
    kinds = {e["kind"] for e in doc["events"]}
    assert {"shot_on_target", "shot_off_target", "corner", "offside", "shootout_goal", "shootout_miss"} <= kinds
    assert {e["period"] for e in doc["events"]} == {1, 2, 3, 4, 5}
    assert any(e["reason"] == "second_yellow" for e in doc["events"])
    assert doc["match"]["score"] == {"home": 1, "away": 1, "shootout": {"home": 1, "away": 0}}
    assert (doc["match"]["regular_periods"], doc["match"]["extra_time_length_min"]) == (2, 5)
    assert doc["match"]["away_team_id"] == m["away"].id
    other = fresh_home(tmp_path)
    try:
        osvc = MatchService(other.db, clock=clock)
        mid = import_match(osvc, json.dumps(doc)).match_id
        again = export_dict(osvc, mid)
        assert records(again) == records(doc)
        assert import_match(osvc, json.dumps(doc)).changed is False
    finally:
        other.close()


def test_a_1_0_file_still_imports(svc: MatchService, clock: FakeClock, tmp_path: Path) -> None:
    team = svc.create_team("Lions")
    players = [svc.add_player(team.id, f"Lion {n}", n) for n in range(1, 4)]
    match = svc.create_match("Lions", "Tigers", KICKOFF, team_id=team.id, period_count=4, period_length_min=12)
    svc.set_lineup(match.id, [LineupItem(p.id, True) for p in players])
    svc.start_period(match.id)
    clock.advance(2)
    svc.log_event(match.id, "goal", "home", players[2].id)
    doc = export_dict(svc, match.id)
    # what a 1.0 Fieldmat wrote: period_count, no 1.1 fields
    old = copy.deepcopy(doc)
    old["match"]["period_count"] = old["match"].pop("regular_periods")
    for name in ("extra_time_length_min", "home_team_id", "away_team_id"):
        del old["match"][name]
    old["match"]["score"].pop("shootout")
    for e in old["events"]:
        del e["reason"]
    other = fresh_home(tmp_path)
    try:
        osvc = MatchService(other.db, clock=clock)
        mid = import_match(osvc, json.dumps(old)).match_id
        stored = osvc.get_match(mid)
        assert (stored.period_count, stored.period_length_min, stored.extra_time_length_min) == (4, 12, 15)
        assert stored.home_team_id == team.id and stored.away_team_id is None
        assert osvc.match_score(mid).home == 1
        assert osvc.find_player_by_shirt(mid, "home", 3) is not None
    finally:
        other.close()


def test_an_old_database_upgrades_without_loss(tmp_path: Path) -> None:
    from alembic import command

    folder = tmp_path / "old"
    folder.mkdir()
    path = folder / DB_FILE
    engine = create_engine(f"sqlite:///{path}")
    command.upgrade(alembic_config(engine), "match_0003")
    command.upgrade(alembic_config(engine), "dash_0001")
    engine.dispose()
    conn = sqlite3.connect(path)
    conn.executescript("""
        INSERT INTO team (id, name, updated_at, deleted) VALUES ('t1', 'Lions', '2026-01-01 10:00:00.000000', 0);
        INSERT INTO player (id, team_id, name, shirt_number, position, updated_at, deleted)
            VALUES ('p1', 't1', 'Ann', 9, 'FW', '2026-01-01 10:00:00.000000', 0);
        INSERT INTO match (id, team_id, our_side, home_team, away_team, kickoff_at, venue, status, current_period,
            period_count, period_length_min, updated_at, deleted)
            VALUES ('m1', 't1', 'away', 'Tigers', 'Lions', '2026-01-01 10:00:00.000000', 'Park', 'finished', 2,
            2, 30, '2026-01-01 11:00:00.000000', 0);
        INSERT INTO match_event (id, seq, match_id, kind, team, player_id, related_player_id, period, clock_ms,
            note, logged_at, updated_at, deleted)
            VALUES ('e1', 1, 'm1', 'goal', 'away', 'p1', NULL, 1, 60000, 'tap-in', '2026-01-01 10:01:00.000000',
            '2026-01-01 10:01:00.000000', 0);
    """)
    conn.commit()
    before = {t: conn.execute(f"SELECT * FROM {t}").fetchall() for t in ("team", "player", "match", "match_event")}
    conn.close()
    db = Database.open(folder)
    try:
        assert db.current_revisions() == known_revisions()[1]  # every branch at its head (match_0004 and on)
    finally:
        db.close()
    conn = sqlite3.connect(path)
    try:
        for table in ("team", "player"):
            assert conn.execute(f"SELECT * FROM {table}").fetchall() == before[table]
        cols = (
            "id, team_id, our_side, home_team, away_team, kickoff_at, venue, status, current_period, "
            "period_count, period_length_min, updated_at, deleted"
        )
        assert conn.execute(f"SELECT {cols} FROM match").fetchall() == before["match"]
        assert conn.execute("SELECT extra_time_length_min, home_team_id, away_team_id FROM match").fetchone() == (
            15,
            None,
            "t1",
        )
        ev_cols = (
            "id, seq, match_id, kind, team, player_id, related_player_id, period, clock_ms, note, "
            "logged_at, updated_at, deleted"
        )
        assert conn.execute(f"SELECT {ev_cols} FROM match_event").fetchall() == before["match_event"]
        assert conn.execute("SELECT reason FROM match_event").fetchone() == (None,)
        # match_0006 rebuilt the table: each event already holds its team-server body
        (wire,) = conn.execute("SELECT wire_json FROM match_event").fetchone()
        assert json.loads(wire) == {
            "id": "e1", "match_id": "m1", "kind": "goal", "team": "away", "player_id": "p1",
            "related_player_id": None, "reason": None, "period": 1, "clock_ms": 60000, "note": "tap-in",
            "logged_at": "2026-01-01T10:01:00Z",
        }  # fmt: skip
    finally:
        conn.close()
