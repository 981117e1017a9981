"""SyncController: runs the sync engine off the GUI thread and keeps the sync state for the UI.

It owns no widgets. Everything the core does (``SyncEngine.run``, ``.status()``, the pending
count) happens in ``ui.ops.run_op`` workers; results come back as signals on the GUI thread.

State the widgets read: ``pending`` (changes waiting), ``statuses`` (``ProviderStatus`` per
provider), ``running``, ``last_summary`` / ``last_error`` and ``offline`` with ``offline_reason``.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from app.changes import ChangeSet
from app.context import AppContext
from app.errors import FieldmatError
from app.outbox import pending_count
from sync import registry
from sync.engine import ProviderStatus, SyncEngine, SyncSummary
from sync.outcome import Status, parse_status
from sync.provider import ProgressEvent
from ui.bus import ChangeBus
from ui.ops import CancelToken, Op, close_ops, ops_closed, run_op

log = logging.getLogger(__name__)

REACHABILITY_INTERVAL_MS = 60_000
STATUS_DELAY_MS = 400
EngineFactory = Callable[[AppContext], SyncEngine]
Probe = Callable[[AppContext, list[str]], bool]


def default_engine(ctx: AppContext) -> SyncEngine:
    return SyncEngine(ctx)


def default_probe(ctx: AppContext, providers: list[str]) -> bool:
    """The core's lightweight check (``SyncEngine.reachable``: ``GET /api/health``); worker only."""
    return SyncEngine(ctx).reachable(providers)


class _ProgressRelay(QObject):
    """Created on the GUI thread; the worker emits, the GUI thread receives (queued)."""

    arrived = Signal(object)


