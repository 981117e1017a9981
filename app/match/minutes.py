"""Time on the pitch per player, from the lineup, substitutions, red cards and the clock."""

from __future__ import annotations

from collections.abc import Sequence

from app.match.types import ClockState
from app.models.match import LineupEntry, MatchEvent


def minutes_ms(state: ClockState, lineup: Sequence[LineupEntry], events: Sequence[MatchEvent]) -> dict[str, int]:
    """Milliseconds on the pitch per player (see ``MatchService.minutes_played``)."""
    durations: dict[int, int] = {}
    for e in events:
        if e.kind == "period_end":
            durations[e.period] = e.clock_ms
    for p in range(1, state.period + 1):
        if p not in durations:
            if p == state.period:
                durations[p] = state.elapsed_ms
            else:
                durations[p] = max((e.clock_ms for e in events if e.period == p), default=0)
    offsets: dict[int, int] = {}
    total = 0
    for p in sorted(durations):
        offsets[p] = total
        total += durations[p]

    def at(e: MatchEvent) -> int:
        return offsets.get(e.period, total) + min(e.clock_ms, durations.get(e.period, e.clock_ms))

    on_since: dict[str, int] = {e.player_id: 0 for e in lineup if e.starting}
    played: dict[str, int] = {e.player_id: 0 for e in lineup}
    for e in sorted(events, key=lambda e: (e.period, e.clock_ms, e.seq or 0)):
        if e.kind == "substitution":
            t = at(e)
            if e.player_id and e.player_id in on_since:
                played[e.player_id] = played.get(e.player_id, 0) + t - on_since.pop(e.player_id)
            if e.related_player_id and e.related_player_id not in on_since:
                on_since[e.related_player_id] = t
                played.setdefault(e.related_player_id, 0)
        elif e.kind == "red_card" and e.player_id in on_since:
            pid = e.player_id
            played[pid] = played.get(pid, 0) + at(e) - on_since.pop(pid)
    for pid, since in on_since.items():
        played[pid] = played.get(pid, 0) + max(0, total - since)
    return played
