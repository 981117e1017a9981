"""Connecting and disconnecting provider accounts (team server, yoga cloud).

- ``connect(ctx, provider, url, email, password)``: checks the URL rule, signs in, keeps the
  token AND the password (for silent re-login) in the keychain only, saves the base URL and
  account name in settings, and records a ``ProviderAccount``.
- ``signup(ctx, "yoga", url, fullname, email, password, sex, dob)``: creates the account
  where the provider allows it (yoga ``/auth/signup``), then connects.
- ``disconnect(ctx, provider)``: forgets secrets, the account row and the pull cursors.
  Local data and unsent changes stay (they go out after connecting again).
- ``record_account(ctx, provider, account)``: for providers with their own connect flow
  (WHOOP, Reboot) to mark themselves connected.

All take an optional ``client`` (an ``httpx.Client``) and ``retry`` policy for tests. They
do network I/O: call them off the GUI thread. ``connect``/``signup`` also save the base URL and
account in ``ctx.settings``; a GUI that runs them in a worker passes ``apply_settings=False`` and
calls ``apply_account_settings(ctx, info)`` with the returned ``AccountInfo`` on the GUI thread.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx
from sqlmodel import col, delete

from app.models.sync import ProviderAccount, SyncCursor
from sync import registry
from sync.errors import AuthRequired, ProtocolError, Rejected, SyncError
from sync.http import Api, RetryPolicy, check_base_url, detail_of, make_client

if TYPE_CHECKING:
    from app.context import AppContext

log = logging.getLogger(__name__)

LOGIN_PATHS = {n: s.login_path for n, s in registry.SPECS.items() if s.login_path}
SIGNUP_PATHS = {n: s.signup_path for n, s in registry.SPECS.items() if s.signup_path}
SECRET_NAMES = ("token", "password", "email", "refresh_token", "api_key", "client_secret")


@dataclass(frozen=True)
class AccountInfo:
    provider: str
    account: str
    base_url: str
    keychain_warning: str | None  # set when secrets live in memory only (no keychain)


def can_sign_up(provider: str) -> bool:
    return provider in SIGNUP_PATHS


def _api(client: httpx.Client, base: str, provider: str, retry: RetryPolicy | None) -> Api:
    return Api(client, base, registry.label(provider), retry=retry or RetryPolicy(max_attempts=3))


def _check_provider(provider: str) -> None:
    if provider not in LOGIN_PATHS:
        raise SyncError(
            f"{registry.label(provider)} is not connected with an email and password; use its own connect steps."
        )


def login(api: Api, provider: str, email: str, password: str) -> str:
    """Sign in; returns the access token. Raises AuthRequired on bad credentials."""
    response = api.request("POST", LOGIN_PATHS[provider], json_body={"email": email, "password": password})
    if response.status_code in (400, 401, 403):
        raise AuthRequired(f"The {api.label} did not accept that email and password.")
    if response.status_code != 200:
        raise SyncError(f"Signing in to the {api.label} failed: {detail_of(response)}")
    body = api.json(response)
    token = body.get("access_token") if isinstance(body, dict) else None
    if not isinstance(token, str) or not token:
        raise ProtocolError(f"The {api.label} answered the sign-in without a token.")
    return token


def connect(
    ctx: AppContext,
    provider: str,
    url: str,
    email: str,
    password: str,
    *,
    client: httpx.Client | None = None,
    retry: RetryPolicy | None = None,
    apply_settings: bool = True,
) -> AccountInfo:
    _check_provider(provider)
    base = check_base_url(url)
    email = email.strip()
    if not email or not password:
        raise AuthRequired("Enter the email and password of your account.")
    own = client is None
    http = client or make_client()
    try:
        token = login(_api(http, base, provider, retry), provider, email, password)
    finally:
        if own:
            http.close()
    settings = ctx.settings.provider(provider)
    changed_server = bool(settings.base_url) and (settings.base_url != base or settings.account != email)
    ctx.secrets.set(provider, "token", token)
    ctx.secrets.set(provider, "password", password)
    ctx.secrets.set(provider, "email", email)
    info = AccountInfo(provider, email, base, ctx.secrets.warning)
    if apply_settings:
        apply_account_settings(ctx, info)
    with ctx.db.write() as s:
        if changed_server:
            # Cursors and record versions describe the old server/account: start over.
            s.exec(delete(SyncCursor).where(col(SyncCursor.provider) == provider))
        row = s.get(ProviderAccount, provider)
        if row is None:
            row = ProviderAccount(provider=provider, account=email, connected_at=ctx.clock())
        row.account = email
        row.needs_reconnect = False
        s.add(row)
    log.info("connected %s at %s as %s", provider, base, email)
    return info


def apply_account_settings(ctx: AppContext, info: AccountInfo) -> None:
    """Save the base URL and account name in settings (call where settings may change: the GUI
    thread in the app; ``connect(..., apply_settings=False)`` leaves it to the caller)."""
    settings = ctx.settings.provider(info.provider)
    settings.base_url = info.base_url
    settings.account = info.account
    ctx.save_settings()


def signup(
    ctx: AppContext,
    provider: str,
    url: str,
    fullname: str,
    email: str,
    password: str,
    sex: str,
    dob: str,
    *,
    client: httpx.Client | None = None,
    retry: RetryPolicy | None = None,
    apply_settings: bool = True,
) -> AccountInfo:
    """Create an account (yoga only) and connect with it. ``dob`` is YYYY-MM-DD."""
    if provider not in SIGNUP_PATHS:
        raise SyncError(f"Accounts for the {registry.label(provider)} cannot be created from Fieldmat.")
    base = check_base_url(url)
    own = client is None
    http = client or make_client()
    try:
        api = _api(http, base, provider, retry)
        response = api.request(
            "POST",
            SIGNUP_PATHS[provider],
            json_body={"fullname": fullname, "email": email.strip(), "password": password, "sex": sex, "dob": dob},
            idempotent=False,
        )
        if response.status_code == 409:
            raise Rejected(f"The {api.label} already has an account for {email.strip()}; connect with it instead.", 409)
        if response.status_code not in (200, 201):
            raise Rejected(
                f"The {api.label} did not create the account: {detail_of(response)}",
                response.status_code,
                detail_of(response),
            )
        return connect(ctx, provider, base, email, password, client=http, retry=retry, apply_settings=apply_settings)
    finally:
        if own:
            http.close()


def record_account(ctx: AppContext, provider: str, account: str) -> None:
    """Mark ``provider`` connected (for providers with their own connect flow)."""
    with ctx.db.write() as s:
        row = s.get(ProviderAccount, provider)
        if row is None:
            row = ProviderAccount(provider=provider, account=account, connected_at=ctx.clock())
        row.account = account
        row.needs_reconnect = False
        s.add(row)


def disconnect(ctx: AppContext, provider: str, extra_secret_names: tuple[str, ...] = ()) -> None:
    """Forget the sign-in and the account. Local records and unsent changes are kept."""
    ctx.secrets.delete_provider(provider, SECRET_NAMES + extra_secret_names)
    with ctx.db.write() as s:
        row = s.get(ProviderAccount, provider)
        if row is not None:
            s.delete(row)
        s.exec(delete(SyncCursor).where(col(SyncCursor.provider) == provider))
    settings = ctx.settings.provider(provider)
    settings.account = ""
    ctx.save_settings()
    log.info("disconnected %s", provider)
