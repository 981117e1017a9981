"""The Sync status query (``SyncEngine.status``) never runs on the GUI thread, and counts in SQL."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, ClassVar

from pytestqt.qtbot import QtBot
from sqlalchemy import event

from app.context import AppContext
from sync.engine import ProviderStatus, SyncEngine
from tests.sync_ui.helpers import add_squad
from ui.sync.panel import SyncPanel


class ThreadRecordingEngine(SyncEngine):
    """The real engine; remembers on which thread each status query ran."""

    threads: ClassVar[list[threading.Thread]] = []

    def status(self) -> list[ProviderStatus]:
        ThreadRecordingEngine.threads.append(threading.current_thread())
        return super().status()


def test_status_query_runs_off_the_gui_thread(
    qtbot: QtBot, ctx: AppContext, make_panel: Callable[..., SyncPanel]
) -> None:
    ThreadRecordingEngine.threads = []
    add_squad(ctx, players=2)
    panel = make_panel(engine_factory=ThreadRecordingEngine)
    assert panel.controller.statuses and panel.badge_count == 4
    panel.test_bus.announce_topic("match")  # type: ignore[attr-defined]  # e.g. one logged event
    panel.test_bus.announce_topic("sync")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: len(ThreadRecordingEngine.threads) >= 2 and not panel.controller.reading_status)
    gui = threading.main_thread()
    assert threading.current_thread() is gui
    assert all(t is not gui for t in ThreadRecordingEngine.threads), "status() ran on the GUI thread"


def test_status_is_a_few_count_queries(ctx: AppContext) -> None:
    add_squad(ctx, players=30)
    statements: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement.lower())

    event.listen(ctx.db.engine, "before_cursor_execute", seen)
    try:
        rows = SyncEngine(ctx).status()
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", seen)
    assert {r.provider: r.pending for r in rows}["team"] == 32
    assert len(statements) <= 4, statements  # not one query per provider and count
    assert sum("count(" in s for s in statements) == 2
    assert not any("select outbox.seq" in s or "outbox.payload" in s for s in statements)  # no rows fetched to count
