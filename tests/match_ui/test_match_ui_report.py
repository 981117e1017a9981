"""The PDF report's layout: the app's date format, a table per squad with its own totals,
the shoot-out in the headline, period markers without a team."""

from __future__ import annotations

import re

from app.context import AppContext
from app.match import MatchService
from app.match.export import report_data
from tests.match.conftest import KICKOFF, FakeClock
from tests.match.test_match_import_rules import play_cup, two_squads
from ui.match.widgets import kickoff_text
from ui.report_pdf import report_html


def test_report_has_a_table_per_squad_and_the_app_date(ctx: AppContext) -> None:
    clock = FakeClock()
    svc = MatchService(ctx.db, clock=clock)
    m = two_squads(svc, clock)
    play_cup(svc, clock, m)
    page = report_html(report_data(svc, m["match"].id))
    assert f"Kick-off {kickoff_text(KICKOFF)}" in page
    assert "2026-05-02T" not in page  # no ISO string anywhere
    assert "Riverside U12 1 – 1 (1 – 0 pens) Hillside U12" in page
    assert page.count("<h2>Players – ") == 2
    home_part, away_part = page.split("<h2>Players – Hillside U12</h2>")
    assert "River 10" in home_part and "Hill 10" not in home_part.split("<h2>Timeline")[0]
    assert "Hill 10" in away_part.split("<h2>Timeline")[0]
    # each table's goals total is its own squad's: 1 and 1
    totals = re.findall(r"<b>Total</b></td><td></td>((?:<td class='n'><b>\d*</b></td>)+)", page)
    goals = [re.findall(r"<b>(\d*)</b>", t)[1] for t in totals]
    assert goals == ["1", "1"]
    timeline = page.split("<h2>Timeline</h2>")[1]
    assert re.search(r"<td>Period start</td><td></td>", timeline)
