"""The sync engine: one call pushes local changes to every connected provider and pulls theirs.

Usage (from a worker thread; never the GUI thread)::

    engine = SyncEngine(ctx)                       # client_factory/retry injectable for tests
    summary = engine.run(progress=cb, cancelled=flag.is_set)
    for r in summary.results: print(r.provider, r.status, r.pushed, r.pulled, r.errors)
    engine.status()                                # what the Accounts screen shows

Per provider and run: a ``SyncLog`` row (running -> success|partial|failed|cancelled),
``ProviderAccount.last_success_at`` on success/partial, ``needs_reconnect`` when the provider
refused the sign-in. One provider failing never stops the others. Two runs never overlap on
one data folder, in this process or another (the window and ``fieldmat sync`` at the same
moment): a second ``run`` raises ``SyncBusy`` at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import httpx
from sqlmodel import col, func, select

from app.changes import ChangeSet
from app.models.sync import OutboxEntry, ProviderAccount, SyncConflict, SyncLog
from sync import registry
from sync.errors import SyncBusy, SyncError
from sync.file_lock import InterProcessLock, LockBusy, thread_lock
from sync.http import RetryPolicy, check_base_url, make_client
from sync.outcome import HEADLINE, FailureKind, Status, kind_of, parse_status, status_of
from sync.provider import ProgressEvent, SyncRun
from sync.run_log import close_log, is_connected, open_log

if TYPE_CHECKING:
    from app.context import AppContext

log = logging.getLogger(__name__)

RUN_LOCK_FILE = "sync.lock"
BUSY_HERE = "A sync is already running; wait for it to finish."
BUSY_ELSEWHERE = "A sync is already running in another Fieldmat window or command; wait for it to finish."


@dataclass
class ProviderResult:
    """One provider's outcome: ``status`` and ``kind`` (``sync.outcome``) say what and why."""

    provider: str
    status: Status
    kind: FailureKind = FailureKind.NONE
    pushed: dict[str, int] = field(default_factory=dict)
    pulled: dict[str, int] = field(default_factory=dict)
    rejected: list[dict[str, str]] = field(default_factory=list)  # {entity, entity_id, detail}
    conflicts: list[dict[str, str]] = field(default_factory=list)  # {entity, entity_id, winner}
    errors: list[str] = field(default_factory=list)  # plain words for the user
    pending_after: int = 0
    started_at: datetime | None = None
    completed_at: datetime | None = None
    stored: ChangeSet = field(default_factory=ChangeSet)  # local records this run wrote (not in to_dict)

    @property
    def ok(self) -> bool:
        return self.status is Status.SYNCED

    @property
    def needs_reconnect(self) -> bool:
        return self.status is Status.NEEDS_RECONNECT

    @property
    def total_pushed(self) -> int:
        return sum(self.pushed.values())

    @property
    def total_pulled(self) -> int:
        return sum(self.pulled.values())

    def describe(self) -> str:
        """One or more lines saying what happened, for a message box or the terminal."""
        name = registry.label(self.provider)
        head = f"{name}: {HEADLINE[self.status]}"
        parts = []
        if self.kind not in (FailureKind.NOT_CONNECTED, FailureKind.UNAVAILABLE):
            parts.append(f"sent {self.total_pushed}, received {self.total_pulled}")
            if self.pending_after:
                parts.append(f"{self.pending_after} change(s) still waiting")
        lines = [head + (f" ({', '.join(parts)})" if parts else "")]
        lines += [f"  - {e}" for e in self.errors]
        for r in self.rejected[:10]:
            lines.append(f"  - refused {r['entity']} {r['entity_id'][:8]}: {r['detail']}")
        if len(self.rejected) > 10:
            lines.append(f"  - … and {len(self.rejected) - 10} more refused")
        for c in self.conflicts[:10]:
            kept = "the other version" if c["winner"] == "local" else "your version"
            lines.append(
                f"  - {c['entity']} {c['entity_id'][:8]} was changed on both sides; the newer edit "
                f"({c['winner']}) won and {kept} is kept under Conflicts"
            )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        del d["stored"]  # for the UI's refresh, not for the CLI's JSON
        d["status"] = str(self.status)
        d["kind"] = str(self.kind)
        d["ok"] = self.ok
        d["needs_reconnect"] = self.needs_reconnect
        d["started_at"] = self.started_at.isoformat() if self.started_at else None
        d["completed_at"] = self.completed_at.isoformat() if self.completed_at else None
        return d


