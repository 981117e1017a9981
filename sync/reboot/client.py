"""Reboot Motion HTTP client: API key or password-token auth, session paging, data export.

- ``ApiKeyAuth``: header ``x-api-key`` (documented). ``PasswordTokenAuth``: bearer token from
  the keychain, signing in again ONCE with the keychain's email+password on a 401
  (``sync.http.TokenAuth`` with Reboot's community-reported login shape).
- ``RebootClient`` sits on ``sync.http.Api`` (retries, backoff, 429, cancel).
- ``download`` fetches a pre-signed export URL WITHOUT any Reboot credential (a fresh
  request, ``auth=None``, no ``x-api-key``/``Authorization``), follows redirects, and
  returns the bytes, gunzipped for ``.gz`` files; retried like every request.
"""

from __future__ import annotations

import gzip
import logging
from collections.abc import Generator, Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx

from app.context import AppContext
from sync.errors import AuthRequired, NotConnected, ProtocolError, ProviderUnreachable, Rejected
from sync.http import USER_AGENT, Api, TokenAuth, detail_of, iso
from sync.reboot import unconfirmed
from sync.reboot.config import LABEL, PAGE_LIMIT, PROVIDER, SECRET_API_KEY, SECRET_TOKEN

log = logging.getLogger(__name__)

RECONNECT_MESSAGE = (
    "Reboot Motion refused Fieldmat's sign-in (API key revoked or password changed). "
    "Connect Reboot Motion again in Accounts (or run: fieldmat connect reboot)."
)


class ApiKeyAuth(httpx.Auth):
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        key = self.ctx.secrets.get(PROVIDER, SECRET_API_KEY)
        if not key:
            raise NotConnected("Reboot Motion is not connected.")
        request.headers["x-api-key"] = key
        response = yield request
        if response.status_code == 401:
            # A key is not renewed, but a 401 from a proxy or a server restarting is not proof
            # that it was revoked: ask once more before telling the user to reconnect.
            yield request


class PasswordTokenAuth(TokenAuth):
    """Bearer token; one re-login with the keychain's email+password (unconfirmed login shape)."""

    def _login_request(self) -> httpx.Request:
        email = self.secrets.get(self.provider, "email")
        password = self.secrets.get(self.provider, "password")
        if not email or not password:
            raise AuthRequired(RECONNECT_MESSAGE)
        return httpx.Request(
            "POST", self.login_url, json=unconfirmed.token_request(email, password), headers={"User-Agent": USER_AGENT}
        )


def make_auth(ctx: AppContext, base: str) -> httpx.Auth:
    """API key when one is stored, else the password-token flow; NotConnected when neither."""
    if ctx.secrets.get(PROVIDER, SECRET_API_KEY):
        return ApiKeyAuth(ctx)
    if ctx.secrets.get(PROVIDER, SECRET_TOKEN) or ctx.secrets.get(PROVIDER, "password"):
        return PasswordTokenAuth(ctx.secrets, PROVIDER, base + unconfirmed.TOKEN_PATH, LABEL)
    raise NotConnected("Reboot Motion is not connected. Connect it in Accounts (or: fieldmat connect reboot).")


class RebootClient:
    def __init__(self, api: Api) -> None:
        self.api = api

    def _check(self, response: httpx.Response, what: str) -> None:
        if response.status_code in (401, 403):
            raise AuthRequired(RECONNECT_MESSAGE)
        if response.status_code >= 400:
            raise Rejected(f"Reboot Motion refused {what} ({detail_of(response)}).", response.status_code)

    def get_json(self, path: str, params: dict[str, str] | None = None, *, allow_404: bool = False) -> Any:
        response, body = self.api.request_json("GET", path, params=params)
        if response.status_code == 404 and allow_404:
            return None
        self._check(response, path)
        return body

    def players(self) -> list[dict[str, Any]] | None:
        """All players, or None when this (unconfirmed) endpoint does not exist."""
        body = self.get_json(unconfirmed.PLAYERS_PATH, allow_404=True)
        if body is None:
            return None
        players = unconfirmed.as_list(body)
        if players is None:
            raise ProtocolError("Reboot Motion sent a player list Fieldmat cannot read.")
        return players

    def session_pages(self, updated_since: Any, limit: int = PAGE_LIMIT) -> Iterator[list[dict[str, Any]]]:
        """``GET /sessions`` page by page (offset/limit) until a short page."""
        offset = 0
        while True:
            body = self.get_json(
                "/sessions", {"updated_since": iso(updated_since), "offset": str(offset), "limit": str(limit)}
            )
            page = unconfirmed.as_list(body)
            if page is None or not all("id" in s for s in page):
                raise ProtocolError("Reboot Motion sent a session list Fieldmat cannot read.")
            yield page
            if len(page) < limit:
                return
            offset += len(page)

    def session_detail(self, session_id: str) -> dict[str, Any] | None:
        body = self.get_json(unconfirmed.SESSION_DETAIL_PATH.format(session_id=session_id), allow_404=True)
        return body if isinstance(body, dict) else None

    def data_export(
        self, session_id: str, movement_type_id: int, org_player_id: str, data_type: str, data_format: str = "csv"
    ) -> list[str]:
        """``POST /data_export``; returns the pre-signed download URLs (never cached)."""
        response, body = self.api.request_json(
            "POST",
            "/data_export",
            json_body={
                "session_id": session_id,
                "movement_type_id": movement_type_id,
                "org_player_id": org_player_id,
                "data_type": data_type,
                "data_format": data_format,
                "aggregate": False,
            },
        )
        self._check(response, f"the export of session {session_id}")
        urls = body.get("download_urls") if isinstance(body, dict) else None
        if not isinstance(urls, list) or not all(isinstance(u, str) for u in urls):
            raise ProtocolError("Reboot Motion answered the data export without download links.")
        return urls

    def download(self, url: str) -> tuple[bytes, str]:
        """Fetch a pre-signed URL with NO Reboot credentials. Returns (bytes, kind: csv|parquet)."""
        path = urlsplit(url).path.lower()
        response = self.api.request(
            "GET", url, credentials=False, follow_redirects=True, headers={"User-Agent": USER_AGENT, "Accept": "*/*"}
        )
        if response.status_code != 200:
            raise ProviderUnreachable(
                f"A Reboot Motion export file could not be downloaded (HTTP {response.status_code}); "
                "the link may have expired. Sync again to get a fresh one."
            )
        data = response.content
        if path.endswith(".gz") or data[:2] == b"\x1f\x8b":
            try:
                data = gzip.decompress(data)
            except (OSError, EOFError) as exc:
                raise ProtocolError("A Reboot Motion export file is damaged (bad gzip).") from exc
            path = path[:-3] if path.endswith(".gz") else path
        kind = "parquet" if path.endswith(".parquet") else "csv"
        return data, kind
