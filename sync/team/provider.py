"""Team server provider: push the outbox (teams, players, matches, lineups, events, deletions)
and pull incrementally (``updated_since`` + paging), per providers/team/openapi.yaml.

Push, in outbox order:
- a record never confirmed on the server is POSTed (idempotent by its UUID: a replay answers
  200 with the stored record; when that differs from ours, the newer edit wins);
- a known record is PUT with ``If-Match: <server updated_at>``; 409 -> the newer edit wins,
  the other version is kept in ``SyncConflict``; 404 -> it was deleted on the server (the
  deletion wins, the local version is kept in ``SyncConflict``);
- new events go in batches of up to 500 through ``/api/sync/events``; a "replayed" item is
  then PUT so a local edit made after a lost answer is not lost;
- deletions -> DELETE (204/404 are both fine); lineups -> PUT of the whole lineup;
- a 4xx for one record marks that entry ``rejected`` with the server's ``detail``; the rest go on.
An entry is closed only if the record did not change again while it was being sent.

Pull lives in :mod:`sync.team.pull`; addresses, sign-in and shared names in :mod:`sync.team.api`.
"""

from __future__ import annotations

import itertools
import logging
from concurrent.futures import Future
from datetime import datetime
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any

import httpx
from sqlmodel import Session, col, select

from app.db import sqlite_cursor
from app.models.base import from_sql_ts
from app.models.match import LineupEntry, MatchEvent
from sync import state
from sync.errors import ProtocolError
from sync.http import Api, detail_of, parse_dt
from sync.provider import SyncRun
from sync.state import QueuedChange
from sync.team.api import BATCH, ITEM_PATH, LABEL, PAGE, PROVIDER, RESOURCE, SENT, team_api, unexpected
from sync.team.batches import FIRST_PAGE, PENDING_PAGE, BatchKeys, BatchMarks, BatchRead, EventReader, Marks
from sync.team.known import known_version
from sync.team.pull import TeamPull, stored_changes
from sync.team.records import (
    MODELS,
    apply_remote,
    check_record,
    local_snapshot,
    missing_refs,
    payload,
    remote_updated_at,
    same_content,
)

if TYPE_CHECKING:
    from app.context import AppContext

log = logging.getLogger(__name__)
_NONE: dict[str, Any] = {}
_EVENT_COLUMNS = tuple(MatchEvent.__table__.columns)  # type: ignore[attr-defined]


def _create_path(entity: str, row: Any) -> str:
    if entity == "team":
        return "/api/teams"
    if entity == "player":
        return f"/api/teams/{row.team_id}/players"
    if entity == "match":
        return "/api/matches"
    return f"/api/matches/{row.match_id}/events"


def _remote_is_newer(local_updated: datetime, remote: dict[str, Any]) -> bool:
    return parse_dt(remote_updated_at(remote)) > local_updated


