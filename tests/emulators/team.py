"""Team server emulator (providers/team/openapi.yaml), real HTTP via ``LocalServer``.

Implements: login with expiring tokens, idempotent POST by id (201 then 200 replay), PUT with
``If-Match`` (409 + current record), DELETE (204, 404 unknown, 204 again), ``updated_since``
+ keyset ``cursor`` paging with deleted flags, lineups, the ``/api/sync/events`` batch (<= 500,
per-item results), the share link, MatchView. Faults: see ``tests.emulators.faults``.

Helpers for tests: ``add_user``, ``expire_tokens``, ``edit`` (a change "from another device"),
``records(kind)`` (what the server holds).
"""

from __future__ import annotations

import re
import secrets
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.emulators.server import FaultyApp, Request, Response

EVENT_KINDS = {
    "goal",
    "assist",
    "key_pass",
    "save",
    "interception",
    "tackle",
    "foul",
    "penalty",
    "free_kick",
    "ball_out",
    "own_goal",
    "substitution",
    "yellow_card",
    "red_card",
    "period_start",
    "period_end",
    # contract 1.1
    "shot_on_target",
    "shot_off_target",
    "corner",
    "offside",
    "shootout_goal",
    "shootout_miss",
}
FIELDS = {
    "team": ("name",),
    "player": ("team_id", "name", "shirt_number", "position"),
    "match": (
        "team_id",
        "home_team",
        "away_team",
        "kickoff_at",
        "venue",
        "status",
        "current_period",
        "period_length_min",
        "home_team_id",
        "away_team_id",
        "regular_periods",
        "extra_time_length_min",
    ),
    "event": (
        "match_id",
        "kind",
        "team",
        "player_id",
        "related_player_id",
        "period",
        "clock_ms",
        "note",
        "logged_at",
        "reason",
    ),
}
OPTIONAL_1_1 = {"home_team_id", "away_team_id", "regular_periods", "extra_time_length_min", "reason"}
DEFAULTS: dict[str, dict[str, Any]] = {
    "team": {},
    "player": {"shirt_number": None, "position": None},
    "match": {
        "team_id": None,
        "venue": None,
        "status": "scheduled",
        "current_period": 0,
        "period_length_min": 45,
        "home_team_id": None,
        "away_team_id": None,
        "regular_periods": 2,
        "extra_time_length_min": 15,
    },
    "event": {"player_id": None, "related_player_id": None, "note": None, "logged_at": None, "reason": None},
}


class Invalid(Exception):
    pass


def _parse_dt(value: Any) -> datetime:
    if not isinstance(value, str):
        raise Invalid("not a date-time")
    text = value[:-1] + "+00:00" if value.endswith("Z") else value
    try:
        dt = datetime.fromisoformat(text)
    except ValueError as exc:
        raise Invalid(f"not a date-time: {value}") from exc
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