class SyncController(QObject):
    pending_changed = Signal(int)
    statuses_changed = Signal()
    state_changed = Signal()  # running / offline / last result changed
    started = Signal()
    progressed = Signal(object)  # ProgressEvent
    finished = Signal(object)  # SyncSummary (also when cancelled)
    failed = Signal(str)  # the run itself could not happen (e.g. a sync already running)

    def __init__(
        self,
        ctx: AppContext,
        bus: ChangeBus,
        parent: QObject | None = None,
        *,
        engine_factory: EngineFactory = default_engine,
        probe: Probe | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.bus = bus
        self.engine_factory = engine_factory
        self.probe = probe
        self.pending = 0
        self.statuses: list[ProviderStatus] = []
        self.running = False
        self.cancel_requested = False
        self.last_summary: SyncSummary | None = None
        self.last_error: str | None = None
        self.unreachable: set[str] = set()  # providers the last run could not reach
        self._op: Op[SyncSummary] | None = None
        self._probe_op: Op[bool] | None = None
        self._status_op: Op[list[ProviderStatus]] | None = None
        self._status_again = False
        self._status_due = False
        self._relay = _ProgressRelay(self)
        self._relay.arrived.connect(self._on_progress)
        self._timer = QTimer(self)
        self._timer.setInterval(REACHABILITY_INTERVAL_MS)
        self._timer.timeout.connect(self.check_reachability)
        bus.changed.connect(self._on_bus)

    # -- state ---------------------------------------------------------------------------------
    @property
    def connected(self) -> list[str]:
        return [s.provider for s in self.statuses if s.connected]

    @property
    def offline(self) -> bool:
        """No provider connected, or the last sync could not reach a connected provider."""
        if self.running:
            return False
        return not self.connected or bool(self.unreachable_connected)

    @property
    def unreachable_connected(self) -> list[str]:
        return [p for p in self.connected if p in self.unreachable]

    @property
    def offline_text(self) -> str:
        waiting = f"{self.pending} change{'s' if self.pending != 1 else ''} waiting"
        if not self.connected:
            return f"Offline — {waiting} (no account connected)"
        missing = self.unreachable_connected
        if len(missing) == len(self.connected):
            return f"Offline — {waiting}"
        names = " and the ".join(registry.label(p) for p in missing)
        return f"Offline (the {names} could not be reached) — {waiting}"

    # -- refresh (pending count and provider status) ------------------------------------------
    def _on_bus(self, changes: object) -> None:
        """Our own areas refresh everything now; a match or practice change (e.g. every logged
        match event) may queue outbox entries: it updates the badge at once and the
        per-provider status a moment later, coalesced."""
        if not isinstance(changes, ChangeSet):
            return
        if changes.touches("sync", "providers", "settings"):
            self.refresh()
            return
        if not changes.touches("match", "practice"):
            return
        self.refresh_count()
        if not self._status_due:
            self._status_due = True
            QTimer.singleShot(STATUS_DELAY_MS, self, self._deferred_status)

    def _deferred_status(self) -> None:
        if self._status_due:
            self.refresh()

    def refresh_count(self) -> None:
        """Re-read the number of changes waiting (one indexed count)."""
        try:
            with self.ctx.db.session() as s:
                count = pending_count(s)
        except Exception:
            log.exception("could not count the changes waiting")
            return
        if count != self.pending:
            self.pending = count
            self.pending_changed.emit(count)
            self.state_changed.emit()

    def refresh(self) -> None:
        """Re-read the pending count now and the provider status in a worker.

        The count is one indexed COUNT, so the badge is exact at once; the status
        (``SyncEngine.status``) is read off the GUI thread and comes back through
        ``_statuses_read`` (``statuses_changed``). Refreshes asked for while one read is
        running are coalesced into one more read after it.
        """
        self._status_due = False
        self.refresh_count()
        if self._status_op is not None and not self._status_op.finished:
            self._status_again = True
            return
        self._status_again = False
        ctx, factory = self.ctx, self.engine_factory

        def work(token: CancelToken) -> list[ProviderStatus]:
            return factory(ctx).status()

        self._status_op = run_op(self, work, on_success=self._statuses_read, on_failure=self._status_failed)

    @property
    def reading_status(self) -> bool:
        return self._status_op is not None and not self._status_op.finished

    def _statuses_read(self, statuses: list[ProviderStatus]) -> None:
        self._status_op = None
        self.statuses = statuses
        if self.last_summary is None and not self.running:
            # Before this session's first sync, the last recorded run tells whether we were offline.
            self.unreachable = {
                st.provider for st in statuses if st.connected and parse_status(st.last_status or "") is Status.OFFLINE
            }
        self.statuses_changed.emit()
        self.state_changed.emit()
        self._update_timer()
        if self._status_again:
            self.refresh()

    def _status_failed(self, exc: BaseException) -> None:
        self._status_op = None
        log.error("could not read the sync status", exc_info=exc)
        if self._status_again:
            self.refresh()

    # -- sync ----------------------------------------------------------------------------------
    def start(self, providers: list[str] | None = None) -> bool:
        """Start a sync in a worker; False when one already runs (or after shutdown)."""
        if self.running or ops_closed(self):
            return False
        self.running = True
        self.cancel_requested = False
        self.last_error = None
        ctx, factory, relay = self.ctx, self.engine_factory, self._relay

        def work(token: CancelToken) -> SyncSummary:
            engine = factory(ctx)
            return engine.run(providers=providers, progress=relay.arrived.emit, cancelled=lambda: token.cancelled)

        self.started.emit()
        self.state_changed.emit()
        self._op = run_op(self, work, on_success=self._done, on_failure=self._failed)
        return True

    def retry_refused(self) -> None:
        """Queue the changes a server refused again (they go out with the next sync)."""
        if self.running:
            return
        count = self.engine_factory(self.ctx).retry_rejected()
        log.info("%d refused change(s) queued again", count)
        self.bus.announce_topic("sync")

    def cancel(self) -> None:
        """Ask the running sync to stop (cooperative: the engine stops at the next safe point)."""
        if self._op is not None and not self._op.finished:
            self.cancel_requested = True
            self._op.cancel()
            self.state_changed.emit()

    @Slot(object)
    def _on_progress(self, event: object) -> None:
        if isinstance(event, ProgressEvent):
            self.progressed.emit(event)

    def _done(self, summary: SyncSummary) -> None:
        self._op = None
        self.running = False
        self.last_summary = summary
        self.unreachable = {r.provider for r in summary.results if r.status is Status.OFFLINE}
        self.finished.emit(summary)
        self._after_run(ChangeSet.topic("sync") | summary.stored)

    def _failed(self, exc: BaseException) -> None:
        self._op = None
        self.running = False
        self.last_error = str(exc) or type(exc).__name__
        if not isinstance(exc, FieldmatError):
            log.error("sync run failed", exc_info=exc)
        self.failed.emit(self.last_error)
        # the run stopped part-way: what it stored is unknown, so every area it writes refreshes
        self._after_run(ChangeSet.topic("sync", "match", "practice", "providers"))

    def _after_run(self, changes: ChangeSet) -> None:
        self.state_changed.emit()
        # Other panels refresh what the run stored (pulled matches, practice sessions, provider
        # records); our own refresh follows from the bus ("sync").
        self.bus.announce(changes)

    # -- reachability (automatic sync when the network comes back) -----------------------------
    def _update_timer(self) -> None:
        want = (
            self.ctx.settings.auto_sync_on_reconnect
            and self.probe is not None
            and not ops_closed(self)
            and bool(self.connected)
            and self.offline
        )
        if want and not self._timer.isActive():
            self._timer.start()
        elif not want and self._timer.isActive():
            self._timer.stop()

    def set_auto_sync(self, on: bool) -> None:
        if self.ctx.settings.auto_sync_on_reconnect != on:
            self.ctx.settings.auto_sync_on_reconnect = on
            self.ctx.save_settings()
            self.bus.announce_topic("settings")
        self._update_timer()

    @property
    def probing(self) -> bool:
        return self._probe_op is not None and not self._probe_op.finished

    @property
    def reachability_timer_active(self) -> bool:
        return self._timer.isActive()

    def check_reachability(self) -> None:
        """One lightweight check (in a worker); a sync starts when a provider answers again."""
        probe = self.probe
        if probe is None or self.running or ops_closed(self):
            return
        if self.probing:
            return
        ctx, providers = self.ctx, sorted(self.unreachable_connected or self.connected)

        def work(token: CancelToken) -> bool:
            return probe(ctx, providers)

        self._probe_op = run_op(self, work, on_success=self._probed, on_failure=lambda exc: None)

    def _probed(self, reachable: bool) -> None:
        self._probe_op = None
        if reachable and self.ctx.settings.auto_sync_on_reconnect and not self.running:
            log.info("a provider is reachable again; syncing")
            self.start()

    # -- lifetime -----------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop the timer and ask running work to stop; callbacks after this do nothing
        (``close_ops``), and no sync, probe or status read starts again."""
        if ops_closed(self):
            return
        close_ops(self)
        self._timer.stop()
        self._status_due = False
        with contextlib.suppress(RuntimeError, TypeError):  # already disconnected
            self._relay.arrived.disconnect(self._on_progress)
        with contextlib.suppress(RuntimeError, TypeError):  # already disconnected
            self.bus.changed.disconnect(self._on_bus)
