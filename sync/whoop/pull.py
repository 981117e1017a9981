"""Pull WHOOP data into the local tables (pull-only; upsert by WHOOP's ids).

Per resource (profile, cycle, recovery, sleep, workout):
- Window: first sync backfills ``settings.backfill_days``; later syncs start at the cursor
  (the time of the last successful pull of that resource) minus ``TRAILING_WINDOW_DAYS``,
  because WHOOP has no updated-since filter and re-scores records (PENDING_SCORE -> SCORED).
- All pages of a resource are read and checked first, then written with its new cursor in
  ONE transaction: a malformed page, an error or a cancel leaves that resource exactly as it
  was (nothing half-written) and the cursor unchanged.
- Rows are upserted by primary key; an unchanged record is not written, so pulling twice
  changes nothing. ``run.pulled(resource, n)`` counts records inserted or changed.
- Progress: ``run.progress(resource, days_covered, days_in_window)`` (newest first).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy import inspect as sa_inspect
from sqlmodel import Session, SQLModel

from app.changes import ChangeSet
from sync.http import iso, parse_dt
from sync.provider import SyncRun
from sync.whoop import records as rec
from sync.whoop.client import WhoopClient
from sync.whoop.config import TRAILING_WINDOW_DAYS

log = logging.getLogger(__name__)

CollectionSpec = tuple[str, str, type[BaseModel], Callable[[Any, dict[str, Any]], SQLModel]]

COLLECTIONS: tuple[CollectionSpec, ...] = (
    ("cycle", "/v2/cycle", rec.Cycle, rec.cycle_row),
    ("recovery", "/v2/recovery", rec.Recovery, rec.recovery_row),
    ("sleep", "/v2/activity/sleep", rec.Sleep, rec.sleep_row),
    ("workout", "/v2/activity/workout", rec.Workout, rec.workout_row),
)


def _pk(row: SQLModel) -> Any:
    mapper = sa_inspect(type(row))
    keys = [getattr(row, str(c.key)) for c in mapper.primary_key]
    return keys[0] if len(keys) == 1 else tuple(keys)


def upsert(session: Session, rows: Sequence[SQLModel]) -> int:
    """Insert or update ``rows`` by primary key; returns how many were new or changed."""
    changed = 0
    for row in rows:
        existing = session.get(type(row), _pk(row))
        if existing is None:
            session.add(row)
            changed += 1
            continue
        dirty = False
        for name in type(row).model_fields:
            new = getattr(row, name)
            if getattr(existing, name) != new:
                setattr(existing, name, new)
                dirty = True
        if dirty:
            session.add(existing)
            changed += 1
    return changed


def window_start(run: SyncRun, resource: str, now: datetime) -> datetime:
    cursor = run.get_cursor(resource)
    if cursor:
        try:
            last = min(parse_dt(cursor), now)
            return last - timedelta(days=TRAILING_WINDOW_DAYS)
        except ValueError:
            log.warning("ignoring unreadable WHOOP cursor for %s", resource)
    return now - timedelta(days=run.ctx.settings.backfill_days)


def pull_profile(run: SyncRun, client: WhoopClient) -> None:
    run.check_cancelled()
    run.progress("profile", 0, 1)
    raw_profile = client.get_json("/v2/user/profile/basic")
    profile = rec.parse(rec.Profile, raw_profile, "profile")
    raw_body = client.get_json("/v2/user/measurement/body", allow_404=True)
    body = None if raw_body is None else rec.parse(rec.Body, raw_body, "body measurement")
    run.check_cancelled()
    with run.ctx.db.write() as s:
        n = upsert(s, [rec.profile_row(profile, body, {"profile": raw_profile, "body": raw_body})])
    run.pulled("profile", n)
    if n:
        run.store(ChangeSet.of(providers=[run.provider]))
    run.progress("profile", 1, 1)


def pull_collection(run: SyncRun, client: WhoopClient, spec: CollectionSpec) -> None:
    resource, path, model, to_row = spec
    now = run.ctx.clock()
    start = window_start(run, resource, now)
    total_days = max(1, (now - start).days)
    rows: list[SQLModel] = []
    run.progress(resource, 0, total_days)
    for page in client.pages(path, start):
        run.check_cancelled()
        for raw in page:
            rows.append(to_row(rec.parse(model, raw, resource), raw))
        oldest = min((d for d in (rec.record_start(r) for r in rows) if d is not None), default=None)
        done = total_days if oldest is None else min(total_days, max(0, (now - oldest).days))
        run.progress(resource, done, total_days)
    run.check_cancelled()
    with run.ctx.db.write() as s:
        n = upsert(s, rows)
        run.set_cursor(resource, iso(now), session=s)
    run.pulled(resource, n)
    if n:
        run.store(ChangeSet.of(providers=[run.provider]))
    run.progress(resource, total_days, total_days)
    log.info("WHOOP %s: %d received, %d new or changed", resource, len(rows), n)


def pull_all(run: SyncRun, client: WhoopClient) -> None:
    pull_profile(run, client)
    for spec in COLLECTIONS:
        pull_collection(run, client, spec)
