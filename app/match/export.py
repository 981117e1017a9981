"""Match exports (JSON ``fieldmat.match/1``, CSV, PDF report data) and the JSON import.

JSON shape (the team server's schemas; every UUID kept; timestamps ISO 8601 UTC)::

    {"format": "fieldmat.match/1",
     "match": {Match fields + our_side, period_count, "score": {"home", "away"}},
     "teams": [Team], "players": [Player], "lineup": [LineupEntry], "events": [Event],
     "view": MatchView}

Events include soft-deleted ones (``deleted: true``) so deletions travel; the score, the
view, the CSV and the PDF leave them out. ``view`` is informative and ignored on import.

Import (``import_match``) validates the whole file with pydantic and cross-checks every
reference first, then writes everything in ONE transaction; a record already stored is
only replaced when the file's ``updated_at`` is newer, so importing a file twice changes
nothing. Any problem raises ``ImportRejected`` naming it, with nothing written.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict
from pydantic import ValidationError as PydanticError
from sqlmodel import Session, col, select

from app.errors import ImportRejected, ValidationError
from app.match import clock as clk
from app.match.clock_store import clock_of
from app.match.lineups import check_lineup
from app.match.matches import check_squads
from app.match.records import match_row
from app.match.rules import event_side, score_with_shootout
from app.match.schema import EventRecord, LineupRecord, MatchRecord, PlayerRecord, TeamRecord, aware, iso
from app.match.service import MatchService
from app.match.types import Change, ImportResult, LineupItem, PlayerStats
from app.models.match import LineupEntry, Match, MatchEvent, Player, Team
from app.outbox import enqueue

FORMAT = "fieldmat.match/1"
PdfRenderer = Callable[[dict[str, Any], Path], None]


# ------------------------------------------------------------------ export
def export_dict(service: MatchService, match_id: str) -> dict[str, Any]:
    """The ``fieldmat.match/1`` document of one match."""
    now = service.clock()
    with service.db.session() as s:
        match = match_row(s, match_id)
        events = list(
            s.exec(select(MatchEvent).where(MatchEvent.match_id == match_id).order_by(col(MatchEvent.seq))).all()
        )
        lineup = list(s.exec(select(LineupEntry).where(LineupEntry.match_id == match_id)).all())
        player_ids = {e.player_id for e in lineup}
        player_ids |= {e.player_id for e in events if e.player_id}
        player_ids |= {e.related_player_id for e in events if e.related_player_id}
        players = {p.id: p for p in s.exec(select(Player).where(col(Player.id).in_(player_ids))).all()}
        squads = {match.team_id, match.home_team_id, match.away_team_id} - {None}
        for p in s.exec(select(Player).where(col(Player.team_id).in_(squads), col(Player.deleted).is_(False))):
            players.setdefault(p.id, p)
        team_ids = {p.team_id for p in players.values()} | {str(t) for t in squads}
        teams = list(s.exec(select(Team).where(col(Team.id).in_(team_ids))).all())
        state = clock_of(s, match, now)
    live = [e for e in events if not e.deleted]
    score = score_doc(match.current_period, [(e.kind, e.team) for e in live])
    home, away = score["home"], score["away"]
    names = {pid: p.name for pid, p in players.items()}
    recent = sorted(live, key=lambda e: (e.period, e.clock_ms, e.seq or 0))[-10:]
    return {
        "format": FORMAT,
        "match": {**MatchRecord.from_row(match).doc(), "score": score},
        "teams": [TeamRecord.from_row(t).doc() for t in sorted(teams, key=lambda t: t.name)],
        "players": [
            PlayerRecord.from_row(p).doc()
            for p in sorted(players.values(), key=lambda p: (p.shirt_number is None, p.shirt_number or 0, p.name))
        ],
        "lineup": [
            LineupRecord.from_row(e).model_dump(mode="json")
            for e in sorted(lineup, key=lambda e: (not e.starting, e.shirt_number or 0, e.player_id))
        ],
        "events": [EventRecord.from_row(e).doc() for e in events],
        "view": {
            "match": {
                "id": match.id,
                "home_team": match.home_team,
                "away_team": match.away_team,
                "score": {"home": home, "away": away},
                "status": match.status,
                "current_period": match.current_period,
                "clock_time": state.display,
            },
            "recent_events": [
                {
                    "id": e.id,
                    "kind": e.kind,
                    "player": names.get(e.player_id) if e.player_id else None,
                    "team": event_side(e.kind, e.team),
                    "timestamp": _mmss(e.clock_ms),
                    "period": e.period,
                }
                for e in reversed(recent)
            ],
        },
    }


def score_doc(current_period: int, live: list[tuple[str, str]]) -> dict[str, Any]:
    """The contract's Match.score (``score_with_shootout``) as JSON."""
    score = score_with_shootout(current_period, live)
    shootout = None if score.shootout is None else {"home": score.shootout[0], "away": score.shootout[1]}
    return {"home": score.home, "away": score.away, "shootout": shootout}


