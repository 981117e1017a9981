"""The event-batch hot path builds the same team-server body as the one schema does.

``payload_of_sql`` reads plain SQLite rows (no ORM objects) for speed; ``payload`` goes
through ``app.match.schema``. Both must put the same JSON on the wire for every 1.1 kind.
"""

from __future__ import annotations

from sqlmodel import select

from app.context import AppContext
from app.db import sqlite_cursor
from app.match.service import MatchService
from app.models.match import MatchEvent
from sync.team.records import payload, payload_of_sql, sql_payload_columns
from tests.fakes import FakeClock
from tests.match.test_match_import_rules import play_cup, two_squads


def test_plain_sql_payload_equals_the_schema_payload(ctx: AppContext) -> None:
    clock = FakeClock()
    svc = MatchService(ctx.db, clock=clock)
    m = two_squads(svc, clock)
    play_cup(svc, clock, m)
    with ctx.db.session() as session:
        rows = session.exec(select(MatchEvent)).all()
        by_id = {row.id: payload("event", row) for row in rows}
        cursor = sqlite_cursor(session)
        cursor.execute(f"SELECT {sql_payload_columns('event')} FROM {MatchEvent.__tablename__}")
        plain = {values[0]: payload_of_sql("event", values) for values in cursor.fetchall()}
    assert len(by_id) > 20 and any(p["reason"] == "second_yellow" for p in by_id.values())
    assert plain == by_id
