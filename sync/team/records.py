"""Team server records <-> local rows: payloads, comparison, applying pulled versions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, SQLModel

from app.match.schema import SCHEMAS
from app.models.match import Match, MatchEvent, Player, Team
from sync.errors import ProtocolError
from sync.http import iso, parse_dt

MODELS: dict[str, type[SQLModel]] = {"team": Team, "player": Player, "match": Match, "event": MatchEvent}

# Fields the server knows, per entity (besides id, updated_at, deleted): the one schema's.
FIELDS: dict[str, tuple[str, ...]] = {entity: schema.content_fields() for entity, schema in SCHEMAS.items()}
DATETIME_FIELDS = {"kickoff_at", "logged_at"}


def payload(entity: str, row: Any) -> dict[str, Any]:
    """The JSON body for POST/PUT of ``row`` (``app.match.schema``)."""
    return SCHEMAS[entity].from_row(row).payload()


def local_snapshot(entity: str, row: Any) -> dict[str, Any]:
    """The local version as kept in a SyncConflict (server fields + updated_at/deleted)."""
    out = payload(entity, row)
    out["updated_at"] = iso(row.updated_at)
    out["deleted"] = bool(getattr(row, "deleted", False))
    return out


def _norm(name: str, value: Any) -> Any:
    if name in DATETIME_FIELDS and isinstance(value, str):
        try:
            return parse_dt(value)
        except ProtocolError:
            return value
    if isinstance(value, datetime):
        return value
    return value


def same_content(entity: str, remote: dict[str, Any], local_payload: dict[str, Any]) -> bool:
    return all(_norm(n, remote.get(n)) == _norm(n, local_payload.get(n)) for n in FIELDS[entity])


def remote_updated_at(record: dict[str, Any]) -> str:
    value = record.get("updated_at")
    if not isinstance(value, str):
        raise ProtocolError("The team server sent a record without updated_at.")
    return value


def check_record(entity: str, record: Any) -> dict[str, Any]:
    if not isinstance(record, dict) or not isinstance(record.get("id"), str):
        raise ProtocolError(f"The team server sent a malformed {entity} record.")
    return record


def apply_remote(session: Session, entity: str, record: dict[str, Any]) -> Any:
    """Upsert the local row from a server record (no outbox entry: nothing is echoed back)."""
    model = MODELS[entity]
    schema = SCHEMAS[entity]
    row: Any = session.get(model, record["id"])
    values: dict[str, Any] = {}
    for name in FIELDS[entity]:
        if name not in record:  # a 1.0 server leaves out what 1.1 added: keep the local value
            continue
        value = record[name]
        if name in DATETIME_FIELDS and value is not None:
            value = parse_dt(value)
        values[schema.COLUMNS.get(name, name)] = value
    values["updated_at"] = parse_dt(remote_updated_at(record))
    if entity == "event" and values.get("logged_at") is None:  # optional on the server, required here
        values["logged_at"] = row.logged_at if row is not None else values["updated_at"]
    values["deleted"] = bool(record.get("deleted", False))
    if row is None:
        row = model(id=record["id"], **values)
    else:
        for name, value in values.items():
            setattr(row, name, value)
    session.add(row)
    return row


def missing_refs(session: Session, entity: str, record: dict[str, Any]) -> list[str]:
    """Referenced rows the local database lacks (would break a foreign key)."""
    refs: list[tuple[type[SQLModel], Any]] = []
    if entity in ("player", "match"):
        refs.append((Team, record.get("team_id")))
    elif entity == "event":
        refs += [
            (Match, record.get("match_id")),
            (Player, record.get("player_id")),
            (Player, record.get("related_player_id")),
        ]
    return [f"{m.__name__.lower()} {v}" for m, v in refs if v and session.get(m, v) is None]
