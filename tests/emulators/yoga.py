"""Yoga cloud emulator (providers/yoga/openapi.yaml), real HTTP via ``LocalServer``.

Implements signup/login (expiring JWT-ish tokens), /auth/me, sessions with server-assigned
integer ids, ``client_id`` dedupe (200 with the stored session), ``since=`` filter (most
recent first), GET/PUT/DELETE by id, stats. ``ignore_client_id = True`` makes it an older
server that neither stores nor honours ``client_id``. Faults: see ``tests.emulators.server``.
"""

from __future__ import annotations

import re
import secrets
import time
from datetime import UTC, datetime
from typing import Any

from tests.emulators.server import FaultyApp, Request, Response


class Invalid(Exception):
    pass


def _parse_dt(value: Any) -> datetime:
    if not isinstance(value, str):
        raise Invalid("date: ISO 8601 expected")
    text = value[:-1] + "+00:00" if value.endswith("Z") else value
    try:
        dt = datetime.fromisoformat(text)
    except ValueError as exc:
        raise Invalid("date: ISO 8601 expected") from exc
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _iso(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class YogaServer(FaultyApp):
    def __init__(self, token_ttl: float = 3600.0, ignore_client_id: bool = False) -> None:
        super().__init__()
        self.token_ttl = token_ttl
        self.ignore_client_id = ignore_client_id
        self.users: dict[str, dict[str, Any]] = {}
        self.tokens: dict[str, tuple[float, int]] = {}
        self.sessions: dict[int, dict[str, Any]] = {}
        self.logins = 0
        self._next_id = 1
        self.routes: list[tuple[str, re.Pattern[str], Any]] = [
            ("GET", re.compile(r"^/api/health$"), lambda r, u: Response(200, {"status": "ok"})),
            ("POST", re.compile(r"^/auth/signup$"), self.signup),
            ("POST", re.compile(r"^/auth/login$"), self.login),
            ("GET", re.compile(r"^/auth/me$"), self.me),
            ("GET", re.compile(r"^/api/sessions/stats$"), self.stats),
            ("GET", re.compile(r"^/api/sessions$"), self.list_sessions),
            ("POST", re.compile(r"^/api/sessions$"), self.create),
            ("GET", re.compile(r"^/api/sessions/(\d+)$"), self.get),
            ("PUT", re.compile(r"^/api/sessions/(\d+)$"), self.update),
            ("DELETE", re.compile(r"^/api/sessions/(\d+)$"), self.delete),
        ]
        self.public = {"/api/health", "/auth/signup", "/auth/login"}

    # ------------------------------------------------------------------ helpers for tests
    def add_user(self, email: str, password: str, fullname: str = "Test Yogi") -> int:
        with self.lock:
            uid = len(self.users) + 1
            self.users[email] = {"id": uid, "fullname": fullname, "email": email, "password": password}
            return uid

    def expire_tokens(self) -> None:
        with self.lock:
            self.tokens = {t: (0.0, uid) for t, (_, uid) in self.tokens.items()}

    def user_sessions(self, email: str) -> list[dict[str, Any]]:
        with self.lock:
            uid = self.users[email]["id"]
            return [dict(s) for s in self.sessions.values() if s["user_id"] == uid]

    def add_remote_session(self, email: str, **fields: Any) -> dict[str, Any]:
        """A session recorded on another device."""
        with self.lock:
            body = {"duration": 15, "avg_accuracy": 70.0, "poses": [], **fields}
            return self._store(self.users[email]["id"], self.validate(body))

    # ------------------------------------------------------------------ plumbing
    def route(self, request: Request) -> Response:
        allowed = False
        for method, pattern, fn in self.routes:
            m = pattern.match(request.path)
            if m is None:
                continue
            allowed = True
            if method != request.method:
                continue
            uid = 0
            if request.path not in self.public:
                found = self._user(request)
                if found is None:
                    return Response(401, {"detail": "Could not validate credentials"})
                uid = found
            try:
                return fn(request, uid, *m.groups())  # type: ignore[no-any-return]
            except Invalid as exc:
                return Response(422, {"detail": str(exc)})
        return Response(405 if allowed else 404, {"detail": "not found" if not allowed else "method not allowed"})

    def _user(self, request: Request) -> int | None:
        auth = request.header("authorization") or ""
        if not auth.startswith("Bearer "):
            return None
        entry = self.tokens.get(auth[7:])
        if entry is None or entry[0] <= time.monotonic():
            return None
        return entry[1]

    def signup(self, request: Request, _uid: int) -> Response:
        body = request.json() or {}
        missing = [k for k in ("fullname", "email", "password", "sex", "dob") if not body.get(k)]
        if missing:
            raise Invalid(f"missing: {', '.join(missing)}")
        if body["email"] in self.users:
            return Response(409, {"detail": "Email already registered"})
        uid = self.add_user(body["email"], body["password"], body["fullname"])
        return Response(201, {"id": uid, "fullname": body["fullname"], "email": body["email"]})

    def login(self, request: Request, _uid: int) -> Response:
        body = request.json() or {}
        user = self.users.get(body.get("email"))
        if user is None or user["password"] != body.get("password"):
            return Response(401, {"detail": "Incorrect email or password"})
        token = "eyJ." + secrets.token_urlsafe(24)
        self.tokens[token] = (time.monotonic() + self.token_ttl, user["id"])
        self.logins += 1
        return Response(200, {"access_token": token, "token_type": "bearer", "expires_in": int(self.token_ttl)})

    def me(self, request: Request, uid: int) -> Response:
        user = next(u for u in self.users.values() if u["id"] == uid)
        return Response(200, {"id": uid, "fullname": user["fullname"], "email": user["email"]})

    # ------------------------------------------------------------------ sessions
    def validate(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise Invalid("body must be an object")
        duration = body.get("duration")
        if not isinstance(duration, int) or isinstance(duration, bool) or duration < 0:
            raise Invalid("duration: whole minutes >= 0")
        avg = body.get("avg_accuracy")
        if not isinstance(avg, int | float) or not 0 <= avg <= 100:
            raise Invalid("avg_accuracy: 0 to 100")
        poses = body.get("poses")
        if not isinstance(poses, list):
            raise Invalid("poses: a list")
        for p in poses:
            if not isinstance(p, dict) or not isinstance(p.get("pose_name"), str):
                raise Invalid("poses: pose_name required")
            acc = p.get("accuracy")
            if not isinstance(acc, int | float) or not 0 <= acc <= 100:
                raise Invalid("poses: accuracy 0 to 100")
        date = _iso(_parse_dt(body["date"])) if body.get("date") else _iso(datetime.now(UTC))
        return {
            "client_id": body.get("client_id"),
            "date": date,
            "duration": duration,
            "avg_accuracy": float(avg),
            "poses": [dict(p) for p in poses],
        }

    def _store(self, uid: int, rec: dict[str, Any]) -> dict[str, Any]:
        if self.ignore_client_id:
            rec.pop("client_id", None)
        rec.update(id=self._next_id, user_id=uid, total_poses=len(rec["poses"]), created_at=_iso(datetime.now(UTC)))
        self.sessions[self._next_id] = rec
        self._next_id += 1
        return dict(rec)

    def create(self, request: Request, uid: int) -> Response:
        rec = self.validate(request.json())
        cid = rec.get("client_id")
        if cid and not self.ignore_client_id:
            for s in self.sessions.values():
                if s["user_id"] == uid and s.get("client_id") == cid:
                    return Response(200, dict(s))
        return Response(201, self._store(uid, rec))

    def list_sessions(self, request: Request, uid: int) -> Response:
        rows = [s for s in self.sessions.values() if s["user_id"] == uid]
        since = request.arg("since")
        if since:
            t = _parse_dt(since)
            rows = [s for s in rows if _parse_dt(s["date"]) >= t]
        rows.sort(key=lambda s: (s["date"], s["id"]), reverse=True)
        return Response(200, [dict(s) for s in rows])

    def _own(self, uid: int, sid: str) -> dict[str, Any] | None:
        rec = self.sessions.get(int(sid))
        return rec if rec is not None and rec["user_id"] == uid else None

    def get(self, request: Request, uid: int, sid: str) -> Response:
        rec = self._own(uid, sid)
        return Response(200, dict(rec)) if rec else Response(404, {"detail": "Session not found"})

    def update(self, request: Request, uid: int, sid: str) -> Response:
        rec = self._own(uid, sid)
        if rec is None:
            return Response(404, {"detail": "Session not found"})
        new = self.validate(request.json())
        if self.ignore_client_id or not new.get("client_id"):
            new.pop("client_id", None)
        rec.update(new)
        rec["total_poses"] = len(rec["poses"])
        return Response(200, dict(rec))

    def delete(self, request: Request, uid: int, sid: str) -> Response:
        rec = self._own(uid, sid)
        if rec is None:
            return Response(404, {"detail": "Session not found"})
        del self.sessions[rec["id"]]
        return Response(204)

    def stats(self, request: Request, uid: int) -> Response:
        rows = [s for s in self.sessions.values() if s["user_id"] == uid]
        avg = sum(s["avg_accuracy"] for s in rows) / len(rows) if rows else 0.0
        return Response(
            200,
            {
                "sessions_this_week": len(rows),
                "mindful_minutes": sum(s["duration"] for s in rows),
                "current_streak": 0,
                "avg_accuracy": avg,
            },
        )
