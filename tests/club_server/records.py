"""What a real team server holds, read through its API, in the shape ``assert_team_equal`` compares."""

from __future__ import annotations

from typing import Any

import httpx


def _all(client: httpx.Client, path: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        params = {"limit": "500", **({"cursor": cursor} if cursor else {})}
        r = client.get(path, params=params)
        assert r.status_code == 200, r.text
        items += r.json()["items"]
        cursor = r.json()["next_cursor"]
        if cursor is None:
            return items


class ServerRecords:
    """A snapshot of one club's records (deleted ones included) and lineups."""

    def __init__(self, client: httpx.Client) -> None:
        teams = _all(client, "/api/teams")
        matches = _all(client, "/api/matches")
        players = [p for t in teams for p in _all(client, f"/api/teams/{t['id']}/players")]
        events = [e for m in matches for e in _all(client, f"/api/matches/{m['id']}/events")]
        self.data = {
            "team": {t["id"]: t for t in teams},
            "player": {p["id"]: p for p in players},
            "match": {m["id"]: m for m in matches},
            "event": {e["id"]: e for e in events},
        }
        self.lineups: dict[str, list[dict[str, Any]]] = {}
        for m in matches:
            if not m["deleted"]:
                items = client.get(f"/api/matches/{m['id']}/lineup").json()["items"]
                if items:
                    self.lineups[m["id"]] = items

    def records(self, kind: str, include_deleted: bool = True) -> dict[str, dict[str, Any]]:
        return {k: v for k, v in self.data[kind].items() if include_deleted or not v["deleted"]}