class TeamServer(FaultyApp):
    def __init__(self, token_ttl: float = 3600.0, page_max: int = 500) -> None:
        super().__init__()
        self.token_ttl = token_ttl
        self.page_max = page_max
        self.users: dict[str, str] = {}
        self.tokens: dict[str, float] = {}
        self.logins = 0
        self.data: dict[str, dict[str, dict[str, Any]]] = {k: {} for k in FIELDS}
        self.lineups: dict[str, list[dict[str, Any]]] = {}
        self._last = datetime(2000, 1, 1, tzinfo=UTC)
        self.routes: list[tuple[str, re.Pattern[str], Any]] = [
            ("POST", re.compile(r"^/api/auth/login$"), self.login),
            ("GET", re.compile(r"^/api/health$"), lambda r: Response(200, {"status": "ok"})),
            ("GET", re.compile(r"^/api/teams$"), lambda r: self.list_("team", r)),
            ("POST", re.compile(r"^/api/teams$"), lambda r: self.create("team", r)),
            ("GET", re.compile(r"^/api/teams/([^/]+)/players$"), self.list_players),
            ("POST", re.compile(r"^/api/teams/([^/]+)/players$"), self.create_player),
            ("PUT", re.compile(r"^/api/players/([^/]+)$"), lambda r, i: self.update("player", i, r)),
            ("DELETE", re.compile(r"^/api/players/([^/]+)$"), lambda r, i: self.delete("player", i)),
            ("GET", re.compile(r"^/api/matches$"), lambda r: self.list_("match", r)),
            ("POST", re.compile(r"^/api/matches$"), lambda r: self.create("match", r)),
            ("GET", re.compile(r"^/api/matches/([^/]+)$"), self.match_view),
            ("PUT", re.compile(r"^/api/matches/([^/]+)$"), lambda r, i: self.update("match", i, r)),
            ("DELETE", re.compile(r"^/api/matches/([^/]+)$"), lambda r, i: self.delete("match", i)),
            ("GET", re.compile(r"^/api/matches/([^/]+)/lineup$"), self.get_lineup),
            ("PUT", re.compile(r"^/api/matches/([^/]+)/lineup$"), self.put_lineup),
            ("GET", re.compile(r"^/api/matches/([^/]+)/events$"), self.list_events),
            ("POST", re.compile(r"^/api/matches/([^/]+)/events$"), self.create_event),
            ("PUT", re.compile(r"^/api/events/([^/]+)$"), lambda r, i: self.update("event", i, r)),
            ("DELETE", re.compile(r"^/api/events/([^/]+)$"), lambda r, i: self.delete("event", i)),
            ("POST", re.compile(r"^/api/sync/events$"), self.batch_events),
            ("GET", re.compile(r"^/api/matches/([^/]+)/share$"), self.share),
        ]

    # ------------------------------------------------------------------ test helpers
    def add_user(self, email: str, password: str) -> None:
        with self.lock:
            self.users[email] = password

    def expire_tokens(self) -> None:
        with self.lock:
            self.tokens = {t: 0.0 for t in self.tokens}

    def records(self, kind: str, include_deleted: bool = True) -> dict[str, dict[str, Any]]:
        with self.lock:
            return {k: dict(v) for k, v in self.data[kind].items() if include_deleted or not v["deleted"]}

    def edit(self, kind: str, record_id: str, **changes: Any) -> dict[str, Any]:
        """A change made by another device."""
        with self.lock:
            rec = self.data[kind][record_id]
            rec.update(changes)
            rec["updated_at"] = self.now()
            return dict(rec)

    def now(self) -> str:
        with self.lock:
            t = datetime.now(UTC)
            if t <= self._last:
                t = self._last + timedelta(microseconds=1)
            self._last = t
            return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    # ------------------------------------------------------------------ plumbing
    def route(self, request: Request) -> Response:
        for method, pattern, fn in self.routes:
            m = pattern.match(request.path)
            if m is None:
                continue
            if method != request.method:
                continue
            if request.path not in ("/api/auth/login", "/api/health") and not self._authorized(request):
                return Response(401, {"detail": "token missing, invalid or expired"})
            try:
                return fn(request, *m.groups())  # type: ignore[no-any-return]
            except Invalid as exc:
                return Response(422, {"detail": str(exc)})
        if any(p.match(request.path) for _, p, _ in self.routes):
            return Response(405, {"detail": "method not allowed"})
        return Response(404, {"detail": "not found"})

    def _authorized(self, request: Request) -> bool:
        auth = request.header("authorization") or ""
        if not auth.startswith("Bearer "):
            return False
        expiry = self.tokens.get(auth[7:])
        return expiry is not None and expiry > time.monotonic()

    def login(self, request: Request) -> Response:
        body = request.json() or {}
        if self.users.get(body.get("email")) != body.get("password") or not body.get("password"):
            return Response(401, {"detail": "bad credentials"})
        token = "tok_" + secrets.token_hex(16)
        self.tokens[token] = time.monotonic() + self.token_ttl
        self.logins += 1
        return Response(200, {"access_token": token, "token_type": "bearer", "expires_in": int(self.token_ttl)})

    def out(self, kind: str, rec: dict[str, Any]) -> dict[str, Any]:
        data = dict(rec)
        if kind == "match":
            data["score"] = self.score(rec["id"])
        return data

    def score(self, match_id: str) -> dict[str, Any]:
        score: dict[str, Any] = {"home": 0, "away": 0}
        shootout = {"home": 0, "away": 0}
        for ev in self.data["event"].values():
            if ev["match_id"] == match_id and not ev["deleted"]:
                if ev["kind"] == "goal":
                    score[ev["team"]] += 1
                elif ev["kind"] == "own_goal":
                    score["away" if ev["team"] == "home" else "home"] += 1
                elif ev["kind"] == "shootout_goal":
                    shootout[ev["team"]] += 1
        played = int(self.data["match"].get(match_id, {}).get("current_period", 0)) >= 5
        score["shootout"] = shootout if played else None
        return score

    # ------------------------------------------------------------------ validation
    def validate(self, kind: str, body: Any, creating: bool) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise Invalid("body must be a JSON object")
        rec: dict[str, Any] = dict(DEFAULTS[kind]) if creating else {}
        for name in FIELDS[kind]:
            if name in body:
                rec[name] = body[name]
        if creating:
            if not isinstance(body.get("id"), str) or len(body["id"]) < 8:
                raise Invalid("id: a UUID is required")
            missing = [n for n in FIELDS[kind] if n not in rec and n not in OPTIONAL_1_1]
            if missing:
                raise Invalid(f"missing fields: {', '.join(missing)}")
        if "name" in rec and not (isinstance(rec["name"], str) and 1 <= len(rec["name"]) <= 120):
            raise Invalid("name: 1 to 120 characters")
        if kind == "player":
            sn = rec.get("shirt_number")
            if sn is not None and not (isinstance(sn, int) and 0 <= sn <= 99):
                raise Invalid("shirt_number: 0 to 99")
            if rec.get("position") not in (None, "GK", "DF", "MF", "FW"):
                raise Invalid("position: GK, DF, MF or FW")
        if kind == "match":
            if "kickoff_at" in rec:
                _parse_dt(rec["kickoff_at"])
            if rec.get("status", "scheduled") not in ("scheduled", "live", "finished"):
                raise Invalid("status: scheduled, live or finished")
            if not 0 <= int(rec.get("current_period", 0)) <= 5:
                raise Invalid("current_period: 0 to 5")
            if not 1 <= int(rec.get("regular_periods", 2)) <= 4:
                raise Invalid("regular_periods: 1 to 4")
            if not 1 <= int(rec.get("period_length_min", 45)) <= 60:
                raise Invalid("period_length_min: 1 to 60")
        if kind == "event":
            if "kind" in rec and rec["kind"] not in EVENT_KINDS:
                raise Invalid(f"kind: unknown event kind {rec['kind']!r}")
            if "team" in rec and rec["team"] not in ("home", "away"):
                raise Invalid("team: home or away")
            if "period" in rec and not (isinstance(rec["period"], int) and 1 <= rec["period"] <= 5):
                raise Invalid("period: 1 to 5")
            if rec.get("reason") not in (None, "second_yellow"):
                raise Invalid("reason: second_yellow or null")
            if "clock_ms" in rec and not (isinstance(rec["clock_ms"], int) and rec["clock_ms"] >= 0):
                raise Invalid("clock_ms: a whole number >= 0")
            note = rec.get("note")
            if note is not None and (not isinstance(note, str) or len(note) > 500):
                raise Invalid("note: at most 500 characters")
        return rec

    # ------------------------------------------------------------------ generic CRUD
    def _store_new(self, kind: str, body: Any) -> tuple[int, dict[str, Any]]:
        if isinstance(body, dict) and body.get("id") in self.data[kind]:
            return 200, self.out(kind, self.data[kind][body["id"]])
        rec = self.validate(kind, body, creating=True)
        rec["id"] = body["id"]
        rec["updated_at"] = self.now()
        rec["deleted"] = False
        self.data[kind][rec["id"]] = rec
        return 201, self.out(kind, rec)

    def create(self, kind: str, request: Request) -> Response:
        status, rec = self._store_new(kind, request.json())
        return Response(status, rec)

    def create_player(self, request: Request, team_id: str) -> Response:
        if team_id not in self.data["team"]:
            return Response(404, {"detail": "unknown team"})
        body = request.json()
        if isinstance(body, dict):
            body = {**body, "team_id": team_id}
        return self.create_from("player", body)

    def create_from(self, kind: str, body: Any) -> Response:
        status, rec = self._store_new(kind, body)
        return Response(status, rec)

    def create_event(self, request: Request, match_id: str) -> Response:
        if match_id not in self.data["match"]:
            return Response(404, {"detail": "unknown match"})
        body = request.json()
        if isinstance(body, dict):
            body = {**body, "match_id": match_id}
        return self.create_from("event", body)

    def update(self, kind: str, record_id: str, request: Request) -> Response:
        rec = self.data[kind].get(record_id)
        if rec is None or rec["deleted"]:
            return Response(404, {"detail": f"{kind} not found"})
        if_match = request.header("if-match")
        if if_match is not None and if_match != rec["updated_at"]:
            return Response(409, self.out(kind, rec))
        changes = self.validate(kind, request.json(), creating=False)
        rec.update(changes)
        rec["updated_at"] = self.now()
        return Response(200, self.out(kind, rec))

    def delete(self, kind: str, record_id: str) -> Response:
        rec = self.data[kind].get(record_id)
        if rec is None:
            return Response(404, {"detail": f"{kind} not found"})
        if not rec["deleted"]:
            rec["deleted"] = True
            rec["updated_at"] = self.now()
            if kind == "match":
                for ev in self.data["event"].values():
                    if ev["match_id"] == record_id and not ev["deleted"]:
                        ev["deleted"] = True
                        ev["updated_at"] = self.now()
        return Response(204)

    def _page(self, kind: str, rows: list[dict[str, Any]], request: Request) -> Response:
        since = request.arg("updated_since")
        if since:
            try:
                t = _parse_dt(since)
            except Invalid:
                return Response(422, {"detail": "updated_since: ISO 8601 expected"})
            rows = [r for r in rows if _parse_dt(r["updated_at"]) > t]
        rows.sort(key=lambda r: (r["updated_at"], r["id"]))
        cursor = request.arg("cursor")
        if cursor:
            after_ts, _, after_id = cursor.partition("|")
            rows = [r for r in rows if (r["updated_at"], r["id"]) > (after_ts, after_id)]
        try:
            limit = min(int(request.arg("limit", "100") or 100), self.page_max)
        except ValueError:
            return Response(422, {"detail": "limit: a number"})
        page = rows[:limit]
        nxt = f"{page[-1]['updated_at']}|{page[-1]['id']}" if len(rows) > limit else None
        return Response(200, {"items": [self.out(kind, r) for r in page], "next_cursor": nxt})

    def list_(self, kind: str, request: Request) -> Response:
        return self._page(kind, list(self.data[kind].values()), request)

    def list_players(self, request: Request, team_id: str) -> Response:
        if team_id not in self.data["team"]:
            return Response(404, {"detail": "unknown team"})
        return self._page("player", [p for p in self.data["player"].values() if p["team_id"] == team_id], request)

    def list_events(self, request: Request, match_id: str) -> Response:
        if match_id not in self.data["match"]:
            return Response(404, {"detail": "unknown match"})
        return self._page("event", [e for e in self.data["event"].values() if e["match_id"] == match_id], request)

    # ------------------------------------------------------------------ lineups, batch, share, view
    def get_lineup(self, request: Request, match_id: str) -> Response:
        if match_id not in self.data["match"]:
            return Response(404, {"detail": "unknown match"})
        return Response(200, {"items": list(self.lineups.get(match_id, []))})

    def put_lineup(self, request: Request, match_id: str) -> Response:
        if match_id not in self.data["match"]:
            return Response(404, {"detail": "unknown match"})
        body = request.json()
        items = body.get("items") if isinstance(body, dict) else None
        if not isinstance(items, list):
            raise Invalid("items: a list")
        clean = []
        for item in items:
            if not isinstance(item, dict) or item.get("player_id") not in self.data["player"]:
                raise Invalid("items: unknown player")
            clean.append(
                {
                    "player_id": item["player_id"],
                    "starting": bool(item.get("starting")),
                    "shirt_number": item.get("shirt_number"),
                }
            )
        self.lineups[match_id] = clean
        return Response(200, {"items": clean})

    def batch_events(self, request: Request) -> Response:
        body = request.json()
        events = body.get("events") if isinstance(body, dict) else None
        if not isinstance(events, list):
            raise Invalid("events: a list")
        if len(events) > 500:
            return Response(413, {"detail": "at most 500 events per request"})
        results = []
        for ev in events:
            ev_id = ev.get("id") if isinstance(ev, dict) else None
            if isinstance(ev_id, str) and ev_id in self.data["event"]:
                results.append({"id": ev_id, "status": "replayed", "detail": None})
                continue
            if not isinstance(ev, dict) or ev.get("match_id") not in self.data["match"]:
                results.append({"id": ev_id, "status": "rejected", "detail": "unknown match"})
                continue
            try:
                self._store_new("event", ev)
            except Invalid as exc:
                results.append({"id": ev_id, "status": "rejected", "detail": str(exc)})
                continue
            results.append({"id": ev_id, "status": "created", "detail": None})
        return Response(200, {"results": results})

    def share(self, request: Request, match_id: str) -> Response:
        rec = self.data["match"].get(match_id)
        if rec is None or rec["deleted"]:
            return Response(404, {"detail": "unknown match"})
        token = secrets.token_urlsafe(12)
        host = request.header("host") or "127.0.0.1"
        expires = (datetime.now(UTC) + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M:%SZ")
        return Response(200, {"url": f"http://{host}/m/{token}", "token": token, "expires_at": expires})

    def match_view(self, request: Request, match_id: str) -> Response:
        rec = self.data["match"].get(match_id)
        if rec is None:
            return Response(404, {"detail": "unknown match"})
        events = sorted(
            (e for e in self.data["event"].values() if e["match_id"] == match_id and not e["deleted"]),
            key=lambda e: (e["period"], e["clock_ms"]),
        )
        players = self.data["player"]
        return Response(
            200,
            {
                "match": {
                    "id": match_id,
                    "home_team": rec["home_team"],
                    "away_team": rec["away_team"],
                    "score": self.score(match_id),
                    "status": rec["status"],
                    "current_period": rec["current_period"],
                    "clock_time": "00:00",
                },
                "recent_events": [
                    {
                        "id": e["id"],
                        "kind": e["kind"],
                        "team": e["team"],
                        "period": e["period"],
                        "player": players[e["player_id"]]["name"] if e["player_id"] in players else None,
                        "timestamp": f"{e['clock_ms'] // 60000:02d}:{e['clock_ms'] // 1000 % 60:02d}",
                    }
                    for e in events[-10:]
                ],
            },
        )
