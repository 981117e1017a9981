"""Read-only share links for synced matches (team server ``/api/matches/{id}/share``).

``share_link(ctx, match_id) -> ShareLink`` (url, token, expires_at). The match must be on the
team server already (synced, no unsent change), else ``NotSynced`` says to sync first. The UI
shows ``url`` as a QR code and a copy button. Network I/O: call it off the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import httpx
from sqlmodel import select

from app.errors import NotFound
from app.models.match import Match
from app.models.sync import OutboxEntry
from sync.errors import NotConnected, NotSynced, ProtocolError
from sync.http import Api, RetryPolicy, TokenAuth, check_base_url, detail_of, make_client, parse_dt
from sync.team.known import known_version

if TYPE_CHECKING:
    from app.context import AppContext

LABEL = "team server"


@dataclass(frozen=True)
class ShareLink:
    url: str
    token: str
    expires_at: datetime | None


def is_shareable(ctx: AppContext, match_id: str) -> bool:
    """True when the match is on the team server with nothing of it waiting to be sent."""
    with ctx.db.session() as s:
        if known_version(s, "match", match_id) is None:
            return False
        waiting = s.exec(
            select(OutboxEntry.seq).where(
                OutboxEntry.provider == "team",
                OutboxEntry.entity == "match",
                OutboxEntry.entity_id == match_id,
                OutboxEntry.status == "pending",
            )
        ).first()
        return waiting is None


def share_link(
    ctx: AppContext, match_id: str, *, client: httpx.Client | None = None, retry: RetryPolicy | None = None
) -> ShareLink:
    with ctx.db.session() as s:
        match = s.get(Match, match_id)
    if match is None or match.deleted:
        raise NotFound("That match does not exist.")
    base = ctx.settings.provider("team").base_url
    if not base:
        raise NotConnected("Connect the team server (Accounts) to share matches.")
    if not is_shareable(ctx, match_id):
        raise NotSynced("This match is not on the team server yet. Sync first, then share it.")
    base = check_base_url(base)
    own = client is None
    http = client or make_client()
    try:
        api = Api(
            http,
            base,
            LABEL,
            auth=TokenAuth(ctx.secrets, "team", base + "/api/auth/login", LABEL),
            retry=retry or RetryPolicy(max_attempts=3),
        )
        response = api.request("GET", f"/api/matches/{match_id}/share")
        if response.status_code == 404:
            raise NotSynced("The team server does not have this match (yet). Sync first, then share it.")
        if response.status_code != 200:
            raise ProtocolError(f"The team server did not make a share link: {detail_of(response)}")
        body = api.json(response)
    finally:
        if own:
            http.close()
    url = body.get("url") if isinstance(body, dict) else None
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        raise ProtocolError("The team server answered without a usable share link.")
    expires = body.get("expires_at")
    return ShareLink(url=url, token=str(body.get("token") or ""), expires_at=parse_dt(expires) if expires else None)
