"""Signing in to the team API, and the ``Caller`` dependency every other route takes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.models import User
from server.security import verify_password
from server.state import ServerState, server_state
from server.team.schemas import LoginIn

router = APIRouter()
_bearer = HTTPBearer(auto_error=False)
UNAUTHORIZED = {"WWW-Authenticate": "Bearer"}


@dataclass(frozen=True)
class Caller:
    user_id: int
    club_id: int


def caller(request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> Caller:
    """The signed-in user of a request; 401 when the bearer token is missing, invalid or expired."""
    claims = server_state(request).tokens.check(credentials.credentials) if credentials else None
    if claims is None or "club" not in claims:
        raise HTTPException(401, "token missing, invalid or expired", headers=UNAUTHORIZED)
    return Caller(int(claims["sub"]), int(claims["club"]))


CallerDep = Annotated[Caller, Depends(caller)]
StateDep = Annotated[ServerState, Depends(server_state)]


def _check(state: ServerState, email: str, password: str) -> User | None:
    with Session(state.read_engine) as s:
        user = s.execute(select(User).where(User.email == email.strip().lower())).scalar_one_or_none()
        ok = verify_password(user.password_hash if user else None, password)
        return user if ok else None


@router.post("/api/auth/login")
async def login(body: LoginIn, state: StateDep) -> dict[str, object]:
    user = await run_in_threadpool(_check, state, body.email, body.password)  # argon2 is slow on purpose
    if user is None:
        raise HTTPException(401, "bad credentials")
    token = state.tokens.issue(user.id, club=user.club_id)
    return {"access_token": token, "token_type": "bearer", "expires_in": state.tokens.ttl_s}
