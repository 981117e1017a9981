"""What the team server is known to hold of a record: its *version*, in one place.

A record's version is either the server's ``updated_at`` we last saw (a ``SyncCursor`` row,
``sync.state``), or ``SENT``: the server holds what we sent, and its ``updated_at`` has not
come back yet (the next pull brings it). A record with neither was never confirmed there.

``SENT`` is not stored per event for a batch push: the event's upsert entry, closed in the
outbox as sent, already says it, and a push of 10,000 events would otherwise write 10,000 rows
more (half the cost of recording a batch's answers). It is stored only for an event sent
while it changed again: its entry stays queued, so nothing else would remember the send.
Entries closed for another reason (superseded by a server edit, rejected) do not count: a
closed-as-sent entry has ``last_error`` NULL (``sync.state.CLOSE_AS_SENT``).

Readers: the push (``POST`` or ``PUT``, and which events may go in a batch: ``unknown_sql``)
and the pull (our own batch coming back while a newer local edit waits).
"""

from __future__ import annotations

import json

from sqlmodel import Session

from app.db import sqlite_cursor
from app.models.sync import OutboxEntry, SyncCursor
from sync import state
from sync.team.api import PROVIDER, SENT

_CURSORS = SyncCursor.__tablename__
_OUTBOX = OutboxEntry.__tablename__


def _version_row(entity: str, record_id: str) -> str:
    """FROM … WHERE of the record's version row (id expression ``record_id``)."""
    return (
        f"FROM {_CURSORS} AS c WHERE c.provider = '{PROVIDER}' "
        f"AND c.resource = '{state.version_key(entity, '')}' || {record_id}"
    )


def _closed_as_sent(entity: str, record_id: str) -> str:
    # ix_outbox_record (entity_id, entity, provider) finds a record's entries.
    return (
        f"SELECT 1 FROM {_OUTBOX} AS o WHERE o.entity_id = {record_id} AND o.entity = '{entity}' "
        f"AND o.provider = '{PROVIDER}' AND o.status = 'done' AND o.op = 'upsert' AND o.last_error IS NULL"
    )


def unknown_sql(entity: str, record_id: str) -> str:
    """SQL condition: the record (id expression ``record_id``) has no version."""
    return (
        f"NOT EXISTS (SELECT 1 {_version_row(entity, record_id)}) AND NOT EXISTS ({_closed_as_sent(entity, record_id)})"
    )


def _versions_sql(entity: str) -> str:
    return (
        f"SELECT j.value, coalesce((SELECT c.cursor {_version_row(entity, 'j.value')}), "
        f"CASE WHEN EXISTS ({_closed_as_sent(entity, 'j.value')}) THEN '{SENT}' END) "
        "FROM json_each(?) AS j"
    )


def known_versions(session: Session, entity: str, ids: list[str]) -> dict[str, str]:
    """The versions of those of ``ids`` that have one (one statement: the pull's hot path)."""
    session.flush()
    rows = sqlite_cursor(session).execute(_versions_sql(entity), (json.dumps(ids),)).fetchall()
    return {record_id: version for record_id, version in rows if version is not None}


def known_version(session: Session, entity: str, record_id: str) -> str | None:
    return known_versions(session, entity, [record_id]).get(record_id)
