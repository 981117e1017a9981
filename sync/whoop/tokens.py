"""WHOOP tokens: keychain storage, one refresh at a time, rotation that cannot strand the account.

Contract (WHOOP rotates refresh tokens; the old one is refused after one use):
- Tokens and the client secret live only in ``ctx.secrets`` (the keychain).
- A refresh happens under a per-data-folder thread lock AND an inter-process file lock
  (``<home>/locks/whoop-token.lock``). After taking the locks the keychain is read again:
  if another thread or process already refreshed, its token is used and no second refresh
  is sent, so two refreshes can never both spend the same refresh token.
- The refresh sends ``grant_type=refresh_token``, ``refresh_token``, ``client_id``,
  ``client_secret`` and ``scope=offline`` (form body).
- From the answer the NEW refresh token is written to the keychain FIRST, then the access
  token and its expiry; only then is the access token used. A missing or empty token in
  the answer never overwrites a stored one.
- 400/401 from the token endpoint means the grant is gone: the account is marked
  ``needs_reconnect`` and ``AuthRequired`` is raised (the user reconnects in the browser).
  A crash between receiving and storing a rotated token therefore ends, at worst, in a
  clear "connect again", never in a stored null or a silent loop.
- ``WhoopAuth`` is the one ``httpx.Auth`` flow: refresh when the access token is missing or
  about to expire, send the bearer, and on a 401 refresh once (unless someone else already
  did) and retry once.
"""

from __future__ import annotations

import logging
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from app.context import AppContext
from app.models.sync import ProviderAccount
from sync.errors import AuthRequired, NotConnected, ProtocolError, ProviderUnreachable, RateLimited
from sync.file_lock import InterProcessLock, LockBusy, thread_lock
from sync.http import USER_AGENT, parse_retry_after, read_json
from sync.whoop.config import (
    LABEL,
    PROVIDER,
    SECRET_ACCESS_EXPIRES,
    SECRET_ACCESS_TOKEN,
    SECRET_CLIENT_SECRET,
    SECRET_REFRESH_TOKEN,
    TOKEN_EARLY_REFRESH_S,
    WhoopEndpoints,
)

log = logging.getLogger(__name__)

RECONNECT_MESSAGE = (
    "WHOOP no longer accepts Fieldmat's sign-in (it expired or was revoked). "
    "Connect WHOOP again in Accounts (or run: fieldmat connect whoop)."
)


def lock_path(home: Path) -> Path:
    return home / "locks" / "whoop-token.lock"


def set_needs_reconnect(ctx: AppContext, value: bool) -> None:
    """Flag (or clear) the WHOOP account's needs_reconnect; never stores a secret."""
    with ctx.db.write() as s:
        acc = s.get(ProviderAccount, PROVIDER)
        if acc is None:
            if not value:
                return
            acc = ProviderAccount(provider=PROVIDER)
        acc.needs_reconnect = value
        s.add(acc)