class TeamProvider:
    name = PROVIDER
    label = LABEL
    can_push = True

    def __init__(self, ctx: AppContext, client: httpx.Client) -> None:
        self.ctx = ctx
        self.client = client
        # Records whose outcome the push wrote one at a time (a conflict may close their other
        # queued entries): what was read ahead of them is read again (EventReader).
        self._touched: list[tuple[str, str]] = []

    # ================================================================= push
    def push(self, run: SyncRun) -> None:
        api = team_api(self.ctx, run)
        reader, marks = EventReader(self.ctx, self._touched), BatchMarks(self.ctx)
        try:
            reader.page_ahead(0, FIRST_PAGE)
            # Counted behind the first page, while the first records are on the wire: the count
            # walks the whole queue, and only progress reports need it.
            self._push_all(run, api, reader, marks, reader.count())
        finally:
            reader.close()
            # Whatever stops the run (an error, a cancel), what the server confirmed is recorded.
            marks.close()

    def _push_all(self, run: SyncRun, api: Api, reader: EventReader, marks: BatchMarks, total: Future[int]) -> None:
        """The queue in order, page by page. What comes next is read while a span is on the
        wire: the next batch; from a page's first batch, the next page (its Python part would
        slow the one-by-one records, which hold the GIL); at its last span, the next page's
        first batch."""
        done = 0
        after = 0
        limit = FIRST_PAGE
        while entries := reader.page(after, limit):
            more = page_next = len(entries) == limit
            limit = PENDING_PAGE
            after = entries[-1].seq
            spans = _spans(entries)
            keys = [_batch_keys(entries, span) if span[2] else None for span in spans]
            for k, (i, j, batched) in enumerate(spans):
                run.check_cancelled()
                read = reader.read(batch) if (batch := keys[k]) is not None else None
                if k + 1 < len(spans) and (ahead := keys[k + 1]) is not None:
                    reader.read_ahead(ahead)
                if page_next and (batched or k + 1 == len(spans)):
                    reader.page_ahead(after, PENDING_PAGE)
                    page_next = False
                if more and k + 1 == len(spans):
                    _read_first_batch(reader, reader.peek_page(after, PENDING_PAGE))
                if read is not None:
                    self._push_events(run, api, entries[i:j], read, marks)
                else:
                    marks.flush()
                    self._push_one(run, api, entries[i])
                done += j - i
                run.progress("changes", done, total.result())
            if not more:
                break

    # -- helpers writing outcomes --------------------------------------------------------------
    def _finish(self, run: SyncRun, entry: QueuedChange, sent_updated_at: datetime | None, version: str | None) -> None:
        """Close ``entry`` unless the record changed again meanwhile; remember the server version."""
        now = self.ctx.clock()
        with self.ctx.db.write(durable=False) as s:  # the push's bookkeeping (Database.write)
            if version is not None:
                state.set_version(s, PROVIDER, entry.entity, entry.entity_id, version, now)
            if sent_updated_at is not None and self._current_updated_at(s, entry) != sent_updated_at:
                state.note_attempt(s, entry.seq or 0)
            else:
                state.mark_done(s, [entry.seq or 0], now)
        run.pushed(RESOURCE[entry.entity])

    def _current_updated_at(self, s: Session, entry: QueuedChange) -> datetime | None:
        if entry.entity == "lineup":
            return _lineup_stamp(s, entry.entity_id.split(":")[0])
        table = MODELS[entry.entity].__tablename__
        row = sqlite_cursor(s).execute(f"SELECT updated_at FROM {table} WHERE id = ?", (entry.entity_id,)).fetchone()
        return None if row is None else from_sql_ts(row[0])

    def _reject(self, run: SyncRun, entry: QueuedChange, detail: str) -> None:
        with self.ctx.db.write() as s:
            state.mark_rejected(s, entry.seq or 0, detail, self.ctx.clock())
        run.reject(entry.entity, entry.entity_id, detail)

    # -- one record ----------------------------------------------------------------------------
    def _push_one(self, run: SyncRun, api: Api, entry: QueuedChange) -> None:
        self._touched.append((entry.entity, entry.entity_id))
        if entry.entity == "lineup":
            self._push_lineup(run, api, entry)
            return
        model = MODELS.get(entry.entity)
        if model is None:
            self._reject(run, entry, f"Fieldmat does not know how to send a “{entry.entity}”.")
            return
        with self.ctx.db.session() as s:
            row: Any = s.get(model, entry.entity_id)
            version = known_version(s, entry.entity, entry.entity_id)
        if entry.op == "delete" or (row is not None and row.deleted):
            self._push_delete(run, api, entry)
            return
        if row is None:  # gone locally without a delete entry: nothing to send
            with self.ctx.db.write() as s:
                state.mark_done(s, [entry.seq or 0], self.ctx.clock())
            return
        if version is None or version.startswith(SENT):
            response = api.request("POST", _create_path(entry.entity, row), json_body=payload(entry.entity, row))
            if response.status_code in (200, 201):
                remote = check_record(entry.entity, api.json(response))
                if response.status_code == 201 or same_content(entry.entity, remote, payload(entry.entity, row)):
                    self._finish(run, entry, row.updated_at, remote_updated_at(remote))
                    return
                if version is not None:  # the server holds our earlier push: this local edit is newer
                    self._put(run, api, entry, row, remote_updated_at(remote))
                    return
                # Replay of a record that differs on the server: both sides changed it.
                if _remote_is_newer(row.updated_at, remote):
                    self._remote_wins(run, entry, row, remote)
                    return
                version = remote_updated_at(remote)
                self._record_local_win(run, entry, remote)
            else:
                self._handle_failure(run, entry, response)
                return
        self._put(run, api, entry, row, version)

    def _put(self, run: SyncRun, api: Api, entry: QueuedChange, row: Any, version: str) -> None:
        for _ in range(3):
            response = api.request(
                "PUT",
                ITEM_PATH[entry.entity].format(entry.entity_id),
                json_body=payload(entry.entity, row),
                headers={"If-Match": version},
            )
            if response.status_code == 200:
                remote = check_record(entry.entity, api.json(response))
                self._finish(run, entry, row.updated_at, remote_updated_at(remote))
                return
            if response.status_code == 409:
                remote = check_record(entry.entity, _current_of(api.json(response)))
                if not remote.get("deleted") and same_content(entry.entity, remote, payload(entry.entity, row)):
                    # Our own earlier PUT whose answer was lost: the server already holds our version.
                    self._finish(run, entry, row.updated_at, remote_updated_at(remote))
                    return
                if remote.get("deleted") or _remote_is_newer(row.updated_at, remote):
                    self._remote_wins(run, entry, row, remote)
                    return
                self._record_local_win(run, entry, remote)
                version = remote_updated_at(remote)
                continue
            if response.status_code == 404 and entry.entity != "team":
                self._deleted_remotely(run, entry, row)
                return
            if response.status_code in (404, 405) and entry.entity == "team":
                self._reject(run, entry, "The team server does not accept changes to a team once it is created.")
                return
            self._handle_failure(run, entry, response)
            return
        run.warn(f"{entry.entity} {entry.entity_id[:8]} kept changing on the server; it will be sent next time.")

    def _record_local_win(self, run: SyncRun, entry: QueuedChange, remote: dict[str, Any]) -> None:
        with self.ctx.db.write() as s:
            run.conflict(s, entry.entity, entry.entity_id, "local", remote)

    def _remote_wins(self, run: SyncRun, entry: QueuedChange, row: Any, remote: dict[str, Any]) -> None:
        now = self.ctx.clock()
        with self.ctx.db.write() as s:
            run.conflict(s, entry.entity, entry.entity_id, "remote", local_snapshot(entry.entity, row))
            if missing_refs(s, entry.entity, remote):
                run.warn(
                    f"The server's version of {entry.entity} {entry.entity_id[:8]} refers to records "
                    "not here yet; it will be applied on the next pull."
                )
            else:
                apply_remote(s, entry.entity, remote)
            state.set_version(s, PROVIDER, entry.entity, entry.entity_id, remote_updated_at(remote), now)
            state.supersede(s, PROVIDER, entry.entity, entry.entity_id, now)
        run.store(stored_changes(entry.entity, [{**remote, "id": entry.entity_id}]))

    def _deleted_remotely(self, run: SyncRun, entry: QueuedChange, row: Any) -> None:
        now = self.ctx.clock()
        with self.ctx.db.write() as s:
            run.conflict(s, entry.entity, entry.entity_id, "remote", local_snapshot(entry.entity, row))
            local: Any = s.get(MODELS[entry.entity], entry.entity_id)
            if local is not None:
                local.deleted = True
                s.add(local)
            state.drop_version(s, PROVIDER, entry.entity, entry.entity_id)
            state.supersede(s, PROVIDER, entry.entity, entry.entity_id, now)
        run.store(stored_changes(entry.entity, [local_snapshot(entry.entity, row) | {"id": entry.entity_id}]))
        run.warn(
            f"{entry.entity} {entry.entity_id[:8]} was deleted on the team server; your edited copy is kept "
            "under Conflicts."
        )

    def _handle_failure(self, run: SyncRun, entry: QueuedChange, response: httpx.Response) -> None:
        if 400 <= response.status_code < 500:
            self._reject(run, entry, detail_of(response))
            return
        raise unexpected(response)

    def _push_delete(self, run: SyncRun, api: Api, entry: QueuedChange) -> None:
        if entry.entity == "team":
            self._reject(run, entry, "The team server has no way to delete a team; it stays there.")
            return
        response = api.request("DELETE", ITEM_PATH[entry.entity].format(entry.entity_id))
        if response.status_code in (200, 204, 404):
            with self.ctx.db.write() as s:
                state.drop_version(s, PROVIDER, entry.entity, entry.entity_id)
                state.mark_done(s, [entry.seq or 0], self.ctx.clock())
            run.pushed(RESOURCE[entry.entity])
            return
        self._handle_failure(run, entry, response)

    def _push_lineup(self, run: SyncRun, api: Api, entry: QueuedChange) -> None:
        match_id = entry.entity_id.split(":")[0]
        with self.ctx.db.session() as s:
            rows = s.exec(select(LineupEntry).where(LineupEntry.match_id == match_id)).all()
            stamp = _lineup_stamp(s, match_id)
        items = [{"player_id": r.player_id, "starting": r.starting, "shirt_number": r.shirt_number} for r in rows]
        response = api.request("PUT", f"/api/matches/{match_id}/lineup", json_body={"items": items})
        if response.status_code == 200:
            self._finish(run, entry, stamp, None)
            return
        self._handle_failure(run, entry, response)

    # -- event batches (the hot path: sync.team.batches) ---------------------------------------
    def _push_events(
        self, run: SyncRun, api: Api, entries: list[QueuedChange], read: BatchRead, marks: BatchMarks
    ) -> None:
        batch: list[QueuedChange] = entries
        singles: list[QueuedChange] = []
        if len(read.ids) < len(entries):  # not the usual case: every entry a never-sent event
            unsent = set(read.ids)
            batch, singles = [], []
            for e in entries:
                # Deleted, already sent or gone events (and a repeated entry) go one by one.
                if e.entity_id in unsent:
                    unsent.discard(e.entity_id)
                    batch.append(e)
                else:
                    singles.append(e)
        if batch:
            self._send_batch(run, api, batch, read, marks)
        if singles:
            marks.flush()  # the one-by-one path writes its own outcomes: keep the outbox in order
            for e in singles:
                run.check_cancelled()
                self._push_one(run, api, e)

    def _send_batch(
        self, run: SyncRun, api: Api, batch: list[QueuedChange], read: BatchRead, marks: BatchMarks
    ) -> None:
        # SQLite built the body: the same JSON json.dumps would give but for spacing and
        # escaping (tests/sync/test_team_payload_paths.py).
        response = api.request("POST", "/api/sync/events", content=read.body.encode())
        if response.status_code in (400, 413, 422):
            # The batch as a whole was refused: send one by one so only the bad ones are rejected.
            marks.flush()
            for e in batch:
                run.check_cancelled()
                self._push_one(run, api, e)
            return
        if response.status_code != 200:
            raise unexpected(response)
        data = api.json(response)
        results = data.get("results") if isinstance(data, dict) else None
        if not isinstance(results, list):
            raise ProtocolError("The team server answered the event batch without results.")
        created = _all_created(batch, read, results)  # the usual answer, checked in C loops
        replayed: list[QueuedChange] = []
        if created is None:
            created, replayed = self._sort_answer(run, batch, read, results, marks)
        marks.add(created)
        run.pushed("events", len(created.seqs))
        marks.write_behind()
        if replayed:
            marks.flush()
            self._reconcile_replayed(run, api, replayed, self._event_rows([e.entity_id for e in replayed]))

    def _sort_answer(
        self, run: SyncRun, batch: list[QueuedChange], read: BatchRead, results: list[Any], marks: BatchMarks
    ) -> tuple[Marks, list[QueuedChange]]:
        """A batch answer event by event: returns the marks of the created ones and the events
        the server already had; the rejected and unanswered go to ``marks`` here."""
        stamps = dict(zip(read.ids, zip(read.stamps, read.revisions, strict=True), strict=True))
        by_id = {r.get("id"): r for r in results if isinstance(r, dict)}
        stored = [e for e in batch if by_id.get(e.entity_id, _NONE).get("status") == "created"]
        created = Marks(
            [e.seq for e in stored],
            [e.entity_id for e in stored],
            [stamps[e.entity_id][0] for e in stored],
            [stamps[e.entity_id][1] for e in stored],
        )
        replayed: list[QueuedChange] = []
        for e in batch if len(stored) < len(batch) else ():
            result = by_id.get(e.entity_id)
            status = result.get("status") if result else None
            if status == "created":
                continue
            if status == "replayed":
                replayed.append(e)
            elif status == "rejected":
                detail = str((result or {}).get("detail") or "refused by the team server")
                marks.rejected.append((e.seq, detail))
                run.reject("event", e.entity_id, detail)
            else:
                marks.unanswered.append(e.seq)
        if len(by_id) < len(batch):
            run.warn("The team server did not answer for every event of a batch; the rest go next time.")
        return created, replayed

    def _event_rows(self, ids: list[str]) -> dict[str, Any]:
        """Typed rows (attribute access, aware datetimes) for the rare one-by-one paths."""
        with self.ctx.db.session() as s:
            found = s.connection().execute(select(*_EVENT_COLUMNS).where(state.among(MatchEvent.id, ids))).all()
        return {r.id: r for r in found}

    def _reconcile_replayed(self, run: SyncRun, api: Api, entries: list[QueuedChange], rows: dict[str, Any]) -> None:
        """The server already had these events (an earlier answer was lost). Read the server's
        copies (a few paged GETs) and PUT only those that differ from ours."""
        self._touched += ((e.entity, e.entity_id) for e in entries)
        wanted = {e.entity_id for e in entries}
        found: dict[str, dict[str, Any]] = {}
        for match_id in dict.fromkeys(rows[e.entity_id].match_id for e in entries):
            cursor: str | None = None
            while wanted - found.keys():
                run.check_cancelled()
                params = {"limit": str(PAGE)}
                if cursor:
                    params["cursor"] = cursor
                response = api.request("GET", f"/api/matches/{match_id}/events", params=params)
                if response.status_code != 200:
                    break
                data = api.json(response)
                if not isinstance(data, dict) or not isinstance(data.get("items"), list):
                    raise ProtocolError("The team server sent a malformed list of events.")
                for rec in data["items"]:
                    rec = check_record("event", rec)
                    if rec["id"] in wanted:
                        found[rec["id"]] = rec
                nxt = data.get("next_cursor")
                if not isinstance(nxt, str) or not nxt:
                    break
                cursor = nxt
        same: dict[str, str] = {}
        for e in entries:
            row = rows[e.entity_id]
            remote = found.get(e.entity_id)
            if remote is None:
                self._put_replayed(run, api, e, row)
            elif remote.get("deleted"):
                self._deleted_remotely(run, e, row)
            elif same_content("event", remote, payload("event", row)):
                same[e.entity_id] = remote_updated_at(remote)
            else:  # the server holds our earlier push; this local edit is newer
                run.check_cancelled()
                self._put(run, api, e, row, remote_updated_at(remote))
        if same:
            now = self.ctx.clock()
            by_id = {e.entity_id: e for e in entries}
            with self.ctx.db.write() as s:
                fresh = dict(
                    s.exec(select(MatchEvent.id, MatchEvent.updated_at).where(col(MatchEvent.id).in_(list(same)))).all()
                )
                state.set_versions(s, PROVIDER, "event", same, now)
                state.mark_done(s, [by_id[i].seq or 0 for i in same if fresh.get(i) == rows[i].updated_at], now)
            run.pushed("events", len(same))

    def _put_replayed(self, run: SyncRun, api: Api, entry: QueuedChange, row: MatchEvent) -> None:
        """The server already had this event (an earlier answer was lost): make sure it holds ours."""
        response = api.request("PUT", ITEM_PATH["event"].format(entry.entity_id), json_body=payload("event", row))
        if response.status_code == 200:
            remote = check_record("event", api.json(response))
            self._finish(run, entry, row.updated_at, remote_updated_at(remote))
            return
        if response.status_code == 404:
            self._deleted_remotely(run, entry, row)
            return
        self._handle_failure(run, entry, response)

    # ================================================================= pull
    def pull(self, run: SyncRun) -> None:
        TeamPull(self.ctx).pull(run)