def _mmss(ms: int) -> str:
    seconds = ms // 1000
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def export_json(service: MatchService, match_id: str) -> str:
    return json.dumps(export_dict(service, match_id), indent=2, ensure_ascii=False) + "\n"


CSV_COLUMNS = (
    "event_id",
    "period",
    "minute",
    "stoppage",
    "label",
    "clock_ms",
    "kind",
    "team",
    "team_name",
    "player_id",
    "player",
    "shirt_number",
    "related_player_id",
    "related_player",
    "reason",
    "note",
    "logged_at",
)


def export_csv(service: MatchService, match_id: str) -> str:
    """One row per (not deleted) event in match order; a spreadsheet-friendly timeline.

    ``period``, ``minute`` and ``stoppage`` are numbers (45+2' is minute 45, stoppage 2),
    ``label`` the football text; period markers have no team."""
    doc = export_dict(service, match_id)
    match = doc["match"]
    players = {p["id"]: p for p in doc["players"]}
    shirts = {e["player_id"]: e["shirt_number"] for e in doc["lineup"] if e["shirt_number"] is not None}
    timing = (match["period_length_min"], match["regular_periods"], match["extra_time_length_min"])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    events = sorted((e for e in doc["events"] if not e["deleted"]), key=lambda e: (e["period"], e["clock_ms"]))
    for e in events:
        p = players.get(e["player_id"] or "")
        r = players.get(e["related_player_id"] or "")
        shirt = shirts.get(e["player_id"], p["shirt_number"] if p else None)
        side = event_side(e["kind"], e["team"])
        minute, stoppage = clk.minute_parts(e["period"], e["clock_ms"], *timing)
        writer.writerow(
            [
                e["id"],
                e["period"],
                minute,
                stoppage,
                clk.minute_label(e["period"], e["clock_ms"], *timing),
                e["clock_ms"],
                e["kind"],
                side or "",
                "" if side is None else match[f"{side}_team"],
                e["player_id"] or "",
                p["name"] if p else "",
                "" if shirt is None else shirt,
                e["related_player_id"] or "",
                r["name"] if r else "",
                e["reason"] or "",
                e["note"] or "",
                e["logged_at"],
            ]
        )
    return out.getvalue()


def report_data(service: MatchService, match_id: str) -> dict[str, Any]:
    """What the PDF renderer gets: the JSON export plus ``player_stats``, ``timeline``
    (minute labels) and ``generated_at`` (all computed here, the renderer only lays out)."""
    doc = export_dict(service, match_id)
    stats = service.player_stats(match_id)
    timeline = service.timeline(match_id)
    doc["player_stats"] = [_stats_row(st, doc["match"]) for st in stats]
    doc["timeline"] = [
        {
            "minute": t.minute,
            "period": t.period,
            "kind": t.kind,
            "team": t.team,
            "player": t.player_name,
            "related_player": t.related_player_name,
            "note": t.note,
        }
        for t in timeline
    ]
    doc["generated_at"] = iso(service.clock())
    return doc


def _stats_row(st: PlayerStats, match: dict[str, Any]) -> dict[str, Any]:
    sides = {match.get("home_team_id"): "home", match.get("away_team_id"): "away"}
    side = sides.get(st.team_id) if st.team_id else None
    return {
        "player_id": st.player_id,
        "name": st.name,
        "shirt_number": st.shirt_number,
        "position": st.position,
        "side": side,
        "minutes": st.minutes,
        "minutes_ms": st.minutes_ms,
        "goals": st.goals,
        "assists": st.assists,
        "own_goals": st.own_goals,
        "saves": st.saves,
        "tackles": st.tackles,
        "key_passes": st.key_passes,
        "interceptions": st.interceptions,
        "fouls": st.fouls,
        "yellow_cards": st.yellow_cards,
        "red_cards": st.red_cards,
        "shots_on_target": st.shots_on_target,
        "shots_off_target": st.shots_off_target,
        "started": bool(st.starts),
    }


def export_to_file(
    service: MatchService, match_id: str, fmt: str, path: Path, pdf_renderer: PdfRenderer | None = None
) -> Path:
    """Write the export in ``fmt`` (json | csv | pdf) to ``path``; returns ``path``.

    PDF needs ``pdf_renderer`` (Qt-based, injected by the entry point / the UI).
    """
    if fmt == "json":
        _write_text(path, export_json(service, match_id))
    elif fmt == "csv":
        _write_text(path, export_csv(service, match_id))
    elif fmt == "pdf":
        if pdf_renderer is None:
            raise ValidationError("PDF export needs the Qt renderer; run it through `fieldmat` / `python -m app`")
        pdf_renderer(report_data(service, match_id), path)
    else:
        raise ValidationError(f"unknown export format {fmt!r} (json, csv or pdf)")
    return path


