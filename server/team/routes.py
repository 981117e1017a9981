"""The team API's record routes: teams, players, matches, events, lineups, the event batch."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, HTTPException, Query, Response
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.models import EventRow, LineupRow, MatchRow, PlayerRow, TeamRow
from server.team import store
from server.team.auth import CallerDep, StateDep
from server.team.records import match_view, page
from server.team.schemas import LineupIn, canonical_uuid
from server.team.store import Rejected, own

router = APIRouter(prefix="/api")
# Bodies are read as plain JSON and checked by the store, so unknown fields are ignored, a PUT
# may send only what changes, and a missing body is an empty one.
AnyBody = Annotated[Any, Body()]
Since = Annotated[str | None, Query()]
Cursor = Annotated[str | None, Query()]
Limit = Annotated[int | None, Query()]
IfMatch = Annotated[str | None, Header()]


def _json(status: int, data: Any) -> JSONResponse:
    return JSONResponse(data, status_code=status)


def _create(state: StateDep, who: CallerDep, kind: str, body: Any, forced: dict[str, Any]) -> JSONResponse:
    try:
        with store.write(state.engine, who.club_id, state.live) as tx:
            if kind == "player":
                store.team_of_club(tx.s, forced["team_id"], who.club_id)
            if kind == "event":
                own(tx.s, "match", forced["match_id"], who.club_id)
                forced = {"match_id": canonical_uuid(forced["match_id"])}
            status, record = store.create(tx, kind, body, forced)
    except Rejected as exc:
        raise HTTPException(422, str(exc)) from exc
    return _json(status, record)


def _update(
    state: StateDep, who: CallerDep, kind: str, record_id: str, body: Any, if_match: str | None
) -> JSONResponse:
    try:
        with store.write(state.engine, who.club_id, state.live) as tx:
            status, record = store.update(tx, kind, record_id, body, if_match)
    except Rejected as exc:
        raise HTTPException(422, str(exc)) from exc
    return _json(status, record)


def _delete(state: StateDep, who: CallerDep, kind: str, record_id: str) -> Response:
    with store.write(state.engine, who.club_id, state.live) as tx:
        store.delete(tx, kind, record_id)
    return Response(status_code=204)


@router.get("/teams")
def list_teams(state: StateDep, who: CallerDep, updated_since: Since = None, cursor: Cursor = None,
               limit: Limit = None) -> dict[str, Any]:  # fmt: skip
    with Session(state.read_engine) as s:
        return page(s, "team", select(TeamRow).where(TeamRow.club_id == who.club_id), updated_since, cursor, limit)


@router.post("/teams", status_code=201)
def create_team(state: StateDep, who: CallerDep, body: AnyBody = None) -> JSONResponse:
    return _create(state, who, "team", body, {})


@router.get("/teams/{team_id}/players")
def list_players(state: StateDep, who: CallerDep, team_id: str, updated_since: Since = None, cursor: Cursor = None,
                 limit: Limit = None) -> dict[str, Any]:  # fmt: skip
    with Session(state.read_engine) as s:
        own(s, "team", team_id, who.club_id, alive=False)
        query = select(PlayerRow).where(PlayerRow.team_id == team_id, PlayerRow.club_id == who.club_id)
        return page(s, "player", query, updated_since, cursor, limit)


@router.post("/teams/{team_id}/players", status_code=201)
def create_player(state: StateDep, who: CallerDep, team_id: str, body: AnyBody = None) -> JSONResponse:
    return _create(state, who, "player", body, {"team_id": team_id})


@router.put("/players/{player_id}")
def update_player(state: StateDep, who: CallerDep, player_id: str, body: AnyBody = None,
                  if_match: IfMatch = None) -> JSONResponse:  # fmt: skip
    return _update(state, who, "player", player_id, body, if_match)


@router.delete("/players/{player_id}", status_code=204)
def delete_player(state: StateDep, who: CallerDep, player_id: str) -> Response:
    return _delete(state, who, "player", player_id)


@router.get("/matches")
def list_matches(state: StateDep, who: CallerDep, updated_since: Since = None, cursor: Cursor = None,
                 limit: Limit = None) -> dict[str, Any]:  # fmt: skip
    with Session(state.read_engine) as s:
        return page(s, "match", select(MatchRow).where(MatchRow.club_id == who.club_id), updated_since, cursor, limit)


@router.post("/matches", status_code=201)
def create_match(state: StateDep, who: CallerDep, body: AnyBody = None) -> JSONResponse:
    return _create(state, who, "match", body, {})


@router.get("/matches/{match_id}")
def get_match_view(state: StateDep, who: CallerDep, match_id: str) -> dict[str, Any]:
    with Session(state.read_engine) as s:
        return match_view(s, own(s, "match", match_id, who.club_id))


@router.put("/matches/{match_id}")
def update_match(state: StateDep, who: CallerDep, match_id: str, body: AnyBody = None,
                 if_match: IfMatch = None) -> JSONResponse:  # fmt: skip
    return _update(state, who, "match", match_id, body, if_match)


@router.delete("/matches/{match_id}", status_code=204)
def delete_match(state: StateDep, who: CallerDep, match_id: str) -> Response:
    return _delete(state, who, "match", match_id)


def _lineup(s: Session, match_id: str) -> dict[str, Any]:
    rows = s.execute(select(LineupRow).where(LineupRow.match_id == match_id).order_by(LineupRow.position)).scalars()
    return {"items": [{"player_id": r.player_id, "starting": r.starting, "shirt_number": r.shirt_number} for r in rows]}


@router.get("/matches/{match_id}/lineup")
def get_lineup(state: StateDep, who: CallerDep, match_id: str) -> dict[str, Any]:
    with Session(state.read_engine) as s:
        own(s, "match", match_id, who.club_id)
        return _lineup(s, match_id)


@router.put("/matches/{match_id}/lineup")
def put_lineup(state: StateDep, who: CallerDep, match_id: str, body: LineupIn) -> dict[str, Any]:
    """Replaces the whole lineup; every player must be one of the club's."""
    with store.write(state.engine, who.club_id, state.live) as tx:
        own(tx.s, "match", match_id, who.club_id)
        ids = [item.player_id for item in body.items]
        if len(set(ids)) != len(ids):
            raise HTTPException(422, "items: a player appears twice")
        if not store.players_exist(tx.s, ids, who.club_id):
            raise HTTPException(404, "player not found")
        for old in tx.s.execute(select(LineupRow).where(LineupRow.match_id == match_id)).scalars():
            tx.s.delete(old)
        tx.s.flush()
        for i, item in enumerate(body.items):
            tx.s.add(LineupRow(match_id=match_id, player_id=item.player_id, position=i, starting=item.starting,
                               shirt_number=item.shirt_number))  # fmt: skip
        tx.s.flush()
        return _lineup(tx.s, match_id)