_SEQ, _ENTITY_ID = attrgetter("seq"), attrgetter("entity_id")
_ID, _STATUS = itemgetter("id"), itemgetter("status")


def _all_created(batch: list[QueuedChange], read: BatchRead, results: list[Any]) -> Marks | None:
    """The marks of ``batch`` if the server answered "created" for each event in the order sent
    (and the batch was read in that order), else None. Loops in C: 500 events per answer."""
    if len(results) != len(batch):
        return None
    try:
        if set(map(_STATUS, results)) != {"created"}:
            return None
        ids = list(map(_ENTITY_ID, batch))
        if list(map(_ID, results)) != ids or read.ids != ids:
            return None
    except (TypeError, KeyError, IndexError):  # not the answer's usual shape: the careful path
        return None
    return Marks(list(map(_SEQ, batch)), ids, read.stamps, read.revisions)


def _read_first_batch(reader: EventReader, entries: list[QueuedChange]) -> None:
    """Start reading the first batch of the page ``entries``, if it begins with one."""
    first = _spans(entries[:BATCH])[:1]
    if first and first[0][2]:
        reader.read_ahead(_batch_keys(entries, first[0]))


def _batch_keys(entries: list[QueuedChange], span: tuple[int, int, bool]) -> BatchKeys:
    """The entry seqs and record ids of a batch span, each record once (its first entry)."""
    part = entries[span[0] : span[1]]
    ids = list(map(_ENTITY_ID, part))
    if len(set(ids)) == len(ids):  # the usual case, in C loops
        return list(map(_SEQ, part)), ids
    keys: dict[str, int] = {}
    for e in part:
        keys.setdefault(e.entity_id, e.seq)
    return list(keys.values()), list(keys)


def _spans(entries: list[QueuedChange]) -> list[tuple[int, int, bool]]:
    """``entries`` cut into [start, end, batched) spans: runs of event upserts of up to
    ``BATCH`` (one batch each), and every other entry alone."""
    spans: list[tuple[int, int, bool]] = []
    i = 0
    for batched, run in itertools.groupby(e.entity == "event" and e.op == "upsert" for e in entries):
        end = i + sum(1 for _ in run)
        step = BATCH if batched else 1
        spans += ((start, min(start + step, end), batched) for start in range(i, end, step))
        i = end
    return spans


def _current_of(body: Any) -> Any:
    """409 bodies carry the current record, bare or under ``current``/``record``."""
    if isinstance(body, dict):
        for key in ("current", "record"):
            if isinstance(body.get(key), dict):
                return body[key]
    return body


def _lineup_stamp(s: Session, match_id: str) -> datetime | None:
    rows = s.exec(select(LineupEntry.updated_at).where(LineupEntry.match_id == match_id)).all()
    return max(rows) if rows else None


def create_provider(ctx: AppContext, client: httpx.Client) -> TeamProvider:
    return TeamProvider(ctx, client)
