"""Run a :class:`PosePipeline` over a frame stream as overlapping stages.

Decoding (stage 1, its own thread) and drawing/consuming (stage 3, its own
thread) overlap with estimation + analysis (stage 2, the calling thread), so
on a multi-core machine throughput approaches the model's own speed.  Queues
are bounded, so memory stays small and nothing is dropped (use
:class:`pose.camera.LatestFrameGrabber` for live sources instead).

``run_staged`` blocks until the stream ends; exceptions raised in the decode
or sink threads are re-raised in the caller.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable
from typing import Any

from pose.camera import TimedFrame
from pose.pipeline import PosePipeline
from pose.types import FrameAnalysis

Sink = Callable[[TimedFrame, FrameAnalysis], None]
_END = object()


def _pump(
    frames: Iterable[TimedFrame], out: queue.Queue[Any], errors: list[BaseException], stop: threading.Event
) -> None:
    try:
        for f in frames:
            if stop.is_set():
                break
            out.put(f)
    except BaseException as exc:  # noqa: BLE001  (handed to the caller)
        errors.append(exc)
    finally:
        out.put(_END)


def _drain(inbox: queue.Queue[Any], sink: Sink, errors: list[BaseException]) -> None:
    while (item := inbox.get()) is not _END:
        try:
            sink(*item)
        except BaseException as exc:  # noqa: BLE001  (handed to the caller)
            errors.append(exc)
            # Keep draining so the producer never blocks on a full queue.


def run_staged(
    frames: Iterable[TimedFrame],
    pipeline: PosePipeline,
    sink: Sink | None = None,
    *,
    depth: int = 4,
) -> int:
    """Process every frame in order; ``sink(frame, analysis)`` runs on the sink thread.

    Returns the number of frames processed.
    """
    errors: list[BaseException] = []
    stop = threading.Event()
    decoded: queue.Queue[Any] = queue.Queue(maxsize=depth)
    results: queue.Queue[Any] = queue.Queue(maxsize=depth)
    producer = threading.Thread(target=_pump, args=(frames, decoded, errors, stop), name="decode", daemon=True)
    consumer = threading.Thread(
        target=_drain, args=(results, sink or (lambda f, a: None), errors), name="sink", daemon=True
    )
    producer.start()
    consumer.start()
    count = 0
    try:
        while (item := decoded.get()) is not _END:
            frame: TimedFrame = item
            results.put((frame, pipeline.process(frame.image, frame.t_s)))
            count += 1
            if errors:
                break
    finally:
        stop.set()
        while producer.is_alive():  # unblock a producer waiting on a full queue
            try:
                decoded.get_nowait()
            except queue.Empty:
                producer.join(timeout=0.05)
        results.put(_END)
        consumer.join()
    if errors:
        raise errors[0]
    return count
