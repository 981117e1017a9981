"""The event-batch hot path builds the same team-server body as the one schema does.

The batch body is JSON text SQLite keeps for each event (``match_event.wire_json``, a stored
generated column: no ORM objects, no Python dicts) for speed; ``payload`` goes through
``app.match.schema``. Both must put the same JSON on
the wire for every 1.1 kind, and for the values where text forms differ: a timestamp with no
fraction of a second, notes with quotes, backslashes, newlines and non-ASCII letters.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlmodel import select

from app.context import AppContext
from app.db import sqlite_cursor
from app.match.service import MatchService
from app.models.match import EVENT_WIRE_JSON, MatchEvent
from sync.team.records import payload
from tests.fakes import FakeClock
from tests.match.test_match_import_rules import play_cup, two_squads

AWKWARD_NOTES = ['He said "offside"', "back\\slash", "line\nbreak\ttab", "Müller – ⚽ 😀", "\x01ctrl"]


def test_stored_wire_json_equals_the_schema_payload(ctx: AppContext) -> None:
    clock = FakeClock()
    svc = MatchService(ctx.db, clock=clock)
    m = two_squads(svc, clock)
    play_cup(svc, clock, m)
    with ctx.db.write() as session:
        events = session.exec(select(MatchEvent).order_by(MatchEvent.seq)).all()
        for event, note in zip(events, AWKWARD_NOTES, strict=False):
            event.note = note
            session.add(event)
        events[-1].logged_at = datetime(2026, 5, 1, 14, 30, 0, tzinfo=UTC)  # no fraction: "…:00Z"
        events[-2].logged_at = datetime(2026, 5, 1, 14, 30, 0, 120, tzinfo=UTC)  # 120 µs: ".000120Z"
        session.add(events[-1])
        session.add(events[-2])
    with ctx.db.session() as session:
        rows = session.exec(select(MatchEvent)).all()
        by_id = {row.id: payload("event", row) for row in rows}
        cursor = sqlite_cursor(session)
        cursor.execute(f"SELECT id, wire_json FROM {MatchEvent.__tablename__}")
        plain = {event_id: json.loads(text) for event_id, text in cursor.fetchall()}
    assert len(by_id) > 20 and any(p["reason"] == "second_yellow" for p in by_id.values())
    assert {p["note"] for p in by_id.values()} >= set(AWKWARD_NOTES)
    assert {p["logged_at"] for p in by_id.values()} >= {"2026-05-01T14:30:00Z", "2026-05-01T14:30:00.000120Z"}
    assert plain == by_id


def test_the_migrated_column_is_the_models(ctx: AppContext) -> None:
    """The migrations froze the body's expression; it is still the one the model declares."""
    with ctx.db.session() as session:
        (table_sql,) = (
            sqlite_cursor(session)
            .execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (MatchEvent.__tablename__,))
            .fetchone()
        )
    assert f"wire_json TEXT GENERATED ALWAYS AS ({EVENT_WIRE_JSON}) STORED" in table_sql
