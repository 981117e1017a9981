"""The provider protocol the sync engine drives, and ``SyncRun``: what a provider gets per run.

A provider is a small object built per run by its factory (see ``sync.registry``)::

    class Provider(Protocol):
        name: str            # "team", "yoga", "whoop", "reboot"
        label: str           # for messages: "team server", "yoga cloud", "WHOOP"
        can_push: bool       # False for pull-only providers (WHOOP, Reboot)
        def push(self, run: SyncRun) -> None: ...
        def pull(self, run: SyncRun) -> None: ...

``push``/``pull`` report through ``run`` and raise a ``sync.errors.SyncError`` to stop this
provider's part of the run (the engine records it, other providers go on). Errors about one
record are not raised: call ``run.reject(...)`` and carry on. Rules for providers:

- Use ``run.client`` (the shared ``httpx.Client``) through ``run.api(base_url, label, auth)``,
  which adds retries/backoff/429 handling within the run's time budget, and cooperative cancel.
  No provider keeps its own retry loop.
- Call ``run.check_cancelled()`` between pages/batches; ``run.progress(resource, done, total)``.
- Count with ``run.pushed(resource, n)`` / ``run.pulled(resource, n)``; say which local records
  a pull (or a push's conflict) wrote with ``run.store(ChangeSet)`` (``app.changes``): the
  panels refresh from it.
- Pulled records are written with ``ctx.db.write()`` WITHOUT ``app.outbox.enqueue`` (no echo),
  upserted by id; cursors with ``run.get_cursor`` / ``run.set_cursor`` (table ``SyncCursor``).
- Both sides changed a record: ``run.conflict(...)`` keeps the losing version (``SyncConflict``).
- ``run.warn(message)`` notes a non-fatal problem in plain words (the run becomes "partial").
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import httpx
from sqlmodel import Session, col, select

from app.changes import ChangeSet
from app.models.sync import SyncConflict, SyncCursor
from sync.errors import Cancelled
from sync.http import Api, RetryBudget, RetryPolicy

if TYPE_CHECKING:
    from app.context import AppContext

log = logging.getLogger(__name__)


@runtime_checkable
class Provider(Protocol):
    name: str
    label: str
    can_push: bool

    def push(self, run: SyncRun) -> None: ...

    def pull(self, run: SyncRun) -> None: ...


@dataclass(frozen=True)
class ProgressEvent:
    """What the engine tells the UI. ``total`` is None when unknown (paged pulls)."""

    provider: str
    phase: str  # push | pull
    resource: str
    done: int
    total: int | None
    message: str = ""


@dataclass(frozen=True)
class RecordRejection:
    entity: str
    entity_id: str
    detail: str


@dataclass(frozen=True)
class ConflictNote:
    entity: str
    entity_id: str
    winner: str  # local | remote


@dataclass
class SyncRun:
    """One provider's part of one sync run. Created by the engine; used from its worker thread."""

    ctx: AppContext
    client: httpx.Client
    provider: str
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    on_progress: Callable[[ProgressEvent], None] | None = None
    is_cancelled: Callable[[], bool] = lambda: False
    phase: str = "push"
    pushed_counts: dict[str, int] = field(default_factory=dict)
    pulled_counts: dict[str, int] = field(default_factory=dict)
    rejections: list[RecordRejection] = field(default_factory=list)
    conflicts: list[ConflictNote] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    stored: ChangeSet = field(default_factory=ChangeSet)  # the local records this run wrote
    requests: int = 0
    budget: RetryBudget | None = None  # this run's retry time; from ``retry.budget`` when None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        if self.budget is None:
            self.budget = RetryBudget(self.retry.budget)

    # -- HTTP ---------------------------------------------------------------------------------
    def api(
        self,
        base_url: str,
        label: str,
        auth: httpx.Auth | None = None,
        *,
        before_send: Callable[[], object] | None = None,
        on_rate_limited: Callable[[], object] | None = None,
    ) -> Api:
        """An ``Api`` on the shared client with this run's retry policy, budget and cancel check."""
        return Api(
            self.client,
            base_url,
            label,
            auth=auth,
            retry=self.retry,
            cancelled=self.is_cancelled,
            budget=self.budget,
            before_send=before_send,
            on_rate_limited=on_rate_limited,
        )

    # -- reporting ----------------------------------------------------------------------------
    def progress(self, resource: str, done: int, total: int | None = None, message: str = "") -> None:
        if self.on_progress is not None:
            try:
                self.on_progress(ProgressEvent(self.provider, self.phase, resource, done, total, message))
            except Exception:
                log.exception("progress callback failed")

    def cancelled(self) -> bool:
        return self.is_cancelled()

    def check_cancelled(self) -> None:
        if self.is_cancelled():
            raise Cancelled("Sync was cancelled. What was already sent or received is kept.")

    def pushed(self, resource: str, n: int = 1) -> None:
        with self._lock:
            self.pushed_counts[resource] = self.pushed_counts.get(resource, 0) + n

    def pulled(self, resource: str, n: int = 1) -> None:
        with self._lock:
            self.pulled_counts[resource] = self.pulled_counts.get(resource, 0) + n

    def store(self, changes: ChangeSet) -> None:
        """Note local records this run wrote (after their transaction committed)."""
        with self._lock:
            self.stored = self.stored | changes

    def warn(self, message: str) -> None:
        log.warning("%s: %s", self.provider, message)
        self.warnings.append(message)

    def reject(self, entity: str, entity_id: str, detail: str) -> None:
        """Note that the provider refused one record (the outbox entry is marked by the caller)."""
        log.warning("%s rejected %s %s: %s", self.provider, entity, entity_id, detail)
        self.rejections.append(RecordRejection(entity, entity_id, detail))

    def conflict(
        self,
        session: Session,
        entity: str,
        entity_id: str,
        winner: str,
        kept_version: dict[str, Any],
    ) -> None:
        """Keep the losing version in ``SyncConflict`` (in the caller's transaction ``session``)."""
        session.add(
            SyncConflict(
                provider=self.provider,
                entity=entity,
                entity_id=entity_id,
                winner=winner,
                kept_version=kept_version,
                created_at=self.ctx.clock(),
            )
        )
        self.conflicts.append(ConflictNote(entity, entity_id, winner))

    # -- cursors ------------------------------------------------------------------------------
    def get_cursor(self, resource: str) -> str | None:
        with self.ctx.db.session() as s:
            row = s.get(SyncCursor, (self.provider, resource))
            return None if row is None else row.cursor

    def set_cursor(self, resource: str, value: str, session: Session | None = None) -> None:
        """Store a pull cursor; pass ``session`` to commit it with the records it covers."""
        if session is None:
            with self.ctx.db.write() as s:
                self._put_cursor(s, resource, value)
        else:
            self._put_cursor(session, resource, value)

    def _put_cursor(self, s: Session, resource: str, value: str) -> None:
        row = s.get(SyncCursor, (self.provider, resource))
        if row is None:
            s.add(SyncCursor(provider=self.provider, resource=resource, cursor=value, updated_at=self.ctx.clock()))
        else:
            row.cursor = value
            row.updated_at = self.ctx.clock()
            s.add(row)

    def cursors(self, prefix: str = "") -> dict[str, str]:
        with self.ctx.db.session() as s:
            rows = s.exec(
                select(SyncCursor).where(
                    SyncCursor.provider == self.provider, col(SyncCursor.resource).startswith(prefix)
                )
            ).all()
            return {r.resource: r.cursor for r in rows}


ProviderFactory = Callable[["AppContext", httpx.Client], Provider]
