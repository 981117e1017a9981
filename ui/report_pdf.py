"""Printable match report: the match export rendered to PDF with Qt's own PDF writer."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtGui import QPageSize, QPdfWriter, QTextDocument


def report_html(report: dict[str, Any]) -> str:
    """HTML for a ``fieldmat.match/1`` export: header, score, timeline."""
    match = report["match"]
    score = match.get("score", {})
    players = {p["id"]: p for p in report.get("players", [])}

    def name(pid: str | None) -> str:
        if not pid or pid not in players:
            return ""
        p = players[pid]
        number = f"#{p['shirt_number']} " if p.get("shirt_number") is not None else ""
        return html.escape(number + p["name"])

    rows = "".join(
        f"<tr><td>{e['period']}</td><td>{e['clock_ms'] // 60000}'</td><td>{html.escape(e['kind'])}</td>"
        f"<td>{e['team']}</td><td>{name(e.get('player_id'))}</td><td>{name(e.get('related_player_id'))}</td>"
        f"<td>{html.escape(e.get('note') or '')}</td></tr>"
        for e in report.get("events", [])
        if not e.get("deleted")
    )
    return (
        f"<h1>{html.escape(match['home_team'])} {score.get('home', 0)} – {score.get('away', 0)} "
        f"{html.escape(match['away_team'])}</h1>"
        f"<p>Kick-off {html.escape(str(match.get('kickoff_at', '')))}"
        f"{' at ' + html.escape(match['venue']) if match.get('venue') else ''}</p>"
        "<h2>Timeline</h2><table border='1' cellspacing='0' cellpadding='3'>"
        "<tr><th>Period</th><th>Min</th><th>Event</th><th>Team</th><th>Player</th><th>Related</th><th>Note</th></tr>"
        f"{rows}</table>"
    )


def render_match_pdf(report: dict[str, Any], path: Path) -> None:
    """Write ``report`` as an A4 PDF to ``path``. Needs a QGuiApplication (offscreen is fine)."""
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication(["fieldmat"])
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setTitle(f"{report['match']['home_team']} v {report['match']['away_team']}")
    doc = QTextDocument()
    doc.setHtml(report_html(report))
    doc.print_(writer)
