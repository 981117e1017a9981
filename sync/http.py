"""HTTP plumbing shared by the provider clients: URL rule, timeouts, retries, token auth.

- ``check_base_url``: https anywhere; plain http only to loopback (127.0.0.0/8, ::1, localhost).
- ``make_client``: an ``httpx.Client`` with explicit timeouts; TLS verification always on.
- ``RetryPolicy``: exponential backoff with full jitter on connection errors, timeouts, 5xx and
  malformed bodies; honours ``Retry-After`` on 429; a time ``budget`` per provider run
  (``RetryBudget``). ``sleep`` and ``random`` are injectable (fast tests).
- ``TokenAuth``: one ``httpx.Auth`` flow: bearer from the keychain, log in when there is none,
  and on a 401 log in again ONCE with the password kept in the keychain; then ``AuthRequired``.
- ``Api``: a base URL + auth + retry policy over an injected client; ``request`` returns the
  response (2xx or a 4xx the caller handles) or raises a ``SyncError``.
"""

from __future__ import annotations

import functools
import ipaddress
import json
import logging
import random
import ssl
import threading
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from app import __version__
from app.secrets import SecretStore
from sync.errors import AuthRequired, Cancelled, InsecureURL, ProtocolError, ProviderUnreachable, RateLimited

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=30.0, write=30.0, pool=10.0)
USER_AGENT = f"Fieldmat/{__version__}"


def is_loopback_host(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_base_url(url: str) -> str:
    """Return ``url`` normalized (no trailing slash). Raises InsecureURL for unsafe URLs."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InsecureURL(f"“{url}” is not a web address (it must start with https://).")
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise InsecureURL(
            f"“{url}” uses plain http://, which would send your sign-in unencrypted. "
            "Use https:// (plain http is only allowed to this computer: localhost, 127.0.0.1, ::1)."
        )
    if parts.query or parts.fragment:
        raise InsecureURL(f"“{url}” must be a plain server address without ?query or #fragment.")
    return url.rstrip("/")


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """One verifying TLS context per process. Building it reads the whole CA bundle, 20-80 ms
    of every sync run (bench/sync_push.py); one context may serve many clients."""
    return httpx.create_ssl_context(verify=True)


def make_client(timeout: httpx.Timeout | float | None = None) -> httpx.Client:
    """The shared client for one sync run: explicit timeouts, TLS verified, no redirects."""
    return httpx.Client(
        timeout=timeout if timeout is not None else DEFAULT_TIMEOUT,
        verify=_tls_context(),
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
    )


@dataclass
class RetryPolicy:
    """Exponential backoff with full jitter: delay = random() * min(max_delay, base * 2**n).

    ``budget`` is the seconds one provider's run may spend retrying (see ``RetryBudget``): a
    fault still there when the budget is spent ends that part of the run. ``sleep`` and
    ``jitter`` are injectable (fast tests).
    """

    max_attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 30.0
    max_retry_after: float = 120.0  # a 429 asking for longer than this ends the run (RateLimited)
    budget: float = 300.0
    sleep: Callable[[float], None] | None = None  # None: the real clock, in cancel-aware slices
    jitter: Callable[[], float] = random.random

    def backoff(self, attempt: int) -> float:
        return float(self.jitter()) * min(self.max_delay, self.base_delay * (2.0**attempt))

    def wait(self, seconds: float, cancelled: Callable[[], bool] = lambda: False) -> None:
        """Wait ``seconds``; ``Cancelled`` when asked to stop meanwhile.

        With the real clock the wait is cut in slices of ``CANCEL_SLICE_S`` so a cancel is
        seen at once; an injected ``sleep`` is called once with the whole wait.
        """
        if cancelled():
            raise Cancelled("Sync was cancelled.")
        if self.sleep is not None:
            self.sleep(seconds)
            return
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            if cancelled():
                raise Cancelled("Sync was cancelled.")
            time.sleep(min(left, CANCEL_SLICE_S))


CANCEL_SLICE_S = 0.25


@dataclass
class RetryBudget:
    """The retry time left for one provider's run (shared by every ``Api`` of that run)."""

    seconds: float
    clock: Callable[[], float] = time.monotonic
    started: float = field(default=-1.0)

    def __post_init__(self) -> None:
        if self.started < 0:
            self.started = self.clock()

    def allows(self, wait: float) -> bool:
        """May we wait ``wait`` more seconds and try again?"""
        return self.clock() - self.started + wait <= self.seconds


def no_sleep_policy(max_attempts: int = 4) -> RetryPolicy:
    """A policy for tests: same decisions, no waiting."""
    return RetryPolicy(max_attempts=max_attempts, sleep=lambda _s: None)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def detail_of(response: httpx.Response) -> str:
    """The server's ``detail`` in words (never the raw body beyond a short excerpt)."""
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
        return f"HTTP {response.status_code}"
    if isinstance(body, dict) and "detail" in body:
        detail = body["detail"]
        if isinstance(detail, str):
            return detail
        return json.dumps(detail)[:300]
    return f"HTTP {response.status_code}"


def read_json(response: httpx.Response, provider_label: str) -> Any:
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError) as exc:
        raise ProtocolError(
            f"The {provider_label} sent an answer Fieldmat cannot read (not valid JSON). "
            "Nothing was lost; sync again later."
        ) from exc


