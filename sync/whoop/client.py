"""The WHOOP v2 HTTP client: pacing, errors in words, ``next_token`` paging.

Retries are ``sync.http.Api``'s (the one mechanism of every provider): timeouts, dropped
connections, 5xx, 429 (waiting what ``Retry-After`` / ``X-RateLimit-Reset`` asks) and bodies
that are not JSON, with jittered backoff within the run's budget. What WHOOP adds:

- Every request (retries included) waits for the shared ``TokenBucket`` (100/min WHOOP
  limit, with margin); a 429 drains the bucket so requests restart at the steady pace.
- 401 after the auth flow's one refresh: ``AuthRequired`` (account marked needs_reconnect).
- Bodies that are not the documented shape: ``ProtocolError``.
- ``pages`` sends ``limit`` (<= 25), ``start`` and ``nextToken`` and reads ``records`` and
  ``next_token``; it stops when the token is absent, empty, or repeats (Prism's static mock
  always returns the same token).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime
from typing import Any

import httpx

from sync.errors import AuthRequired, ProtocolError, Rejected
from sync.http import Api, RetryBudget, RetryPolicy, detail_of, iso
from sync.whoop.config import LABEL, PAGE_LIMIT, REQUESTS_PER_MINUTE
from sync.whoop.ratelimit import TokenBucket
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
        retry: RetryPolicy | None = None,
        budget: RetryBudget | None = None,
        cancelled: Callable[[], bool] = lambda: False,
        max_attempts: int | None = None,
    ) -> None:
        self.auth = auth
        self.bucket = bucket or default_bucket()
        policy = retry or RetryPolicy(max_attempts=4)
        if max_attempts is not None:
            policy = replace(policy, max_attempts=max_attempts)
        self.api = Api(
            http,
            api_base.rstrip("/"),
            LABEL,
            auth=auth,
            retry=policy,
            cancelled=cancelled,
            budget=budget,
            before_send=self.bucket.acquire,
            on_rate_limited=self.bucket.drain,
        )

    @property
    def requests_sent(self) -> int:
        return self.api.requests_sent

    def _check(self, response: httpx.Response, path: str) -> None:
        status = response.status_code
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

    def request(self, method: str, path: str, params: dict[str, str] | None = None) -> httpx.Response:
        response = self.api.request(method, path, params=params, idempotent=method == "GET")
        self._check(response, path)
        return response

    def get_json(self, path: str, params: dict[str, str] | None = None, *, allow_404: bool = False) -> Any:
        response, body = self.api.request_json("GET", path, params=params)
        self._check(response, path)
        if response.status_code == 404:
            if allow_404:
                return None
            raise Rejected(f"WHOOP does not know {path} (HTTP 404).", 404)
        return body

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
