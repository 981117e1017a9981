"""Yoga cloud sync against the loopback emulator: no duplicate sessions, whatever happens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from app.changes import ChangeSet
from app.context import AppContext
from app.models.practice import PoseHold, PracticeSession
from app.models.sync import OutboxEntry, SyncConflict
from sync.engine import SyncEngine
from sync.yoga.provider import minutes
from tests.emulators.yoga import YogaServer
from tests.sync.helpers import EMAIL, add_session, edit, pending


def assert_yoga_equal(ctx: AppContext, app: YogaServer) -> None:
    """Every local session is in the cloud exactly once and vice versa, field by field."""
    remote = app.user_sessions(EMAIL)
    with ctx.db.session() as s:
        local = [r for r in s.exec(select(PracticeSession)).all() if not r.deleted]
        holds = {r.id: s.exec(select(PoseHold).where(PoseHold.session_id == r.id)).all() for r in local}
    assert len({r["id"] for r in remote}) == len(remote)
    assert sorted(r["id"] for r in remote) == sorted(r.remote_id for r in local if r.remote_id is not None)
    assert len(local) == len(remote), f"local {len(local)} vs cloud {len(remote)}"
    by_remote = {r["id"]: r for r in remote}
    for row in local:
        rec = by_remote[row.remote_id]  # type: ignore[index]
        if rec.get("client_id"):
            assert rec["client_id"] == row.id
        assert rec["duration"] == minutes(row.duration_s)
        assert rec["avg_accuracy"] == pytest.approx(row.avg_accuracy, abs=0.01)
        assert [p["pose_name"] for p in rec["poses"]] == [h.pose_name for h in holds[row.id]]


def test_push_and_pull_sessions(yoga_ctx: AppContext, yoga_app: YogaServer, engine: SyncEngine) -> None:
    sessions = [add_session(yoga_ctx, minutes=20 + i, poses=i, day=i) for i in range(4)]
    yoga_app.add_remote_session(
        EMAIL,
        date="2026-03-01T06:00:00Z",
        duration=30,
        avg_accuracy=66.5,
        poses=[{"pose_name": "Tree Pose", "accuracy": 70, "hold_seconds": 12}],
    )
    result = engine.run().result("yoga")
    assert result is not None and result.status == "synced", result.describe()
    assert result.pushed["sessions"] == 4 and result.pulled["sessions"] == 1
    assert_yoga_equal(yoga_ctx, yoga_app)
    with yoga_ctx.db.session() as s:
        assert all(s.get(PracticeSession, x.id).remote_id for x in sessions)  # type: ignore[union-attr]
        pulled = s.exec(select(PracticeSession).where(PracticeSession.duration_s == 1800.0)).one()
        assert pulled.total_poses == 1
        assert s.exec(select(PoseHold).where(PoseHold.session_id == pulled.id)).one().pose_name == "Tree Pose"
        assert s.exec(select(OutboxEntry).where(OutboxEntry.entity_id == pulled.id)).first() is None
    assert result.stored == ChangeSet.of(practice_sessions=[pulled.id])  # what the panels refresh from
    assert pending(yoga_ctx) == 0
    # Nothing new: a second run sends and receives nothing.
    again = engine.run().result("yoga")
    assert again is not None and again.total_pushed == 0 and again.total_pulled == 0 and not again.stored
    assert_yoga_equal(yoga_ctx, yoga_app)


@pytest.mark.parametrize("ignore_client_id", [False, True], ids=["client-id-server", "old-server"])
@pytest.mark.parametrize(
    ("kind", "options"),
    [
        pytest.param("drop_after", {}, id="dropped-after-commit"),
        pytest.param("drop_before", {}, id="dropped-before"),
        pytest.param("error", {"status": 502}, id="5xx"),
        pytest.param("rate_limit", {"retry_after": 0.01}, id="429"),
        pytest.param("slow", {}, id="timeout"),
        pytest.param("malformed", {}, id="malformed-json"),
    ],
)
def test_post_faults_never_duplicate(
    yoga_ctx: AppContext,
    yoga_app: YogaServer,
    engine: SyncEngine,
    stall_engine: SyncEngine,
    kind: str,
    options: dict[str, float],
    ignore_client_id: bool,
) -> None:
    yoga_app.ignore_client_id = ignore_client_id
    for i in range(3):
        add_session(yoga_ctx, minutes=10 + i, poses=i + 1, day=i)
    under_fault = stall_engine if kind == "slow" else engine
    yoga_app.inject(kind, path="^/api/sessions$", method="POST", times=1, **options)
    under_fault.run()
    yoga_app.inject(kind, path="^/api/sessions$", method="POST", times=10, **options)  # beyond the retries
    under_fault.run()
    yoga_app.clear_faults()
    summary = engine.run()
    assert summary.ok, summary.describe()
    assert pending(yoga_ctx) == 0
    assert len(yoga_app.user_sessions(EMAIL)) == 3
    assert_yoga_equal(yoga_ctx, yoga_app)


def test_list_faults_during_check_then_recover(yoga_ctx: AppContext, yoga_app: YogaServer, engine: SyncEngine) -> None:
    yoga_app.ignore_client_id = True
    add_session(yoga_ctx)
    yoga_app.inject("drop_after", path="^/api/sessions$", method="POST", times=1)
    yoga_app.inject("error", path="^/api/sessions$", method="GET", times=10)
    first = engine.run().result("yoga")
    assert first is not None and first.status == "failed"
    yoga_app.clear_faults()
    assert engine.run().ok
    assert len(yoga_app.user_sessions(EMAIL)) == 1
    assert_yoga_equal(yoga_ctx, yoga_app)


def test_crash_after_post_is_checked_before_resending(
    yoga_ctx: AppContext, yoga_app: YogaServer, engine: SyncEngine
) -> None:
    """A POST that may have landed (attempts recorded, e.g. the app crashed) is looked up first."""
    yoga_app.ignore_client_id = True
    sess = add_session(yoga_ctx)
    yoga_app.add_remote_session(
        EMAIL,
        client_id=sess.id,
        date=sess.started_at.isoformat(),
        duration=20,
        avg_accuracy=82.0,
        poses=[{"pose_name": "Pose 0", "accuracy": 75.0}, {"pose_name": "Pose 1", "accuracy": 76.0}],
    )
    with yoga_ctx.db.write() as s:
        entry = s.exec(select(OutboxEntry).where(OutboxEntry.entity_id == sess.id)).one()
        entry.attempts = 1
        s.add(entry)
    assert engine.run().ok
    assert len(yoga_app.user_sessions(EMAIL)) == 1
    assert not [h for h in yoga_app.hits if h[0] == "POST" and h[1] == "/api/sessions"]
    assert_yoga_equal(yoga_ctx, yoga_app)


def test_edit_and_delete_travel(yoga_ctx: AppContext, yoga_app: YogaServer, engine: SyncEngine) -> None:
    a = add_session(yoga_ctx, day=0)
    b = add_session(yoga_ctx, day=1)
    assert engine.run().ok
    edit(yoga_ctx, PracticeSession, a.id, "practice_session", avg_accuracy=91.5, duration_s=25 * 60 + 10)
    edit(yoga_ctx, PracticeSession, b.id, "practice_session", deleted=True)
    assert engine.run().ok
    remote = yoga_app.user_sessions(EMAIL)
    assert len(remote) == 1 and remote[0]["avg_accuracy"] == 91.5 and remote[0]["duration"] == 25
    assert_yoga_equal(yoga_ctx, yoga_app)
    with yoga_ctx.db.session() as s:
        assert s.get(PracticeSession, a.id).duration_s == 25 * 60 + 10  # type: ignore[union-attr]


def test_cloud_edit_pulled_and_local_unsent_edit_wins(
    yoga_ctx: AppContext, yoga_app: YogaServer, engine: SyncEngine
) -> None:
    a = add_session(yoga_ctx, day=0)
    b = add_session(yoga_ctx, day=1)
    assert engine.run().ok
    with yoga_ctx.db.session() as s:
        rid_a = s.get(PracticeSession, a.id).remote_id  # type: ignore[union-attr]
        rid_b = s.get(PracticeSession, b.id).remote_id  # type: ignore[union-attr]
    yoga_app.sessions[rid_a]["avg_accuracy"] = 50.0  # edited on another device
    yoga_app.sessions[rid_b]["avg_accuracy"] = 40.0
    edit(yoga_ctx, PracticeSession, b.id, "practice_session", avg_accuracy=99.0)
    assert engine.run(push=False).ok  # pull only: our edit has not gone out yet
    with yoga_ctx.db.session() as s:
        assert s.get(PracticeSession, b.id).avg_accuracy == 99.0  # type: ignore[union-attr]
        conflict = s.exec(select(SyncConflict).where(SyncConflict.entity_id == b.id)).one()
    assert conflict.winner == "local" and conflict.kept_version["avg_accuracy"] == 40.0
    assert engine.run().ok
    with yoga_ctx.db.session() as s:
        assert s.get(PracticeSession, a.id).avg_accuracy == 50.0  # type: ignore[union-attr]
    assert yoga_app.sessions[rid_b]["avg_accuracy"] == 99.0


def test_deleted_in_cloud_keeps_local_copy(yoga_ctx: AppContext, yoga_app: YogaServer, engine: SyncEngine) -> None:
    a = add_session(yoga_ctx)
    assert engine.run().ok
    yoga_app.sessions.clear()
    edit(yoga_ctx, PracticeSession, a.id, "practice_session", avg_accuracy=77.0)
    result = engine.run().result("yoga")
    assert result is not None and result.status == "partial"
    with yoga_ctx.db.session() as s:
        conflict = s.exec(select(SyncConflict)).one()
    assert conflict.kept_version["avg_accuracy"] == 77.0 and conflict.kept_version["deleted_in_cloud"]


def test_running_session_waits(yoga_ctx: AppContext, yoga_app: YogaServer, engine: SyncEngine) -> None:
    sess = add_session(yoga_ctx)
    with yoga_ctx.db.write() as s:
        row = s.get(PracticeSession, sess.id)
        assert row is not None
        row.ended_at = None
        s.add(row)
    assert engine.run().ok
    assert yoga_app.user_sessions(EMAIL) == [] and pending(yoga_ctx) == 1
    with yoga_ctx.db.write() as s:
        row = s.get(PracticeSession, sess.id)
        assert row is not None
        row.ended_at = row.started_at + timedelta(minutes=20)
        s.add(row)
    assert engine.run().ok
    assert_yoga_equal(yoga_ctx, yoga_app)


def test_rejected_session_lets_others_through(yoga_ctx: AppContext, yoga_app: YogaServer, engine: SyncEngine) -> None:
    good = add_session(yoga_ctx, day=0)
    bad = add_session(yoga_ctx, day=1)
    with yoga_ctx.db.write() as s:
        row = s.get(PracticeSession, bad.id)
        assert row is not None
        row.duration_s = -600  # clamped to 0 minutes; make it invalid another way:
        s.add(row)
    yoga_app.validate_orig = yoga_app.validate  # type: ignore[attr-defined]

    def strict(body):  # type: ignore[no-untyped-def]
        if body.get("client_id") == bad.id:
            from tests.emulators.yoga import Invalid

            raise Invalid("duration: must be positive")
        return yoga_app.validate_orig(body)  # type: ignore[attr-defined]

    yoga_app.validate = strict  # type: ignore[method-assign]
    result = engine.run().result("yoga")
    assert result is not None and result.status == "partial"
    assert result.rejected == [
        {"entity": "practice_session", "entity_id": bad.id, "detail": "duration: must be positive"}
    ]
    with yoga_ctx.db.session() as s:
        assert s.get(PracticeSession, good.id).remote_id is not None  # type: ignore[union-attr]


def test_expired_token_relogs_in_once(yoga_ctx: AppContext, yoga_app: YogaServer, engine: SyncEngine) -> None:
    add_session(yoga_ctx)
    logins = yoga_app.logins
    yoga_app.expire_tokens()
    assert engine.run().ok
    assert yoga_app.logins == logins + 1