class TokenAuth(httpx.Auth):
    """Bearer auth with one re-login on 401. Tokens/passwords live in ``SecretStore`` only."""

    requires_response_body = True

    def __init__(self, secrets: SecretStore, provider: str, login_url: str, provider_label: str) -> None:
        self.secrets = secrets
        self.provider = provider
        self.login_url = login_url
        self.label = provider_label
        self._lock = threading.Lock()

    def _login_request(self) -> httpx.Request:
        email = self.secrets.get(self.provider, "email")
        password = self.secrets.get(self.provider, "password")
        if not email or not password:
            raise AuthRequired(f"Fieldmat is not signed in to the {self.label}. Connect the account again.")
        return httpx.Request("POST", self.login_url, json={"email": email, "password": password})

    def _take_token(self, response: httpx.Response) -> str:
        if response.status_code in (400, 401, 403):
            raise AuthRequired(
                f"The {self.label} refused the saved sign-in (wrong or changed password?). Connect the account again."
            )
        if response.status_code == 429:
            raise RateLimited(
                f"The {self.label} is limiting requests.", parse_retry_after(response.headers.get("Retry-After"))
            )
        if response.status_code >= 500:
            raise ProviderUnreachable(
                f"The {self.label} had an internal error while signing in (HTTP {response.status_code}).",
                kind="server_error",
            )
        if response.status_code != 200:
            raise AuthRequired(f"Signing in to the {self.label} failed ({detail_of(response)}).")
        body = read_json(response, self.label)
        token = body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            raise ProtocolError(f"The {self.label} answered the sign-in without a token.")
        self.secrets.set(self.provider, "token", token)
        return token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        token = self.secrets.get(self.provider, "token")
        if not token:
            token = self._take_token((yield self._login_request()))
        request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        if response.status_code != 401:
            return
        # One re-login; unless another thread already refreshed the token meanwhile.
        with self._lock:
            current = self.secrets.get(self.provider, "token")
        if current and current != token:
            new_token = current
        else:
            log.info("%s token refused; signing in again once", self.provider)
            self.secrets.delete(self.provider, "token")
            new_token = self._take_token((yield self._login_request()))
        request.headers["Authorization"] = f"Bearer {new_token}"
        response = yield request
        if response.status_code == 401:
            self.secrets.delete(self.provider, "token")
            raise AuthRequired(f"The {self.label} keeps refusing Fieldmat's sign-in. Connect the account again.")


_RETRYABLE_TRANSPORT = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)
# Errors where the request certainly never reached the server: always safe to retry.
_UNSENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def wait_hint(response: httpx.Response) -> float | None:
    """Seconds a 429 asks us to wait (Retry-After first, then X-RateLimit-Reset), or None."""
    retry_after = parse_retry_after(response.headers.get("Retry-After"))
    if retry_after is not None:
        return retry_after
    reset = response.headers.get("X-RateLimit-Reset")
    if reset:
        try:
            return max(0.0, float(reset.strip()))
        except ValueError:
            return None
    return None


class _Malformed(Exception):
    """A 2xx answer whose body is not JSON (retried like a transient fault)."""


