"""Background operations for the GUI (after Anki's QueryOp/CollectionOp), bound to an owner.

``run_op(owner, work, on_success=..., on_failure=...)`` runs ``work(token)`` on a pool thread
and calls ``on_success(result)`` or ``on_failure(exc)`` back on the GUI thread: the one path
results travel. ``work`` must not touch widgets. ``Op[T]`` is generic in the result ``T``.

- **Owner.** Every op belongs to a ``QObject`` (the widget or controller that asked for it).
  When the owner is destroyed, or calls ``close_ops(owner)`` as it closes (its ``shutdown()``
  or ``closeEvent``), each of its ops is cancelled and silenced: no callback runs afterwards,
  its timer stops and its progress dialog goes. So owners need no "closed" flag of their own.
- **Failures.** Without ``on_failure``, a failure is shown the way the app shows errors
  (``show_failure``: a warning box over the owner's window, ``error_words`` for the text; a
  bug is also logged with its traceback).
- **Progress and cancel.** A progress dialog appears only if the work takes longer than
  ~600 ms (and a ``label`` is given); Cancel is cooperative (``token.cancelled`` /
  ``token.raise_if_cancelled()``), and ``token.report(text, value, maximum)`` updates it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget
from shiboken6 import isValid

from app.errors import FieldmatError

log = logging.getLogger(__name__)
PROGRESS_DELAY_MS = 600
T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Cancelled(Exception):
    """Raised inside work when the user cancelled; reported to neither callback as an error."""


def error_words(exc: BaseException) -> str:
    """The core's errors are written for the user; anything else gets a generic sentence."""
    if isinstance(exc, FieldmatError):
        return str(exc)
    log.error("operation failed", exc_info=exc)
    return f"Something went wrong ({type(exc).__name__}). Details are in the log file."


