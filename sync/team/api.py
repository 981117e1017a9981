"""The team server: its address and sign-in (``team_api``), the names and page sizes both
directions share, and the error for an answer the protocol does not expect."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

from sync.errors import NotConnected, ProtocolError, SyncError
from sync.http import Api, TokenAuth, check_base_url, detail_of
from sync.provider import SyncRun

if TYPE_CHECKING:
    from app.context import AppContext

PROVIDER = "team"
LABEL = "team server"
BATCH = 500
# Version marker: the server holds what we sent at the local updated_at that follows it. Only
# the prefix is ever read; the rest (stored text or ISO 8601) is for people reading the database.
SENT = "sent:"
PAGE = 500
RESOURCE = {"team": "teams", "player": "players", "match": "matches", "event": "events", "lineup": "lineups"}
ITEM_PATH = {
    "team": "/api/teams/{}",
    "player": "/api/players/{}",
    "match": "/api/matches/{}",
    "event": "/api/events/{}",
}


def team_api(ctx: AppContext, run: SyncRun) -> Api:
    """An ``Api`` on the connected server with the re-login auth flow. Raises NotConnected."""
    base = ctx.settings.provider(PROVIDER).base_url
    if not base:
        raise NotConnected("The team server is not connected (no address). Connect it in Accounts.")
    base = check_base_url(base)
    auth = TokenAuth(ctx.secrets, PROVIDER, base + "/api/auth/login", LABEL)
    return run.api(base, LABEL, auth)


def unexpected(response: httpx.Response) -> SyncError:
    return ProtocolError(f"The team server answered HTTP {response.status_code}: {detail_of(response)}")
