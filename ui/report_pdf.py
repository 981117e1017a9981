"""Printable match report: the match export rendered to PDF with Qt's own PDF writer.

Input: the ``fieldmat.match/1`` export, optionally enriched by ``app.match.export.report_data``
with ``player_stats`` (per-player table), ``timeline`` (minute labels) and ``generated_at``.
Everything shown is computed by the core; this module only lays it out (A4, black on white,
tables that break across pages with repeated headers).
"""

from __future__ import annotations

import html
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from ui.match.widgets import kickoff_text

KIND_LABELS = {
    "goal": "Goal",
    "assist": "Assist",
    "key_pass": "Key pass",
    "save": "Save",
    "interception": "Interception",
    "tackle": "Tackle",
    "foul": "Foul",
    "penalty": "Penalty",
    "free_kick": "Free kick",
    "ball_out": "Ball out",
    "own_goal": "Own goal",
    "substitution": "Substitution",
    "yellow_card": "Yellow card",
    "red_card": "Red card",
    "period_start": "Period start",
    "period_end": "Period end",
    "shot_on_target": "Shot on target",
    "shot_off_target": "Shot off target",
    "corner": "Corner",
    "offside": "Offside",
    "shootout_goal": "Shoot-out: scored",
    "shootout_miss": "Shoot-out: missed",
}
STAT_COLUMNS = (
    ("minutes", "Min"),
    ("goals", "G"),
    ("assists", "A"),
    ("shots_on_target", "SoT"),
    ("shots_off_target", "SoffT"),
    ("key_passes", "KP"),
    ("saves", "Sv"),
    ("tackles", "Tk"),
    ("interceptions", "Int"),
    ("fouls", "F"),
    ("yellow_cards", "YC"),
    ("red_cards", "RC"),
)
CSS = """
body { font-family: sans-serif; font-size: 9pt; color: #000; }
h1 { font-size: 18pt; margin: 0 0 4pt 0; }
h2 { font-size: 12pt; margin: 12pt 0 4pt 0; border-bottom: 1px solid #000; }
p.meta { margin: 0 0 2pt 0; color: #333; }
table { border-collapse: collapse; }
th { background: #e6e6e6; font-weight: bold; text-align: left; }
td.n, th.n { text-align: right; }
p.foot { font-size: 7pt; color: #555; margin-top: 12pt; }
"""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _minute(event: dict[str, Any]) -> str:
    return f"{event['clock_ms'] // 60000 + 1}'"


def report_html(report: dict[str, Any]) -> str:
    """HTML for a match report: header, score, per-player stats, timeline."""
    match = report["match"]
    score = match.get("score", {})
    players = {p["id"]: p for p in report.get("players", [])}
    shirts = {e["player_id"]: e.get("shirt_number") for e in report.get("lineup", [])}

    def name(pid: str | None) -> str:
        if not pid or pid not in players:
            return ""
        p = players[pid]
        number = shirts.get(pid) if shirts.get(pid) is not None else p.get("shirt_number")
        return _e((f"#{number} " if number is not None else "") + p["name"])

    parts = [f"<style>{CSS}</style>"]
    shootout = score.get("shootout")
    pens = f" ({shootout['home']} – {shootout['away']} pens)" if shootout else ""
    parts.append(
        f"<h1>{_e(match['home_team'])} {score.get('home', 0)} – {score.get('away', 0)}{_e(pens)} "
        f"{_e(match['away_team'])}</h1>"
    )
    meta = f"Kick-off {_e(_kickoff(match.get('kickoff_at')))}"
    if match.get("venue"):
        meta += f" · {_e(match['venue'])}"
    periods = match.get("regular_periods", match.get("period_count", 2))
    meta += f" · {periods} × {match.get('period_length_min', 45)} min · {_e(match.get('status'))}"
    parts.append(f"<p class='meta'>{meta}</p>")

    stats = report.get("player_stats")
    if stats:
        for side in ("home", "away", None):
            squad = [st for st in stats if st.get("side") == side]
            if squad:
                title = match.get(f"{side}_team") if side else "Other players"
                parts.append(_squad_table(str(title), squad))
        legend = ", ".join(f"{label} = {key.replace('_', ' ')}" for key, label in STAT_COLUMNS)
        parts.append(f"<p class='meta'>{_e(legend)}</p>")

    parts.append("<h2>Timeline</h2>")
    timeline = report.get("timeline")
    if timeline is not None:
        rows = [
            f"<tr><td>{_e(t['minute'])}</td><td>{_e(KIND_LABELS.get(t['kind'], t['kind']))}</td>"
            f"<td>{_e(_team(match, t['team']))}</td>"
            f"<td>{_e(t.get('player'))}</td><td>{_e(t.get('related_player'))}</td><td>{_e(t.get('note'))}</td></tr>"
            for t in timeline
        ]
    else:
        events = sorted(
            (e for e in report.get("events", []) if not e.get("deleted")), key=lambda e: (e["period"], e["clock_ms"])
        )
        rows = [
            f"<tr><td>{_minute(e)}</td><td>{_e(KIND_LABELS.get(e['kind'], e['kind']))}</td>"
            f"<td>{_e(_team(match, None if e['kind'] in ('period_start', 'period_end') else e['team']))}</td>"
            f"<td>{name(e.get('player_id'))}</td><td>{name(e.get('related_player_id'))}</td>"
            f"<td>{_e(e.get('note'))}</td></tr>"
            for e in events
        ]
    parts.append(
        "<table width='100%' border='1' cellspacing='0' cellpadding='3'>"
        "<thead><tr><th>Min</th><th>Event</th><th>Team</th><th>Player</th><th>Related</th><th>Note</th></tr></thead>"
        f"{''.join(rows) or '<tr><td colspan=6>No events logged.</td></tr>'}</table>"
    )
    foot = "Fieldmat match report"
    if report.get("generated_at"):
        foot += f" · generated {_e(_kickoff(report['generated_at']))}"
    parts.append(f"<p class='foot'>{foot} · match {_e(match.get('id'))}</p>")
    return "".join(parts)


