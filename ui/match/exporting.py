"""Export work for the summary's buttons (runs on a pool thread via ``ui.ops.run_op``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from app.match.export import export_to_file
from app.match.service import MatchService
from app.models.match import Match
from ui.ops import CancelToken
from ui.report_pdf import render_match_pdf

FORMATS = ("csv", "json", "pdf")


def default_path(match: Match | None, fmt: str) -> Path:
    """A sensible file name in the user's home folder: ``2026-11-23-town-v-city.csv``."""
    if match is None:
        return Path.home() / f"match.{fmt}"
    slug = re.sub(r"[^a-z0-9]+", "-", f"{match.home_team} v {match.away_team}".lower()).strip("-")
    return Path.home() / f"{match.kickoff_at:%Y-%m-%d}-{slug}.{fmt}"


def export_work(service: MatchService, match_id: str, fmt: str, path: Path) -> Callable[[CancelToken], Path]:
    """The work for ``run_op``: writes ``path`` and returns it. Touches no widget."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")

    def work(token: CancelToken) -> Path:
        token.raise_if_cancelled()
        return export_to_file(service, match_id, fmt, path, pdf_renderer=render_match_pdf)

    return work
