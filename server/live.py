"""Fan-out of live-channel messages to the viewers connected to this process.

Writers call ``Live.notify`` (SQLite: in-process, after commit) or send ``pg_notify`` inside
their transaction (PostgreSQL: every process, this one included, hears it through
``PgListener`` in commit order). A notification carries the match id, the seq and, when it
fits, the message; a viewer that sees a gap reads the missing messages from ``live_changes``.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable

log = logging.getLogger("fieldmat.server.live")

CHANNEL = "fieldmat_live"
NOTIFY_MAX = 7900  # PostgreSQL refuses payloads of 8000 bytes or more
Notice = tuple[int, str | None]  # (seq, message text or None: read it from the database)


def encode_notice(match_id: str, seq: int, text: str) -> str:
    payload = f"{match_id} {seq} {text}"
    return payload if len(payload.encode()) < NOTIFY_MAX else f"{match_id} {seq}"


def decode_notice(payload: str) -> tuple[str, int, str | None]:
    parts = payload.split(" ", 2)
    return parts[0], int(parts[1]), parts[2] if len(parts) == 3 else None


class Live:
    """The viewers of each match in this process; ``notify`` may be called from any thread."""

    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None
        self.viewers: dict[str, set[asyncio.Queue[Notice]]] = {}

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop

    def subscribe(self, match_id: str) -> asyncio.Queue[Notice]:
        queue: asyncio.Queue[Notice] = asyncio.Queue()
        self.viewers.setdefault(match_id, set()).add(queue)
        return queue

    def unsubscribe(self, match_id: str, queue: asyncio.Queue[Notice]) -> None:
        viewers = self.viewers.get(match_id)
        if viewers is not None:
            viewers.discard(queue)
            if not viewers:
                del self.viewers[match_id]

    def _deliver(self, match_id: str, seq: int, text: str | None) -> None:
        for queue in self.viewers.get(match_id, ()):
            queue.put_nowait((seq, text))

    def notify(self, match_id: str, seq: int, text: str | None) -> None:
        if self.loop is not None and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self._deliver, match_id, seq, text)


class PgListener:
    """LISTENs on PostgreSQL in a thread and hands each notification to ``on_notice``."""

    def __init__(self, conninfo: str, on_notice: Callable[[str, int, str | None], None]) -> None:
        self.conninfo = conninfo
        self.on_notice = on_notice
        self.stopping = threading.Event()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, name="pg-listen", daemon=True)

    def start(self) -> None:
        self.thread.start()
        if not self.ready.wait(10):
            raise RuntimeError("could not LISTEN on the database within 10 s")

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(5)

    def _run(self) -> None:
        import psycopg

        while not self.stopping.is_set():
            try:
                with psycopg.connect(self.conninfo, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.ready.set()
                    while not self.stopping.is_set():
                        for note in conn.notifies(timeout=0.5):
                            self.on_notice(*decode_notice(note.payload))
            except Exception:  # the database restarted: listen again (viewers fill gaps from the table)
                log.warning("live listener lost its connection; reconnecting", exc_info=True)
                self.stopping.wait(1.0)
