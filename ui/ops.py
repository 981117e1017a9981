"""Background operations for the GUI (after Anki's QueryOp/CollectionOp).

``run_op(parent, work, on_success=..., on_failure=...)`` runs ``work(token)`` on a pool
thread and calls ``on_success(result)`` or ``on_failure(exc)`` back on the GUI thread: the
one path results travel. ``work`` must not touch widgets. A progress dialog appears only if
the work takes longer than ~600 ms; Cancel is cooperative (``token.cancelled`` /
``token.raise_if_cancelled()``), and ``token.report(text, value, maximum)`` updates it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

log = logging.getLogger(__name__)
PROGRESS_DELAY_MS = 600


class Cancelled(Exception):
    """Raised inside work when the user cancelled; reported to neither callback as an error."""


class CancelToken:
    """Shared between the GUI thread (cancel) and the worker (checks, reports). Thread-safe."""

    def __init__(self, relay: _Relay) -> None:
        self._event = threading.Event()
        self._relay = relay

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def cancel(self) -> None:
        self._event.set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled()

    def report(self, text: str, value: int = 0, maximum: int = 0) -> None:
        self._relay.progress.emit(text, value, maximum)


class _Relay(QObject):
    """Lives on the GUI thread; signals emitted from the worker are queued to it."""

    done = Signal(object)
    failed = Signal(object)
    progress = Signal(str, int, int)


class _Runnable(QRunnable):
    def __init__(self, work: Callable[[CancelToken], Any], token: CancelToken, relay: _Relay) -> None:
        super().__init__()
        self._work, self._token, self._relay = work, token, relay

    def run(self) -> None:
        try:
            result = self._work(self._token)
        except BaseException as exc:  # noqa: BLE001 - every failure must reach the GUI thread
            self._relay.failed.emit(exc)
        else:
            self._relay.done.emit(result)


class Op:
    """A running operation; keep it to cancel it or to wait in tests."""

    def __init__(self, token: CancelToken, relay: _Relay) -> None:
        self.token = token
        self._relay = relay
        self.finished = False
        self.dialog: QProgressDialog | None = None

    def cancel(self) -> None:
        self.token.cancel()


def run_op(
    parent: QWidget | None,
    work: Callable[[CancelToken], Any],
    *,
    on_success: Callable[[Any], None] | None = None,
    on_failure: Callable[[BaseException], None] | None = None,
    on_progress: Callable[[str, int, int], None] | None = None,
    label: str | None = None,
    cancellable: bool = False,
    pool: QThreadPool | None = None,
) -> Op:
    """Run ``work`` off the GUI thread. Must be called on the GUI thread."""
    relay = _Relay()
    token = CancelToken(relay)
    op = Op(token, relay)
    timer = QTimer(relay)
    timer.setSingleShot(True)

    def show_progress() -> None:
        if op.finished or label is None:
            return
        dialog = QProgressDialog(label, "Cancel" if cancellable else "", 0, 0, parent)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        if not cancellable:
            dialog.setCancelButton(None)
        dialog.canceled.connect(token.cancel)
        dialog.show()
        op.dialog = dialog

    def finish() -> None:
        op.finished = True
        timer.stop()
        if op.dialog is not None:
            op.dialog.canceled.disconnect(token.cancel)
            op.dialog.close()
            op.dialog.deleteLater()
            op.dialog = None
        relay.deleteLater()

    def succeeded(result: object) -> None:
        finish()
        if on_success is not None:
            on_success(result)

    def failed(exc: object) -> None:
        finish()
        if isinstance(exc, Cancelled):
            log.info("operation cancelled")
            return
        assert isinstance(exc, BaseException)
        if on_failure is not None:
            on_failure(exc)
        else:
            log.error("background operation failed", exc_info=exc)

    def progressed(text: str, value: int, maximum: int) -> None:
        if op.dialog is not None:
            op.dialog.setLabelText(text)
            op.dialog.setMaximum(maximum)
            op.dialog.setValue(value)
        if on_progress is not None:
            on_progress(text, value, maximum)

    relay.done.connect(succeeded)
    relay.failed.connect(failed)
    relay.progress.connect(progressed)
    if label is not None:  # no label, no dialog: nothing to wait for
        timer.timeout.connect(show_progress)
        timer.start(PROGRESS_DELAY_MS)
    (pool or QThreadPool.globalInstance()).start(_Runnable(work, token, relay))
    return op
