"""The event-batch hot path of a team push (bench/sync_push.py): what is read before a batch
goes and written after its answer, kept off the wire's critical path.

- ``EventReader`` reads a batch: the body as JSON text built by SQLite, of the events not
  known to the server and not deleted (the others go one by one: sync.team.known).
  ``read_ahead`` starts the next batch's read (``page_ahead`` the queue's next page) on a
  reader thread while the current batch is on the wire: SQLite does that work with the GIL
  released, so it overlaps the wait for the server.
- ``BatchMarks`` gathers the server's answers and writes them to the outbox behind the push,
  on a writer thread, while the next batches are on the wire. A closed entry is all a sent
  event records (no version row per event: sync.team.known), and the write does not wait for
  the disk (``Database.write(durable=False)``: the run's bookkeeping). While the writer is
  busy, the answers that arrive gather for its next transaction.

Plain sqlite3 statements over JSON arrays throughout, one statement per step whatever the
number of events: ORM objects and SQLAlchemy statements cost more per row than the server.
Marks lost in a crash cost a resend that the server answers "replayed" (a POST of a known id
changes nothing: openapi.yaml), never a loss or a duplicate (tests/sync/test_push_marks.py).
An event edited after its batch was read is sent as read; its mark then finds a newer
``updated_at`` and leaves it queued.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, NamedTuple

from app.db import sqlite_cursor
from app.models.base import sql_ts
from app.models.match import MatchEvent
from app.models.sync import OutboxEntry
from sync import state
from sync.state import QueuedChange
from sync.team.api import PROVIDER, SENT
from sync.team.known import unknown_sql
from sync.team.records import sql_payload_json

if TYPE_CHECKING:
    from app.context import AppContext

PENDING_PAGE = 5000  # outbox entries read at a time
# Answers gathered before a write: each transaction costs its own commit besides its rows.
MARKS_PER_WRITE = 1000

_EVENTS = MatchEvent.__tablename__
_OUTBOX = OutboxEntry.__tablename__
# One batch in ONE result row: the body's JSON text (the events that can go in a batch: not
# deleted, not known to the server), then their ids and stored updated_at texts as JSON
# arrays, aggregated from the same rows in the same order. One row, not a row per event, because SQLite gives
# the GIL back while it works and a fetch per row would hand it back and forth 500 times with
# the threads on the wire.
_READ_BATCH = f"""
SELECT '{{"events":[' || ifnull(group_concat(payload, ','), '') || ']}}',
       json_group_array(id), json_group_array(updated_at)
FROM (SELECT e.id AS id, e.updated_at AS updated_at, {sql_payload_json("event", "e")} AS payload
      FROM json_each(?1) AS j JOIN {_EVENTS} AS e ON e.id = j.value
      WHERE NOT e.deleted AND {unknown_sql("event", "e.id")})
"""
# Marks, given a JSON array of [outbox seq, event id, updated_at sent]: an entry closes only if
# the event is unchanged since, else it counts an attempt and stays queued.
# "+status": look the entries up by seq, not by walking every pending entry of the queue index.
_CLOSE_UNCHANGED = f"""
UPDATE {_OUTBOX} SET status = 'done', done_at = ?1, attempts = attempts + 1, last_error = NULL
WHERE +status = 'pending' AND seq IN (
    SELECT json_extract(j.value, '$[0]') FROM json_each(?2) AS j JOIN {_EVENTS} AS e
    ON e.id = json_extract(j.value, '$[1]') AND e.updated_at = json_extract(j.value, '$[2]'))
"""
_COUNT_CHANGED = f"""
UPDATE {_OUTBOX} SET attempts = attempts + 1
WHERE +status = 'pending' AND seq IN (SELECT json_extract(value, '$[0]') FROM json_each(?1))
"""


class BatchRead(NamedTuple):
    """What of a batch can go in one request: ``body`` (JSON text), ``ids`` of the events in it
    and their ``stamps`` (stored updated_at text). The batch's other entries go one by one."""

    body: str
    ids: list[str]
    stamps: list[str]


class _Ahead(NamedTuple):
    """Work started on the reader thread: its ``key``, ``mark`` (how many one-by-one outcomes
    had been written when it started) and ``result``."""

    key: Any
    mark: int
    result: Future[Any]


