"""`fieldmat match stats MATCH_ID --json` through the real entry point: the issue's shape, the
summary's numbers (minutes rounded from the same milliseconds), both squads, the shoot-out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.context import AppContext
from app.match import MatchService

from .conftest import FakeClock
from .test_match_cli import fieldmat
from .test_match_import_rules import play_cup, two_squads

PLAYER_KEYS = [
    "player_id",
    "name",
    "team",
    "shirt_number",
    "minutes_ms",
    "minutes",
    "goals",
    "assists",
    "shots_on_target",
    "shots_off_target",
    "saves",
    "tackles",
    "interceptions",
    "key_passes",
    "fouls",
    "yellow_cards",
    "red_cards",
    "own_goals",
]


@pytest.mark.slow
def test_stats_json_has_the_issue_shape_and_the_summary_numbers(fieldmat_home: Path) -> None:
    ctx = AppContext.create(fieldmat_home)
    try:
        clock = FakeClock()
        svc = MatchService(ctx.db, clock=clock)
        m = two_squads(svc, clock)
        play_cup(svc, clock, m)
        mid = m["match"].id
        summary = {s.player_id: s for s in svc.player_stats(mid)}
    finally:
        ctx.close()
    result = fieldmat(fieldmat_home, "match", "stats", mid[:8], "--json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert list(doc) == ["match_id", "score", "players"]
    assert doc["match_id"] == mid
    assert doc["score"] == {"home": 1, "away": 1, "shootout": {"home": 1, "away": 0}}
    assert all(list(p) == PLAYER_KEYS for p in doc["players"])
    by_id = {p["player_id"]: p for p in doc["players"]}
    assert {p["team"] for p in doc["players"]} == {"home", "away"}
    river10 = by_id[m["ours"][3].id]
    assert (river10["team"], river10["shirt_number"], river10["goals"], river10["shots_on_target"]) == (
        "home",
        10,
        1,
        1,
    )
    hill5 = by_id[m["theirs"][1].id]
    assert (hill5["team"], hill5["yellow_cards"], hill5["red_cards"]) == ("away", 2, 1)
    assert by_id[m["ours"][2].id]["assists"] == 1
    for pid, p in by_id.items():
        assert p["minutes_ms"] == summary[pid].minutes_ms
        assert p["minutes"] == summary[pid].minutes == round(p["minutes_ms"] / 60_000)
    # the sent-off player stopped at 5 minutes; a starter who stayed on played all 5 + 7 + 5 + 5 (ended early)
    assert hill5["minutes_ms"] == 5 * 60_000
    assert by_id[m["ours"][0].id]["minutes_ms"] == 22 * 60_000