@router.get("/matches/{match_id}/events")
def list_events(state: StateDep, who: CallerDep, match_id: str, updated_since: Since = None, cursor: Cursor = None,
                limit: Limit = None) -> dict[str, Any]:  # fmt: skip
    with Session(state.read_engine) as s:
        own(s, "match", match_id, who.club_id, alive=False)
        query = select(EventRow).where(EventRow.match_id == match_id, EventRow.club_id == who.club_id)
        return page(s, "event", query, updated_since, cursor, limit)


@router.post("/matches/{match_id}/events", status_code=201)
def create_event(state: StateDep, who: CallerDep, match_id: str, body: AnyBody = None) -> JSONResponse:
    return _create(state, who, "event", body, {"match_id": match_id})


@router.put("/events/{event_id}")
def update_event(state: StateDep, who: CallerDep, event_id: str, body: AnyBody = None,
                 if_match: IfMatch = None) -> JSONResponse:  # fmt: skip
    return _update(state, who, "event", event_id, body, if_match)


@router.delete("/events/{event_id}", status_code=204)
def delete_event(state: StateDep, who: CallerDep, event_id: str) -> Response:
    return _delete(state, who, "event", event_id)


@router.post("/sync/events")
def sync_events(state: StateDep, who: CallerDep, body: AnyBody = None) -> dict[str, Any]:
    """Each item as its own POST: one bad item is ``rejected`` and the others still go in."""
    events = body.get("events", []) if isinstance(body, dict) else None
    if not isinstance(events, list):
        raise HTTPException(422, "events: a list is expected")
    if len(events) > 500:
        raise HTTPException(422, "events: at most 500 items per request")
    results: list[dict[str, Any]] = []
    with store.write(state.engine, who.club_id, state.live) as tx:
        store.look_up_ids(tx, "event", [e.get("id") for e in events if isinstance(e, dict)])
        for item in events:
            item_id = item.get("id") if isinstance(item, dict) else None
            forced = {"match_id": item.get("match_id")} if isinstance(item, dict) else {}
            try:  # a rejected item is refused before anything is written: no savepoint needed
                status, _ = store.create(tx, "event", item, forced)
            except (Rejected, HTTPException) as exc:
                detail = exc.detail if isinstance(exc, HTTPException) else str(exc)
                results.append({"id": item_id, "status": "rejected", "detail": detail})
                continue
            results.append({"id": item_id, "status": "created" if status == 201 else "replayed", "detail": None})
    return {"results": results}
