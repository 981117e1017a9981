"""The event-batch hot path of a team push (bench/sync_push.py): what is read before a batch
goes and written after its answer, kept off the wire's critical path.

- ``EventReader`` reads a batch: the body as JSON text joined by SQLite from each event's
  stored body (``match_event.wire_json``: app.models.match), of the events not known to the
  server and not deleted (the others go one by one: sync.team.known).
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
An event edited after its batch was read is sent as read; its mark then finds its entry at a
newer revision and leaves it queued.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import chain, compress
from operator import not_
from typing import TYPE_CHECKING, Any, NamedTuple

from app.db import sqlite_cursor
from app.models.base import sql_ts
from app.models.match import MatchEvent
from app.models.sync import OutboxEntry
from app.outbox import pending_count
from sync import state
from sync.state import QueuedChange
from sync.team.api import PROVIDER, SENT
from sync.team.known import unknown_sql

if TYPE_CHECKING:
    from app.context import AppContext

PENDING_PAGE = 5000  # outbox entries read at a time
# The first page is short: the push waits for it, and for no other (the next is read ahead).
FIRST_PAGE = 1500
# Answers gathered before a write: each transaction costs its own commit besides its rows.
MARKS_PER_WRITE = 1000

_EVENTS = MatchEvent.__tablename__
_OUTBOX = OutboxEntry.__tablename__
# One batch in ONE result row: the body's JSON text (the events that can go in a batch: not
# deleted, not known to the server), then their ids, stored updated_at texts and entries'
# revisions as JSON arrays, aggregated from the same rows in the same order. The batch is
# given as its entries' seqs. One row, not a row per event, because SQLite gives the GIL back
# while it works and a fetch per row would hand it back and forth 500 times with the threads
# on the wire.
_READ_BATCH = f"""
SELECT '{{"events":[' || ifnull(group_concat(payload, ','), '') || ']}}',
       json_group_array(id), json_group_array(updated_at), json_group_array(revision)
FROM (SELECT e.id AS id, e.updated_at AS updated_at, e.wire_json AS payload, o.revision AS revision
      FROM json_each(?1) AS j JOIN {_OUTBOX} AS o ON o.seq = j.value JOIN {_EVENTS} AS e ON e.id = o.entity_id
      WHERE NOT e.deleted AND {unknown_sql("event", "e.id")})
