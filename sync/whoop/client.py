"""The WHOOP v2 HTTP client: pacing, 429 handling, errors in words, ``next_token`` paging.

- Every request waits for the shared ``TokenBucket`` (100/min WHOOP limit, with margin).
- 429: waits what ``Retry-After`` / ``X-RateLimit-Reset`` asks (cancel-aware), drains the
  bucket, retries; gives up with ``RateLimited`` after ``max_attempts`` or when asked to wait
  longer than ``max_wait`` seconds.
- 5xx and connection errors: retried with backoff (GETs only), then ``ProviderUnreachable``.
- 401 after the auth flow's one refresh: ``AuthRequired`` (account marked needs_reconnect).
- Bodies that are not JSON or not the documented shape: ``ProtocolError``.
- ``pages`` sends ``limit`` (<= 25), ``start`` and ``nextToken`` and reads ``records`` and
  ``next_token``; it stops when the token is absent, empty, or repeats (Prism's static mock
  always returns the same token).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import httpx

from sync.errors import AuthRequired, Cancelled, ProtocolError, ProviderUnreachable, RateLimited, Rejected
from sync.http import USER_AGENT, detail_of, iso, read_json
from sync.whoop.config import LABEL, PAGE_LIMIT, REQUESTS_PER_MINUTE
from sync.whoop.ratelimit import TokenBucket, wait_hint
from sync.whoop.tokens import RECONNECT_MESSAGE, WhoopAuth, set_needs_reconnect

log = logging.getLogger(__name__)

_DEFAULT_BUCKET = TokenBucket(REQUESTS_PER_MINUTE, burst=10)  # one per process: the limit is per client
MAX_PAGES = 5000  # a runaway-paging guard far above any real backfill (365 days / 25 per page)


def default_bucket() -> TokenBucket:
    return _DEFAULT_BUCKET


class WhoopClient:
    def __init__(
        self,
        http: httpx.Client,
        api_base: str,
        auth: WhoopAuth | None,
        *,
        bucket: TokenBucket | None = None,
        sleep: Callable[[float], None] = time.sleep,
        cancelled: Callable[[], bool] = lambda: False,
        max_attempts: int = 4,
        max_wait: float = 120.0,
    ) -> None:
        self.http = http
        self.api_base = api_base.rstrip("/")
        self.auth = auth
        self.bucket = bucket or default_bucket()
        self.sleep = sleep
        self.cancelled = cancelled
        self.max_attempts = max_attempts
        self.max_wait = max_wait
        self.requests_sent = 0

    def _wait(self, seconds: float) -> None:
        if self.sleep is not time.sleep:  # injected (tests)
            self.sleep(seconds)
            return
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            if self.cancelled():
                raise Cancelled("Sync was cancelled.")
            time.sleep(min(left, 0.25))

    def request(self, method: str, path: str, params: dict[str, str] | None = None) -> httpx.Response:
        url = self.api_base + path
        attempt = 0
        while True:
            if self.cancelled():
                raise Cancelled("Sync was cancelled.")
            attempt += 1
            last = attempt >= self.max_attempts
            self.bucket.acquire()
            self.requests_sent += 1
            try:
                response = self.http.request(
                    method,
                    url,
                    params=params,
                    auth=self.auth if self.auth is not None else httpx.USE_CLIENT_DEFAULT,
                    headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
                )
            except httpx.TransportError as exc:
                if last or method != "GET":
                    raise ProviderUnreachable(
                        f"WHOOP could not be reached ({type(exc).__name__}). Check the internet connection "
                        "and sync again."
                    ) from exc
                self._wait(min(30.0, 0.5 * 2**attempt))
                continue
            status = response.status_code
            if status == 429:
                wait = wait_hint(response)
                self.bucket.drain()
                log.info("WHOOP rate limit hit on %s; waiting %s s", path, wait)
                if last or (wait is not None and wait > self.max_wait):
                    raise RateLimited(
                        "WHOOP asked Fieldmat to slow down (too many requests). What was already pulled is "
                        "kept; sync again in a minute.",
                        wait,
                    )
                self._wait(wait if wait is not None else 60.0)
                continue
            if status >= 500:
                if last or method != "GET":
                    raise ProviderUnreachable(f"WHOOP had a problem (HTTP {status}). Sync again later.")
                self._wait(min(30.0, 0.5 * 2**attempt))
                continue
            if status == 401:
                if self.auth is not None:
                    set_needs_reconnect(self.auth.tokens.ctx, True)
                raise AuthRequired(RECONNECT_MESSAGE)
            if status == 403:
                raise AuthRequired(
                    "WHOOP refused access (membership inactive or a permission was not granted). "
                    "Connect WHOOP again and allow every permission."
                )
            if status >= 400 and status != 404:
                raise Rejected(f"WHOOP refused the request {path} ({detail_of(response)}).", status)
            return response

    def get_json(self, path: str, params: dict[str, str] | None = None, *, allow_404: bool = False) -> Any:
        response = self.request("GET", path, params)
        if response.status_code == 404:
            if allow_404:
                return None
            raise Rejected(f"WHOOP does not know {path} (HTTP 404).", 404)
        return read_json(response, LABEL)

    def pages(self, path: str, start: datetime, *, limit: int = PAGE_LIMIT) -> Iterator[list[dict[str, Any]]]:
        """Each page's records, newest first, from ``start`` (inclusive) to now."""
        limit = max(1, min(limit, PAGE_LIMIT))
        params = {"limit": str(limit), "start": iso(start)}
        token: str | None = None
        seen: set[str] = set()
        for _ in range(MAX_PAGES):
            query = dict(params)
            if token:
                query["nextToken"] = token
            body = self.get_json(path, query)
            if not isinstance(body, dict) or not isinstance(body.get("records", []), list):
                raise ProtocolError(f"WHOOP sent an unexpected answer for {path} (no list of records).")
            records = body.get("records") or []
            if not all(isinstance(r, dict) for r in records):
                raise ProtocolError(f"WHOOP sent an unexpected record in {path}.")
            yield records
            nxt = body.get("next_token")
            if not nxt or not isinstance(nxt, str):
                return
            if nxt in seen or nxt == token:
                log.warning("WHOOP repeated a page token on %s; stopping there", path)
                return
            seen.add(nxt)
            token = nxt
        log.warning("WHOOP paging on %s stopped after %d pages", path, MAX_PAGES)

    def revoke(self) -> bool:
        """``DELETE /v2/user/access``; True when WHOOP confirmed (204/200)."""
        response = self.request("DELETE", "/v2/user/access")
        return response.status_code in (200, 204)
