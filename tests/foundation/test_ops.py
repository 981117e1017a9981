"""``ui.ops.run_op`` ops belong to an owner: closed or destroyed, the owner hears nothing more,
and nothing keeps running (no pool work, no timer, no progress dialog)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QObject, QThreadPool
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from app.errors import ValidationError
from ui.ops import CancelToken, close_ops, ops_closed, run_op, running_ops


@pytest.fixture
def pool() -> Iterator[QThreadPool]:
    pool = QThreadPool()
    yield pool
    assert pool.waitForDone(5000)


def _waits_for_cancel(started: threading.Event) -> object:
    def work(token: CancelToken) -> str:
        started.set()
        token.wait(10)
        return "cancelled" if token.cancelled else "timed out"

    return work


def test_an_op_whose_owner_closed_neither_calls_back_nor_leaks(qtbot: QtBot, pool: QThreadPool) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    started, heard = threading.Event(), []
    op = run_op(
        owner,
        _waits_for_cancel(started),  # type: ignore[arg-type]
        on_success=heard.append,
        on_failure=heard.append,
        on_progress=lambda *a: heard.append(a),
        label="Working…",
        pool=pool,
    )
    assert started.wait(5) and running_ops(owner) == [op]
    close_ops(owner)
    assert op.token.cancelled and op.silenced and ops_closed(owner)
    assert pool.waitForDone(5000), "the worker kept running after its owner closed"
    qtbot.waitUntil(lambda: op.finished)  # the outcome reached the GUI thread, and went nowhere
    QApplication.processEvents()
    assert heard == [] and op.dialog is None and running_ops(owner) == []
    assert op._timer is None  # the progress timer was stopped (the leak fixture checks every timer too)


def test_a_destroyed_owner_cancels_its_ops_even_when_the_work_ends_anyway(qtbot: QtBot, pool: QThreadPool) -> None:
    owner = QObject()
    release, heard = threading.Event(), []
    op = run_op(owner, lambda token: release.wait(5), on_success=heard.append, on_failure=heard.append, pool=pool)
    failing = run_op(owner, lambda token: release.wait(5) and 1 / 0, on_failure=heard.append, pool=pool)
    owner.deleteLater()
    qtbot.waitUntil(lambda: op.token.cancelled and failing.token.cancelled)
    release.set()  # work that does not look at its token still finishes, unheard
    assert pool.waitForDone(5000)
    qtbot.waitUntil(lambda: op.finished and failing.finished)
    assert heard == []


def test_a_closed_owner_starts_no_more_work(qtbot: QtBot, pool: QThreadPool) -> None:
    owner = QObject()
    close_ops(owner)
    ran: list[bool] = []
    op = run_op(owner, lambda token: ran.append(True), on_success=ran.append, pool=pool)
    assert pool.waitForDone(5000)
    QApplication.processEvents()
    assert op.finished and op.silenced and ran == []


def test_a_failure_without_handler_is_shown_over_the_owner(qtbot: QtBot, pool: QThreadPool) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    owner.show()
    run_op(owner, lambda token: 1 / 0, pool=pool)
    run_op(owner, lambda token: (_ for _ in ()).throw(ValidationError("The file is not a match export.")), pool=pool)

    def boxes() -> list[QMessageBox]:
        return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]

    qtbot.waitUntil(lambda: len(boxes()) == 2)
    texts = sorted(b.text() for b in boxes())
    assert texts == [
        "Something went wrong (ZeroDivisionError). Details are in the log file.",
        "The file is not a match export.",
    ]
    for box in boxes():
        box.close()
