"""Writing team records: one transaction per request, stamped in commit order, with live messages.

A write locks its club's row first (``SELECT ... FOR UPDATE`` on PostgreSQL, ``BEGIN
IMMEDIATE`` on SQLite), so ``updated_at`` stamps strictly increase in commit order within a
club: a client that pulls ``updated_since`` its newest stamp never misses a later commit.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, cast

from fastapi import HTTPException
from pydantic import ValidationError
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from server.db import write_lock
from server.live import CHANNEL, Live, encode_notice
from server.models import Club, EventRow, LiveChange, MatchRow, PlayerRow, TeamRow
from server.team.records import (
    FIELDS,
    MODELS,
    Row,
    affects_score,
    clock_text,
    fields_of,
    iso,
    latest_clock,
    now_micros,
    out,
    player_name,
    timeline_item,
    to_micros,
)
from server.team.schemas import SCHEMAS, canonical_uuid, parse_instant

# Each match's clock (the latest event of its current period) as this process last committed it,
# with the live seq and period it holds for: a write that finds the match at that seq needs no
# query for it. Another process's change moves the seq, so a stale entry is never used.
_CLOCKS: dict[str, tuple[int, int, int | None]] = {}
_CLOCKS_MAX = 10_000


class Rejected(Exception):
    """An item the client must fix: answered 422 alone, or ``rejected`` inside a batch."""


@dataclass
class Tx:
    s: Session
    club_id: int
    club: Club | None  # locked, for writes that stamp a team, player or match
    locked: dict[str, MatchRow]  # the matches whose events this write may stamp (rows locked)
    # PostgreSQL: the stamp, the matches' live seqs and the live messages are written by one
    # statement at commit (``_BOOKKEEPING``) instead of one ORM statement each, since every round
    # trip to the server is made while the club's row lock is held.
    postgres: bool = False
    stamped: list[Row] = field(default_factory=list)  # in the order they changed
    views: list[tuple[Row, dict[str, Any]]] = field(default_factory=list)
    messages: list[tuple[str, int, dict[str, Any]]] = field(default_factory=list)
    notices: list[tuple[str, int, str]] = field(default_factory=list)  # the messages, encoded
    # The matches whose seq or event stamp moved: held here, since the session keeps only weak
    # references to rows it sees no change in (their counters are set as committed on PostgreSQL).
    live_matches: dict[str, MatchRow] = field(default_factory=dict)
    # Within one transaction: records made so far, ids known to be free (a batch looks them up
    # at once), and each match's latest clock in its current period.
    created: dict[str, Row] = field(default_factory=dict)
    free_ids: set[str] = field(default_factory=set)
    clocks: dict[str, int | None] = field(default_factory=dict)
    moved: set[str] = field(default_factory=set)  # matches whose saved clock no longer holds

    def find(self, kind: str, record_id: str) -> Row | None:
        if record_id in self.created:
            return self.created[record_id]
        if record_id in self.free_ids:
            return None
        return cast(Row | None, self.s.get(MODELS[kind], record_id))

    def clock(self, match: MatchRow) -> str:
        if match.id not in self.clocks:
            saved, clock = self._saved_clock(match)
            self.clocks[match.id] = clock if saved else latest_clock(self.s, match)
        latest = self.clocks[match.id]
        return clock_text(latest) if latest is not None else "00:00"

    def _saved_clock(self, match: MatchRow) -> tuple[bool, int | None]:
        """The clock this process saved at its last commit on the match, if the match has not
        changed since (every change to a match's events or period moves its live seq)."""
        if match.id in self.clocks:
            return True, self.clocks[match.id]
        saved = _CLOCKS.get(match.id)
        if match.id in self.moved or saved is None or saved[:2] != (match.live_seq, match.current_period):
            return False, None
        return True, saved[2]

    def clock_moved(self, match: MatchRow, event: EventRow | None) -> None:
        """A new event only moves the clock forward; anything else is read again when needed."""
        if event is not None and event.period == match.current_period:
            known, latest = self._saved_clock(match)
            if known:
                self.clocks[match.id] = event.clock_ms if latest is None else max(latest, event.clock_ms)
                return
        if event is None or event.period == match.current_period:
            self.clocks.pop(match.id, None)
            self.moved.add(match.id)

    def saved_clocks(self) -> list[tuple[str, tuple[int, int, int | None]]]:
        """What to keep in ``_CLOCKS`` once this transaction is committed."""
        return [
            (match_id, (match.live_seq, match.current_period, self.clocks[match_id]))
            for match_id, match in self.live_matches.items()
            if match_id in self.clocks
        ]

    def set_stamp(self, row: Row) -> None:
        """Marks the row changed by this write; its stamp is given at commit (``finish``), so that
        ``updated_at`` is as close as can be to the moment the change becomes visible."""
        if isinstance(row, EventRow):
            match = self.locked.get(row.match_id)
            if match is None:
                raise RuntimeError("this write did not lock the event's match")
            self.live_matches[match.id] = match
        elif self.club is None:
            raise RuntimeError("this write did not lock its club")
        row.updated_at = now_micros()  # provisional
        self.stamped.append(row)

    def out(self, kind: str, row: Row) -> dict[str, Any]:
        """The record as the API shows it, its ``updated_at`` filled in at commit."""
        view = out(self.s, kind, row)
        self.views.append((row, view))
        return view

    def broadcast(self, match: MatchRow, message: dict[str, Any]) -> None:
        seq = match.live_seq + 1
        message["seq"] = seq
        self.live_matches[match.id] = match
        if self.postgres:
            set_committed_value(match, "live_seq", seq)
        else:
            match.live_seq = seq
        self.messages.append((match.id, seq, message))

    def finish(self) -> None:
        """Just before commit, with the locks held: the stamps, in the order the rows changed
        (each above its counter, so stamps follow commit order per club and per match), then
        each live message encoded once (it is sent as these bytes to every viewer)."""
        now = now_micros()
        for row in self.stamped:
            counter: Club | MatchRow | None = self.locked[row.match_id] if isinstance(row, EventRow) else self.club
            assert counter is not None
            name = "last_event_stamp" if isinstance(counter, MatchRow) else "last_stamp"
            stamp = max(now, getattr(counter, name) + 1)
            row.updated_at = stamp
            if self.postgres:
                set_committed_value(counter, name, stamp)
            else:
                setattr(counter, name, stamp)
        for row, view in self.views:
            view["updated_at"] = iso(row.updated_at)
        for match_id, seq, message in self.messages:
            body = json.dumps(message, separators=(",", ":"))
            if not self.postgres:
                self.s.add(LiveChange(match_id=match_id, seq=seq, message=body))
            self.notices.append((match_id, seq, body))


# One round trip for what every PostgreSQL write ends with: the live messages saved in order,
# each match's last seq and event stamp, the club's last stamp, and one notification per
# message in seq order.
_BOOKKEEPING = text(
    """
    WITH changes AS (
        SELECT c.match_id, c.seq, c.message
        FROM unnest(CAST(:match_ids AS text[]), CAST(:seqs AS bigint[]), CAST(:messages AS text[]))
            AS c(match_id, seq, message)
    ), saved AS (
        INSERT INTO live_changes (match_id, seq, message) SELECT match_id, seq, message FROM changes
    ), counters AS (
        UPDATE matches SET live_seq = m.seq, last_event_stamp = m.stamp
        FROM unnest(CAST(:counter_ids AS text[]), CAST(:counter_seqs AS bigint[]), CAST(:counter_stamps AS bigint[]))
            AS m(id, seq, stamp)
        WHERE matches.id = m.id
    ), stamp AS (
        UPDATE clubs SET last_stamp = :stamp WHERE id = :club_id
    )
    SELECT pg_notify(:channel, p.payload)
    FROM unnest(CAST(:payloads AS text[])) WITH ORDINALITY AS p(payload, n)
    ORDER BY p.n
    """
)


def _bookkeeping(tx: Tx, origin: str) -> None:
    tx.s.execute(
        _BOOKKEEPING,
        {
            "match_ids": [match_id for match_id, _, _ in tx.notices],
            "seqs": [seq for _, seq, _ in tx.notices],
            "messages": [body for _, _, body in tx.notices],
            "counter_ids": list(tx.live_matches),
            "counter_seqs": [m.live_seq for m in tx.live_matches.values()],
            "counter_stamps": [m.last_event_stamp for m in tx.live_matches.values()],
            "stamp": tx.club.last_stamp if tx.club is not None else 0,
            "club_id": tx.club_id if tx.club is not None else None,
            "channel": CHANNEL,
            "payloads": [encode_notice(origin, match_id, seq, body) for match_id, seq, body in tx.notices],
        },
    )


@contextmanager
def write(
    engine: Engine, club_id: int, live: Live, *, club: bool = True, matches: Collection[str] = ()
) -> Iterator[Tx]:
    """One write transaction. It locks the club's row when it stamps teams, players or matches
    (``club``), and the rows of the ``matches`` whose events it writes (in id order, so two
    writes never wait on each other in a circle). Writes of different matches' events run side by
    side; on SQLite every write goes one at a time anyway."""
    # FOR NO KEY UPDATE (``key_share``): an event's insert checks its club_id foreign key with a
    # KEY SHARE lock on the club's row, which must not wait for a match write holding that row.
    postgres = engine.dialect.name == "postgresql"
    ids = sorted({i for i in (_canonical(m) for m in matches) if i is not None})
    with write_lock(engine), Session(engine) as s:
        club_row = None
        if club:
            club_row = s.execute(select(Club).where(Club.id == club_id).with_for_update(key_share=True)).scalar_one()
        locked: dict[str, MatchRow] = {}
        if ids:
            query = select(MatchRow).where(MatchRow.id.in_(ids), MatchRow.club_id == club_id)
            locked = {m.id: m for m in s.execute(query.order_by(MatchRow.id).with_for_update(key_share=True)).scalars()}
        tx = Tx(s, club_id, club_row, locked, postgres=postgres)
        yield tx
        tx.finish()
        s.flush()
        if postgres:
            _bookkeeping(tx, live.origin)
        clocks = tx.saved_clocks()
        s.commit()
    if len(_CLOCKS) > _CLOCKS_MAX:
        _CLOCKS.clear()
    _CLOCKS.update(clocks)
    for match_id, seq, body in tx.notices:  # this process's viewers now; others through NOTIFY
        live.notify(match_id, seq, body)


def _canonical(record_id: object) -> str | None:
    try:
        return canonical_uuid(record_id) if isinstance(record_id, str) else None
    except ValueError:
        return None


def match_of_event(engine: Engine, event_id: str) -> str | None:
    """The match an event belongs to (it never changes), read before its write locks that match."""
    canonical = _canonical(event_id)
    if canonical is None:
        return None
    with Session(engine.execution_options(fieldmat_read=True)) as s:
        return s.execute(select(EventRow.match_id).where(EventRow.id == canonical)).scalar_one_or_none()


def not_found(kind: str) -> HTTPException:
    return HTTPException(404, f"{kind} not found")


def own(s: Session, kind: str, record_id: str, club_id: int, *, alive: bool = True) -> Any:
    """The club's record, else 404 (another club's id, or no id at all, answers as an unknown one)."""
    try:
        record_id = canonical_uuid(record_id)
    except ValueError:
        raise not_found(kind) from None
    row = cast(Row | None, s.get(MODELS[kind], record_id))
    if row is None or row.club_id != club_id or (alive and row.deleted):
        raise not_found(kind)
    return row


def validate(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    try:
        clean = SCHEMAS[kind].model_validate(data)
    except ValidationError as exc:
        detail = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise Rejected(detail) from exc
    return clean.model_dump()


def _id_of(body: Any) -> str | None:
    if not isinstance(body, dict) or not isinstance(body.get("id"), str):
        return None
    try:
        return canonical_uuid(body["id"])
    except ValueError:
        return None


def _live_event(tx: Tx, event: EventRow, match: MatchRow, scored: bool) -> None:
    """The event's message, then the match's when the score may have changed."""
    name = player_name(tx.s, event.player_id, event.club_id)
    tx.broadcast(
        match,
        {
            "type": "event",
            "event": tx.out("event", event),
            "item": timeline_item(event, name),
            "clock_time": tx.clock(match),
        },
    )
    if scored:
        live_match(tx, match)


def live_match(tx: Tx, match: MatchRow) -> None:
    tx.broadcast(match, {"type": "match", "match": tx.out("match", match), "clock_time": tx.clock(match)})


def create(tx: Tx, kind: str, body: Any, forced: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """201 and the new record, or 200 and the stored one when the id exists (replay: nothing changes)."""
    record_id = _id_of(body)
    if record_id is not None:
        existing = tx.find(kind, record_id)
        if existing is not None:
            if existing.club_id != tx.club_id:
                raise Rejected("id: already used by another record")
            return 200, tx.out(kind, existing)
    data = validate(kind, {**body, **forced} if isinstance(body, dict) else body)
    match: MatchRow | None = None
    if kind == "event":
        match = tx.s.get(MatchRow, data["match_id"])
        if match is None or match.club_id != tx.club_id or match.deleted:
            raise not_found("match")
    row = MODELS[kind](**data, club_id=tx.club_id, updated_at=0, deleted=False)
    tx.set_stamp(row)
    tx.s.add(row)
    tx.created[row.id] = row
    if isinstance(row, EventRow) and match is not None:
        tx.clock_moved(match, row)
        _live_event(tx, row, match, affects_score(row.kind, row.period))
    return 201, tx.out(kind, row)


def _version(if_match: str) -> int | None:
    try:
        return to_micros(parse_instant(if_match.strip().strip('"')))
    except (ValueError, OverflowError):
        return None


def update(tx: Tx, kind: str, record_id: str, body: Any, if_match: str | None) -> tuple[int, dict[str, Any]]:
    """200 and the record; 409 and the current record when ``If-Match`` names an older version."""
    row = own(tx.s, kind, record_id, tx.club_id)
    if if_match is not None and _version(if_match) != row.updated_at:
        return 409, tx.out(kind, row)
    if body is None:
        body = {}
    if not isinstance(body, dict):
        raise Rejected("the body must be a JSON object")
    changes = {k: v for k, v in body.items() if k in FIELDS[kind]}
    # A record stays where it was made: its team, its match.
    changes.pop("team_id" if kind == "player" else "match_id", None)
    data = validate(kind, {**fields_of(kind, row), **changes, "id": row.id})
    match = own(tx.s, "match", row.match_id, tx.club_id) if isinstance(row, EventRow) else None
    scored = isinstance(row, EventRow) and affects_score(row.kind, row.period)
    for name in FIELDS[kind]:
        setattr(row, name, data[name])
    tx.set_stamp(row)
    if isinstance(row, EventRow) and match is not None:
        tx.clock_moved(match, None)
        _live_event(tx, row, match, scored or affects_score(row.kind, row.period))
    elif isinstance(row, MatchRow):
        tx.clock_moved(row, None)
        live_match(tx, row)
    return 200, tx.out(kind, row)


def delete(tx: Tx, kind: str, record_id: str) -> None:
    """Marks the record deleted (a match with its events); deleting it again changes nothing."""
    row: Row = own(tx.s, kind, record_id, tx.club_id, alive=False)
    if row.deleted:
        return
    row.deleted = True
    tx.set_stamp(row)
    if isinstance(row, MatchRow):
        for event in tx.s.execute(
            select(EventRow).where(EventRow.match_id == row.id, EventRow.deleted.is_(False))
        ).scalars():
            event.deleted = True
            tx.set_stamp(event)
        tx.clock_moved(row, None)
        live_match(tx, row)
    elif isinstance(row, EventRow):
        match = tx.s.get(MatchRow, row.match_id)
        if match is not None:
            tx.clock_moved(match, None)
            _live_event(tx, row, match, affects_score(row.kind, row.period))


def team_of_club(s: Session, team_id: str, club_id: int) -> TeamRow:
    row: TeamRow = own(s, "team", team_id, club_id)
    return row


def players_exist(s: Session, player_ids: list[str], club_id: int) -> bool:
    found = s.execute(select(PlayerRow.id).where(PlayerRow.id.in_(player_ids), PlayerRow.club_id == club_id)).scalars()
    return set(found) == set(player_ids)


def look_up_ids(tx: Tx, kind: str, ids: list[Any]) -> None:
    """Loads the records of a batch in one query; the other ids are marked free."""
    wanted = {i for i in (_id_of({"id": v}) for v in ids) if i is not None}
    model = MODELS[kind]
    rows = cast(list[Row], list(tx.s.execute(select(model).where(model.id.in_(wanted))).scalars()))
    found = {row.id for row in rows}
    tx.free_ids |= wanted - found
