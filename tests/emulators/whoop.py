"""A WHOOP v2 emulator on 127.0.0.1 (real HTTP) for the provider tests.

Serves ``/developer/v2/...`` (API), ``/oauth/oauth2/auth`` (redirects to the redirect_uri with
``code`` + ``state``, so a test can play the browser) and ``/oauth/oauth2/token``
(authorization_code and refresh_token grants, with refresh-token ROTATION: a used refresh
token is refused with 400 invalid_grant). Knobs: ``access_lifetime``, ``fail_next`` (429 /
malformed JSON / 500 for the next request on a path), ``repeat_token`` (Prism-like paging),
``rescore``. Everything it saw is in ``requests``.
"""

from __future__ import annotations

import base64
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode

from tests.emulators.server import Request, Response


class Recorder:
    """Base of the emulators: keeps every request it saw (``requests``) and answers ``route``."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self._log_lock = threading.Lock()

    def handle(self, request: Request) -> Response:
        with self._log_lock:
            self.requests.append(request)
        return self.route(request)

    def route(self, request: Request) -> Response:  # overridden
        return Response(404, {"error": "not found"})


def query(request: Request) -> dict[str, str]:
    return {k: v[0] for k, v in request.query.items()}


def z(dt: datetime) -> str:
    return dt.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


@dataclass
class WhoopData:
    user_id: int = 10129
    cycles: list[dict[str, Any]] = field(default_factory=list)
    recoveries: list[dict[str, Any]] = field(default_factory=list)
    sleeps: list[dict[str, Any]] = field(default_factory=list)
    workouts: list[dict[str, Any]] = field(default_factory=list)
    profile: dict[str, Any] | None = None  # None: the default athlete below
    body: dict[str, Any] | None = None


def make_data(now: datetime, days: int = 30, workouts_per_day: int = 1, pending_latest: bool = True) -> WhoopData:
    """``days`` days of cycles/recoveries/sleeps and workouts, newest possibly PENDING_SCORE."""
    data = WhoopData()
    for d in range(days):
        day = now - timedelta(days=d + 1)
        cid = 1000 + d
        sid = f"00000000-0000-4000-8000-{d:012d}"
        pending = pending_latest and d == 0
        state = "PENDING_SCORE" if pending else "SCORED"
        stamp = z(day + timedelta(hours=10))
        data.cycles.append(
            {
                "id": cid,
                "user_id": data.user_id,
                "created_at": stamp,
                "updated_at": stamp,
                "start": z(day),
                "end": z(day + timedelta(hours=23)),
                "timezone_offset": "+01:00",
                "score_state": state,
                "step_count": 1234,
                **(
                    {}
                    if pending
                    else {
                        "score": {
                            "strain": 10.5 + d % 5,
                            "kilojoule": 8000.0,
                            "average_heart_rate": 70,
                            "max_heart_rate": 170,
                        }
                    }
                ),
            }
        )
        data.sleeps.append(
            {
                "id": sid,
                "cycle_id": cid,
                "user_id": data.user_id,
                "created_at": stamp,
                "updated_at": stamp,
                "start": z(day - timedelta(hours=8)),
                "end": z(day),
                "timezone_offset": "+01:00",
                "nap": False,
                "score_state": state,
                **(
                    {}
                    if pending
                    else {
                        "score": {
                            "stage_summary": {
                                "total_in_bed_time_milli": 28_800_000,
                                "total_awake_time_milli": 1_800_000,
                                "total_no_data_time_milli": 0,
                                "total_light_sleep_time_milli": 14_000_000,
                                "total_slow_wave_sleep_time_milli": 6_000_000,
                                "total_rem_sleep_time_milli": 7_000_000,
                                "sleep_cycle_count": 4,
                                "disturbance_count": 10,
                            },
                            "sleep_needed": {
                                "baseline_milli": 27_000_000,
                                "need_from_sleep_debt_milli": 0,
                                "need_from_recent_strain_milli": 0,
                                "need_from_recent_nap_milli": 0,
                            },
                            "respiratory_rate": 15.2,
                            "sleep_performance_percentage": 91.0,
                            "sleep_consistency_percentage": 85.0,
                            "sleep_efficiency_percentage": 93.0,
                        }
                    }
                ),
            }
        )
        data.recoveries.append(
            {
                "cycle_id": cid,
                "sleep_id": sid,
                "user_id": data.user_id,
                "created_at": z(day),
                "updated_at": stamp,
                "score_state": state,
                **(
                    {}
                    if pending
                    else {
                        "score": {
                            "user_calibrating": False,
                            "recovery_score": 60.0 + d % 30,
                            "resting_heart_rate": 50.0,
                            "hrv_rmssd_milli": 80.5,
                        }
                    }
                ),
            }
        )
        for w in range(workouts_per_day):
            data.workouts.append(
                {
                    "id": f"11111111-0000-4000-8000-{d * 10 + w:012d}",
                    "user_id": data.user_id,
                    "created_at": stamp,
                    "updated_at": stamp,
                    "start": z(day + timedelta(hours=12 + w)),
                    "end": z(day + timedelta(hours=13 + w)),
                    "timezone_offset": "+01:00",
                    "sport_name": "running",
                    "score_state": "SCORED",
                    "score": {
                        "strain": 8.0,
                        "average_heart_rate": 140,
                        "max_heart_rate": 180,
                        "kilojoule": 2000.0,
                        "percent_recorded": 100.0,
                        "distance_meter": 5000.0,
                        "zone_durations": {
                            f"zone_{n}_milli": 0 for n in ("zero", "one", "two", "three", "four", "five")
                        },
                    },
                }
            )
    return data


def score(record: dict[str, Any], kind: str, now: datetime) -> None:
    """Turn a PENDING_SCORE record into SCORED (as WHOOP does later), bumping updated_at."""
    record["score_state"] = "SCORED"
    record["updated_at"] = z(now)
    record["score"] = {
        "cycle": {"strain": 14.2, "kilojoule": 9000.0, "average_heart_rate": 72, "max_heart_rate": 175},
        "recovery": {
            "user_calibrating": False,
            "recovery_score": 77.0,
            "resting_heart_rate": 49.0,
            "hrv_rmssd_milli": 90.0,
        },
    }[kind]


class WhoopEmulator(Recorder):
    client_id = "fm-client-id"
    client_secret = "fm-client-secret-XYZ"

    def __init__(self, data: WhoopData | None = None, *, access_lifetime: int = 3600) -> None:
        super().__init__()
        self.data = data or WhoopData()
        self.access_lifetime = access_lifetime
        self.access_tokens: dict[str, float] = {}  # token -> expiry (time.time())
        self.refresh_tokens: set[str] = set()
        self.spent_refresh_tokens: set[str] = set()
        self.codes: dict[str, str] = {}  # code -> redirect_uri
        self.refresh_grants = 0
        self.refused_refreshes = 0
        self.token_requests: list[dict[str, str]] = []
        self.authorize_requests: list[dict[str, str]] = []
        self.fail_next: dict[str, list[str]] = {}  # path -> ["429", "429-reset", "malformed", "500"]
        self.repeat_token = False
        self.revoked = False
        self.refresh_delay = 0.0  # seconds the token endpoint takes (to widen races)
        self.state_lock = threading.Lock()

    # -- helpers for tests --------------------------------------------------------------------
    def issue_tokens(self) -> dict[str, Any]:
        access = "acc-" + secrets.token_hex(8)
        refresh = "ref-" + secrets.token_hex(8)
        self.access_tokens[access] = time.time() + self.access_lifetime
        self.refresh_tokens.add(refresh)
        return {
            "access_token": access,
            "refresh_token": refresh,
            "expires_in": self.access_lifetime,
            "scope": "offline read:recovery read:cycles read:workout read:sleep read:profile read:body_measurement",
            "token_type": "bearer",
        }

    def expire_access_tokens(self) -> None:
        with self.state_lock:
            for token in self.access_tokens:
                self.access_tokens[token] = 0.0

    def api_requests(self, prefix: str = "/developer/v2/") -> list[Request]:
        return [r for r in self.requests if r.path.startswith(prefix)]

    # -- HTTP -----------------------------------------------------------------------------
    def route(self, req: Request) -> Response:
        if req.path == "/oauth/oauth2/auth":
            return self._authorize(req)
        if req.path == "/oauth/oauth2/token" and req.method == "POST":
            return self._token(req)
        if req.path.startswith("/developer/v2/"):
            return self._api(req)
        return Response(404, {"error": "not found"})

    def _authorize(self, req: Request) -> Response:
        q = query(req)
        self.authorize_requests.append(q)
        if q.get("client_id") != self.client_id or q.get("response_type") != "code":
            return Response(400, {"error": "invalid_request"})
        if len(q.get("state", "")) < 8:
            return Response(400, {"error": "invalid_state"})
        code = "code-" + secrets.token_hex(6)
        self.codes[code] = q["redirect_uri"]
        location = q["redirect_uri"] + "?" + urlencode({"code": code, "scope": q.get("scope", ""), "state": q["state"]})
        return Response(302, None, {"Location": location})

    def _token(self, req: Request) -> Response:
        form = {k: v[0] for k, v in parse_qs(req.body.decode()).items()}
        with self.state_lock:
            self.token_requests.append(form)
        if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
            return Response(401, {"error": "invalid_client"})
        if form.get("grant_type") == "authorization_code":
            with self.state_lock:
                uri = self.codes.pop(form.get("code", ""), None)
                if uri is None or uri != form.get("redirect_uri"):
                    return Response(400, {"error": "invalid_grant"})
                return Response(200, self.issue_tokens())
        if form.get("grant_type") == "refresh_token":
            if self.refresh_delay:
                time.sleep(self.refresh_delay)
            with self.state_lock:
                token = form.get("refresh_token", "")
                if token not in self.refresh_tokens:
                    self.refused_refreshes += 1
                    return Response(400, {"error": "invalid_grant"})
                self.refresh_tokens.discard(token)
                self.spent_refresh_tokens.add(token)
                self.refresh_grants += 1
                body = self.issue_tokens()
                if "offline" not in form.get("scope", "").split():
                    body.pop("refresh_token")
                return Response(200, body)
        return Response(400, {"error": "unsupported_grant_type"})

    def _authorized(self, req: Request) -> bool:
        auth = req.headers.get("authorization", "")
        if not auth.startswith("Bearer "):
            return False
        with self.state_lock:
            return self.access_tokens.get(auth[7:], 0.0) > time.time()

    def _api(self, req: Request) -> Response:
        path = req.path[len("/developer") :]
        with self.state_lock:
            queue = self.fail_next.get(path)
            failure = queue.pop(0) if queue else None
        if failure == "ok":
            failure = None
        if failure == "429":
            return Response(429, {"error": "rate limited"}, {"Retry-After": "7"})
        if failure == "429-reset":
            return Response(
                429,
                {"error": "rate limited"},
                {"X-RateLimit-Reset": "3", "X-RateLimit-Limit": "100, 100;window=60", "X-RateLimit-Remaining": "0"},
            )
        if failure == "500":
            return Response(500, {"error": "boom"})
        if not self._authorized(req):
            return Response(401, {"error": "invalid authorization"})
        if failure == "malformed":
            return Response(200, raw=b'{"records": [{"id": 1, "start": ')
        if path == "/v2/user/access" and req.method == "DELETE":
            self.revoked = True
            with self.state_lock:
                self.access_tokens.clear()
                self.refresh_tokens.clear()
            return Response(204)
        if path == "/v2/user/profile/basic":
            return Response(
                200,
                self.data.profile
                or {
                    "user_id": self.data.user_id,
                    "email": "athlete@example.com",
                    "first_name": "Ada",
                    "last_name": "Runner",
                },
            )
        if path == "/v2/user/measurement/body":
            return Response(
                200, self.data.body or {"height_meter": 1.8, "weight_kilogram": 75.5, "max_heart_rate": 195}
            )
        collections = {
            "/v2/cycle": (self.data.cycles, "start"),
            "/v2/recovery": (self.data.recoveries, "created_at"),
            "/v2/activity/sleep": (self.data.sleeps, "start"),
            "/v2/activity/workout": (self.data.workouts, "start"),
        }
        if path in collections:
            items, key = collections[path]
            return self._page(req, items, key)
        return Response(404, {"error": "not found"})

    def _page(self, req: Request, items: list[dict[str, Any]], key: str) -> Response:
        q = query(req)
        try:
            limit = int(q.get("limit", "10"))
        except ValueError:
            return Response(400, {"error": "limit must be an integer"})
        if not 1 <= limit <= 25:
            return Response(400, {"error": "limit must be <= 25"})
        start = _parse(q["start"]) if "start" in q else None
        rows = sorted(items, key=lambda r: r[key], reverse=True)
        if start is not None:
            rows = [r for r in rows if _parse(r[key]) >= start]
        offset = int(base64.b64decode(q["nextToken"]).decode()) if q.get("nextToken") and not self.repeat_token else 0
        page = rows[offset : offset + limit]
        body: dict[str, Any] = {"records": page}
        if self.repeat_token:
            body["next_token"] = "MTIzOjEyMzEyMw"
        elif offset + limit < len(rows):
            body["next_token"] = base64.b64encode(str(offset + limit).encode()).decode()
        return Response(200, body)
