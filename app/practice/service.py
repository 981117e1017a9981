"""Practice sessions and their held poses in the database (no Qt).

Stored per the yoga cloud's model (``SessionIn``/``PoseRecord``): a session has a client UUID
(``id``), start/end times, duration, average accuracy and the number of poses; each pose held
has its accuracy, hold seconds, feedback and improvements.

Durability contract:
- A hold is written when it ENDS, in one ``db.write()`` transaction that also updates the
  session's totals and queues the session in the outbox, so a crash loses at most the hold
  in progress.
- A session interrupted by a crash (``ended_at`` NULL) is closed on the next start, its end
  and duration taken from its last hold. A session that ends without any hold was never
  queued for sync and is removed instead of being kept as an empty record.

Thread contract: every method may be called from any thread (writes are serialized by the
database); returned rows are detached snapshots. Methods return what changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.changes import ChangeSet
from app.context import AppContext
from app.errors import NotFound, ValidationError
from app.models.practice import PoseHold, PracticeSession
from app.outbox import enqueue

ENTITY = "practice_session"


@dataclass(frozen=True)
class NewHold:
    """A finished hold to store (wall-clock times, accuracy 0-100)."""

    pose_id: str
    pose_name: str
    started_at: datetime
    ended_at: datetime
    hold_s: float
    accuracy: float
    best_accuracy: float
    feedback: list[str] = field(default_factory=list)
    improvements: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SessionStarted:
    session: PracticeSession
    recovered: list[PracticeSession]  # interrupted sessions closed by this start

    @property
    def changes(self) -> ChangeSet:
        """The sessions others can see changed: the recovered ones (the new one is still running)."""
        return ChangeSet.of(practice_sessions=[r.id for r in self.recovered])


@dataclass(frozen=True)
class HoldSaved:
    session: PracticeSession  # with updated totals
    hold: PoseHold

    @property
    def changes(self) -> ChangeSet:
        return ChangeSet.of(practice_sessions=[self.session.id])


@dataclass(frozen=True)
class SessionStopped:
    session: PracticeSession
    discarded: bool  # True when it had no hold and was removed

    @property
    def changes(self) -> ChangeSet:
        """A discarded session was never shown anywhere (it had no hold): nothing changed."""
        return ChangeSet() if self.discarded else ChangeSet.of(practice_sessions=[self.session.id])


@dataclass(frozen=True)
class SessionDetail:
    session: PracticeSession
    holds: list[PoseHold]


class PracticeService:
    """Start/stop sessions, record holds, list/get/delete sessions. See the module docstring."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    # -- writes -----------------------------------------------------------------
    def start_session(
        self, *, mode: str = "free", sequence_name: str | None = None, started_at: datetime | None = None
    ) -> SessionStarted:
        """Close any interrupted session, then open a new one (running until stopped)."""
        if mode not in ("free", "guided"):
            raise ValidationError(f"unknown practice mode {mode!r}")
        recovered = self.close_interrupted()
        now = self.ctx.clock()
        session = PracticeSession(started_at=started_at or now, mode=mode, sequence_name=sequence_name, updated_at=now)
        with self.ctx.db.write() as s:
            s.add(session)
        return SessionStarted(session, recovered)

    def close_interrupted(self) -> list[PracticeSession]:
        """Close sessions left running by a crash; returns the ones kept (with holds)."""
        closed: list[PracticeSession] = []
        with self.ctx.db.write() as s:
            running = s.exec(
                select(PracticeSession).where(col(PracticeSession.ended_at).is_(None), PracticeSession.deleted == False)  # noqa: E712
            ).all()
            for session in running:
                last_end = s.exec(select(func.max(PoseHold.ended_at)).where(PoseHold.session_id == session.id)).one()
                if last_end is None:
                    s.delete(session)
                    continue
                _close(s, session, _aware(last_end), self.ctx.clock())
                closed.append(session)
        return closed

    def record_hold(self, session_id: str, hold: NewHold) -> HoldSaved:
        """Store a finished hold and update the session's totals, durably, with its outbox entry."""
        if hold.hold_s < 0 or not 0 <= hold.accuracy <= 100 or hold.ended_at < hold.started_at:
            raise ValidationError(f"invalid hold of {hold.pose_id}: {hold}")
        with self.ctx.db.write() as s:
            session = self._running(s, session_id)
            row = PoseHold(
                session_id=session_id,
                pose_id=hold.pose_id,
                pose_name=hold.pose_name,
                started_at=hold.started_at,
                ended_at=hold.ended_at,
                hold_s=hold.hold_s,
                accuracy=hold.accuracy,
                best_accuracy=hold.best_accuracy,
                feedback=list(hold.feedback),
                improvements=list(hold.improvements),
            )
            s.add(row)
            s.flush()
            _refresh_totals(s, session)
            session.duration_s = max(session.duration_s, (hold.ended_at - session.started_at).total_seconds())
            session.updated_at = self.ctx.clock()
            s.add(session)
            enqueue(s, ENTITY, session_id)
        return HoldSaved(session, row)

    def stop_session(self, session_id: str, ended_at: datetime | None = None) -> SessionStopped:
        """End a running session; one without holds is removed (``discarded``)."""
        with self.ctx.db.write() as s:
            session = self._running(s, session_id)
            holds = s.exec(select(func.count()).select_from(PoseHold).where(PoseHold.session_id == session_id)).one()
            if holds == 0:
                s.delete(session)
                return SessionStopped(session, discarded=True)
            _close(s, session, ended_at or self.ctx.clock(), self.ctx.clock())
        return SessionStopped(session, discarded=False)

    def delete_session(self, session_id: str) -> PracticeSession:
        """Soft-delete (``deleted=True``) and queue the deletion for sync."""
        with self.ctx.db.write() as s:
            session = s.get(PracticeSession, session_id)
            if session is None or session.deleted:
                raise NotFound(f"practice session {session_id} not found")
            session.deleted = True
            session.updated_at = self.ctx.clock()
            s.add(session)
            enqueue(s, ENTITY, session_id, "delete")
        return session

    # -- reads ------------------------------------------------------------------
    def list_sessions(self, *, since: datetime | None = None, limit: int | None = None) -> list[PracticeSession]:
        """Sessions not deleted, most recent first (running ones included)."""
        query = select(PracticeSession).where(PracticeSession.deleted == False)  # noqa: E712
        if since is not None:
            query = query.where(PracticeSession.started_at >= since)
        query = query.order_by(col(PracticeSession.started_at).desc())
        if limit is not None:
            query = query.limit(limit)
        with self.ctx.db.session() as s:
            return list(s.exec(query).all())

    def get_session(self, session_id: str) -> SessionDetail:
        """A session (even deleted) with its holds in time order. Raises NotFound."""
        with self.ctx.db.session() as s:
            session = s.get(PracticeSession, session_id)
            if session is None:
                raise NotFound(f"practice session {session_id} not found")
            holds = s.exec(
                select(PoseHold).where(PoseHold.session_id == session_id).order_by(col(PoseHold.started_at))
            ).all()
            return SessionDetail(session, list(holds))

    def _running(self, s: Session, session_id: str) -> PracticeSession:
        session = s.get(PracticeSession, session_id)
        if session is None or session.deleted:
            raise NotFound(f"practice session {session_id} not found")
        if session.ended_at is not None:
            raise ValidationError(f"practice session {session_id} has already ended")
        return session


def _aware(value: datetime) -> datetime:
    """Aggregates may bypass the UTC column type: SQLite gives back naive UTC (text or datetime)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _refresh_totals(s: Session, session: PracticeSession) -> None:
    count, mean = s.exec(
        select(func.count(), func.avg(PoseHold.accuracy)).where(PoseHold.session_id == session.id)
    ).one()
    session.total_poses = int(count)
    session.avg_accuracy = round(float(mean or 0.0), 2)


def _close(s: Session, session: PracticeSession, ended_at: datetime, now: datetime) -> None:
    ended_at = max(ended_at, session.started_at)
    _refresh_totals(s, session)
    session.ended_at = ended_at
    session.duration_s = (ended_at - session.started_at).total_seconds()
    session.updated_at = now
    s.add(session)
    enqueue(s, ENTITY, session.id)