class EventReader:
    """Reads the queue's pages and batches; one of each may run ahead on the reader thread.

    ``touched`` is the push's log of records whose outcome it wrote one record at a time, in
    order: such a write may close other queued entries of that record (a conflict supersedes
    them) or change the record itself. What was read ahead is used only if no record in it
    was touched since it started; otherwise it is read again. ``close`` stops the thread.
    """

    def __init__(self, ctx: AppContext, touched: list[tuple[str, str]]) -> None:
        self.ctx = ctx
        self._touched = touched
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fieldmat-push-reader")
        self._batch: _Ahead | None = None
        self._page: _Ahead | None = None

    def read_ahead(self, ids: list[str]) -> None:
        """Start reading the batch of event ``ids``; the next ``read(ids)`` takes the result."""
        self._batch = _Ahead(ids, len(self._touched), self._thread.submit(self._read, ids))

    def read(self, ids: list[str]) -> BatchRead:
        ahead, self._batch = self._batch, None
        if ahead is not None and ahead.key == ids and self._untouched(ahead.mark, (("event", i) for i in ids)):
            result: BatchRead = ahead.result.result()
            return result
        return self._read(ids)

    def page_ahead(self, after: int, limit: int) -> None:
        """Start reading the queue's page of up to ``limit`` entries after seq ``after``."""
        self._page = _Ahead((after, limit), len(self._touched), self._thread.submit(self._load, after, limit))

    def peek_page(self, after: int, limit: int) -> list[QueuedChange]:
        """The page read ahead as it was read (waiting for it), to look ahead into; ``page``
        says whether it still holds. Empty if none was started."""
        ahead = self._page
        if ahead is None or ahead.key != (after, limit):
            return []
        peeked: list[QueuedChange] = ahead.result.result()
        return peeked

    def page(self, after: int, limit: int) -> list[QueuedChange]:
        """The queue's page of up to ``limit`` pending entries after seq ``after``."""
        ahead, self._page = self._page, None
        if ahead is not None and ahead.key == (after, limit):
            entries: list[QueuedChange] = ahead.result.result()
            if self._untouched(ahead.mark, ((e.entity, e.entity_id) for e in entries)):
                return entries
        return self._load(after, limit)

    def close(self) -> None:
        self._thread.shutdown(wait=True, cancel_futures=True)

    def _untouched(self, mark: int, records: Iterable[tuple[str, str]]) -> bool:
        since = self._touched[mark:]
        return not since or set(since).isdisjoint(records)

    def _load(self, after: int, limit: int) -> list[QueuedChange]:
        return state.load_pending(self.ctx, PROVIDER, after, limit)

    def _read(self, ids: list[str]) -> BatchRead:
        with self.ctx.db.session() as s:
            body, batch_ids, stamps = sqlite_cursor(s).execute(_READ_BATCH, (json.dumps(ids),)).fetchone()
        return BatchRead(body, json.loads(batch_ids), json.loads(stamps))


class BatchMarks:
    """What the server answered for sent event batches, until it is written to the outbox.

    ``write_behind`` hands what gathered to the writer thread once ``MARKS_PER_WRITE`` answers
    did (unless it is still writing: then it gathers on); ``flush`` writes everything and waits, before the push
    writes any outcome of its own (the outbox stays in order); ``close`` flushes and stops the
    writer. A failed write raises at the next call. Each write is one transaction; an event is
    closed only if it did not change again while it was being sent (its stored ``updated_at``
    text is still the one sent).
    """

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.created: list[tuple[int, str, str]] = []  # (outbox seq, event id, updated_at sent)
        self.rejected: list[tuple[int, str]] = []  # (outbox seq, the server's detail)
        self.unanswered: list[int] = []  # outbox seqs the batch's answer left out
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fieldmat-push-marks")
        self._writing: Future[None] | None = None

    def write_behind(self) -> None:
        if len(self.created) < MARKS_PER_WRITE and not (self.rejected or self.unanswered):
            return
        if self._writing is not None:
            if not self._writing.done():
                return
            self._writing.result()  # a failed write stops the push here
        self._writing = self._thread.submit(self._write, *self._take())

    def flush(self) -> None:
        writing, self._writing = self._writing, None
        if writing is not None:
            writing.result()
        self._write(*self._take())

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self._thread.shutdown(wait=True)

    def _take(self) -> tuple[list[tuple[int, str, str]], list[tuple[int, str]], list[int]]:
        taken = (self.created, self.rejected, self.unanswered)
        self.created, self.rejected, self.unanswered = [], [], []
        return taken

    def _write(
        self, created: list[tuple[int, str, str]], rejected: list[tuple[int, str]], unanswered: list[int]
    ) -> None:
        if not (created or rejected or unanswered):
            return
        now = self.ctx.clock()
        with self.ctx.db.write(durable=False) as s:
            if created:
                # The server holds what we sent: the closed entry says so (sync.team.known).
                marks, stamp = json.dumps(created), sql_ts(now)
                cursor = sqlite_cursor(s)
                if cursor.execute(_CLOSE_UNCHANGED, (stamp, marks)).rowcount < len(created):
                    # Some changed again meanwhile and stay queued: only a version says they were sent.
                    cursor.execute(_COUNT_CHANGED, (marks,))
                    versions = {event_id: SENT + sent for _, event_id, sent in created}
                    state.set_versions(s, PROVIDER, "event", versions, now)
            for seq, detail in rejected:
                state.mark_rejected(s, seq, detail, now)
            for seq in unanswered:
                state.note_attempt(s, seq, "no answer for this event in the batch")
