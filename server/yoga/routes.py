"""The yoga cloud API: sign-up, sign-in (expiring JWTs), practice sessions, stats."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server.models import YogaSession, YogaUser
from server.security import hash_password, verify_password
from server.state import ServerState, server_state
from server.team.records import iso, now_micros, to_micros
from server.team.schemas import Instant, Integer, Uuid, parse_instant
from server.yoga.stats import practice_stats

router = APIRouter()
_bearer = HTTPBearer(auto_error=False)
StateDep = Annotated[ServerState, Depends(server_state)]
Percent = Annotated[float, Field(ge=0, le=100)]
INT32_MAX = 2**31 - 1  # minutes are stored as 32-bit integers, as in the seed backend


class Incoming(BaseModel):
    model_config = ConfigDict(extra="ignore")


class SignupIn(Incoming):
    fullname: Annotated[str, Field(max_length=200)]
    email: Annotated[str, Field(min_length=3, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")]
    password: Annotated[str, Field(min_length=8, max_length=1024)]
    sex: Annotated[str, Field(max_length=32)]
    dob: Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]


class LoginIn(Incoming):
    email: Annotated[str, Field(max_length=320)]
    password: Annotated[str, Field(max_length=1024)]


class PoseIn(Incoming):
    pose_name: Annotated[str, Field(max_length=200)]
    accuracy: Percent
    feedback: list[Annotated[str, Field(max_length=1000)]] = Field(default_factory=list, max_length=100)
    improvements: list[Annotated[str, Field(max_length=1000)]] = Field(default_factory=list, max_length=100)
    hold_seconds: Annotated[float, Field(ge=0)] | None = None
    timestamp: Instant | None = None


class SessionIn(Incoming):
    client_id: Uuid | None = None
    date: Instant | None = None
    duration: Annotated[Integer, Field(ge=0, le=INT32_MAX)]
    avg_accuracy: Percent
    poses: Annotated[list[PoseIn], Field(max_length=1000)]


def user_id(request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> int:
    claims = server_state(request).tokens.check(credentials.credentials) if credentials else None
    if claims is None:
        raise HTTPException(401, "Could not validate credentials", headers={"WWW-Authenticate": "Bearer"})
    return int(claims["sub"])


UserDep = Annotated[int, Depends(user_id)]


def _out(row: YogaSession) -> dict[str, Any]:
    poses = json.loads(row.poses)
    return {
        "id": row.id,
        "user_id": row.user_id,
        "client_id": row.client_id,
        "date": iso(row.date),
        "duration": row.duration,
        "avg_accuracy": row.avg_accuracy,
        "poses": poses,
        "total_poses": len(poses),
        "created_at": iso(row.created_at),
    }


def _poses(body: SessionIn) -> str:
    return json.dumps([p.model_dump(exclude_none=True) for p in body.poses], separators=(",", ":"))


def _date(body: SessionIn) -> int:
    return to_micros(parse_instant(body.date)) if body.date else now_micros()


@router.post("/auth/signup", status_code=201)
async def signup(body: SignupIn, state: StateDep) -> dict[str, Any]:
    hashed = await run_in_threadpool(hash_password, body.password)

    def store() -> dict[str, Any]:
        with Session(state.engine) as s:
            user = YogaUser(fullname=body.fullname, email=body.email.strip().lower(), password_hash=hashed,
                            sex=body.sex, dob=body.dob)  # fmt: skip
            s.add(user)
            try:
                s.commit()
            except IntegrityError as exc:
                raise HTTPException(409, "Email already registered") from exc
            return {"id": user.id, "fullname": user.fullname, "email": user.email}

    return await run_in_threadpool(store)


@router.post("/auth/login")
async def login(body: LoginIn, state: StateDep) -> dict[str, Any]:
    def check() -> int | None:
        with Session(state.read_engine) as s:
            user = s.execute(select(YogaUser).where(YogaUser.email == body.email.strip().lower())).scalar_one_or_none()
            return user.id if verify_password(user.password_hash if user else None, body.password) and user else None

    uid = await run_in_threadpool(check)
    if uid is None:
        raise HTTPException(401, "Incorrect email or password")
    return {"access_token": state.tokens.issue(uid), "token_type": "bearer", "expires_in": state.tokens.ttl_s}


@router.get("/auth/me")
def me(state: StateDep, uid: UserDep) -> dict[str, Any]:
    with Session(state.read_engine) as s:
        user = s.get(YogaUser, uid)
        if user is None:
            raise HTTPException(401, "Could not validate credentials")
        return {"id": user.id, "fullname": user.fullname, "email": user.email}


@router.get("/api/sessions")
def list_sessions(state: StateDep, uid: UserDep, since: Annotated[str | None, Query()] = None) -> list[dict[str, Any]]:
    query = select(YogaSession).where(YogaSession.user_id == uid)
    if since:
        try:
            query = query.where(YogaSession.date >= to_micros(parse_instant(since)))
        except (ValueError, OverflowError) as exc:
            raise HTTPException(422, "since: an ISO 8601 date-time is expected") from exc
    with Session(state.read_engine) as s:
        rows = s.execute(query.order_by(YogaSession.date.desc(), YogaSession.id.desc())).scalars()
        return [_out(r) for r in rows]


@router.post("/api/sessions", status_code=201)
def create_session(state: StateDep, uid: UserDep, body: SessionIn) -> JSONResponse:
    """201 and the new session; 200 and the stored one when this user already sent its ``client_id``."""
    with Session(state.engine) as s:
        if body.client_id:
            found = s.execute(
                select(YogaSession).where(YogaSession.user_id == uid, YogaSession.client_id == body.client_id)
            ).scalar_one_or_none()
            if found is not None:
                return JSONResponse(_out(found), status_code=200)
        row = YogaSession(user_id=uid, client_id=body.client_id, date=_date(body), duration=body.duration,
                          avg_accuracy=body.avg_accuracy, poses=_poses(body), created_at=now_micros())  # fmt: skip
        s.add(row)
        try:
            s.commit()
        except IntegrityError:  # the same client_id sent twice at once: the first one stays
            s.rollback()
            found = s.execute(
                select(YogaSession).where(YogaSession.user_id == uid, YogaSession.client_id == body.client_id)
            ).scalar_one()
            return JSONResponse(_out(found), status_code=200)
        return JSONResponse(_out(row), status_code=201)


@router.get("/api/sessions/stats")
def stats(state: StateDep, uid: UserDep) -> dict[str, int | float]:
    with Session(state.read_engine) as s:
        rows = s.execute(
            select(YogaSession.date, YogaSession.duration, YogaSession.avg_accuracy).where(YogaSession.user_id == uid)
        ).all()
    sessions = [(parse_instant(iso(d)), minutes, acc) for d, minutes, acc in rows]
    return practice_stats(sessions, state.clock())


def _own(s: Session, uid: int, session_id: str) -> YogaSession:
    """The user's session, else 404 (someone else's, or no such id)."""
    row = s.get(YogaSession, int(session_id)) if session_id.isdigit() and len(session_id) < 10 else None
    if row is None or row.user_id != uid:
        raise HTTPException(404, "Session not found")
    return row


@router.get("/api/sessions/{session_id}")
def get_session(state: StateDep, uid: UserDep, session_id: str) -> dict[str, Any]:
    with Session(state.read_engine) as s:
        return _out(_own(s, uid, session_id))


@router.put("/api/sessions/{session_id}")
def update_session(state: StateDep, uid: UserDep, session_id: str, body: SessionIn | None = None) -> dict[str, Any]:
    """Replaces the session's content; without a body it answers the session unchanged."""
    with Session(state.engine) as s:
        row = _own(s, uid, session_id)
        if body is None:
            return _out(row)
        row.date = _date(body) if body.date else row.date
        row.duration, row.avg_accuracy, row.poses = body.duration, body.avg_accuracy, _poses(body)
        s.commit()
        return _out(row)


@router.delete("/api/sessions/{session_id}", status_code=204)
def delete_session(state: StateDep, uid: UserDep, session_id: str) -> Response:
    with Session(state.engine) as s:
        s.delete(_own(s, uid, session_id))
        s.commit()
    return Response(status_code=204)
