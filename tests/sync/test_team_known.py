"""What the team server is known to hold (sync.team.known): an event sent in a batch has no
version row of its own until a pull brings the server's; its closed outbox entry says it was
sent. An edit made before that pull must go out as a PUT of our earlier push, never as a new
record or a conflict."""

from __future__ import annotations

from sqlmodel import col, select

from app.context import AppContext
from app.models.match import MatchEvent
from app.models.sync import SyncConflict, SyncCursor
from sync.engine import SyncEngine
from sync.team.api import SENT
from sync.team.known import known_versions
from tests.emulators.team import TeamServer
from tests.sync.helpers import add_events, add_match, add_team, assert_team_equal, edit, pending


def _event_ids(ctx: AppContext) -> list[str]:
    with ctx.db.session() as s:
        return list(s.exec(select(MatchEvent.id).order_by(col(MatchEvent.seq))).all())


def test_a_batch_push_records_no_version_per_event_yet_knows_them_sent(
    team_ctx: AppContext, team_app: TeamServer, engine: SyncEngine
) -> None:
    add_events(team_ctx, add_match(team_ctx, add_team(team_ctx)), 20)
    assert engine.run(pull=False).ok
    ids = _event_ids(team_ctx)
    with team_ctx.db.session() as s:
        stored = s.exec(select(SyncCursor).where(col(SyncCursor.resource).startswith("v:event:"))).all()
        assert stored == []  # the closed entries say it: no 20 rows more
        assert known_versions(s, "event", ids) == dict.fromkeys(ids, SENT)
    assert engine.run(push=False).ok  # the pull brings the server's versions
    with team_ctx.db.session() as s:
        versions = known_versions(s, "event", ids)
    assert set(versions) == set(ids) and not any(v.startswith(SENT) for v in versions.values())


def test_an_event_edited_before_the_pull_goes_as_a_put_without_conflict(
    team_ctx: AppContext, team_app: TeamServer, engine: SyncEngine
) -> None:
    add_events(team_ctx, add_match(team_ctx, add_team(team_ctx)), 5)
    assert engine.run(pull=False).ok
    first = _event_ids(team_ctx)[0]
    edit(team_ctx, MatchEvent, first, "event", note="edited before any pull")
    # The pull brings our own batch back while the newer edit waits: ours is kept.
    assert engine.run(push=False).ok
    assert pending(team_ctx, "team") == 1
    with team_ctx.db.session() as s:
        assert s.get(MatchEvent, first).note == "edited before any pull"  # type: ignore[union-attr]
    hits = len(team_app.hits)
    assert engine.run().ok
    sent = [h for h in team_app.hits[hits:] if h[0] in ("POST", "PUT")]
    assert [h[0] for h in sent] == ["PUT"] and sent[0][1].endswith(first)
    assert team_app.records("event")[first]["note"] == "edited before any pull"
    with team_ctx.db.session() as s:
        assert s.exec(select(SyncConflict)).all() == []
    assert_team_equal(team_ctx, team_app)


def test_an_event_edited_before_the_next_push_goes_as_a_put(
    team_ctx: AppContext, team_app: TeamServer, engine: SyncEngine
) -> None:
    add_events(team_ctx, add_match(team_ctx, add_team(team_ctx)), 5)
    assert engine.run(pull=False).ok
    first = _event_ids(team_ctx)[0]
    edit(team_ctx, MatchEvent, first, "event", note="edited, no pull between")
    hits = len(team_app.hits)
    assert engine.run(pull=False).ok
    sent = [h for h in team_app.hits[hits:] if h[0] in ("POST", "PUT")]
    # Not a batch POST answered "replayed" (then reconciled), not a conflict: a POST of the
    # known record replays, and the newer local edit is PUT.
    assert sent[-1][0] == "PUT" and not [h for h in sent if h[1] == "/api/sync/events"]
    assert team_app.records("event")[first]["note"] == "edited, no pull between"
    with team_ctx.db.session() as s:
        assert s.exec(select(SyncConflict)).all() == []
    assert_team_equal(team_ctx, team_app)
