"""Statements that look up a few outbox entries must not walk every pending one.

The queue index (status, provider, seq) is SQLite's first choice for any ``status = 'pending'``
condition; with 10,000 changes queued offline that walk cost about 1 ms per record pushed one
by one. These statements say ``+status`` so SQLite finds the entries by seq or by record.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing

from app.context import AppContext
from sync import state
from sync.team import batches


def _plan(ctx: AppContext, sql: str, params: tuple[object, ...]) -> str:
    with closing(sqlite3.connect(ctx.db.path)) as conn:
        return str(conn.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall())


def test_closing_entries_finds_them_by_seq(ctx: AppContext) -> None:
    for sql, params in (
        (state._MARK_DONE, ("now", "[1]")),
        (batches._CLOSE_UNCHANGED, ("now", "[1]")),
        (batches._CLOSE_AT_REVISION, ("now", 1, 0)),
        (batches._COUNT_CHANGED, ("[1]",)),
    ):
        plan = _plan(ctx, sql, params)
        assert "INTEGER PRIMARY KEY" in plan and "ix_outbox_queue" not in plan, (sql, plan)


def test_pending_records_among_ids_are_found_by_record(ctx: AppContext) -> None:
    plan = _plan(ctx, state._PENDING_AMONG, ("team", "event", '["a"]'))
    assert "ix_outbox_record" in plan and "ix_outbox_queue" not in plan
