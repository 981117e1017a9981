"""Minutes played: the one reference rule set, used by the match summary, season stats, the
``match stats`` command, the PDF and (vectorised, tested against this) the Dashboard.

Rules (the team server model):
- ``substitution``: ``player_id`` goes off, ``related_player_id`` comes on. A ``red_card``
  sends ``player_id`` off for the rest of the match.
- Starters (lineup ``starting``) are on from the start of period 1. A period runs from its
  ``period_start`` event (``clock_ms`` from the period's kick-off; 0 when absent) to its
  ``period_end`` event. Without one, a period that is over lasts its regulation length
  (extra time has its own) or up to its last event, if later; the period being played lasts
  up to the clock when the caller gives it (``live_elapsed_ms``: the service and the CLI do),
  else up to its last event (the Dashboard, which caches its numbers).
- The penalty shoot-out (period 5) adds no minutes.
- Appearances: started, or came on, in a match that has begun.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from app.match.rules import SHOOTOUT_PERIOD
from app.match.rules import period_length_min as period_length_of

TIMING_KINDS = ("substitution", "red_card", "period_start", "period_end")


class TimingEvent(NamedTuple):
    """A substitution, red card or period start/end of one match (a plain tuple, for speed)."""

    kind: str
    period: int
    clock_ms: int
    player_id: str | None = None
    related_player_id: str | None = None


def minutes_played(
    starters: Iterable[str],
    events: Iterable[tuple[str, int, int, str | None, str | None]],
    *,
    status: str = "finished",
    current_period: int = 0,
    period_count: int = 2,
    period_length_min: int = 45,
    extra_time_length_min: int = 15,
    live_elapsed_ms: int | None = None,
) -> tuple[dict[str, int], set[str]]:
    """Milliseconds on the pitch per player in one match, and who appeared (the rules above).

    ``events`` are the match's timing events as ``TimingEvent`` (or equal tuples):
    substitution, red_card, period_start, period_end; any order. ``live_elapsed_ms``: the
    clock of the period being played, when the caller reads it (else its latest event).
    """
    starts: dict[int, int] = {}
    ends: dict[int, int] = {}
    latest: dict[int, int] = {}
    changes: dict[int, list[tuple[int, str, str | None, str | None]]] = {}
    for kind, p, clock, pid, rid in events:
        if clock > latest.get(p, -1):
            latest[p] = clock
        if kind == "period_start":
            starts[p] = min(clock, starts.get(p, clock))
        elif kind == "period_end":
            ends[p] = max(clock, ends.get(p, clock))
        elif kind in ("substitution", "red_card"):
            changes.setdefault(p, []).append((clock, kind, pid, rid))
    last_seen = max(latest, default=0)
    if status == "finished":
        last = max(period_count, last_seen)
    elif status == "live":
        last = max(current_period, last_seen)
    else:  # scheduled: only what the log shows
        last = last_seen
    # each period's window, laid end to end on one match clock (offset = earlier periods' time)
    windows: dict[int, tuple[int, int, int]] = {}  # period -> (start, end, offset)
    offset = 0
    for p in range(1, last + 1):
        start = starts.get(p, 0)
        length_ms = period_length_of(p, period_count, period_length_min, extra_time_length_min) * 60_000
        if p >= SHOOTOUT_PERIOD:
            end = start  # nobody plays minutes in a shoot-out
        elif p in ends:
            end = ends[p]
        elif status == "live" and p == current_period and live_elapsed_ms is not None:
            end = live_elapsed_ms
        elif status == "live" and p >= current_period:
            end = latest.get(p, start)
        else:
            end = max(start + length_ms, latest.get(p, 0))
        end = max(start, end)
        windows[p] = (start, end, offset)
        offset += end - start
    total = offset
    since: dict[str, int] = dict.fromkeys(starters, 0) if last else {}
    appeared = set(since)
    played: dict[str, int] = {}
    moves = [
        (windows[p][2] + min(max(clock, windows[p][0]), windows[p][1]), kind, off, incoming)
        for p, items in changes.items()
        if p in windows
        for clock, kind, off, incoming in items
    ]
    moves.sort(key=lambda m: m[0])
    for at, kind, off, incoming in moves:
        if off is not None and off in since:
            played[off] = played.get(off, 0) + at - since.pop(off)
        if kind == "substitution" and incoming is not None and incoming not in since:
            since[incoming] = at
            appeared.add(incoming)
    for player, t0 in since.items():
        played[player] = played.get(player, 0) + total - t0
    return played, appeared