@dataclass
class Api:
    """One provider's endpoint over the shared client: THE retry mechanism of every provider.

    Retried within ``retry.max_attempts`` and the run's ``budget``, with jittered backoff:
    connect/read timeouts and dropped connections, 5xx, 429 (waiting what ``Retry-After`` or
    ``X-RateLimit-Reset`` asks), a sign-in that hit one of those inside the auth flow, and,
    in ``request_json``, a 2xx body that is not JSON. What still fails raises a ``SyncError``
    whose kind says why (``sync.outcome``).
    """

    client: httpx.Client
    base_url: str
    label: str  # e.g. "team server", used in messages
    auth: httpx.Auth | None = None
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    cancelled: Callable[[], bool] = lambda: False
    budget: RetryBudget | None = None
    before_send: Callable[[], object] | None = None  # pacing (WHOOP's token bucket)
    on_rate_limited: Callable[[], object] | None = None
    requests_sent: int = 0

    def url(self, path: str) -> str:
        return path if path.startswith(("http://", "https://")) else self.base_url + path

    def wait(self, seconds: float) -> None:
        """Wait ``seconds`` (through the policy's sleep), checking for cancel in slices."""
        self.retry.wait(seconds, self.cancelled)

    def may_retry(self, last: bool, wait: float) -> bool:
        """May a caller that retries on its own (a non-idempotent create) wait ``wait`` and try again?"""
        return not last and (self.budget is None or self.budget.allows(wait))

    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        content: bytes | None = None,
        params: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        idempotent: bool = True,
        parse_json: bool = False,
        credentials: bool = True,
        follow_redirects: bool = False,
    ) -> httpx.Response:
        """Send with retries. Returns any non-retryable response (2xx, 4xx) for the caller.

        ``content``: a body already encoded as JSON (sent as ``application/json``), instead of
        ``json_body``. ``path`` may be a full URL (a pre-signed download); ``credentials=False`` sends it without
        this Api's auth. ``parse_json``: a 2xx whose body is not JSON is retried
        like a 5xx (then ``ProtocolError``). ``idempotent=False`` retries only errors where
        the request surely was not sent (refused connection), plus 429; other failures raise at
        once so the caller can check before re-sending (see the yoga client).
        """
        use_auth = self.auth if credentials else None
        attempt = 0
        while True:
            if self.cancelled():
                raise Cancelled("Sync was cancelled.")
            attempt += 1
            last = attempt >= self.retry.max_attempts
            backoff = self.retry.backoff(attempt - 1)
            try:
                if self.before_send is not None:
                    self.before_send()
                self.requests_sent += 1
                response = self.client.request(
                    method,
                    self.url(path),
                    json=json_body,
                    content=content,
                    params=params,
                    headers=headers if content is None else {**(headers or {}), "Content-Type": "application/json"},
                    auth=use_auth if use_auth is not None else httpx.USE_CLIENT_DEFAULT,
                    follow_redirects=follow_redirects,
                )
                if parse_json and 200 <= response.status_code < 300 and response.status_code != 204:
                    try:
                        response.json()
                    except (json.JSONDecodeError, UnicodeDecodeError, ValueError) as exc:
                        raise _Malformed from exc
            except (ProviderUnreachable, RateLimited) as exc:  # raised by the sign-in inside the auth flow
                wait = exc.retry_after if isinstance(exc, RateLimited) else None
                if isinstance(exc, RateLimited) and (wait or 0) > self.retry.max_retry_after:
                    raise
                wait = backoff if wait is None else wait
                if not self.may_retry(last, wait):
                    raise
                log.info("%s sign-in: %s (attempt %d)", self.label, exc, attempt)
                self.wait(wait)
                continue
            except _Malformed as exc:
                log.info("%s %s %s: body is not JSON (attempt %d)", self.label, method, path, attempt)
                if not self.may_retry(last, backoff):
                    raise ProtocolError(
                        f"The {self.label} sent an answer Fieldmat cannot read (not valid JSON). "
                        "Nothing was lost; sync again later."
                    ) from exc
                self.wait(backoff)
                continue
            except _RETRYABLE_TRANSPORT as exc:
                unsent = isinstance(exc, _UNSENT)
                log.info("%s %s %s: %s (attempt %d)", self.label, method, path, type(exc).__name__, attempt)
                if not self.may_retry(last, backoff) or (not idempotent and not unsent):
                    timed_out = isinstance(exc, httpx.TimeoutException)
                    words = "did not answer in time" if timed_out else "could not be reached"
                    raise ProviderUnreachable(
                        f"The {self.label} at {self.base_url} {words}. Your changes are kept and will be "
                        "sent next time.",
                        kind="timeout" if timed_out else "unreachable",
                    ) from exc
                self.wait(backoff)
                continue
            status = response.status_code
            if status == 429:
                hint = wait_hint(response)
                if self.on_rate_limited is not None:
                    self.on_rate_limited()
                wait = backoff if hint is None else hint
                if wait > self.retry.max_retry_after or not self.may_retry(last, wait):
                    raise RateLimited(
                        f"The {self.label} asked Fieldmat to slow down"
                        + (f" for {int(hint)} s" if hint is not None else "")
                        + ". What was already sent or received is kept; sync again later.",
                        hint,
                    )
                log.info("%s %s %s: HTTP 429, waiting %.1f s (attempt %d)", self.label, method, path, wait, attempt)
                self.wait(wait)
                continue
            if status >= 500:
                log.info("%s %s %s: HTTP %d (attempt %d)", self.label, method, path, status, attempt)
                if not self.may_retry(last, backoff) or not idempotent:
                    raise ProviderUnreachable(
                        f"The {self.label} had a problem (HTTP {status}). Your changes are kept and will be "
                        "sent next time.",
                        kind="server_error",
                    )
                self.wait(backoff)
                continue
            return response

    def request_json(self, method: str, path: str, **kwargs: Any) -> tuple[httpx.Response, Any]:
        """``request`` with ``parse_json``: the response and its body (None unless 2xx)."""
        response = self.request(method, path, parse_json=True, **kwargs)
        ok = 200 <= response.status_code < 300 and response.status_code != 204
        return response, (response.json() if ok else None)

    def json(self, response: httpx.Response) -> Any:
        return read_json(response, self.label)


def iso(dt: datetime) -> str:
    """UTC ISO 8601 with a Z."""
    return dt.astimezone(UTC).isoformat().replace("+00:00", "Z")


def parse_dt(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ProtocolError(f"expected a date-time, got {value!r}")
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        dt = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ProtocolError(f"not a date-time: {value!r}") from exc
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)
