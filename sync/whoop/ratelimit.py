"""Request pacing for WHOOP: a thread-safe token bucket.

WHOOP allows 100 requests per minute per client (and 10,000 per day). ``TokenBucket.acquire``
blocks until a request may go; ``clock`` and ``sleep`` are injectable so tests run instantly
and can check the pacing. What a 429 asks is read by ``sync.http.wait_hint``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class TokenBucket:
    """``rate_per_minute`` requests per minute on average, bursts of up to ``burst``."""

    def __init__(
        self,
        rate_per_minute: float,
        burst: int = 10,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate_per_minute <= 0 or burst < 1:
            raise ValueError("rate and burst must be positive")
        self.rate = rate_per_minute / 60.0  # tokens per second
        self.burst = float(burst)
        self.clock = clock
        self.sleep = sleep
        self._tokens = float(burst)
        self._stamp = clock()
        self._lock = threading.Lock()

    def _refill(self) -> None:
        now = self.clock()
        self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now

    def acquire(self) -> float:
        """Take one token, sleeping if needed; returns the seconds waited."""
        with self._lock:
            self._refill()
            self._tokens -= 1.0  # reserve (may go negative: later callers queue behind)
            wait = 0.0 if self._tokens >= 0 else -self._tokens / self.rate
        if wait > 0:
            self.sleep(wait)
        return wait

    def drain(self) -> None:
        """After a 429: forget any saved-up burst so requests restart at the steady pace."""
        with self._lock:
            self._refill()
            self._tokens = min(self._tokens, 0.0)
