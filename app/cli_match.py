"""CLI commands of the match area: ``fieldmat match export|import|list``.

- ``fieldmat match export MATCH_ID --format json|csv|pdf [-o FILE]``: JSON/CSV go to stdout
  without ``-o``; PDF needs the Qt renderer the entry point injects and writes
  ``match-<id>.pdf`` without ``-o``. MATCH_ID may be a unique prefix of the id.
- ``fieldmat match import FILE``: all or nothing; importing the same file twice changes nothing.
- ``fieldmat match list``: matches with score and status, newest first.
- ``fieldmat match stats MATCH_ID [--json]``: score and per-player stats (``app.match.stats_doc``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import NotFound, ValidationError

if TYPE_CHECKING:
    from app.cli import CliEnv, Subparsers
    from app.match.service import MatchService


def register(subparsers: Subparsers) -> None:
    """Add this area's subcommands to ``subparsers``."""
    match = subparsers.add_parser("match", help="pitch-side match logs: export, import, list")
    sub = match.add_subparsers(dest="match_command", metavar="ACTION", required=True)

    export = sub.add_parser("export", help="export one match as JSON, CSV or a printable PDF")
    export.add_argument("match_id", metavar="MATCH_ID", help="the match id (or a unique prefix of it)")
    export.add_argument("--format", "-f", choices=("json", "csv", "pdf"), default="json")
    export.add_argument("-o", "--output", type=Path, help="file to write (default: stdout; PDF: match-<id>.pdf)")
    export.set_defaults(handler=_export)

    imp = sub.add_parser("import", help="import a match exported as fieldmat.match/1 JSON")
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.set_defaults(handler=_import)

    lst = sub.add_parser("list", help="list matches with their scores")
    lst.set_defaults(handler=_list)

    stats = sub.add_parser("stats", help="score and per-player stats of one match")
    stats.add_argument("match_id", metavar="MATCH_ID", help="the match id (or a unique prefix of it)")
    stats.add_argument("--json", action="store_true", help="print the JSON document (for other tools)")
    stats.set_defaults(handler=_stats)


def _service(env: CliEnv) -> MatchService:
    from app.match.service import MatchService

    ctx = env.context()
    return MatchService(ctx.db, clock=ctx.clock)


def _resolve(service: MatchService, match_id: str) -> str:
    ids = [m.id for m in service.list_matches()]
    if match_id in ids:
        return match_id
    found = [i for i in ids if i.startswith(match_id)]
    if len(found) == 1:
        return found[0]
    if not found:
        raise NotFound(f"no match with id {match_id!r} (see `fieldmat match list`)")
    raise ValidationError(f"{match_id!r} matches {len(found)} matches; give more of the id")


def _export(args: argparse.Namespace, env: CliEnv) -> int:
    from app.match.export import export_csv, export_json, export_to_file

    service = _service(env)
    match_id = _resolve(service, args.match_id)
    out: Path | None = args.output
    if args.format == "pdf":
        if env.pdf_renderer is None:
            raise ValidationError("PDF export needs the Qt renderer; run it as `fieldmat` or `python -m app`")
        path = out or Path(f"match-{match_id[:8]}.pdf")
        export_to_file(service, match_id, "pdf", path, env.pdf_renderer)
        print(f"wrote {path}")
        return 0
    if out is None:
        sys.stdout.write(export_json(service, match_id) if args.format == "json" else export_csv(service, match_id))
        return 0
    export_to_file(service, match_id, args.format, out)
    print(f"wrote {out}")
    return 0


def _import(args: argparse.Namespace, env: CliEnv) -> int:
    from app.match.export import import_file

    result = import_file(_service(env), args.file)
    if result.changed:
        print(
            f"imported match {result.match_id}: {result.inserted} new, {result.updated} updated, "
            f"{result.unchanged} unchanged record(s)"
        )
    else:
        print(f"match {result.match_id} is already up to date; nothing changed")
    return 0


def _stats(args: argparse.Namespace, env: CliEnv) -> int:
    import json

    from app.match.stats_doc import match_stats

    service = _service(env)
    doc = match_stats(service, _resolve(service, args.match_id))
    if args.json:
        print(json.dumps(doc, indent=2, ensure_ascii=False))
        return 0
    score = doc["score"]
    pens = f" ({score['shootout']['home']}-{score['shootout']['away']} pens)" if score["shootout"] else ""
    print(f"{doc['match_id']}  {score['home']}-{score['away']}{pens}")
    for p in doc["players"]:
        shirt = "" if p["shirt_number"] is None else f"#{p['shirt_number']} "
        print(
            f"  {p['team']:<4} {shirt}{p['name']}: {p['minutes']}'  G {p['goals']} A {p['assists']} "
            f"S {p['shots_on_target']}/{p['shots_off_target']}  YC {p['yellow_cards']} RC {p['red_cards']}"
        )
    return 0


def _list(args: argparse.Namespace, env: CliEnv) -> int:
    matches = _service(env).list_matches()
    if not matches:
        print("no matches yet")
        return 0
    for m in matches:
        venue = f" @ {m.venue}" if m.venue else ""
        print(
            f"{m.id}  {m.kickoff_at:%Y-%m-%d %H:%M}Z  {m.home_team} {m.home_score}-{m.away_score} {m.away_team}"
            f"  [{m.status}]  {m.event_count} events{venue}"
        )
    return 0