class WhoopTokens:
    """The keychain side of WHOOP's tokens for one data folder."""

    def __init__(self, ctx: AppContext, endpoints: WhoopEndpoints) -> None:
        self.ctx = ctx
        self.endpoints = endpoints
        self.refreshes_sent = 0

    def _now(self) -> float:
        return self.ctx.clock().timestamp()

    @contextmanager
    def locked(self) -> Iterator[None]:
        """One refresh (or token write) at a time, across threads and processes."""
        try:
            path = lock_path(self.ctx.home)
            with thread_lock(path), InterProcessLock(path).hold():
                yield
        except LockBusy as exc:
            raise ProviderUnreachable(
                "Another Fieldmat window is renewing the WHOOP sign-in and did not finish. Try again."
            ) from exc

    def client_credentials(self) -> tuple[str, str]:
        client_id = self.ctx.settings.provider(PROVIDER).client_id
        secret = self.ctx.secrets.get(PROVIDER, SECRET_CLIENT_SECRET)
        if not client_id or not secret:
            raise NotConnected("WHOOP is not connected: add your WHOOP client id and secret, then connect.")
        return client_id, secret

    def valid_access(self) -> str | None:
        """The stored access token unless it is missing or about to expire."""
        token = self.ctx.secrets.get(PROVIDER, SECRET_ACCESS_TOKEN)
        if not token:
            return None
        expires = self.ctx.secrets.get(PROVIDER, SECRET_ACCESS_EXPIRES)
        try:
            expires_at = float(expires) if expires else 0.0
        except ValueError:
            expires_at = 0.0
        if expires_at - TOKEN_EARLY_REFRESH_S <= self._now():
            return None
        return token

    def store_token_response(self, body: Any) -> str:
        """Store a token-endpoint answer: refresh token FIRST, then access token + expiry.

        Returns the access token. Never overwrites a stored token with a missing one.
        Call with ``locked()`` held.
        """
        if not isinstance(body, dict):
            raise ProtocolError("WHOOP answered the sign-in renewal with something that is not a token.")
        access = body.get("access_token")
        refresh = body.get("refresh_token")
        if isinstance(refresh, str) and refresh:
            self.ctx.secrets.set(PROVIDER, SECRET_REFRESH_TOKEN, refresh)
        else:
            log.warning("WHOOP token answer had no refresh token; keeping the stored one")
        if not isinstance(access, str) or not access:
            raise ProtocolError("WHOOP answered the sign-in renewal without an access token.")
        try:
            lifetime = float(body.get("expires_in", 3600))
        except (TypeError, ValueError):
            lifetime = 3600.0
        self.ctx.secrets.set(PROVIDER, SECRET_ACCESS_TOKEN, access)
        self.ctx.secrets.set(PROVIDER, SECRET_ACCESS_EXPIRES, str(self._now() + lifetime))
        return access

    def known_spent(self) -> bool:
        """Did WHOOP already refuse the stored refresh token? (needs_reconnect is set)"""
        with self.ctx.db.session() as s:
            acc = s.get(ProviderAccount, PROVIDER)
            return bool(acc and acc.needs_reconnect)

    def _refresh_request(self) -> httpx.Request:
        client_id, secret = self.client_credentials()
        refresh = self.ctx.secrets.get(PROVIDER, SECRET_REFRESH_TOKEN)
        if self.known_spent():
            # A refused refresh token stays refused: spending a call on it only adds noise at
            # WHOOP. Connecting again stores a new one and clears the flag.
            raise AuthRequired(RECONNECT_MESSAGE)
        if not refresh:
            set_needs_reconnect(self.ctx, True)
            raise AuthRequired(RECONNECT_MESSAGE)
        return httpx.Request(
            "POST",
            self.endpoints.token_url,
            data={
                "grant_type": "refresh_token",
                "refresh_token": refresh,
                "client_id": client_id,
                "client_secret": secret,
                "scope": "offline",
            },
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
        )

    def _take(self, response: httpx.Response) -> str:
        status = response.status_code
        if status in (400, 401):
            log.warning("WHOOP token endpoint refused the refresh (HTTP %d); reconnect needed", status)
            set_needs_reconnect(self.ctx, True)
            raise AuthRequired(RECONNECT_MESSAGE)
        if status == 429:
            raise RateLimited(
                "WHOOP asked Fieldmat to slow down while renewing the sign-in.",
                parse_retry_after(response.headers.get("Retry-After")),
            )
        if status != 200:
            raise ProviderUnreachable(
                f"WHOOP could not renew the sign-in right now (HTTP {status}). Try again later.",
                kind="server_error" if status >= 500 else "unreachable",
            )
        return self.store_token_response(read_json(response, LABEL))

    def refresh_flow(self, stale: str | None) -> Generator[httpx.Request, httpx.Response, str]:
        """Refresh unless another thread/process already replaced ``stale``; returns a usable token.

        A generator for ``httpx.Auth``: it yields the token request and receives the answer.
        """
        with self.locked():
            current = self.valid_access()
            if current is not None and current != stale:
                return current  # someone else refreshed while we waited for the lock
            request = self._refresh_request()
            self.refreshes_sent += 1
            response = yield request
            return self._take(response)


class WhoopAuth(httpx.Auth):
    """Bearer auth with proactive and on-401 refresh (see the module docstring)."""

    requires_response_body = True

    def __init__(self, tokens: WhoopTokens) -> None:
        self.tokens = tokens

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        access = self.tokens.valid_access()
        if access is None:
            access = yield from self.tokens.refresh_flow(stale=None)
        request.headers["Authorization"] = f"Bearer {access}"
        response = yield request
        if response.status_code != 401:
            return
        access = yield from self.tokens.refresh_flow(stale=access)
        request.headers["Authorization"] = f"Bearer {access}"
        yield request