def show_failure(owner: QObject, exc: BaseException, title: str = "Fieldmat") -> None:
    """The app's default way to show a failed operation: a warning over the owner's window
    (window-modal, without a nested event loop)."""
    parent = owner.window() if isinstance(owner, QWidget) else None
    box = QMessageBox(QMessageBox.Icon.Warning, title, error_words(exc), QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("opFailure")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()


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

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds`` in the worker, waking at once on cancel; True if cancelled."""
        return self._event.wait(seconds)

    def report(self, text: str, value: int = 0, maximum: int = 0) -> None:
        self._relay.progress.emit(text, value, maximum)


class _Relay(QObject):
    """Lives on the GUI thread; signals emitted from the worker are queued to it."""

    done = Signal(object)
    failed = Signal(object)
    progress = Signal(str, int, int)


class _Runnable(QRunnable):
    def __init__(self, work: Callable[[CancelToken], object], token: CancelToken, relay: _Relay) -> None:
        super().__init__()
        self._work, self._token, self._relay = work, token, relay

    def run(self) -> None:
        try:
            result = self._work(self._token)
        except BaseException as exc:  # noqa: BLE001 - every failure must reach the GUI thread
            self._relay.failed.emit(exc)
        else:
            self._relay.done.emit(result)


class Op(Generic[T_co]):
    """A running operation; keep it to cancel it or to wait in tests.

    ``finished``: the worker's outcome reached the GUI thread. ``silenced``: the owner went
    away (or ``close_ops``), so no callback will run.
    """

    def __init__(self, token: CancelToken, relay: _Relay) -> None:
        self.token = token
        self._relay = relay
        self.finished = False
        self.silenced = False
        self.dialog: QProgressDialog | None = None
        self._timer: QTimer | None = None

    def cancel(self) -> None:
        self.token.cancel()

    def abandon(self) -> None:
        """Cancel and silence: the owner no longer wants the result, nor its failure."""
        self.silenced = True
        self.token.cancel()
        self._stop_showing()

    def _stop_showing(self) -> None:
        if self._timer is not None and isValid(self._timer):
            self._timer.stop()
        self._timer = None
        dialog, self.dialog = self.dialog, None
        if dialog is not None and isValid(dialog):
            dialog.canceled.disconnect(self.token.cancel)
            dialog.close()
            dialog.deleteLater()


class _OwnedOps:
    """The unfinished ops of one owner; abandoned together when it closes or is destroyed,
    after which the owner starts no more."""

    def __init__(self) -> None:
        self.ops: list[Op[object]] = []
        self.closed = False

    def abandon_all(self, *_: object) -> None:
        self.closed = True
        ops, self.ops = self.ops, []
        for op in ops:
            op.abandon()


_OWNED_ATTR = "_fieldmat_owned_ops"


def _owned(owner: QObject) -> _OwnedOps:
    owned = getattr(owner, _OWNED_ATTR, None)
    if not isinstance(owned, _OwnedOps):
        owned = _OwnedOps()
        setattr(owner, _OWNED_ATTR, owned)
        owner.destroyed.connect(owned.abandon_all)
    return owned


def close_ops(owner: QObject) -> None:
    """Cancel and silence every unfinished op ``owner`` runs, and run none for it from now on
    (call it as the owner closes: its ``shutdown()``, ``closeEvent`` or ``finished``)."""
    _owned(owner).abandon_all()


def ops_closed(owner: QObject) -> bool:
    """True once ``owner`` closed its ops (``close_ops``) or was destroyed."""
    owned = getattr(owner, _OWNED_ATTR, None)
    return isinstance(owned, _OwnedOps) and owned.closed


def running_ops(owner: QObject) -> list[Op[object]]:
    """The owner's ops whose outcome has not come back yet."""
    owned = getattr(owner, _OWNED_ATTR, None)
    return list(owned.ops) if isinstance(owned, _OwnedOps) else []


def run_op(
    owner: QObject,
    work: Callable[[CancelToken], T],
    *,
    on_success: Callable[[T], None] | None = None,
    on_failure: Callable[[BaseException], None] | None = None,
    on_progress: Callable[[str, int, int], None] | None = None,
    label: str | None = None,
    cancellable: bool = False,
    pool: QThreadPool | None = None,
) -> Op[T]:
    """Run ``work`` off the GUI thread for ``owner``. Must be called on the GUI thread.

    For an owner that has closed its ops, ``work`` does not run: the op comes back finished
    and silenced."""
    relay = _Relay()
    token = CancelToken(relay)
    op: Op[T] = Op(token, relay)
    owned = _owned(owner)
    if owned.closed:
        op.finished = True
        op.abandon()
        relay.deleteLater()
        return op
    owned.ops.append(op)
    timer = QTimer(relay)
    timer.setSingleShot(True)
    op._timer = timer

    def show_progress() -> None:
        if op.finished or op.silenced or label is None:
            return
        parent = owner if isinstance(owner, QWidget) else None
        dialog = QProgressDialog(label, "Cancel" if cancellable else "", 0, 0, parent)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        if not cancellable:
            dialog.setCancelButton(None)
        dialog.canceled.connect(token.cancel)
        dialog.show()
        op.dialog = dialog

    def finish() -> bool:
        """Tidy up; True when the owner still wants to hear about the outcome."""
        op.finished = True
        op._stop_showing()
        if op in owned.ops:
            owned.ops.remove(op)
        relay.deleteLater()
        return not op.silenced

    def succeeded(result: object) -> None:
        if finish() and on_success is not None:
            on_success(result)  # type: ignore[arg-type]  # what work returned: a T

    def failed(exc: object) -> None:
        wanted = finish()
        if isinstance(exc, Cancelled):
            log.info("operation cancelled")
            return
        assert isinstance(exc, BaseException)
        if not wanted:
            log.info("operation failed after its owner closed: %s", exc)
        elif on_failure is not None:
            on_failure(exc)
        else:
            show_failure(owner, exc)

    def progressed(text: str, value: int, maximum: int) -> None:
        if op.silenced:
            return
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
