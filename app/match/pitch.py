"""Who is on the pitch: the lineup's starters, changed by substitutions and red cards.

The one rule the referee checks (a substitution's direction, a bench or sent-off player
picked for play) and the live view's grid read.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

ON, BENCH, SUBBED_OFF, SENT_OFF = "on", "bench", "subbed_off", "sent_off"


def pitch_status(
    lineup: Iterable[tuple[str, bool]], events: Iterable[tuple[str, str | None, str | None]]
) -> dict[str, str]:
    """Status per player id: on | bench | subbed_off | sent_off.

    ``lineup``: (player_id, starting); ``events``: (kind, player_id, related_player_id) of the
    live substitution and red_card events in match order. A substitution takes ``player_id``
    off and brings ``related_player_id`` on; a red card sends ``player_id`` off."""
    status = {pid: ON if starting else BENCH for pid, starting in lineup}
    for kind, pid, rid in events:
        if kind == "substitution":
            if pid is not None and status.get(pid) == ON:
                status[pid] = SUBBED_OFF
            if rid is not None and status.get(rid, BENCH) == BENCH:
                status[rid] = ON
        elif kind == "red_card" and pid is not None:
            status[pid] = SENT_OFF
    return status


def read_pitch_status(cur: sqlite3.Cursor, match_id: str) -> dict[str, str]:
    """``pitch_status`` of a match read with two indexed queries."""
    lineup = cur.execute("SELECT player_id, starting FROM lineup_entry WHERE match_id = ?", (match_id,)).fetchall()
    events = cur.execute(
        "SELECT kind, player_id, related_player_id FROM match_event WHERE match_id = ? AND deleted = 0 "
        "AND kind IN ('substitution', 'red_card') ORDER BY period, clock_ms, seq",
        (match_id,),
    ).fetchall()
    return pitch_status(((pid, bool(st)) for pid, st in lineup), events)


def orient_substitution(status: dict[str, str], first: str | None, second: str | None) -> tuple[str | None, str | None]:
    """(off, on) of a substitution typed with its two players in either order: the one on
    the pitch goes off. ``9 U 4`` and ``4 U 9`` mean the same."""
    if status.get(first or "") != ON and status.get(second or "") == ON:
        return second, first
    return first, second
