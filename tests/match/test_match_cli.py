"""`fieldmat match list|export|import` through the real entry point (`python -m app`)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app.context import AppContext
from app.match import MatchService

from .conftest import KICKOFF, FakeClock, make_squad

REPO = Path(__file__).resolve().parents[2]


def fieldmat(home: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FIELDMAT_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "app", *args], cwd=cwd or REPO, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def logged_match(fieldmat_home: Path) -> str:
    ctx = AppContext.create(fieldmat_home)
    try:
        clock = FakeClock(KICKOFF)
        svc = MatchService(ctx.db, clock=clock)
        squad = make_squad(svc)
        mid = squad.match.id
        svc.start_period(mid)
        clock.advance(10)
        svc.log_event(mid, "goal", "home", squad.players[9].id, squad.players[8].id)
        clock.advance(5)
        svc.log_event(mid, "own_goal", "away")
        svc.log_event(mid, "yellow_card", "home", squad.players[3].id, note="late tackle")
        return mid
    finally:
        ctx.close()


@pytest.mark.subprocess
def test_list_shows_the_match_with_its_score(fieldmat_home: Path, logged_match: str) -> None:
    result = fieldmat(fieldmat_home, "match", "list")
    assert result.returncode == 0, result.stderr
    assert logged_match in result.stdout
    assert "Lions 2-0 Tigers" in result.stdout


@pytest.mark.subprocess
def test_export_json_and_csv_then_import_into_another_home(
    fieldmat_home: Path, logged_match: str, tmp_path: Path
) -> None:
    out = tmp_path / "match.json"
    result = fieldmat(fieldmat_home, "match", "export", logged_match[:8], "--format", "json", "-o", str(out))
    assert result.returncode == 0, result.stderr
    doc = json.loads(out.read_text())
    assert doc["format"] == "fieldmat.match/1" and doc["match"]["score"] == {"home": 2, "away": 0, "shootout": None}

    csv_result = fieldmat(fieldmat_home, "match", "export", logged_match, "--format", "csv")
    assert csv_result.returncode == 0, csv_result.stderr
    rows = list(csv.DictReader(io.StringIO(csv_result.stdout)))
    assert [r["kind"] for r in rows] == ["period_start", "goal", "assist", "own_goal", "yellow_card"]

    other = tmp_path / "other-home"
    other.mkdir()
    first = fieldmat(other, "match", "import", str(out))
    assert first.returncode == 0, first.stderr
    assert "imported match" in first.stdout
    second = fieldmat(other, "match", "import", str(out))
    assert second.returncode == 0, second.stderr
    assert "nothing changed" in second.stdout
    listed = fieldmat(other, "match", "list")
    assert "Lions 2-0 Tigers" in listed.stdout


@pytest.mark.subprocess
def test_import_of_a_malformed_file_fails_clearly(fieldmat_home: Path, logged_match: str, tmp_path: Path) -> None:
    result = fieldmat(fieldmat_home, "match", "export", logged_match, "--format", "json")
    doc: dict[str, Any] = json.loads(result.stdout)
    doc["events"][1]["kind"] = "bicycle_kick"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    other = tmp_path / "other-home"
    other.mkdir()
    rejected = fieldmat(other, "match", "import", str(bad))
    assert rejected.returncode == 2
    assert "events.1.kind" in rejected.stderr
    assert "no matches yet" in fieldmat(other, "match", "list").stdout


@pytest.mark.subprocess
def test_export_pdf_through_the_entry_point(fieldmat_home: Path, logged_match: str, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    result = fieldmat(fieldmat_home, "match", "export", logged_match, "--format", "pdf", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.subprocess
def test_export_of_an_unknown_match_fails(fieldmat_home: Path, logged_match: str) -> None:
    result = fieldmat(fieldmat_home, "match", "export", "ffffffff", "--format", "json")
    assert result.returncode == 2
    assert "no match" in result.stderr