def _kickoff(value: Any) -> str:
    """An ISO 8601 instant of the export in the app's date format (local time)."""
    if not isinstance(value, str) or not value:
        return ""
    try:
        return kickoff_text(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except ValueError:
        return value


def _team(match: dict[str, Any], side: str | None) -> str:
    """The side's name; period markers (None) belong to no team."""
    return "" if side is None else str(match["home_team"] if side == "home" else match["away_team"])


def _squad_table(title: str, stats: list[dict[str, Any]]) -> str:
    """One squad's players with that squad's own totals."""
    parts = [f"<h2>Players – {_e(title)}</h2>"]
    head = "<th>#</th><th>Player</th><th>Pos</th>"
    head += "".join(f"<th class='n'>{label}</th>" for _, label in STAT_COLUMNS)
    rows = []
    for st in stats:
        number = "" if st.get("shirt_number") is None else st["shirt_number"]
        star = "" if st.get("started", True) else " (sub)"
        cells = "".join(f"<td class='n'>{_e(st.get(key, 0))}</td>" for key, _ in STAT_COLUMNS)
        rows.append(
            f"<tr><td class='n'>{_e(number)}</td><td>{_e(st['name'])}{star}</td>"
            f"<td>{_e(st.get('position') or '')}</td>{cells}</tr>"
        )
    totals = "".join(
        f"<td class='n'><b>{sum(int(st.get(key, 0) or 0) for st in stats) if key != 'minutes' else ''}</b></td>"
        for key, _ in STAT_COLUMNS
    )
    rows.append(f"<tr><td></td><td><b>Total</b></td><td></td>{totals}</tr>")
    parts.append(
        "<table width='100%' border='1' cellspacing='0' cellpadding='3'>"
        f"<thead><tr>{head}</tr></thead>{''.join(rows)}</table>"
    )
    return "".join(parts)


_HEADLESS_APP: list[object] = []


def render_match_pdf(report: dict[str, Any], path: Path) -> None:
    """Write ``report`` as an A4 PDF to ``path``. GUI thread (or a headless command).

    Without a running application (the CLI), one is created; with no display it renders
    offscreen. It is a QApplication, not a bare QGuiApplication, so that widgets can still be
    created later in the same process.
    """
    import os

    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        # Kept for the life of the process: destroying a QApplication and making another is fragile.
        _HEADLESS_APP.append(QApplication(["fieldmat"]))
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)
    writer.setResolution(300)
    writer.setTitle(f"{report['match']['home_team']} v {report['match']['away_team']}")
    writer.setCreator("Fieldmat")
    doc = QTextDocument()
    font = QFont()
    font.setPointSizeF(9)
    doc.setDefaultFont(font)
    doc.setHtml(report_html(report))
    doc.print_(writer)
