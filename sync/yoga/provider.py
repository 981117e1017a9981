"""Yoga cloud provider: practice sessions with their poses.

Push (outbox ``practice_session`` entries, in order):
- a finished session without ``remote_id`` is POSTed with ``client_id`` = its UUID. The entry's
  ``attempts`` is committed BEFORE each POST; a POST that got no usable answer (dropped, timed
  out, 5xx, unreadable) is never re-sent blindly: GET /api/sessions?since=<its date> first and
  adopt a stored match (same ``client_id``, or — for servers that ignore ``client_id`` — the
  same date, duration, accuracy and pose count). The same check runs at the next sync when an
  earlier run (or a crash) left the entry with attempts;
- a session with ``remote_id`` is PUT; 404 there means it was deleted in the cloud: the
  deletion wins and the local version is kept in ``SyncConflict``;
- deleted sessions are DELETEd (204/404 both fine); running sessions (no ``ended_at``) wait.

Pull: GET /api/sessions?since=<cursor - 30 days> (cursor: the newest session date seen; the
cloud has no "changed since", so edits to sessions older than that window are not seen); sessions are matched by
``remote_id``, then ``client_id``, then the fingerprint above; new ones are created locally
with their poses. A session with an unsent local change keeps the local version (the cloud has
no edit timestamps); the cloud version is kept in ``SyncConflict``. ``duration`` is in whole
minutes: local seconds are kept when the minutes agree.
"""

from __future__ import annotations

import logging
import re
import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import httpx
from sqlmodel import Session, col, delete, select

from app.changes import ChangeSet
from app.models.practice import PoseHold, PracticeSession
from sync import state
from sync.errors import NotConnected, ProtocolError, ProviderUnreachable
from sync.http import Api, TokenAuth, check_base_url, detail_of, iso, parse_dt
from sync.provider import SyncRun
from sync.state import QueuedChange

if TYPE_CHECKING:
    from app.context import AppContext

log = logging.getLogger(__name__)

PROVIDER = "yoga"
LABEL = "yoga cloud"
ENTITY = "practice_session"
EDIT_WINDOW = timedelta(days=30)


def yoga_api(ctx: AppContext, run: SyncRun) -> Api:
    base = ctx.settings.provider(PROVIDER).base_url
    if not base:
        raise NotConnected("The yoga cloud is not connected (no address). Connect it in Accounts.")
    base = check_base_url(base)
    return run.api(base, LABEL, TokenAuth(ctx.secrets, PROVIDER, base + "/auth/login", LABEL))


def minutes(duration_s: float) -> int:
    """Whole minutes, rounded to nearest (half up)."""
    return int(max(0.0, duration_s) / 60.0 + 0.5)


def _pct(value: float) -> float:
    return round(min(100.0, max(0.0, float(value))), 2)


def session_payload(row: PracticeSession, holds: list[PoseHold]) -> dict[str, Any]:
    return {
        "client_id": row.id,
        "date": iso(row.started_at),
        "duration": minutes(row.duration_s),
        "avg_accuracy": _pct(row.avg_accuracy),
        "poses": [
            {
                "pose_name": h.pose_name,
                "accuracy": _pct(h.accuracy),
                "feedback": list(h.feedback),
                "improvements": list(h.improvements),
                "hold_seconds": round(max(0.0, h.hold_s), 3),
                "timestamp": iso(h.started_at),
            }
            for h in holds
        ],
    }


def _holds(s: Session, session_id: str) -> list[PoseHold]:
    return list(s.exec(select(PoseHold).where(PoseHold.session_id == session_id).order_by(col(PoseHold.started_at))))


def _remote_date(rec: dict[str, Any]) -> datetime:
    return parse_dt(rec.get("date"))


def same_session(remote: dict[str, Any], local: dict[str, Any]) -> bool:
    """Does the cloud record hold the same practice as our payload (ignoring client_id)?"""
    try:
        same_date = abs((_remote_date(remote) - parse_dt(local["date"])).total_seconds()) < 1.0
    except ProtocolError:
        return False
    rposes = remote.get("poses") or []
    return (
        same_date
        and remote.get("duration") == local["duration"]
        and abs(float(remote.get("avg_accuracy") or 0) - local["avg_accuracy"]) < 0.01
        and isinstance(rposes, list)
        and [p.get("pose_name") for p in rposes if isinstance(p, dict)] == [p["pose_name"] for p in local["poses"]]
        and all(
            abs(float(r.get("accuracy") or 0) - p["accuracy"]) < 0.01
            for r, p in zip(rposes, local["poses"], strict=False)
            if isinstance(r, dict)
        )
    )


