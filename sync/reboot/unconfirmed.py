"""Reboot Motion endpoints and shapes that are NOT in Reboot's official toolkit or tutorials.

Everything here comes from community clients (see shared/providers/reboot/NOTES.md §2.2-2.3)
and must be checked against https://api.rebootmotion.com/docs. Correct it HERE only:

- ``GET /players``: a plain JSON array of players with ``org_player_id``, ``first_name``,
  ``last_name`` (some clients wrap lists in ``{"data": [...]}``; both are accepted).
- ``POST /oauth/token``: username + password -> ``{access_token, refresh_token?, ...}``.
  The request shape varies between clients; we send JSON ``grant_type=password``,
  ``username``, ``password``.
- ``GET /sessions/{id}``: session detail with ``players`` (each with ``org_player_id``).
- Session fields used to pick exports: ``status`` ("processed"), ``movement_type_id``,
  ``participant_ids`` / ``org_player_ids``.
"""

from __future__ import annotations

from typing import Any

PLAYERS_PATH = "/players"
TOKEN_PATH = "/oauth/token"
SESSION_DETAIL_PATH = "/sessions/{session_id}"

PROCESSED_STATUSES = frozenset({"processed", "complete", "completed", "done"})


def token_request(email: str, password: str) -> dict[str, str]:
    """The JSON body of the password grant (community-reported shape)."""
    return {"grant_type": "password", "username": email, "password": password}


def as_list(body: Any) -> list[dict[str, Any]] | None:
    """A list of objects from a plain array or a ``{"data"|"players"|"results": [...]}`` wrapper."""
    if isinstance(body, dict):
        for key in ("data", "players", "results", "sessions"):
            if isinstance(body.get(key), list):
                body = body[key]
                break
    if not isinstance(body, list) or not all(isinstance(x, dict) for x in body):
        return None
    return body


def is_processed(session: dict[str, Any]) -> bool:
    return str(session.get("status", "")).lower() in PROCESSED_STATUSES


def player_ids(session: dict[str, Any], detail: dict[str, Any] | None) -> list[str]:
    ids: list[str] = []
    if detail:
        for p in detail.get("players") or []:
            if isinstance(p, dict) and p.get("org_player_id"):
                ids.append(str(p["org_player_id"]))
    for key in ("org_player_ids", "participant_ids"):
        for pid in session.get(key) or []:
            ids.append(str(pid))
    return list(dict.fromkeys(ids))


def movement_type_id(session: dict[str, Any], detail: dict[str, Any] | None) -> int | None:
    for source in (session, detail or {}):
        value = source.get("movement_type_id")
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.isdigit():
            return int(value)
    return None
