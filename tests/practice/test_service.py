"""PracticeService on real SQLite: sessions, holds written at their end, crash recovery, outbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import select

from app.context import AppContext
from app.errors import NotFound, ValidationError
from app.models.practice import PoseHold, PracticeSession
from app.models.sync import OutboxEntry
from app.practice.service import NewHold, PracticeService
from tests.fakes import FakeClock

T0 = datetime(2026, 3, 1, 7, 0, tzinfo=UTC)


def hold(pose: str, start_s: float, end_s: float, accuracy: float) -> NewHold:
    return NewHold(
        pose_id=pose,
        pose_name=pose.title(),
        started_at=T0 + timedelta(seconds=start_s),
        ended_at=T0 + timedelta(seconds=end_s),
        hold_s=end_s - start_s,
        accuracy=accuracy,
        best_accuracy=min(100.0, accuracy + 5),
        feedback=["Bend your front knee more"],
        improvements=["Keep the front knee over the ankle"],
    )


@pytest.fixture
def service(ctx: AppContext) -> PracticeService:
    ctx.clock = FakeClock(T0)
    return PracticeService(ctx)


def outbox(ctx: AppContext) -> list[tuple[str, str, str]]:
    with ctx.db.session() as s:
        rows = s.exec(select(OutboxEntry).order_by(OutboxEntry.seq)).all()  # type: ignore[arg-type]
        return [(r.entity, r.entity_id, r.op) for r in rows]


def test_start_record_stop_stores_the_cloud_model(service: PracticeService, ctx: AppContext) -> None:
    started = service.start_session(started_at=T0)
    sid = started.session.id
    assert started.recovered == []
    assert service.get_session(sid).session.ended_at is None

    saved = service.record_hold(sid, hold("warrior_ii", 1, 21, 80))
    assert saved.session.total_poses == 1
    assert saved.hold.session_id == sid
    # The hold is on disk as soon as record_hold returns: a fresh session sees it.
    with ctx.db.session() as s:
        assert [h.pose_id for h in s.exec(select(PoseHold)).all()] == ["warrior_ii"]

    service.record_hold(sid, hold("tree", 25, 40, 90))
    ctx.clock.now = T0 + timedelta(seconds=45)
    stopped = service.stop_session(sid)
    assert not stopped.discarded
    detail = service.get_session(sid)
    assert detail.session.ended_at == T0 + timedelta(seconds=45)
    assert detail.session.duration_s == pytest.approx(45)
    assert detail.session.total_poses == 2
    assert detail.session.avg_accuracy == pytest.approx(85)
    assert [(h.pose_id, h.hold_s, h.accuracy) for h in detail.holds] == [("warrior_ii", 20, 80), ("tree", 15, 90)]
    assert detail.holds[0].feedback == ["Bend your front knee more"]
    assert detail.holds[0].improvements == ["Keep the front knee over the ankle"]
    # Consecutive pending upserts collapse into one outbox entry for the session.
    assert outbox(ctx) == [("practice_session", sid, "upsert")]


def test_hold_and_outbox_entry_commit_together(service: PracticeService, ctx: AppContext, monkeypatch: Any) -> None:
    sid = service.start_session(started_at=T0).session.id
    import app.practice.service as svc

    def broken_enqueue(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(svc, "enqueue", broken_enqueue)
    with pytest.raises(RuntimeError):
        service.record_hold(sid, hold("tree", 0, 10, 70))
    with ctx.db.session() as s:
        assert s.exec(select(PoseHold)).all() == []  # rolled back with the failed outbox write
    monkeypatch.undo()
    service.record_hold(sid, hold("tree", 0, 10, 70))
    with ctx.db.session() as s:
        assert len(s.exec(select(PoseHold)).all()) == 1
    assert outbox(ctx) == [("practice_session", sid, "upsert")]


def test_interrupted_session_is_closed_on_next_start(service: PracticeService, ctx: AppContext) -> None:
    crashed = service.start_session(started_at=T0).session.id
    service.record_hold(crashed, hold("warrior_ii", 2, 30, 75))
    service.record_hold(crashed, hold("triangle", 35, 50, 65))
    # ... the app dies here: no stop_session. An empty interrupted session exists too.
    empty = PracticeSession(started_at=T0 + timedelta(seconds=60), updated_at=T0)
    with ctx.db.write() as s:  # a second crashed session, one that had no hold yet
        s.add(empty)

    ctx.clock.now = T0 + timedelta(hours=2)
    result = service.start_session()
    assert [r.id for r in result.recovered] == [crashed]
    closed = service.get_session(crashed).session
    assert closed.ended_at == T0 + timedelta(seconds=50)  # from its last hold, not "now"
    assert closed.duration_s == pytest.approx(50)
    assert closed.total_poses == 2
    assert closed.avg_accuracy == pytest.approx(70)
    with pytest.raises(NotFound):
        service.get_session(empty.id)  # empty interrupted session removed
    assert ("practice_session", crashed, "upsert") in outbox(ctx)
    assert [s.id for s in service.list_sessions()] == [result.session.id, crashed]


def test_stop_without_holds_discards_and_stopped_session_rejects_holds(
    service: PracticeService, ctx: AppContext
) -> None:
    sid = service.start_session(started_at=T0).session.id
    assert service.stop_session(sid).discarded
    with pytest.raises(NotFound):
        service.get_session(sid)
    assert outbox(ctx) == []

    sid = service.start_session(started_at=T0).session.id
    service.record_hold(sid, hold("tree", 0, 5, 90))
    service.stop_session(sid)
    with pytest.raises(ValidationError):
        service.record_hold(sid, hold("tree", 6, 9, 90))
    with pytest.raises(ValidationError):
        service.start_session(mode="karaoke")


def test_delete_is_soft_and_queued(service: PracticeService, ctx: AppContext) -> None:
    sid = service.start_session(started_at=T0).session.id
    service.record_hold(sid, hold("tree", 0, 5, 90))
    service.stop_session(sid)
    deleted = service.delete_session(sid)
    assert deleted.deleted
    assert service.list_sessions() == []
    assert service.get_session(sid).session.deleted  # still readable for sync
    assert outbox(ctx)[-1] == ("practice_session", sid, "delete")
    with pytest.raises(NotFound):
        service.delete_session(sid)


def test_list_sessions_newest_first_with_since_and_limit(service: PracticeService) -> None:
    ids = []
    for day in range(3):
        sid = service.start_session(started_at=T0 + timedelta(days=day)).session.id
        service.record_hold(sid, hold("tree", day * 86400, day * 86400 + 5, 90))
        service.stop_session(sid, T0 + timedelta(days=day, seconds=10))
        ids.append(sid)
    assert [s.id for s in service.list_sessions()] == ids[::-1]
    assert [s.id for s in service.list_sessions(since=T0 + timedelta(days=1))] == [ids[2], ids[1]]
    assert [s.id for s in service.list_sessions(limit=1)] == [ids[2]]
