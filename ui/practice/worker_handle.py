"""WorkerHandle: keeps a panel's running PracticeWorker outside Qt's parent tree (GUI thread).

Apart from :mod:`ui.practice.worker` so that building the Practice tab does not load the
camera and pose pipeline (numpy and friends): they load on the first Start.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ui.practice.worker import PracticeWorker

log = logging.getLogger(__name__)


class WorkerHandle:
    """A running QThread must not be destroyed with its parent widget, so the panel keeps its
    worker here and connects its ``destroyed`` signal to :meth:`stop_and_wait`."""

    def __init__(self) -> None:
        self.worker: PracticeWorker | None = None

    def stop_and_wait(self, timeout_ms: int = 15000) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.request_stop()
            if not worker.wait(timeout_ms):
                log.error("practice worker did not stop within %d ms", timeout_ms)
