"""Read-only share links, the share page, and the live channel ``/ws/match/{id}``."""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request, Response, WebSocket
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from starlette.websockets import WebSocketDisconnect

from server.live import Notice
from server.models import LiveChange, MatchRow, ShareToken
from server.state import ServerState, ws_state
from server.team import store
from server.team.auth import CallerDep, StateDep
from server.team.records import iso, match_view, now_micros
from server.team.store import own

router = APIRouter()
STATIC = Path(__file__).resolve().parent.parent / "static"
PAGE = (STATIC / "share.html").read_text(encoding="utf-8")
GONE = (STATIC / "gone.html").read_text(encoding="utf-8")
WS_POLICY = 1008
GONE_NOTICE: Notice = (-1, None)  # put by the reader when the viewer disconnects


def _iso_seconds(micros: int) -> str:
    return iso(micros)[:19] + "Z"


@router.get("/api/matches/{match_id}/share")
def share(state: StateDep, who: CallerDep, match_id: str, request: Request) -> dict[str, Any]:
    """A read-only link; the match's live token is reused while it has more than a day to run."""
    ttl = state.settings.share_ttl_h * 3600 * 1_000_000
    with store.write(state.engine, who.club_id, state.live) as tx:
        own(tx.s, "match", match_id, who.club_id)
        now = now_micros()
        usable = (
            ShareToken.match_id == match_id,
            ShareToken.revoked.is_(False),
            ShareToken.expires_at > now + ttl // 2,
        )
        row = tx.s.execute(select(ShareToken).where(*usable).order_by(ShareToken.expires_at.desc())).scalars().first()
        if row is None:
            row = ShareToken(token=secrets.token_urlsafe(24), match_id=match_id, club_id=who.club_id,
                             expires_at=now + ttl, revoked=False)  # fmt: skip
            tx.s.add(row)
        token, expires = row.token, row.expires_at
    base = str(request.base_url).rstrip("/")
    return {"url": f"{base}/share/{token}", "token": token, "expires_at": _iso_seconds(expires)}


@router.delete("/api/matches/{match_id}/share", status_code=204)
def revoke(state: StateDep, who: CallerDep, match_id: str) -> Response:
    with store.write(state.engine, who.club_id, state.live) as tx:
        own(tx.s, "match", match_id, who.club_id)
        tx.s.execute(update(ShareToken).where(ShareToken.match_id == match_id).values(revoked=True))
    return Response(status_code=204)


def _shared_match(s: Session, token: str) -> MatchRow | None:
    row = s.get(ShareToken, token)
    if row is None or row.revoked or row.expires_at <= now_micros():
        return None
    match = s.get(MatchRow, row.match_id)
    return match if match is not None and not match.deleted and match.club_id == row.club_id else None


@router.get("/share/{token}", response_class=HTMLResponse, include_in_schema=False)
def share_page(state: StateDep, token: str) -> HTMLResponse:
    with Session(state.read_engine) as s:
        match = _shared_match(s, token)
        if match is None:
            return HTMLResponse(GONE, status_code=404)
        title = f"{match.home_team} – {match.away_team}"
        page = PAGE.replace("{{title}}", html.escape(title)).replace("{{match_id}}", html.escape(match.id))
        return HTMLResponse(page.replace("{{token}}", html.escape(token)), headers={"Cache-Control": "no-store"})


@dataclass(frozen=True)
class Access:
    club_id: int
    read_only: bool


def _authorize(state: ServerState, match_id: str, token: str) -> Access | None:
    with Session(state.read_engine) as s:
        claims = state.tokens.check(token)
        if claims is not None and "club" in claims:
            match = s.get(MatchRow, match_id)
            ok = match is not None and match.club_id == int(claims["club"]) and not match.deleted
            return Access(int(claims["club"]), read_only=False) if ok else None
        shared = _shared_match(s, token)
        return Access(shared.club_id, read_only=True) if shared is not None and shared.id == match_id else None


def _snapshot(state: ServerState, match_id: str) -> tuple[int, str]:
    with Session(state.read_engine) as s:
        match = s.get(MatchRow, match_id)
        if match is None:
            return 0, json.dumps({"type": "snapshot", "seq": 0, "view": None})
        message = {"type": "snapshot", "seq": match.live_seq, "view": match_view(s, match)}
        return match.live_seq, json.dumps(message, separators=(",", ":"))


def _missed(state: ServerState, match_id: str, after: int, upto: int | None) -> list[tuple[int, str]]:
    with Session(state.read_engine) as s:
        query = select(LiveChange.seq, LiveChange.message).where(
            LiveChange.match_id == match_id, LiveChange.seq > after
        )
        if upto is not None:
            query = query.where(LiveChange.seq <= upto)
        return [(seq, text) for seq, text in s.execute(query.order_by(LiveChange.seq)).all()]


def _current_seq(state: ServerState, match_id: str) -> int:
    with Session(state.read_engine) as s:
        seq = s.execute(select(MatchRow.live_seq).where(MatchRow.id == match_id)).scalar_one_or_none()
        return int(seq or 0)


async def _drain(ws: WebSocket, queue: asyncio.Queue[Notice]) -> None:
    """Reads and ignores what a viewer sends (a share token is read-only); wakes the sender when it goes."""
    with contextlib.suppress(WebSocketDisconnect, RuntimeError):
        while (await ws.receive())["type"] != "websocket.disconnect":
            pass
    queue.put_nowait(GONE_NOTICE)


@router.websocket("/ws/match/{match_id}")
async def live_channel(ws: WebSocket, match_id: str, token: str = "", after_seq: int | None = None) -> None:
    """A snapshot (or what was missed after ``after_seq``), then every change in commit order."""
    state = ws_state(ws)
    access = await run_in_threadpool(_authorize, state, match_id, token)
    if access is None:
        await ws.close(code=WS_POLICY)
        return
    state.live.attach(asyncio.get_running_loop())
    queue = state.live.subscribe(match_id)  # before the snapshot, so nothing falls between the two
    drain: asyncio.Task[None] | None = None
    try:
        await ws.accept()
        last = await _start(ws, state, match_id, after_seq)
        drain = asyncio.create_task(_drain(ws, queue))
        while True:
            notice = await queue.get()
            if notice is GONE_NOTICE:
                return
            last = await _forward(ws, state, match_id, last, notice)
    except (WebSocketDisconnect, RuntimeError):
        return
    finally:
        state.live.unsubscribe(match_id, queue)
        if drain is not None:
            drain.cancel()


async def _start(ws: WebSocket, state: ServerState, match_id: str, after_seq: int | None) -> int:
    if after_seq is not None:
        current = await run_in_threadpool(_current_seq, state, match_id)
        missed = await run_in_threadpool(_missed, state, match_id, after_seq, current)
        if after_seq <= current and [seq for seq, _ in missed] == list(range(after_seq + 1, current + 1)):
            for _, text in missed:
                await ws.send_text(text)
            return current
    seq, text = await run_in_threadpool(_snapshot, state, match_id)
    await ws.send_text(text)
    return seq


async def _forward(ws: WebSocket, state: ServerState, match_id: str, last: int, notice: Notice) -> int:
    seq, text = notice
    if seq <= last:
        return last  # already in the snapshot
    if seq == last + 1 and text is not None:
        await ws.send_text(text)
        return seq
    for missed_seq, missed_text in await run_in_threadpool(_missed, state, match_id, last, seq):
        await ws.send_text(missed_text)
        last = missed_seq
    return last
