"""A Reboot Motion emulator on 127.0.0.1 (real HTTP) for the provider tests.

``x-api-key`` or bearer auth (``POST /oauth/token`` with username+password), ``GET /players``,
``GET /sessions`` (offset/limit, updated_since), ``GET /sessions/{id}``, ``POST /data_export``
returning download URLs served here at ``/files/...`` (``.csv`` or ``.csv.gz``). Every
download's headers are kept in ``downloads`` so a test can prove no credential was sent.
"""

from __future__ import annotations

import gzip
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.emulators.server import Request, Response
from tests.emulators.whoop import Recorder, query, z

CSV = b"time,pelvis_rot,torso_rot\n0.000,1.5,2.5\n0.004,1.6,2.7\n"


def make_sessions(now: datetime, n: int) -> list[dict[str, Any]]:
    out = []
    for i in range(n):
        day = now - timedelta(days=i + 1)
        out.append(
            {
                "id": f"sess-{i:04d}",
                "session_date": day.date().isoformat(),
                "session_name": f"Bullpen {i}",
                "session_num": i,
                "status": "processed" if i < 3 else "uploaded",
                "movement_type_id": 2,
                "org_player_ids": [f"player-{i % 2}"],
                "updated_at": z(day + timedelta(hours=2)),
                "created_at": z(day),
            }
        )
    return out


class RebootEmulator(Recorder):
    api_key = "rb-key-SECRET-123"
    email = "coach@example.com"
    password = "pw-SECRET-456"

    def __init__(self, sessions: list[dict[str, Any]] | None = None, *, gz: bool = True) -> None:
        super().__init__()
        self.sessions = sessions or []
        self.players = [
            {"org_player_id": "player-0", "first_name": "Sam", "last_name": "Pitcher", "dominant_hand_throwing": "R"},
            {"org_player_id": "player-1", "first_name": "Kai", "last_name": "Lefty", "dominant_hand_throwing": "L"},
        ]
        self.tokens: set[str] = set()
        self.gz = gz
        self.downloads: list[Request] = []
        self.exports: list[dict[str, Any]] = []
        self.players_missing = False
        self.fail_next: dict[str, list[str]] = {}
        self.expired_downloads = 0  # the next N downloads answer 403 (an expired pre-signed link)
        self.refuse_export_for: set[str] = set()  # session ids whose /data_export answers 404

    def _authorized(self, req: Request) -> bool:
        if req.headers.get("x-api-key") == self.api_key:
            return True
        auth = req.headers.get("authorization", "")
        return auth.startswith("Bearer ") and auth[7:] in self.tokens

    def route(self, req: Request) -> Response:
        queue = self.fail_next.get(req.path)
        failure = queue.pop(0) if queue else None
        if failure == "malformed" and self._authorized(req):
            return Response(200, raw=b'[{"id": ')
        if failure == "429":
            return Response(429, {"detail": "slow down"}, {"Retry-After": "1"})
        if req.path.startswith("/files/"):
            self.downloads.append(req)
            if self.expired_downloads:
                self.expired_downloads -= 1
                return Response(403, raw=b"<Error><Code>AccessDenied</Code><Message>expired</Message></Error>")
            data = CSV
            if req.path.endswith(".gz"):
                data = gzip.compress(CSV)
            return Response(200, raw=data, headers={"Content-Type": "application/octet-stream"})
        if req.path == "/oauth/token" and req.method == "POST":
            body = req.json() or {}
            if body.get("username") == self.email and body.get("password") == self.password:
                token = "rb-tok-" + secrets.token_hex(6)
                self.tokens.add(token)
                return Response(200, {"access_token": token, "token_type": "bearer", "expires_in": 86400})
            return Response(401, {"detail": "bad credentials"})
        if not self._authorized(req):
            return Response(401, {"detail": "unauthorized"})
        if req.path == "/players":
            return Response(404, {"detail": "Not Found"}) if self.players_missing else Response(200, self.players)
        if req.path == "/sessions":
            return self._sessions(req)
        if req.path.startswith("/sessions/"):
            sid = req.path.split("/")[-1]
            found = [s for s in self.sessions if s["id"] == sid]
            return (
                Response(200, {**found[0], "players": [{"org_player_id": p} for p in found[0]["org_player_ids"]]})
                if found
                else Response(404, {"detail": "Not Found"})
            )
        if req.path == "/data_export" and req.method == "POST":
            body = req.json() or {}
            if body.get("session_id") in self.refuse_export_for:
                return Response(404, {"detail": "No data for this movement type"})
            self.exports.append(body)
            host = req.headers.get("host", "127.0.0.1")
            ext = ".csv.gz" if self.gz else ".csv"
            name = f"{body['session_id']}-{body['org_player_id']}"
            return Response(
                200,
                {
                    "download_urls": [
                        f"http://{host}/files/{name}-a{ext}?X-Amz-Signature=abc",
                        f"http://{host}/files/{name}-b.csv?X-Amz-Signature=def",
                    ]
                },
            )
        return Response(404, {"detail": "Not Found"})

    def _sessions(self, req: Request) -> Response:
        q = query(req)
        offset, limit = int(q.get("offset", "0")), int(q.get("limit", "100"))
        rows = sorted(self.sessions, key=lambda s: s["id"])
        if "updated_since" in q:
            since = datetime.fromisoformat(q["updated_since"].replace("Z", "+00:00"))
            rows = [s for s in rows if datetime.fromisoformat(s["updated_at"].replace("Z", "+00:00")) >= since]
        return Response(200, rows[offset : offset + limit])


def now_utc() -> datetime:
    return datetime.now(UTC)