@dataclass
class SyncSummary:
    results: list[ProviderResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every provider synced fully (the CLI's exit code 0)."""
        return all(r.ok for r in self.results)

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def result(self, provider: str) -> ProviderResult | None:
        return next((r for r in self.results if r.provider == provider), None)

    @property
    def stored(self) -> ChangeSet:
        """The local records every provider's run wrote (what the panels refresh from)."""
        return ChangeSet.merge(r.stored for r in self.results)

    def describe(self) -> str:
        if not self.results:
            return "No provider is connected; nothing to sync."
        return "\n".join(r.describe() for r in self.results)

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "results": [r.to_dict() for r in self.results]}


@dataclass
class ProviderStatus:
    provider: str
    label: str
    available: bool  # the provider's module is part of this build
    connected: bool
    account: str
    base_url: str
    can_push: bool
    last_success_at: datetime | None
    last_status: str | None
    last_error: str | None
    pending: int
    rejected: int
    open_conflicts: int
    needs_reconnect: bool
    keychain_warning: str | None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["last_success_at"] = self.last_success_at.isoformat() if self.last_success_at else None
        return d


class SyncEngine:
    """Drives providers. Thread-safe to call from a worker; see the module docstring."""

    def __init__(
        self,
        ctx: AppContext,
        client_factory: Callable[[], httpx.Client] | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.ctx = ctx
        self.client_factory = client_factory or self._default_client
        self.retry = retry or RetryPolicy()

    def _default_client(self) -> httpx.Client:
        read = self.ctx.settings.sync_read_timeout_s
        return make_client(httpx.Timeout(connect=10.0, read=read, write=30.0, pool=10.0))

    # -- running ------------------------------------------------------------------------------
    def connected(self) -> list[str]:
        with self.ctx.db.session() as s:
            return [a.provider for a in s.exec(select(ProviderAccount)).all()]

    def run(
        self,
        providers: list[str] | None = None,
        push: bool = True,
        pull: bool = True,
        progress: Callable[[ProgressEvent], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> SyncSummary:
        """Sync ``providers`` (default: every connected one). Never raises for provider errors."""
        path = self.ctx.home / RUN_LOCK_FILE
        lock = thread_lock(path)
        if not lock.acquire(blocking=False):
            raise SyncBusy(BUSY_HERE)
        try:
            with InterProcessLock(path, timeout=0).hold():
                return self._run_all(providers, push, pull, progress, cancelled)
        except LockBusy as exc:
            raise SyncBusy(BUSY_ELSEWHERE) from exc
        finally:
            lock.release()

    def _run_all(
        self,
        providers: list[str] | None,
        push: bool,
        pull: bool,
        progress: Callable[[ProgressEvent], None] | None,
        cancelled: Callable[[], bool] | None,
    ) -> SyncSummary:
        names = providers if providers is not None else [n for n in registry.known() if n in self.connected()]
        summary = SyncSummary()
        is_cancelled = cancelled or (lambda: False)
        client = self.client_factory()
        try:
            for name in names:
                summary.results.append(self._run_one(name, client, push, pull, progress, is_cancelled))
        finally:
            client.close()
        return summary

    def _run_one(
        self,
        name: str,
        client: httpx.Client,
        push: bool,
        pull: bool,
        progress: Callable[[ProgressEvent], None] | None,
        cancelled: Callable[[], bool],
    ) -> ProviderResult:
        ctx = self.ctx
        started = ctx.clock()
        label = registry.label(name)
        if not is_connected(ctx, name):
            return self._not_run(
                name,
                FailureKind.NOT_CONNECTED,
                started,
                f"{label} is not connected. Connect it first (fieldmat connect {name}).",
            )
        if not registry.is_available(name):
            return self._not_run(name, FailureKind.UNAVAILABLE, started, f"{label} is not part of this build.")
        if cancelled():
            return self._not_run(name, FailureKind.CANCELLED, started, "Sync was cancelled before it started.")
        sync_type = "both" if push and pull else ("push" if push else "pull")
        log_id = open_log(ctx, name, sync_type, started)
        run = SyncRun(ctx, client, name, retry=self.retry, on_progress=progress, is_cancelled=cancelled)
        kind = FailureKind.NONE
        errors: list[str] = []
        spec = registry.spec(name)
        try:
            provider = registry.create(name, ctx, client)
            if push and (spec.can_push if spec else provider.can_push):
                run.phase = "push"
                provider.push(run)
            if pull:
                run.check_cancelled()
                run.phase = "pull"
                provider.pull(run)
        except SyncError as exc:
            kind = kind_of(exc)
            errors.append(str(exc))
        except Exception as exc:
            log.exception("sync of %s failed unexpectedly", name)
            kind = FailureKind.UNEXPECTED
            errors.append(
                f"Fieldmat hit an unexpected problem while syncing with the {label} "
                f"({type(exc).__name__}). Your data is kept; details are in the log file."
            )
        if kind is FailureKind.NONE and run.rejections:
            kind = FailureKind.RECORDS_REJECTED
        transferred = bool(sum(run.pushed_counts.values()) or sum(run.pulled_counts.values()))
        completed = ctx.clock()
        result = ProviderResult(
            name,
            status_of(kind, transferred=transferred, warnings=bool(run.warnings)),
            kind,
            pushed=dict(run.pushed_counts),
            pulled=dict(run.pulled_counts),
            rejected=[asdict(r) for r in run.rejections],
            conflicts=[asdict(c) for c in run.conflicts],
            errors=errors + run.warnings,
            started_at=started,
            completed_at=completed,
            stored=run.stored,
        )
        result.pending_after = close_log(
            ctx,
            log_id,
            name,
            result.status,
            pushed=result.total_pushed,
            pulled=result.total_pulled,
            error="\n".join(result.errors) or None,
            details={
                "kind": str(result.kind),
                "pushed": result.pushed,
                "pulled": result.pulled,
                "rejected": result.rejected[:100],
                "conflicts": result.conflicts[:100],
            },
            completed_at=completed,
        )
        self._log(result)
        return result

    def _not_run(self, name: str, kind: FailureKind, at: datetime, message: str) -> ProviderResult:
        result = ProviderResult(
            name, status_of(kind, transferred=False), kind, errors=[message], started_at=at, completed_at=at
        )
        self._log(result)
        return result

    @staticmethod
    def _log(result: ProviderResult) -> None:
        """INFO when synced; WARNING with the reason otherwise. Messages are user words: no secrets."""
        if result.ok:
            log.info("sync %s: %s pushed=%s pulled=%s", result.provider, result.status, result.pushed, result.pulled)
            return
        log.warning(
            "sync %s: %s (%s) pushed=%s pulled=%s: %s",
            result.provider,
            result.status,
            result.kind,
            result.pushed,
            result.pulled,
            " | ".join(result.errors) or "no detail",
        )

    def reachable(self, providers: list[str] | None = None, timeout: float = 3.0) -> bool:
        """Does any of ``providers`` (default: the connected ones) answer at all? One quick
        request each (``GET /api/health`` where the API has one), no retries, no sign-in.
        Network I/O: call it from a worker."""
        names = providers if providers is not None else self.connected()
        client = self.client_factory()
        try:
            for name in names:
                base = self.ctx.settings.providers.get(name)
                if base is None or not base.base_url:
                    continue
                try:
                    spec = registry.spec(name)
                    url = check_base_url(base.base_url) + (spec.health_path if spec else "/")
                    client.get(url, timeout=timeout)
                except (httpx.HTTPError, SyncError):
                    continue
                return True  # any HTTP answer means the server is there
            return False
        finally:
            client.close()

    # -- what the Accounts / Sync screens show --------------------------------------------------
    def status(self) -> list[ProviderStatus]:
        """What the Accounts / Sync screens show, in four queries (counts by COUNT in SQL).

        Database I/O: call it from a worker, never the GUI thread.
        """
        ctx = self.ctx
        with ctx.db.session() as s:
            accounts = {a.provider: a for a in s.exec(select(ProviderAccount)).all()}
            newest = select(func.max(SyncLog.id)).group_by(col(SyncLog.provider))
            last_logs = {r.provider: r for r in s.exec(select(SyncLog).where(col(SyncLog.id).in_(newest))).all()}
            queue: dict[tuple[str, str], int] = {
                (provider, state): int(n)
                for provider, state, n in s.exec(
                    select(OutboxEntry.provider, OutboxEntry.status, func.count())
                    .where(col(OutboxEntry.status).in_(("pending", "rejected")))
                    .group_by(col(OutboxEntry.status), col(OutboxEntry.provider))
                ).all()
            }
            conflicts: dict[str, int] = {
                provider: int(n)
                for provider, n in s.exec(
                    select(SyncConflict.provider, func.count())
                    .where(col(SyncConflict.dismissed).is_(False))
                    .group_by(col(SyncConflict.provider))
                ).all()
            }
        out: list[ProviderStatus] = []
        for name in registry.known():
            acc = accounts.get(name)
            last = last_logs.get(name)
            spec = registry.spec(name)
            settings = ctx.settings.provider(name)
            failed_last = last is not None and parse_status(last.status) not in (Status.SYNCED, None)
            out.append(
                ProviderStatus(
                    provider=name,
                    label=registry.label(name),
                    available=registry.is_available(name),
                    connected=acc is not None,
                    account=(acc.account if acc else "") or settings.account,
                    base_url=settings.base_url,
                    can_push=bool(spec and spec.can_push),
                    last_success_at=acc.last_success_at if acc else None,
                    last_status=last.status if last else None,
                    last_error=last.error if last is not None and failed_last else None,
                    pending=queue.get((name, "pending"), 0),
                    rejected=queue.get((name, "rejected"), 0),
                    open_conflicts=conflicts.get(name, 0),
                    needs_reconnect=bool(acc and acc.needs_reconnect),
                    keychain_warning=ctx.secrets.warning,
                )
            )
        return out

    def conflicts(self, include_dismissed: bool = False) -> list[SyncConflict]:
        with self.ctx.db.session() as s:
            q = select(SyncConflict).order_by(col(SyncConflict.id).desc())
            if not include_dismissed:
                q = q.where(col(SyncConflict.dismissed).is_(False))
            return list(s.exec(q).all())

    def dismiss_conflict(self, conflict_id: int) -> None:
        with self.ctx.db.write() as s:
            row = s.get(SyncConflict, conflict_id)
            if row is not None:
                row.dismissed = True
                s.add(row)

    def rejected_entries(self, provider: str | None = None) -> list[OutboxEntry]:
        with self.ctx.db.session() as s:
            q = select(OutboxEntry).where(OutboxEntry.status == "rejected")
            if provider:
                q = q.where(OutboxEntry.provider == provider)
            return list(s.exec(q.order_by(col(OutboxEntry.seq))).all())

    def retry_rejected(self, provider: str | None = None) -> int:
        """Put refused changes back in the queue (after the user fixed them). Returns how many."""
        with self.ctx.db.write() as s:
            q = select(OutboxEntry).where(OutboxEntry.status == "rejected")
            if provider:
                q = q.where(OutboxEntry.provider == provider)
            rows = list(s.exec(q).all())
            for row in rows:
                row.status = "pending"
                s.add(row)
            return len(rows)