def _check_session(rec: Any) -> dict[str, Any]:
    if not isinstance(rec, dict) or not isinstance(rec.get("id"), int):
        raise ProtocolError("The yoga cloud sent a malformed session.")
    return rec


_SLUG = re.compile(r"[^a-z0-9]+")


class YogaProvider:
    name = PROVIDER
    label = LABEL
    can_push = True

    def __init__(self, ctx: AppContext, client: httpx.Client) -> None:
        self.ctx = ctx
        self.client = client

    # ================================================================= push
    def push(self, run: SyncRun) -> None:
        api = yoga_api(self.ctx, run)
        entries = state.load_pending(self.ctx, PROVIDER, 0, 100_000)
        run.progress("sessions", 0, len(entries))
        for n, entry in enumerate(entries, 1):
            run.check_cancelled()
            self._push_entry(run, api, entry)
            run.progress("sessions", n, len(entries))

    def _push_entry(self, run: SyncRun, api: Api, entry: QueuedChange) -> None:
        with self.ctx.db.session() as s:
            row = s.get(PracticeSession, entry.entity_id)
            holds = _holds(s, entry.entity_id) if row else []
        seq = entry.seq or 0
        if row is None:
            self._done(seq)
            return
        if entry.op == "delete" or row.deleted:
            if row.remote_id is not None:
                response = api.request("DELETE", f"/api/sessions/{row.remote_id}")
                if response.status_code not in (200, 204, 404):
                    self._fail(run, entry, response)
                    return
            self._done(seq)
            run.pushed("sessions")
            return
        if row.ended_at is None:
            return  # still running (or crashed and not yet closed): sent once it ends
        body = session_payload(row, holds)
        if row.remote_id is not None:
            self._put(run, api, entry, row, body)
            return
        if entry.attempts > 0:
            found = self._find_remote(api, row, body)
            if found is not None:
                self._adopt(run, api, entry, row, body, found)
                return
        self._create(run, api, entry, row, body)

    def _done(
        self,
        seq: int,
        remote_id: int | None = None,
        session_id: str | None = None,
        sent_updated_at: datetime | None = None,
    ) -> None:
        with self.ctx.db.write() as s:
            current = s.get(PracticeSession, session_id) if session_id else None
            if current is not None and remote_id is not None and current.remote_id != remote_id:
                current.remote_id = remote_id
                s.add(current)
            if current is not None and sent_updated_at is not None and current.updated_at != sent_updated_at:
                state.note_attempt(s, seq)  # changed while being sent: goes again
            else:
                state.mark_done(s, [seq], self.ctx.clock())

    def _fail(self, run: SyncRun, entry: QueuedChange, response: httpx.Response) -> None:
        if 400 <= response.status_code < 500:
            detail = detail_of(response)
            with self.ctx.db.write() as s:
                state.mark_rejected(s, entry.seq or 0, detail, self.ctx.clock())
            run.reject(ENTITY, entry.entity_id, detail)
            return
        raise ProtocolError(f"The yoga cloud answered HTTP {response.status_code}: {detail_of(response)}")

    def _create(self, run: SyncRun, api: Api, entry: QueuedChange, row: PracticeSession, body: dict[str, Any]) -> None:
        seq = entry.seq or 0
        attempt = 0
        while True:
            attempt += 1
            run.check_cancelled()
            with self.ctx.db.write() as s:  # committed before sending: a crash mid-POST is remembered
                state.note_attempt(s, seq, "sent; waiting for the answer")
            try:
                response = api.request("POST", "/api/sessions", json_body=body, idempotent=False)
                rec = _check_session(api.json(response)) if response.status_code in (200, 201) else None
            except (ProviderUnreachable, ProtocolError):
                # The cloud may or may not have stored it: look before sending again.
                wait = run.retry.backoff(attempt - 1)
                if not api.may_retry(attempt >= run.retry.max_attempts, wait):
                    raise
                api.wait(wait)
                found = self._find_remote(api, row, body)
                if found is not None:
                    self._adopt(run, api, entry, row, body, found)
                    return
                continue
            if rec is None:
                self._fail(run, entry, response)
                return
            self._done(seq, rec["id"], row.id, row.updated_at)
            run.pushed("sessions")
            return

    def _find_remote(self, api: Api, row: PracticeSession, body: dict[str, Any]) -> dict[str, Any] | None:
        since = iso(row.started_at - timedelta(seconds=1))
        response = api.request("GET", "/api/sessions", params={"since": since})
        if response.status_code != 200:
            raise ProtocolError(f"The yoga cloud did not list sessions (HTTP {response.status_code}).")
        data = api.json(response)
        if not isinstance(data, list):
            raise ProtocolError("The yoga cloud sent a malformed session list.")
        with self.ctx.db.session() as s:
            taken = set(s.exec(select(PracticeSession.remote_id).where(col(PracticeSession.remote_id).is_not(None))))
        candidates = [_check_session(r) for r in data]
        for rec in candidates:
            if rec.get("client_id") == row.id:
                return rec
        for rec in candidates:
            if rec["id"] not in taken and not rec.get("client_id") and same_session(rec, body):
                return rec
        return None

    def _adopt(
        self,
        run: SyncRun,
        api: Api,
        entry: QueuedChange,
        row: PracticeSession,
        body: dict[str, Any],
        rec: dict[str, Any],
    ) -> None:
        log.info("yoga session %s was already stored as %s; not sending it again", row.id, rec["id"])
        if not same_session(rec, body):
            with self.ctx.db.write() as s:
                current = s.get(PracticeSession, row.id)
                if current is not None:
                    current.remote_id = rec["id"]
                    s.add(current)
            self._put(run, api, entry, row, body, remote_id=rec["id"])
            return
        self._done(entry.seq or 0, rec["id"], row.id, row.updated_at)
        run.pushed("sessions")

    def _put(
        self,
        run: SyncRun,
        api: Api,
        entry: QueuedChange,
        row: PracticeSession,
        body: dict[str, Any],
        remote_id: int | None = None,
    ) -> None:
        rid = remote_id if remote_id is not None else row.remote_id
        response = api.request("PUT", f"/api/sessions/{rid}", json_body=body)
        if response.status_code == 200:
            self._done(entry.seq or 0, rid, row.id, row.updated_at)
            run.pushed("sessions")
            return
        if response.status_code == 404:
            now = self.ctx.clock()
            with self.ctx.db.write() as s:
                run.conflict(s, ENTITY, row.id, "remote", {**body, "remote_id": rid, "deleted_in_cloud": True})
                current = s.get(PracticeSession, row.id)
                if current is not None:
                    current.deleted = True
                    s.add(current)
                state.supersede(s, PROVIDER, ENTITY, row.id, now)
            run.store(ChangeSet.of(practice_sessions=[row.id]))
            run.warn(
                f"A practice session of {row.started_at:%Y-%m-%d} was deleted in the yoga cloud; your "
                "edited copy is kept under Conflicts."
            )
            return
        self._fail(run, entry, response)

    # ================================================================= pull
    def pull(self, run: SyncRun) -> None:
        api = yoga_api(self.ctx, run)
        since = run.get_cursor("sessions")
        # The cloud has no "changed since": re-read a window before the newest session seen so
        # that recent edits made on other devices arrive too.
        params = {"since": iso(parse_dt(since) - EDIT_WINDOW)} if since else None
        run.progress("sessions", 0, None)
        response = api.request("GET", "/api/sessions", params=params)
        if response.status_code != 200:
            raise ProtocolError(f"The yoga cloud did not list sessions (HTTP {response.status_code}).")
        data = api.json(response)
        if not isinstance(data, list):
            raise ProtocolError("The yoga cloud sent a malformed session list.")
        records = [_check_session(r) for r in data]
        newest: tuple[datetime, str] | None = (parse_dt(since), since) if since else None
        changed: list[str] = []
        now = self.ctx.clock()
        with self.ctx.db.write() as s:
            pending = state.pending_ids(s, PROVIDER, ENTITY)
            for rec in sorted(records, key=lambda r: (str(r.get("date")), r["id"])):
                run.check_cancelled()
                date_text = rec.get("date")
                date = _remote_date(rec)
                if newest is None or date > newest[0]:
                    newest = (date, str(date_text))
                if (written := self._apply(s, run, rec, pending, now)) is not None:
                    changed.append(written)
            if newest is not None and newest[1] != since:
                run.set_cursor("sessions", newest[1], session=s)
        run.pulled("sessions", len(changed))
        run.store(ChangeSet.of(practice_sessions=changed))
        run.progress("sessions", len(records), len(records))

    def _match_local(self, s: Session, rec: dict[str, Any]) -> PracticeSession | None:
        row = s.exec(select(PracticeSession).where(PracticeSession.remote_id == rec["id"])).first()
        if row is not None:
            return row
        cid = rec.get("client_id")
        if isinstance(cid, str) and cid:
            row = s.get(PracticeSession, cid)
            if row is not None and row.remote_id is None:
                return row
            if row is not None:
                return None
        date = _remote_date(rec)
        for cand in s.exec(
            select(PracticeSession).where(
                col(PracticeSession.remote_id).is_(None),
                col(PracticeSession.started_at) >= date - timedelta(seconds=1),
                col(PracticeSession.started_at) <= date + timedelta(seconds=1),
            )
        ):
            if same_session(rec, session_payload(cand, _holds(s, cand.id))):
                return cand
        return None

    def _apply(self, s: Session, run: SyncRun, rec: dict[str, Any], pending: set[str], now: datetime) -> str | None:
        """Upsert one cloud session locally (no outbox entry). Returns the local session's id
        when something changed, else None."""
        row = self._match_local(s, rec)
        if row is not None:
            local_body = session_payload(row, _holds(s, row.id))
            linked = bool(row.remote_id != rec["id"])
            if linked:
                row.remote_id = rec["id"]
                s.add(row)
            if same_session(rec, local_body):
                return row.id if linked else None
            if row.id in pending or row.deleted:
                run.conflict(s, ENTITY, row.id, "local", rec)  # ours goes out on the next push
                return row.id if linked else None
            self._write_session(s, row, rec)
            return row.id
        cid = rec.get("client_id")
        new_id = cid if isinstance(cid, str) and _is_uuid(cid) and s.get(PracticeSession, cid) is None else None
        row = PracticeSession(id=new_id or str(uuid.uuid4()), started_at=_remote_date(rec), remote_id=rec["id"])
        self._write_session(s, row, rec)
        return row.id

    def _write_session(self, s: Session, row: PracticeSession, rec: dict[str, Any]) -> None:
        start = _remote_date(rec)
        duration = rec.get("duration")
        if not isinstance(duration, int):
            raise ProtocolError("The yoga cloud sent a session without a duration.")
        if minutes(row.duration_s) != duration:
            row.duration_s = float(duration * 60)
        row.started_at = start
        row.ended_at = start + timedelta(seconds=row.duration_s)
        row.avg_accuracy = float(rec.get("avg_accuracy") or 0.0)
        poses = [p for p in (rec.get("poses") or []) if isinstance(p, dict)]
        row.total_poses = int(rec.get("total_poses") or len(poses))
        row.updated_at = self.ctx.clock()
        s.add(row)
        s.flush()
        s.exec(delete(PoseHold).where(col(PoseHold.session_id) == row.id))
        for p in poses:
            t = parse_dt(p["timestamp"]) if p.get("timestamp") else start
            hold = float(p.get("hold_seconds") or 0.0)
            acc = float(p.get("accuracy") or 0.0)
            name = str(p.get("pose_name") or "")
            s.add(
                PoseHold(
                    session_id=row.id,
                    pose_id=_SLUG.sub("_", name.lower()).strip("_"),
                    pose_name=name,
                    started_at=t,
                    ended_at=t + timedelta(seconds=hold),
                    hold_s=hold,
                    accuracy=acc,
                    best_accuracy=acc,
                    feedback=[str(x) for x in p.get("feedback") or []],
                    improvements=[str(x) for x in p.get("improvements") or []],
                )
            )


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def create_provider(ctx: AppContext, client: httpx.Client) -> YogaProvider:
    return YogaProvider(ctx, client)
