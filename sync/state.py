"""Outbox and per-record sync state helpers shared by the push providers.

Record versions: the server's ``updated_at`` we last saw for a record (used as ``If-Match``
and to tell our own echoes from remote edits) live in ``SyncCursor`` rows with resource
``"v:<entity>:<id>"`` (no extra table). A record without one was never confirmed on the server.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlmodel import Session, col, delete, func, select

from app.db import sqlite_cursor
from app.models.base import sql_ts
from app.models.sync import OutboxEntry, SyncCursor

if TYPE_CHECKING:
    from app.context import AppContext

VERSION_PREFIX = "v:"


def version_key(entity: str, entity_id: str) -> str:
    return f"{VERSION_PREFIX}{entity}:{entity_id}"


class QueuedChange(NamedTuple):
    """One pending outbox entry as the push reads it (a plain row: no ORM object per entry)."""

    seq: int
    entity: str
    entity_id: str
    op: str
    attempts: int


def among(column: Any, values: Iterable[str]) -> Any:
    """``column IN values`` with ONE bound parameter (a JSON array read by ``json_each``).

    A plain ``IN (?, ?, …)`` of 500 ids costs SQLAlchemy more per statement than SQLite's
    lookup: this keeps the statement and its cache key the same whatever the list.
    """
    table = func.json_each(json.dumps(list(values))).table_valued("value")
    return col(column).in_(select(table.c.value))


# The page as ONE row of JSON arrays: a row per entry would hand the GIL back and forth with the
# push's reader and writer threads once per entry (SQLite gives it back while it steps).
_LOAD_PENDING = (
    "SELECT json_group_array(seq), json_group_array(entity), json_group_array(entity_id), "
    "json_group_array(op), json_group_array(attempts) FROM (SELECT seq, entity, entity_id, op, attempts "
    "FROM outbox WHERE status = 'pending' AND provider = ? AND seq > ? ORDER BY seq LIMIT ?)"
)


_PENDING_OF_ENTITY = "SELECT entity_id FROM outbox WHERE status = 'pending' AND provider = ? AND entity = ?"
# "+status": the record index (entity_id, entity, provider) finds the few entries of each id.
_PENDING_AMONG = (
    "SELECT entity_id FROM outbox WHERE +status = 'pending' AND provider = ? AND entity = ? "
    "AND entity_id IN (SELECT value FROM json_each(?))"
)


def load_pending(ctx: AppContext, provider: str, after_seq: int = 0, limit: int = 1000) -> list[QueuedChange]:
    """Pending outbox entries of ``provider`` in order (``seq`` > ``after_seq``)."""
    with ctx.db.session() as s:
        columns = sqlite_cursor(s).execute(_LOAD_PENDING, (provider, after_seq, limit)).fetchone()
    # tuple.__new__ through map: no Python-level call per entry (QueuedChange's own __new__ is one)
    rows = zip(*(json.loads(c) for c in columns), strict=True)
    return list(map(tuple.__new__, itertools.repeat(QueuedChange), rows))


def pending_ids(session: Session, provider: str, entity: str, ids: Iterable[str] | None = None) -> set[str]:
    """Ids of ``entity`` records that have a pending (unsent) local change; of ``ids`` only,
    when given (looked up by record, not by walking every pending entry of the queue)."""
    session.flush()
    if ids is None:
        rows = sqlite_cursor(session).execute(_PENDING_OF_ENTITY, (provider, entity)).fetchall()
    else:
        rows = sqlite_cursor(session).execute(_PENDING_AMONG, (provider, entity, json.dumps(list(ids)))).fetchall()
    return {record_id for (record_id,) in rows}


# Closing entries as sent, given done_at first: what sync.team.known reads as "the server holds
# it" (done, no error). Callers add which entries: "+status" looks them up by seq, not by
# walking the queue index through every pending entry.
CLOSE_AS_SENT = "UPDATE outbox SET status = 'done', done_at = ?, attempts = attempts + 1, last_error = NULL"
_MARK_DONE = CLOSE_AS_SENT + " WHERE +status = 'pending' AND seq IN (SELECT value FROM json_each(?))"


def mark_done(session: Session, seqs: Iterable[int], now: datetime) -> None:
    """Close pending entries: ONE statement whatever their number (a JSON array read by
    ``json_each``), so the push hot path binds no parameters per row. "+status": the entries
    are looked up by seq, not by walking the queue index through every pending entry."""
    session.flush()
    sqlite_cursor(session).execute(_MARK_DONE, (sql_ts(now), json.dumps(list(seqs))))


def mark_rejected(session: Session, seq: int, detail: str, now: datetime) -> None:
    row = session.get(OutboxEntry, seq)
    if row is not None:
        row.status = "rejected"
        row.last_error = detail[:1000]
        row.attempts += 1
        row.done_at = now
        session.add(row)


def note_attempt(session: Session, seq: int, error: str | None = None) -> None:
    row = session.get(OutboxEntry, seq)
    if row is not None:
        row.attempts += 1
        if error is not None:
            row.last_error = error[:1000]
        session.add(row)


def supersede(session: Session, provider: str, entity: str, entity_id: str, now: datetime) -> None:
    """Close pending entries of a record whose local change lost a conflict (kept in SyncConflict)."""
    rows = session.exec(
        select(OutboxEntry).where(
            OutboxEntry.provider == provider,
            OutboxEntry.entity == entity,
            OutboxEntry.entity_id == entity_id,
            OutboxEntry.status == "pending",
        )
    ).all()
    for row in rows:
        row.status = "done"
        row.done_at = now
        row.last_error = "superseded by a newer edit on the server (your version is kept under Conflicts)"
        session.add(row)


def get_version(session: Session, provider: str, entity: str, entity_id: str) -> str | None:
    row = session.get(SyncCursor, (provider, version_key(entity, entity_id)))
    return None if row is None else row.cursor


def set_version(session: Session, provider: str, entity: str, entity_id: str, version: str, now: datetime) -> None:
    set_versions(session, provider, entity, {entity_id: version}, now)


def set_versions(session: Session, provider: str, entity: str, versions: dict[str, str], now: datetime) -> None:
    """Remember the server versions {id: version} of ``entity`` records: one plain statement
    over a JSON object, whatever their number (see ``mark_done``); a version unchanged keeps
    its row as it was."""
    if not versions:
        return
    session.flush()
    # "WHERE true" lets SQLite parse the upsert clause after INSERT … SELECT.
    sqlite_cursor(session).execute(
        f"INSERT INTO {SyncCursor.__tablename__} (provider, resource, cursor, updated_at) "
        "SELECT ?, ? || key, value, ? FROM json_each(?) WHERE true "
        "ON CONFLICT (provider, resource) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at "
        "WHERE cursor IS NOT excluded.cursor",
        (provider, version_key(entity, ""), sql_ts(now), json.dumps(versions)),
    )


def drop_version(session: Session, provider: str, entity: str, entity_id: str) -> None:
    session.exec(
        delete(SyncCursor).where(
            col(SyncCursor.provider) == provider, col(SyncCursor.resource) == version_key(entity, entity_id)
        )
    )
