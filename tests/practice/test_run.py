"""PracticeRun on real SQLite and the real pose pipeline, fed synthetic landmarks (no camera)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import select

from app.context import AppContext
from app.models.practice import PoseHold
from app.models.sync import OutboxEntry
from app.practice.run import PracticeRun, StepChanged
from app.practice.sequences import Sequence, SequenceStep
from app.practice.service import HoldSaved, PracticeService, SessionStarted, SessionStopped
from pose.library import PoseLibrary
from pose.pipeline import PosePipeline
from pose.synthetic import synthesize
from pose.types import Landmarks

T0 = datetime(2026, 3, 1, 7, 0, tzinfo=UTC)
LIBRARY = PoseLibrary.load()
DT = 0.1


@pytest.fixture(scope="module")
def figures() -> dict[str, Landmarks]:
    return {p: synthesize(LIBRARY.get(p)) for p in ("warrior_ii", "tree", "mountain")}


@pytest.fixture
def service(ctx: AppContext) -> PracticeService:
    ctx.clock = lambda: T0
    return PracticeService(ctx)


def holds_in_db(ctx: AppContext) -> list[str]:
    with ctx.db.session() as s:
        return [h.pose_id for h in s.exec(select(PoseHold).order_by(PoseHold.started_at)).all()]  # type: ignore[arg-type]


def feed(run: PracticeRun, lm: Landmarks | None, t: float, seconds: float) -> tuple[float, list[Any]]:
    events: list[Any] = []
    end = t + seconds
    while t < end - 1e-9:
        events += run.process_landmarks(lm, t)[1]
        t = round(t + DT, 3)
    return t, events


def test_free_practice_auto_starts_and_writes_each_hold_when_it_ends(
    service: PracticeService, ctx: AppContext, figures: dict[str, Landmarks]
) -> None:
    run = PracticeRun(service, PosePipeline(LIBRARY, None, hold_seconds=2.0), auto_start=True)
    assert run.begin() == []
    t, events = feed(run, None, 0.0, 1.0)  # nobody on the mat yet
    t, more = feed(run, figures["warrior_ii"], t, 1.5)  # recognised but not held yet
    assert events + more == [] and run.session_id is None
    t, events = feed(run, figures["warrior_ii"], t, 2.0)
    started = [e for e in events if isinstance(e, SessionStarted)]
    assert len(started) == 1  # auto-started on the first held pose...
    assert started[0].session.started_at == T0 + timedelta(seconds=1.0)  # ...backdated to the pose's start
    assert holds_in_db(ctx) == []  # the warrior hold is still in progress

    t, events = feed(run, figures["tree"], t, 3.0)
    saved = [e for e in events if isinstance(e, HoldSaved)]
    assert [e.hold.pose_id for e in saved] == ["warrior_ii"]  # written when it ended
    assert holds_in_db(ctx) == ["warrior_ii"]
    assert saved[0].hold.hold_s == pytest.approx(3.5, abs=0.4)
    run_id = started[0].session.id
    with ctx.db.session() as s:
        assert [e.entity_id for e in s.exec(select(OutboxEntry)).all()] == [run_id]

    events = run.end()
    assert [type(e) for e in events] == [HoldSaved, SessionStopped]
    assert holds_in_db(ctx) == ["warrior_ii", "tree"]
    detail = service.get_session(run_id)
    assert detail.session.ended_at == T0 + timedelta(seconds=t - DT)
    assert detail.session.total_poses == 2 and detail.session.avg_accuracy > 90
    assert run.end() == []  # idempotent


def test_manual_start_opens_the_session_at_once_and_short_poses_are_not_logged(
    service: PracticeService, ctx: AppContext, figures: dict[str, Landmarks]
) -> None:
    run = PracticeRun(service, PosePipeline(LIBRARY, None, hold_seconds=2.0), auto_start=False)
    [started] = run.begin()
    assert isinstance(started, SessionStarted)
    feed(run, figures["tree"], 0.0, 1.0)  # too short to be a hold
    [stopped] = run.end()
    assert isinstance(stopped, SessionStopped) and stopped.discarded
    assert service.list_sessions() == []


def test_guided_sequence_scores_the_target_and_moves_on(
    service: PracticeService, ctx: AppContext, figures: dict[str, Landmarks]
) -> None:
    sequence = Sequence("Test flow", (SequenceStep("warrior_ii", 3), SequenceStep("tree", 2.5)))
    pipeline = PosePipeline(LIBRARY, None, hold_seconds=2.0)
    run = PracticeRun(service, pipeline, auto_start=True, sequence=sequence)
    assert pipeline.target_pose == "warrior_ii"
    t, events = feed(run, figures["tree"], 0.0, 4.0)  # the wrong pose does not advance the step
    assert not any(isinstance(e, StepChanged) for e in events)
    assert run.guided is not None and run.guided.index == 0
    t, events = feed(run, figures["warrior_ii"], t, 4.0)
    changes = [e for e in events if isinstance(e, StepChanged)]
    assert [(c.index, c.step) for c in changes] == [(1, SequenceStep("tree", 2.5))]
    assert pipeline.target_pose == "tree"
    assert holds_in_db(ctx) == ["warrior_ii"]  # the step's hold is written as the step ends
    t, events = feed(run, figures["tree"], t, 4.0)
    assert [(c.index, c.step) for c in events if isinstance(c, StepChanged)] == [(2, None)]
    assert run.finished
    run.end()
    [session] = service.list_sessions()
    assert (session.mode, session.sequence_name, session.total_poses) == ("guided", "Test flow", 2)
    detail = service.get_session(session.id)
    assert [h.pose_id for h in detail.holds] == ["warrior_ii", "tree"]
    assert detail.holds[0].hold_s >= 3.0