def _write_text(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(text, encoding="utf-8", newline="")
    tmp.replace(path)


# ------------------------------------------------------------------ import
class MatchFileIn(BaseModel):
    """A ``fieldmat.match/1`` document: the entities' schemas (``app.match.schema``)."""

    model_config = ConfigDict(extra="ignore")

    format: Literal["fieldmat.match/1"]
    match: MatchRecord
    teams: list[TeamRecord]
    players: list[PlayerRecord]
    lineup: list[LineupRecord]
    events: list[EventRecord]
    view: dict[str, Any] | None = None


def parse_match_file(data: str | bytes) -> MatchFileIn:
    """Parse and validate a ``fieldmat.match/1`` document (no database access)."""
    try:
        raw = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ImportRejected(f"the file is not valid JSON ({exc})") from exc
    if not isinstance(raw, dict):
        raise ImportRejected("the file is not a Fieldmat match export (expected a JSON object)")
    if raw.get("format") != FORMAT:
        raise ImportRejected(
            f"the file is not a Fieldmat match export (format must be {FORMAT!r}, found {raw.get('format')!r})"
        )
    try:
        doc = MatchFileIn.model_validate(raw)
    except PydanticError as exc:
        problems = []
        for err in exc.errors()[:5]:
            where = ".".join(str(part) for part in err["loc"])
            problems.append(f"{where}: {err['msg']}")
        more = f" (and {exc.error_count() - 5} more)" if exc.error_count() > 5 else ""
        raise ImportRejected("the file was rejected: " + "; ".join(problems) + more) from exc
    _check_unique("teams", [t.id for t in doc.teams])
    _check_unique("players", [p.id for p in doc.players])
    _check_unique("events", [e.id for e in doc.events])
    _check_unique("lineup", [e.player_id for e in doc.lineup])
    for i, e in enumerate(doc.events):
        if e.match_id != doc.match.id:
            raise ImportRejected(f"events[{i}].match_id {e.match_id} is not the file's match {doc.match.id}")
    return doc


def _check_unique(what: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for i, value in enumerate(ids):
        if value in seen:
            raise ImportRejected(f"{what}[{i}]: id {value} appears twice")
        seen.add(value)


def _check_references(s: Session, doc: MatchFileIn) -> None:
    team_ids = {t.id for t in doc.teams}
    player_ids = {p.id for p in doc.players}

    def team_known(tid: str) -> bool:
        return tid in team_ids or s.get(Team, tid) is not None

    def player_known(pid: str) -> bool:
        return pid in player_ids or s.get(Player, pid) is not None

    for name in ("team_id", "home_team_id", "away_team_id"):
        tid = getattr(doc.match, name)
        if tid is not None and not team_known(tid):
            raise ImportRejected(f"match.{name} {tid} is not a team in the file or the database")
    for i, p in enumerate(doc.players):
        if not team_known(p.team_id):
            raise ImportRejected(f"players[{i}].team_id {p.team_id} is not a team in the file or the database")
        stored = s.get(Player, p.id)
        if stored is not None and stored.team_id != p.team_id:
            raise ImportRejected(f"players[{i}] {p.id} belongs to another team in this database")
    for i, entry in enumerate(doc.lineup):
        if not player_known(entry.player_id):
            raise ImportRejected(f"lineup[{i}].player_id {entry.player_id} is not a player in the file or the database")
    for i, e in enumerate(doc.events):
        for name in ("player_id", "related_player_id"):
            pid = getattr(e, name)
            if pid is not None and not player_known(pid):
                raise ImportRejected(f"events[{i}].{name} {pid} is not a player in the file or the database")
        stored_event = s.get(MatchEvent, e.id)
        if stored_event is not None and stored_event.match_id != doc.match.id:
            raise ImportRejected(f"events[{i}] {e.id} belongs to another match in this database")
    _check_lineup(s, doc)


def _check_lineup(s: Session, doc: MatchFileIn) -> None:
    """The lineup rules of ``set_lineup`` (``check_lineup``) on the file's lineup."""
    try:
        check_squads(doc.match.team_id, doc.match.our_side, doc.match.home_team_id, doc.match.away_team_id)
    except ValidationError as exc:
        raise ImportRejected(f"match: {exc}") from exc
    in_file = {p.id: (p.team_id, p.name) for p in doc.players}
    players: dict[str, tuple[str, str]] = {}
    for entry in doc.lineup:
        known = in_file.get(entry.player_id)
        if known is None:
            stored = s.get(Player, entry.player_id)
            assert stored is not None  # _check_references made sure
            known = (stored.team_id, stored.name)
        players[entry.player_id] = known
    items = [LineupItem(e.player_id, e.starting, e.shirt_number) for e in doc.lineup]
    try:
        check_lineup(Match(**doc.match.columns()), items, players)
    except ValidationError as exc:
        raise ImportRejected(f"lineup: {exc}") from exc


def _newer(incoming: datetime | None, stored: datetime) -> bool:
    value = aware(incoming)
    return value is not None and value > stored


def _upsert(
    s: Session,
    model: Any,
    entity: str,
    fields: dict[str, Any],
    updated_at: datetime | None,
    now: datetime,
    counts: dict[str, int],
    on_insert: dict[str, Any] | None = None,
) -> str:
    """Insert the record (with ``on_insert`` too), or replace it when the file's copy is newer
    and differs; queue what was written. Counts and returns inserted | updated | unchanged."""
    stored = s.get(model, fields["id"])
    stamp = aware(updated_at) or now
    if stored is None:
        s.add(model(**fields, updated_at=stamp, **(on_insert or {})))
        outcome = "inserted"
    elif _newer(updated_at, stored.updated_at) and any(getattr(stored, k) != v for k, v in fields.items()):
        for key, value in fields.items():
            setattr(stored, key, value)
        stored.updated_at = stamp
        s.add(stored)
        outcome = "updated"
    else:
        outcome = "unchanged"
    counts[outcome] += 1
    if outcome != "unchanged":
        enqueue(s, entity, fields["id"], "delete" if fields.get("deleted") else "upsert")
    return outcome


def import_match(service: MatchService, data: str | bytes) -> ImportResult:
    """Import a ``fieldmat.match/1`` document; idempotent; all or nothing (see module doc).

    Every check runs in a read transaction before the write one opens, so a rejected file
    leaves the database file as it was, byte for byte."""
    doc = parse_match_file(data)
    now = service.clock()
    counts = {"inserted": 0, "updated": 0, "unchanged": 0}
    written_events: list[str] = []
    with service.db.session() as s:
        _check_references(s, doc)
    with service.db.write() as s:
        _check_references(s, doc)  # again inside the write: nothing changed in between
        for t in doc.teams:
            _upsert(s, Team, "team", t.columns(), t.updated_at, now, counts)
        s.flush()
        for p in doc.players:
            _upsert(s, Player, "player", p.columns(), p.updated_at, now, counts)
        m = doc.match
        stored_match = s.get(Match, m.id)
        match_newer = stored_match is None or _newer(m.updated_at, stored_match.updated_at)
        _upsert(s, Match, "match", m.columns(), m.updated_at, now, counts)
        s.flush()
        stored_lineup = {e.player_id: e for e in s.exec(select(LineupEntry).where(LineupEntry.match_id == m.id)).all()}
        wanted = {item.player_id: (item.starting, item.shirt_number) for item in doc.lineup}
        current = {pid: (row.starting, row.shirt_number) for pid, row in stored_lineup.items()}
        if wanted != current and (match_newer or not stored_lineup):
            for old in stored_lineup.values():
                s.delete(old)
            s.flush()
            for entry in doc.lineup:
                s.add(
                    LineupEntry(
                        match_id=m.id,
                        player_id=entry.player_id,
                        starting=entry.starting,
                        shirt_number=entry.shirt_number,
                        updated_at=now,
                    )
                )
            enqueue(s, "lineup", m.id)
            counts["updated"] += 1
        last = s.exec(select(MatchEvent.seq).order_by(col(MatchEvent.seq).desc())).first()
        seq = last or 0
        for e in doc.events:
            ev_fields = e.columns()
            del ev_fields["match_id"], ev_fields["logged_at"]
            first_logged = aware(e.logged_at) or aware(e.updated_at) or now
            outcome = _upsert(
                s,
                MatchEvent,
                "event",
                ev_fields,
                e.updated_at,
                now,
                counts,
                on_insert={"seq": seq + 1, "match_id": m.id, "logged_at": first_logged},
            )
            if outcome == "inserted":
                seq += 1
            if outcome != "unchanged":
                written_events.append(e.id)
    change = Change(
        "import",
        match_ids=(m.id,),
        event_ids=tuple(written_events),
        kinds=tuple(sorted({e.kind for e in doc.events if e.id in set(written_events)})),
        team_ids=tuple(t.id for t in doc.teams),
        player_ids=tuple(p.id for p in doc.players),
        description="Match imported",
    )
    return ImportResult(m.id, counts["inserted"], counts["updated"], counts["unchanged"], change)


def import_file(service: MatchService, path: Path) -> ImportResult:
    """``import_match`` on a file's bytes (unreadable file: ImportRejected)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportRejected(f"cannot read {path}: {exc.strerror or exc}") from exc
    return import_match(service, data)
