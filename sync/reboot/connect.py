"""Connecting Reboot Motion: API key (documented) or email + password (token flow, unconfirmed).

For the Accounts screen (network I/O: call off the GUI thread)::

    connect_api_key(ctx, key, url=None) -> account name
    connect_password(ctx, email, password, url=None) -> account name
    disconnect(ctx)

The key, token, email and password go to the keychain only. The password is kept there so
an expired token can be renewed silently once (like the team/yoga providers); the user
reconnects when that fails. A connect is checked against Reboot before anything is stored.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Generator

import httpx

from app.context import AppContext
from app.errors import FieldmatError
from app.prompt import NoTerminal, ask
from sync import accounts
from sync.errors import AuthRequired, ProtocolError, SyncError
from sync.http import USER_AGENT, Api, RetryPolicy, check_base_url, make_client
from sync.reboot import unconfirmed
from sync.reboot.config import (
    DEFAULT_BASE_URL,
    LABEL,
    PROVIDER,
    SECRET_API_KEY,
    SECRET_EMAIL,
    SECRET_PASSWORD,
    SECRET_TOKEN,
)

log = logging.getLogger(__name__)


def _base(ctx: AppContext, url: str | None) -> str:
    return check_base_url(url or ctx.settings.provider(PROVIDER).base_url or DEFAULT_BASE_URL)


def _save_base(ctx: AppContext, base: str, account: str) -> None:
    settings = ctx.settings.provider(PROVIDER)
    settings.base_url = base
    settings.account = account
    ctx.save_settings()


class _KeyUnderTest(httpx.Auth):
    def __init__(self, key: str) -> None:
        self.key = key

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["x-api-key"] = self.key
        yield request


def connect_api_key(
    ctx: AppContext,
    key: str,
    *,
    url: str | None = None,
    client: httpx.Client | None = None,
    retry: RetryPolicy | None = None,
) -> str:
    """Check ``key`` with ``GET /sessions?limit=1`` then keep it in the keychain. Returns the account name."""
    key = key.strip()
    if not key:
        raise AuthRequired("Paste the API key from the Reboot Motion dashboard.")
    base = _base(ctx, url)
    own = client is None
    http = client or make_client()
    try:
        api = Api(http, base, LABEL, auth=_KeyUnderTest(key), retry=retry or RetryPolicy(max_attempts=3))
        response = api.request("GET", "/sessions", params={"limit": "1", "offset": "0"})
        if response.status_code in (401, 403):
            raise AuthRequired("Reboot Motion did not accept that API key.")
        if response.status_code >= 400:
            raise SyncError(f"Reboot Motion could not be checked (HTTP {response.status_code}).")
    finally:
        if own:
            http.close()
    for name in (SECRET_TOKEN, SECRET_EMAIL, SECRET_PASSWORD):
        ctx.secrets.delete(PROVIDER, name)
    ctx.secrets.set(PROVIDER, SECRET_API_KEY, key)
    account = "API key"
    _save_base(ctx, base, account)
    accounts.record_account(ctx, PROVIDER, account)
    log.info("connected Reboot Motion with an API key")
    return account


def connect_password(
    ctx: AppContext,
    email: str,
    password: str,
    *,
    url: str | None = None,
    client: httpx.Client | None = None,
    retry: RetryPolicy | None = None,
) -> str:
    """Sign in with email + password (``POST /oauth/token``, unconfirmed) and keep the token."""
    email = email.strip()
    if not email or not password:
        raise AuthRequired("Enter the email and password of your Reboot Motion account.")
    base = _base(ctx, url)
    own = client is None
    http = client or make_client()
    try:
        api = Api(http, base, LABEL, retry=retry or RetryPolicy(max_attempts=3))
        response = api.request(
            "POST",
            unconfirmed.TOKEN_PATH,
            json_body=unconfirmed.token_request(email, password),
            headers={"User-Agent": USER_AGENT},
            idempotent=False,
        )
        if response.status_code in (400, 401, 403):
            raise AuthRequired("Reboot Motion did not accept that email and password.")
        if response.status_code != 200:
            raise SyncError(f"Signing in to Reboot Motion failed (HTTP {response.status_code}).")
        body = api.json(response)
    finally:
        if own:
            http.close()
    token = body.get("access_token") if isinstance(body, dict) else None
    if not isinstance(token, str) or not token:
        raise ProtocolError("Reboot Motion answered the sign-in without a token.")
    ctx.secrets.delete(PROVIDER, SECRET_API_KEY)
    ctx.secrets.set(PROVIDER, SECRET_TOKEN, token)
    ctx.secrets.set(PROVIDER, SECRET_EMAIL, email)
    ctx.secrets.set(PROVIDER, SECRET_PASSWORD, password)
    _save_base(ctx, base, email)
    accounts.record_account(ctx, PROVIDER, email)
    log.info("connected Reboot Motion with a password sign-in")
    return email


def disconnect(ctx: AppContext) -> None:
    """Forget the key/token/password and the account; pulled data and files stay."""
    accounts.disconnect(ctx, PROVIDER)


def connect_cli(args: argparse.Namespace, ctx: AppContext) -> int:
    """``fieldmat connect reboot --api-key-stdin`` or ``--email you@x`` (password: getpass or
    env ``FIELDMAT_PASSWORD``); ``--url`` overrides the server."""
    url = getattr(args, "url", None)
    try:
        if getattr(args, "api_key_stdin", False):
            key = sys.stdin.readline().strip()
            if not key:
                raise NoTerminal("The API key read from standard input was empty: pipe the key in.")
            account = connect_api_key(ctx, key, url=url)
        elif getattr(args, "email", None):
            password = os.environ.get("FIELDMAT_PASSWORD") or ask(
                "Reboot Motion password: ", what="The Reboot Motion password", needs="FIELDMAT_PASSWORD", secret=True
            )
            account = connect_password(ctx, args.email, password, url=url)
        else:
            print(
                "fieldmat: connect reboot needs --api-key-stdin (and the key piped in) or --email E.", file=sys.stderr
            )
            return 2
    except NoTerminal:
        raise
    except FieldmatError as exc:
        print(f"Reboot Motion was not connected: {exc}", file=sys.stderr)
        return 1
    print(f"Reboot Motion connected ({account}).")
    if ctx.secrets.warning:
        print(ctx.secrets.warning, file=sys.stderr)
    return 0
