"""Passwords (argon2) and signed, expiring access tokens (JWT, HS256).

The signing key is made once per database and kept in it, so every process of one server
accepts the tokens of the others, and a token of one server means nothing to another.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server.models import Meta

_HASHER = PasswordHasher()
# Verifying against this when the account does not exist takes as long as a real check.
_DUMMY_HASH = _HASHER.hash("not a password of anyone")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(stored or _DUMMY_HASH, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def signing_key(engine: Engine) -> str:
    with Session(engine) as s:
        row = s.get(Meta, "jwt_key")
        if row is not None:
            return row.value
        s.add(Meta(key="jwt_key", value=secrets.token_urlsafe(48)))
        try:
            s.commit()
        except IntegrityError:  # another process made it first
            s.rollback()
        return s.execute(select(Meta.value).where(Meta.key == "jwt_key")).scalar_one()


class Tokens:
    """Issues and checks the access tokens of one API (``audience`` keeps team and yoga apart)."""

    def __init__(self, key: str, audience: str, ttl_s: int) -> None:
        self.key = key
        self.audience = audience
        self.ttl_s = ttl_s

    def issue(self, subject: int, **claims: Any) -> str:
        now = int(time.time())
        payload = {"sub": str(subject), "aud": self.audience, "iat": now, "exp": now + self.ttl_s, **claims}
        return jwt.encode(payload, self.key, algorithm="HS256")

    def check(self, token: str) -> dict[str, Any] | None:
        """The claims of a valid, unexpired token, else None."""
        try:
            claims: dict[str, Any] = jwt.decode(token, self.key, algorithms=["HS256"], audience=self.audience)
        except jwt.PyJWTError:
            return None
        return claims