"""
# Marks: the entries (JSON array of seqs) read at revision 0 close if they still are at 0 (the
# event did not change again since); the others count an attempt and stay queued.
_CLOSE_UNCHANGED = (
    state.CLOSE_AS_SENT + " WHERE +status = 'pending' AND revision = 0 AND seq IN (SELECT value FROM json_each(?))"
)
# An entry read at another revision (the event changed while queued, before its batch was read).
_CLOSE_AT_REVISION = state.CLOSE_AS_SENT + " WHERE seq = ? AND +status = 'pending' AND revision = ?"
_COUNT_CHANGED = f"""
UPDATE {_OUTBOX} SET attempts = attempts + 1
WHERE +status = 'pending' AND seq IN (SELECT value FROM json_each(?1))
"""


class BatchRead(NamedTuple):
    """What of a batch can go in one request: ``body`` (JSON text), ``ids`` of the events in it,
    their ``stamps`` (stored updated_at text) and their entries' ``revisions``. The batch's
    other entries go one by one."""

    body: str
    ids: list[str]
    stamps: list[str]
    revisions: list[int]


class Marks(NamedTuple):
    """The events the server stored from one batch, as parallel lists: their entries' ``seqs``
    and ``revisions`` when read, their ``ids`` and the ``stamps`` (updated_at text) sent.
    Lists, not a tuple per event: 10,000 small tuples a push kept the garbage collector busy."""

    seqs: list[int]
    ids: list[str]
    stamps: list[str]
    revisions: list[int]


# A batch to read: its entries' seqs and their event ids, each event once.
BatchKeys = tuple[list[int], list[str]]


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

    def read_ahead(self, batch: BatchKeys) -> None:
        """Start reading the batch of entry seqs and event ids ``batch``; the next
        ``read(batch)`` takes the result."""
        self._batch = _Ahead(batch, len(self._touched), self._thread.submit(self._read, batch))

    def read(self, batch: BatchKeys) -> BatchRead:
        ahead, self._batch = self._batch, None
        if ahead is not None and ahead.key == batch and self._untouched(ahead.mark, (("event", i) for i in batch[1])):
            result: BatchRead = ahead.result.result()
            return result
        return self._read(batch)

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

    def count(self) -> Future[int]:
        """How many entries the queue holds, counted on the reader thread after what it has to
        read already."""
        return self._thread.submit(self._count)

    def close(self) -> None:
        self._thread.shutdown(wait=True, cancel_futures=True)

    def _count(self) -> int:
        with self.ctx.db.session() as s:
            return pending_count(s, PROVIDER)

    def _untouched(self, mark: int, records: Iterable[tuple[str, str]]) -> bool:
        since = self._touched[mark:]
        return not since or set(since).isdisjoint(records)

    def _load(self, after: int, limit: int) -> list[QueuedChange]:
        return state.load_pending(self.ctx, PROVIDER, after, limit)

    def _read(self, batch: BatchKeys) -> BatchRead:
        seqs = json.dumps(batch[0])
        with self.ctx.db.session() as s:
            body, ids, stamps, revisions = sqlite_cursor(s).execute(_READ_BATCH, (seqs,)).fetchone()
        return BatchRead(body, json.loads(ids), json.loads(stamps), json.loads(revisions))


class BatchMarks:
    """What the server answered for sent event batches, until it is written to the outbox.

    ``write_behind`` hands what gathered to the writer thread once ``MARKS_PER_WRITE`` answers
    did (unless it is still writing: then it gathers on); ``flush`` writes everything and waits, before the push
    writes any outcome of its own (the outbox stays in order); ``close`` flushes and stops the
    writer. A failed write raises at the next call. Each write is one transaction; an event is
    closed only if it did not change again while it was being sent (its entry's ``revision``
    is still the one read with the batch: every change made while the entry waits counts
    there, ``app.outbox.enqueue``).
    """

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.created: list[Marks] = []  # per batch
        self._gathered = 0  # events in ``created``
        self.rejected: list[tuple[int, str]] = []  # (outbox seq, the server's detail)
        self.unanswered: list[int] = []  # outbox seqs the batch's answer left out
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fieldmat-push-marks")
        self._writing: Future[None] | None = None

    def write_behind(self) -> None:
        if self._gathered < MARKS_PER_WRITE and not (self.rejected or self.unanswered):
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

    def add(self, marks: Marks) -> None:
        """What the server stored of a batch (written by the next ``write_behind`` or ``flush``)."""
        self.created.append(marks)
        self._gathered += len(marks.seqs)

    def _take(self) -> tuple[list[Marks], list[tuple[int, str]], list[int]]:
        taken = (self.created, self.rejected, self.unanswered)
        self.created, self.rejected, self.unanswered, self._gathered = [], [], [], 0
        return taken

    def _write(self, created: list[Marks], rejected: list[tuple[int, str]], unanswered: list[int]) -> None:
        if not (created or rejected or unanswered):
            return
        now = self.ctx.clock()
        with self.ctx.db.write(durable=False) as s:
            if created:
                # The server holds what we sent: the closed entry says so (sync.team.known).
                stamp = sql_ts(now)
                cursor = sqlite_cursor(s)
                seqs = list(chain.from_iterable(m.seqs for m in created))
                revisions = list(chain.from_iterable(m.revisions for m in created))
                fresh = list(compress(seqs, map(not_, revisions)))  # read at revision 0
                closed = cursor.execute(_CLOSE_UNCHANGED, (stamp, json.dumps(fresh))).rowcount
                if len(fresh) < len(seqs):
                    edited = [(stamp, seq, revision) for seq, revision in zip(seqs, revisions, strict=True) if revision]
                    closed += cursor.executemany(_CLOSE_AT_REVISION, edited).rowcount
                if closed < len(seqs):
                    # Some changed again meanwhile and stay queued: only a version says they were sent.
                    cursor.execute(_COUNT_CHANGED, (json.dumps(seqs),))
                    ids = chain.from_iterable(m.ids for m in created)
                    stamps = chain.from_iterable(m.stamps for m in created)
                    versions = {event_id: SENT + sent for event_id, sent in zip(ids, stamps, strict=True)}
                    state.set_versions(s, PROVIDER, "event", versions, now)
            for seq, detail in rejected:
                state.mark_rejected(s, seq, detail, now)
            for seq in unanswered:
                state.note_attempt(s, seq, "no answer for this event in the batch")
