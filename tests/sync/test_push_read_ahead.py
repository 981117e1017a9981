"""The push reads the queue's next page and the next batch ahead, on a thread, while a request
is on the wire (sync.team.batches.EventReader). An outcome written one record at a time may
close other queued entries of that record (a conflict supersedes them) or change the record:
what was read ahead of a record touched since must be read again, never sent as it was."""

from __future__ import annotations

from app.context import AppContext
from app.models.match import MatchEvent
from sync import state
from sync.state import QueuedChange
from sync.team.batches import EventReader
from sync.team.provider import _batch_keys
from tests.sync.helpers import add_events, add_match, add_team, edit


def _queue(ctx: AppContext, events: int) -> list[str]:
    return [e.id for e in add_events(ctx, add_match(ctx, add_team(ctx)), events)]


def _close(ctx: AppContext, entity_id: str) -> None:
    """What a conflict does to a record's queued entries (state.supersede)."""
    with ctx.db.write() as s:
        state.supersede(s, "team", "event", entity_id, ctx.clock())


def test_a_page_read_ahead_is_read_again_when_one_of_its_records_was_touched(ctx: AppContext) -> None:
    ids = _queue(ctx, 30)
    touched: list[tuple[str, str]] = []
    reader = EventReader(ctx, touched)
    try:
        reader.page_ahead(0, 20)
        ahead = reader.peek_page(0, 20)
        assert [e.entity_id for e in ahead][-1] == ids[17]  # team, match, then events
        _close(ctx, ids[5])
        touched.append(("event", ids[5]))
        page = reader.page(0, 20)
        assert ids[5] not in {e.entity_id for e in page}  # read again: the closed entry is gone
        assert len(page) == 20

        # Untouched, the page read ahead is what the push gets: it is not read twice.
        after = page[-1].seq
        reader.page_ahead(after, 5)
        ahead = reader.peek_page(after, 5)
        touched.append(("match", "another record"))
        assert reader.page(after, 5) is ahead
    finally:
        reader.close()


def test_a_batch_read_ahead_is_read_again_when_one_of_its_events_was_touched(ctx: AppContext) -> None:
    ids = _queue(ctx, 10)
    touched: list[tuple[str, str]] = []
    reader = EventReader(ctx, touched)
    try:
        events = [e for e in reader.page(0, 100) if e.entity == "event"]
        batch = ([e.seq for e in events], [e.entity_id for e in events])
        assert batch[1] == ids
        reader.read_ahead(batch)
        edit(ctx, MatchEvent, ids[3], "event", deleted=True)  # e.g. deleted on the server
        touched.append(("event", ids[3]))
        read = reader.read(batch)
        assert ids[3] not in read.ids and len(read.ids) == 9
    finally:
        reader.close()


def test_a_batch_names_each_record_once_by_its_first_entry() -> None:
    entries = [
        QueuedChange(seq, "event", record, "upsert", 0) for seq, record in [(4, "a"), (5, "b"), (6, "a"), (7, "c")]
    ]
    assert _batch_keys(entries, (0, 4, True)) == ([4, 5, 7], ["a", "b", "c"])
    assert _batch_keys(entries, (1, 4, True)) == ([5, 6, 7], ["b", "a", "c"])
