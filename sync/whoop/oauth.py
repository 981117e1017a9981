"""Connecting WHOOP: OAuth 2.0 authorization code in the browser, loopback redirect; disconnect.

For the Accounts screen (call ``begin_authorization`` on the GUI thread, ``wait`` in a worker)::

    pending = begin_authorization(ctx, client_id, client_secret, port=0)
    open_in_browser(pending.url)          # the user signs in at WHOOP
    account = pending.wait(timeout=300)   # blocks; raises OAuthError / SyncError in words
    pending.cancel()                      # from the GUI, to stop waiting

- The redirect URI is ``http://127.0.0.1:<port>/callback``: register exactly that URL in the
  WHOOP Developer Dashboard (choose a fixed ``port``; ``0`` picks a free one, fine only when
  the dashboard accepts it).
- ``state`` is random (32 characters) and checked; scopes include ``offline`` (refresh token).
- The client id goes to settings (not secret); the client secret and the tokens go to the
  keychain only. Tokens are stored refresh-token first (see ``sync.whoop.tokens``).
- ``disconnect`` revokes with ``DELETE /v2/user/access`` (best effort: an offline or already
  revoked account is still disconnected locally), then forgets the secrets and the account.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx

from app.context import AppContext
from sync import accounts
from sync.errors import AuthRequired, ProtocolError, ProviderUnreachable, SyncError
from sync.http import USER_AGENT, make_client, read_json
from sync.oauth_loopback import LoopbackRedirectListener, OAuthDenied, OAuthError, new_state
from sync.whoop import records as rec
from sync.whoop.client import WhoopClient
from sync.whoop.config import (
    ALL_SECRETS,
    LABEL,
    PROVIDER,
    SCOPES,
    SECRET_CLIENT_SECRET,
    WhoopEndpoints,
)
from sync.whoop.ratelimit import TokenBucket
from sync.whoop.tokens import WhoopAuth, WhoopTokens

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 300.0


def authorization_url(endpoints: WhoopEndpoints, client_id: str, redirect_uri: str, state: str) -> str:
    query = urlencode(
        {
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "scope": " ".join(SCOPES),
            "state": state,
        }
    )
    return f"{endpoints.authorize_url}?{query}"


@dataclass
class PendingAuthorization:
    """A browser sign-in in progress. ``url`` goes to the browser; ``wait`` finishes it."""

    url: str
    redirect_uri: str
    _ctx: AppContext = field(repr=False)
    _endpoints: WhoopEndpoints = field(repr=False)
    _client_id: str = field(repr=False)
    _client_secret: str = field(repr=False)
    _listener: LoopbackRedirectListener = field(repr=False)
    _http: httpx.Client | None = field(default=None, repr=False)
    _bucket: TokenBucket | None = field(default=None, repr=False)

    def wait(self, timeout: float = DEFAULT_TIMEOUT_S) -> str:
        """Wait for the redirect, swap the code for tokens, store them; returns the account name.

        Raises ``OAuthTimeout``/``OAuthCancelled``/``OAuthDenied`` (from ``sync.oauth_loopback``)
        or a ``SyncError`` when WHOOP refuses the code.
        """
        result = self._listener.wait(timeout)
        if result.error:
            raise OAuthDenied(f"WHOOP did not grant access ({result.error}). Nothing was changed.")
        if not result.code:
            raise OAuthError("WHOOP redirected back without an authorization code. Try connecting again.")
        own = self._http is None
        http = self._http or make_client()
        try:
            return self._finish(http, result.code)
        finally:
            if own:
                http.close()

    def cancel(self) -> None:
        self._listener.cancel()

    def _finish(self, http: httpx.Client, code: str) -> str:
        try:
            response = http.post(
                self._endpoints.token_url,
                data={
                    "grant_type": "authorization_code",
                    "code": code,
                    "redirect_uri": self.redirect_uri,
                    "client_id": self._client_id,
                    "client_secret": self._client_secret,
                },
                headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            )
        except httpx.TransportError as exc:
            raise ProviderUnreachable("WHOOP could not be reached to finish the sign-in. Try again.") from exc
        if response.status_code in (400, 401):
            raise AuthRequired(
                "WHOOP refused the sign-in (check the client id, the client secret and that the redirect URL "
                f"{self.redirect_uri} is registered for your WHOOP app)."
            )
        if response.status_code != 200:
            raise ProviderUnreachable(f"WHOOP could not finish the sign-in (HTTP {response.status_code}).")
        body: Any = read_json(response, LABEL)
        if not isinstance(body, dict) or not body.get("refresh_token"):
            raise ProtocolError(
                "WHOOP signed in without a refresh token (the 'offline' permission is missing). Connect again."
            )
        tokens = WhoopTokens(self._ctx, self._endpoints)
        with tokens.locked():
            self._ctx.secrets.set(PROVIDER, SECRET_CLIENT_SECRET, self._client_secret)
            tokens.store_token_response(body)
        account = self._account_name(http, tokens)
        accounts.record_account(self._ctx, PROVIDER, account)
        log.info("connected WHOOP")
        return account

    def _account_name(self, http: httpx.Client, tokens: WhoopTokens) -> str:
        client = WhoopClient(http, self._endpoints.api_base, WhoopAuth(tokens), bucket=self._bucket, max_attempts=2)
        try:
            profile = rec.parse(rec.Profile, client.get_json("/v2/user/profile/basic"), "profile")
        except SyncError as exc:
            log.warning("WHOOP profile not read after connect: %s", exc)
            return "WHOOP member"
        return profile.email or f"{profile.first_name} {profile.last_name}".strip() or "WHOOP member"


def begin_authorization(
    ctx: AppContext,
    client_id: str,
    client_secret: str,
    port: int = 0,
    *,
    http: httpx.Client | None = None,
    bucket: TokenBucket | None = None,
) -> PendingAuthorization:
    """Start the browser sign-in: listen on 127.0.0.1 and build the authorization URL.

    Saves ``client_id`` (and nothing secret) in settings. Call on the GUI thread; ``wait``
    on a worker.
    """
    client_id = client_id.strip()
    client_secret = client_secret.strip()
    if not client_id or not client_secret:
        raise AuthRequired("Enter the client id and client secret of your WHOOP developer app.")
    endpoints = WhoopEndpoints.from_context(ctx)
    state = new_state()
    listener = LoopbackRedirectListener(state, port=port)
    settings = ctx.settings.provider(PROVIDER)
    if settings.client_id != client_id:
        settings.client_id = client_id
        ctx.save_settings()
    url = authorization_url(endpoints, client_id, listener.redirect_uri, state)
    return PendingAuthorization(
        url=url,
        redirect_uri=listener.redirect_uri,
        _ctx=ctx,
        _endpoints=endpoints,
        _client_id=client_id,
        _client_secret=client_secret,
        _listener=listener,
        _http=http,
        _bucket=bucket,
    )


def disconnect(ctx: AppContext, *, http: httpx.Client | None = None, bucket: TokenBucket | None = None) -> bool:
    """Revoke WHOOP access (``DELETE /v2/user/access``), then forget secrets and the account.

    Returns True when WHOOP confirmed the revocation. Local WHOOP data is kept.
    """
    revoked = False
    endpoints = WhoopEndpoints.from_context(ctx)
    tokens = WhoopTokens(ctx, endpoints)
    if ctx.secrets.get(PROVIDER, SECRET_CLIENT_SECRET):
        own = http is None
        client_http = http or make_client()
        try:
            client = WhoopClient(client_http, endpoints.api_base, WhoopAuth(tokens), bucket=bucket, max_attempts=2)
            revoked = client.revoke()
        except SyncError as exc:
            log.warning("WHOOP revoke failed (%s); forgetting the sign-in locally anyway", exc)
        finally:
            if own:
                client_http.close()
    with tokens.locked():
        accounts.disconnect(ctx, PROVIDER, ALL_SECRETS)
    return revoked
