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
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic import ValidationError as PydanticError
from sqlmodel import Session, col, select

from app.errors import ImportRejected, ValidationError
from app.match import clock as clk
from app.match.clock_store import clock_of
from app.match.records import match_row
from app.match.rules import score_of
from app.match.service import MatchService
from app.match.types import Change, ImportResult, PlayerStats
from app.models.match import LineupEntry, Match, MatchEvent, Player, Team
from app.outbox import enqueue

FORMAT = "fieldmat.match/1"
PdfRenderer = Callable[[dict[str, Any], Path], None]

EventKindName = Literal[
    "goal", "assist", "key_pass", "save", "interception", "tackle", "foul", "penalty",
    "free_kick", "ball_out", "own_goal", "substitution", "yellow_card", "red_card",
    "period_start", "period_end",
]


def iso(value: datetime | None) -> str | None:
    """ISO 8601 UTC with a ``Z`` (microseconds kept)."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


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
        if match.team_id is not None:
            for p in s.exec(select(Player).where(Player.team_id == match.team_id, col(Player.deleted).is_(False))):
                players.setdefault(p.id, p)
        team_ids = {p.team_id for p in players.values()} | ({match.team_id} if match.team_id else set())
        teams = list(s.exec(select(Team).where(col(Team.id).in_(team_ids))).all())
        state = clock_of(s, match, now)
    live = [e for e in events if not e.deleted]
    home, away = score_of((e.kind, e.team) for e in live)
    names = {pid: p.name for pid, p in players.items()}
    recent = sorted(live, key=lambda e: (e.period, e.clock_ms, e.seq or 0))[-10:]
    return {
        "format": FORMAT,
        "match": {
            "id": match.id,
            "team_id": match.team_id,
            "our_side": match.our_side,
            "home_team": match.home_team,
            "away_team": match.away_team,
            "kickoff_at": iso(match.kickoff_at),
            "venue": match.venue,
            "status": match.status,
            "current_period": match.current_period,
            "period_count": match.period_count,
            "period_length_min": match.period_length_min,
            "score": {"home": home, "away": away},
            "updated_at": iso(match.updated_at),
            "deleted": match.deleted,
        },
        "teams": [
            {"id": t.id, "name": t.name, "updated_at": iso(t.updated_at), "deleted": t.deleted}
            for t in sorted(teams, key=lambda t: t.name)
        ],
        "players": [
            {
                "id": p.id, "team_id": p.team_id, "name": p.name, "shirt_number": p.shirt_number,
                "position": p.position, "updated_at": iso(p.updated_at), "deleted": p.deleted,
            }
            for p in sorted(players.values(), key=lambda p: (p.shirt_number is None, p.shirt_number or 0, p.name))
        ],
        "lineup": [
            {"player_id": e.player_id, "starting": e.starting, "shirt_number": e.shirt_number}
            for e in sorted(lineup, key=lambda e: (not e.starting, e.shirt_number or 0, e.player_id))
        ],
        "events": [
            {
                "id": e.id, "match_id": e.match_id, "kind": e.kind, "team": e.team, "player_id": e.player_id,
                "related_player_id": e.related_player_id, "period": e.period, "clock_ms": e.clock_ms,
                "note": e.note, "logged_at": iso(e.logged_at), "updated_at": iso(e.updated_at),
                "deleted": e.deleted,
            }
            for e in events
        ],
        "view": {
            "match": {
                "id": match.id, "home_team": match.home_team, "away_team": match.away_team,
                "score": {"home": home, "away": away}, "status": match.status,
                "current_period": match.current_period, "clock_time": state.display,
            },
            "recent_events": [
                {
                    "id": e.id, "kind": e.kind, "player": names.get(e.player_id) if e.player_id else None,
                    "team": e.team, "timestamp": _mmss(e.clock_ms), "period": e.period,
                }
                for e in reversed(recent)
            ],
        },
    }


def _mmss(ms: int) -> str:
    seconds = ms // 1000
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def export_json(service: MatchService, match_id: str) -> str:
    return json.dumps(export_dict(service, match_id), indent=2, ensure_ascii=False) + "\n"


CSV_COLUMNS = (
    "event_id", "period", "minute", "clock_ms", "kind", "team", "team_name", "player_id", "player",
    "shirt_number", "related_player_id", "related_player", "note", "logged_at",
)


def export_csv(service: MatchService, match_id: str) -> str:
    """One row per (not deleted) event in match order; a spreadsheet-friendly timeline."""
    doc = export_dict(service, match_id)
    match = doc["match"]
    players = {p["id"]: p for p in doc["players"]}
    shirts = {e["player_id"]: e["shirt_number"] for e in doc["lineup"] if e["shirt_number"] is not None}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    events = sorted(
        (e for e in doc["events"] if not e["deleted"]), key=lambda e: (e["period"], e["clock_ms"])
    )
    for e in events:
        p = players.get(e["player_id"] or "")
        r = players.get(e["related_player_id"] or "")
        shirt = shirts.get(e["player_id"], p["shirt_number"] if p else None)
        writer.writerow([
            e["id"], e["period"], clk.minute_label(e["period"], e["clock_ms"], match["period_length_min"]),
            e["clock_ms"], e["kind"], e["team"], match["home_team"] if e["team"] == "home" else match["away_team"],
            e["player_id"] or "", p["name"] if p else "", "" if shirt is None else shirt,
            e["related_player_id"] or "", r["name"] if r else "", e["note"] or "", e["logged_at"],
        ])
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
            "minute": t.minute, "period": t.period, "kind": t.kind, "team": t.team,
            "player": t.player_name, "related_player": t.related_player_name, "note": t.note,
        }
        for t in timeline
    ]
    doc["generated_at"] = iso(service.clock())
    return doc


def _stats_row(st: PlayerStats, match: dict[str, Any]) -> dict[str, Any]:
    side = match["our_side"] if st.team_id and st.team_id == match.get("team_id") else None
    return {
        "player_id": st.player_id, "name": st.name, "shirt_number": st.shirt_number, "position": st.position,
        "side": side, "minutes": st.minutes, "goals": st.goals, "assists": st.assists, "own_goals": st.own_goals,
        "saves": st.saves, "tackles": st.tackles, "key_passes": st.key_passes,
        "interceptions": st.interceptions, "fouls": st.fouls, "yellow_cards": st.yellow_cards,
        "red_cards": st.red_cards, "started": bool(st.starts),
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
def _uuid(value: str) -> str:
    try:
        uuid.UUID(value)
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a UUID") from exc
    return value


Uuid = Annotated[str, Field(min_length=1)]


class _In(BaseModel):
    model_config = ConfigDict(extra="ignore")


class TeamIn(_In):
    id: Uuid
    name: str = Field(min_length=1, max_length=120)
    updated_at: datetime | None = None
    deleted: bool = False

    _check_id = field_validator("id")(_uuid)


class PlayerIn(_In):
    id: Uuid
    team_id: Uuid
    name: str = Field(min_length=1, max_length=120)
    shirt_number: int | None = Field(default=None, ge=0, le=99)
    position: Literal["GK", "DF", "MF", "FW"] | None = None
    updated_at: datetime | None = None
    deleted: bool = False

    _check_ids = field_validator("id", "team_id")(_uuid)


class MatchIn(_In):
    id: Uuid
    team_id: Uuid | None = None
    our_side: Literal["home", "away"] = "home"
    home_team: str = Field(min_length=1, max_length=120)
    away_team: str = Field(min_length=1, max_length=120)
    kickoff_at: datetime
    venue: str | None = None
    status: Literal["scheduled", "live", "finished"] = "scheduled"
    current_period: int = Field(default=0, ge=0, le=4)
    period_count: int = Field(default=2, ge=1, le=4)
    period_length_min: int = Field(default=45, ge=1, le=60)
    updated_at: datetime | None = None
    deleted: bool = False

    @field_validator("id", "team_id")
    @classmethod
    def _ids(cls, value: str | None) -> str | None:
        return None if value is None else _uuid(value)


class LineupIn(_In):
    player_id: Uuid
    starting: bool
    shirt_number: int | None = Field(default=None, ge=0, le=99)

    _check_id = field_validator("player_id")(_uuid)


class EventIn(_In):
    id: Uuid
    match_id: Uuid
    kind: EventKindName
    team: Literal["home", "away"]
    player_id: Uuid | None = None
    related_player_id: Uuid | None = None
    period: int = Field(ge=1, le=4)
    clock_ms: int = Field(ge=0)
    note: str | None = Field(default=None, max_length=500)
    logged_at: datetime | None = None
    updated_at: datetime | None = None
    deleted: bool = False

    @field_validator("id", "match_id", "player_id", "related_player_id")
    @classmethod
    def _ids(cls, value: str | None) -> str | None:
        return None if value is None else _uuid(value)


class MatchFileIn(_In):
    format: Literal["fieldmat.match/1"]
    match: MatchIn
    teams: list[TeamIn]
    players: list[PlayerIn]
    lineup: list[LineupIn]
    events: list[EventIn]
    view: dict[str, Any] | None = None


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def parse_match_file(data: str | bytes) -> MatchFileIn:
    """Parse and validate a ``fieldmat.match/1`` document (no database access)."""
    try:
        raw = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ImportRejected(f"the file is not valid JSON ({exc})") from exc
    if not isinstance(raw, dict):
        raise ImportRejected("the file is not a Fieldmat match export (expected a JSON object)")
    if raw.get("format") != FORMAT:
        raise ImportRejected(f"the file is not a Fieldmat match export (format must be {FORMAT!r}, "
                             f"found {raw.get('format')!r})")
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

    if doc.match.team_id is not None and not team_known(doc.match.team_id):
        raise ImportRejected(f"match.team_id {doc.match.team_id} is not a team in the file or the database")
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


def _newer(incoming: datetime | None, stored: datetime) -> bool:
    value = _aware(incoming)
    return value is not None and value > stored


def _upsert(
    s: Session, model: Any, entity: str, fields: dict[str, Any], updated_at: datetime | None, now: datetime,
    counts: dict[str, int], on_insert: dict[str, Any] | None = None,
) -> str:
    """Insert the record (with ``on_insert`` too), or replace it when the file's copy is newer
    and differs; queue what was written. Counts and returns inserted | updated | unchanged."""
    stored = s.get(model, fields["id"])
    stamp = _aware(updated_at) or now
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
    """Import a ``fieldmat.match/1`` document; idempotent; all or nothing (see module doc)."""
    doc = parse_match_file(data)
    now = service.clock()
    counts = {"inserted": 0, "updated": 0, "unchanged": 0}
    written_events: list[str] = []
    with service.db.write() as s:
        _check_references(s, doc)
        for t in doc.teams:
            _upsert(s, Team, "team", {"id": t.id, "name": t.name, "deleted": t.deleted}, t.updated_at, now, counts)
        s.flush()
        for p in doc.players:
            fields: dict[str, Any] = {
                "id": p.id, "team_id": p.team_id, "name": p.name, "shirt_number": p.shirt_number,
                "position": p.position, "deleted": p.deleted,
            }
            _upsert(s, Player, "player", fields, p.updated_at, now, counts)
        m = doc.match
        stored_match = s.get(Match, m.id)
        match_fields = {
            "id": m.id, "team_id": m.team_id, "our_side": m.our_side, "home_team": m.home_team,
            "away_team": m.away_team, "kickoff_at": _aware(m.kickoff_at), "venue": m.venue, "status": m.status,
            "current_period": m.current_period, "period_count": m.period_count,
            "period_length_min": m.period_length_min, "deleted": m.deleted,
        }
        match_newer = stored_match is None or _newer(m.updated_at, stored_match.updated_at)
        _upsert(s, Match, "match", match_fields, m.updated_at, now, counts)
        s.flush()
        stored_lineup = {
            e.player_id: e for e in s.exec(select(LineupEntry).where(LineupEntry.match_id == m.id)).all()
        }
        wanted = {item.player_id: (item.starting, item.shirt_number) for item in doc.lineup}
        current = {pid: (row.starting, row.shirt_number) for pid, row in stored_lineup.items()}
        if wanted != current and (match_newer or not stored_lineup):
            for old in stored_lineup.values():
                s.delete(old)
            s.flush()
            for entry in doc.lineup:
                s.add(LineupEntry(match_id=m.id, player_id=entry.player_id, starting=entry.starting,
                                  shirt_number=entry.shirt_number, updated_at=now))
            enqueue(s, "lineup", m.id)
            counts["updated"] += 1
        last = s.exec(select(MatchEvent.seq).order_by(col(MatchEvent.seq).desc())).first()
        seq = last or 0
        for e in doc.events:
            ev_fields: dict[str, Any] = {
                "id": e.id, "kind": e.kind, "team": e.team, "player_id": e.player_id,
                "related_player_id": e.related_player_id, "period": e.period, "clock_ms": e.clock_ms,
                "note": e.note, "deleted": e.deleted,
            }
            first_logged = _aware(e.logged_at) or _aware(e.updated_at) or now
            outcome = _upsert(
                s, MatchEvent, "event", ev_fields, e.updated_at, now, counts,
                on_insert={"seq": seq + 1, "match_id": m.id, "logged_at": first_logged},
            )
            if outcome == "inserted":
                seq += 1
            if outcome != "unchanged":
                written_events.append(e.id)
    change = Change(
        "import", match_ids=(m.id,), event_ids=tuple(written_events),
        kinds=tuple(sorted({e.kind for e in doc.events if e.id in set(written_events)})),
        team_ids=tuple(t.id for t in doc.teams), player_ids=tuple(p.id for p in doc.players),
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
