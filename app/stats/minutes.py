"""Minutes played and appearances of every match at once with numpy: the reference rules of
``app.match.minutes.minutes_played`` (one match in Python), vectorised for the Dashboard.

The rules are stated once, there. No SQL here: ``match_queries`` reads the ``MatchArrays``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from app.match.minutes import TimingEvent, minutes_played
from app.match.rules import LAST_PLAYED_PERIOD

__all__ = ["MatchArrays", "TimingEvent", "minutes_arrays", "minutes_played"]


Ints = npt.NDArray[np.int64]
KIND_CODES = {"substitution": 0, "red_card": 1, "period_start": 2, "period_end": 3}
SUB, RED, PERIOD_START, PERIOD_END = 0, 1, 2, 3
FINISHED, LIVE, OTHER = 0, 1, 2
MAX_PERIODS = 64  # periods per match laid out in the minutes grid (more: computed one match at a time)


def status_code(status: str) -> int:
    return FINISHED if status == "finished" else LIVE if status == "live" else OTHER


@dataclass(frozen=True)
class MatchArrays:
    """Matches, starters and timing events as integer arrays (the input of ``minutes_arrays``).

    Matches are numbered 0..n-1 (``status`` etc. one entry per match); players 0..n_players-1.
    ``ev_off``/``ev_on`` are the event's ``player_id`` and ``related_player_id`` (-1: none).
    ``ev_kind`` uses SUB, RED, PERIOD_START, PERIOD_END. Events are in their log order as given
    (ties between changes at the same instant keep it, as in ``minutes_played``).
    """

    n_players: int
    status: Ints
    current_period: Ints
    period_count: Ints
    period_length_min: Ints
    starter_match: Ints
    starter_player: Ints
    ev_match: Ints
    ev_kind: Ints
    ev_period: Ints
    ev_clock: Ints
    ev_off: Ints
    ev_on: Ints
    extra_time_length_min: Ints | None = None  # per match; None: 15 everywhere
    live_elapsed: Ints | None = None  # per match: the live period's clock, -1 (or None) when not read


def minutes_arrays(a: MatchArrays) -> tuple[Ints, Ints]:
    """Milliseconds played and appearances per player, summed over every match (vectorised).

    The same rules as ``minutes_played`` (one match at a time, in Python), computed for all
    matches at once with numpy: the periods of every match are laid out on a grid (match x
    period) to get each period's window and offset on the match clock; a player's presence
    only depends on his own substitutions and red cards, so each (match, player) pair is a
    sequence of "on"/"off" steps whose effective ones are found by comparing each step with
    the one before.
    """
    n_matches, n_players = int(a.status.size), int(a.n_players)
    ms_total = np.zeros(n_players, dtype=np.int64)
    apps_total = np.zeros(n_players, dtype=np.int64)
    if n_matches == 0:
        return ms_total, apps_total
    m, kind, per, clock = a.ev_match, a.ev_kind, a.ev_period, a.ev_clock
    idx = np.arange(m.size, dtype=np.int64)

    # the last period each match has: the latest period with an event at clock >= 0 ...
    low = np.iinfo(np.int64).min
    seen = clock >= 0
    last_seen = np.full(n_matches, low, dtype=np.int64)
    np.maximum.at(last_seen, m[seen], per[seen])
    last_seen[last_seen == low] = 0
    # ... and for a match not over, the period being played; for a finished one, the count
    last = np.where(
        a.status == FINISHED,
        np.maximum(a.period_count, last_seen),
        np.where(a.status == LIVE, np.maximum(a.current_period, last_seen), last_seen),
    )
    n_per = int(max(int(last.max()), 1))
    if n_per > MAX_PERIODS:  # implausible period numbers: match by match, the slow way
        return _minutes_one_by_one(a)

    # each period's window (start, end) and its offset on the match clock
    inside = (per >= 1) & (per <= last[m])
    cell = m * n_per + (per - 1)
    high = np.iinfo(np.int64).max
    starts = np.full(n_matches * n_per, high, dtype=np.int64)
    ends = np.full(n_matches * n_per, low, dtype=np.int64)
    latest = np.full(n_matches * n_per, low, dtype=np.int64)
    pick = inside & (kind == PERIOD_START)
    np.minimum.at(starts, cell[pick], clock[pick])
    pick = inside & (kind == PERIOD_END)
    np.maximum.at(ends, cell[pick], clock[pick])
    pick = inside & seen
    np.maximum.at(latest, cell[pick], clock[pick])
    start = np.where(starts == high, 0, starts)
    has_latest = latest != low
    grid_match = np.repeat(np.arange(n_matches, dtype=np.int64), n_per)
    grid_period = np.tile(np.arange(1, n_per + 1, dtype=np.int64), n_matches)
    open_live = (a.status[grid_match] == LIVE) & (grid_period >= a.current_period[grid_match])
    et_min = a.extra_time_length_min if a.extra_time_length_min is not None else np.full(n_matches, 15)
    live_ms = a.live_elapsed if a.live_elapsed is not None else np.full(n_matches, -1)
    extra = (grid_period > a.period_count[grid_match]) & (grid_period <= LAST_PLAYED_PERIOD)
    length_ms = np.where(extra, et_min[grid_match], a.period_length_min[grid_match]) * 60_000
    clocked = open_live & (grid_period == a.current_period[grid_match]) & (live_ms[grid_match] >= 0)
    end = np.where(
        ends != low,
        ends,
        np.where(
            clocked,
            live_ms[grid_match],
            np.where(
                open_live,
                np.where(has_latest, latest, start),
                np.maximum(start + length_ms, np.where(has_latest, latest, 0)),
            ),
        ),
    )
    end = np.where(grid_period > LAST_PLAYED_PERIOD, start, np.maximum(start, end))  # shoot-out: no minutes
    duration = np.where(grid_period <= last[grid_match], end - start, 0).reshape(n_matches, n_per)
    offset = (np.cumsum(duration, axis=1) - duration).reshape(-1)
    total = duration.sum(axis=1)

    # substitutions and red cards on the match clock, in the order minutes_played applies them:
    # by time, then the period first seen among the changes, then the log order
    change = inside & ((kind == SUB) | (kind == RED))
    c_cell, c_idx = cell[change], idx[change]
    first = np.full(n_matches * n_per, high, dtype=np.int64)
    np.minimum.at(first, c_cell, c_idx)
    at = offset[c_cell] + np.clip(clock[change], start[c_cell], end[c_cell])
    c_match = m[change]
    order = np.lexsort((c_idx, first[c_cell], at, c_match))
    rank = np.empty(order.size, dtype=np.int64)
    rank[order] = np.arange(order.size, dtype=np.int64)

    # steps per (match, player): "off" for who goes off, "on" for who comes on (after the off)
    off, on = a.ev_off[change], a.ev_on[change]
    has_off = off >= 0
    has_on = (kind[change] == SUB) & (on >= 0)
    s_player = np.concatenate((off[has_off], on[has_on]))
    s_match = np.concatenate((c_match[has_off], c_match[has_on]))
    s_seq = np.concatenate((2 * rank[has_off], 2 * rank[has_on] + 1))
    s_at = np.concatenate((at[has_off], at[has_on]))
    s_on = np.concatenate((np.zeros(int(has_off.sum()), dtype=bool), np.ones(int(has_on.sum()), dtype=bool)))
    key = s_match * n_players + s_player
    sort = np.lexsort((s_seq, key))
    key, s_at, s_on, s_match, s_player = key[sort], s_at[sort], s_on[sort], s_match[sort], s_player[sort]

    # starters are on from the start of period 1 (in a match with periods)
    st_ok = last[a.starter_match] != 0
    starter_keys = np.unique(a.starter_match[st_ok] * n_players + a.starter_player[st_ok])

    n_steps = int(key.size)
    if n_steps:
        group_start = np.ones(n_steps, dtype=bool)
        group_start[1:] = key[1:] != key[:-1]
        group = np.cumsum(group_start) - 1
        g_key = key[group_start]
        g_starter = np.isin(g_key, starter_keys)
        before = np.empty(n_steps, dtype=bool)
        before[1:] = s_on[:-1]
        before[group_start] = g_starter
        effective = s_on != before
        came_on = effective & s_on
        went_off = effective & ~s_on
        step_ms = np.where(went_off, s_at, 0) - np.where(came_on, s_at, 0)
        n_groups = int(g_key.size)
        group_end = np.ones(n_steps, dtype=bool)
        group_end[:-1] = group_start[1:]
        g_match = s_match[group_start]
        g_ms = np.bincount(group, weights=step_ms, minlength=n_groups)
        g_ms = g_ms + np.where(s_on[group_end], total[g_match], 0)
        g_appeared = g_starter | (np.bincount(group, weights=came_on, minlength=n_groups) > 0)
        g_player = s_player[group_start]
        ms_total += np.rint(np.bincount(g_player, weights=g_ms, minlength=n_players)).astype(np.int64)
        apps_total += np.bincount(g_player[g_appeared], minlength=n_players).astype(np.int64)
        starter_keys = starter_keys[~np.isin(starter_keys, g_key)]
    # starters who never went off play the whole match
    st_match, st_player = starter_keys // max(n_players, 1), starter_keys % max(n_players, 1)
    ms_total += np.rint(np.bincount(st_player, weights=total[st_match], minlength=n_players)).astype(np.int64)
    apps_total += np.bincount(st_player, minlength=n_players).astype(np.int64)
    return ms_total, apps_total


def _minutes_one_by_one(a: MatchArrays) -> tuple[Ints, Ints]:
    """``minutes_arrays`` through ``minutes_played``, one match at a time (rare, odd data)."""
    ms_total = np.zeros(a.n_players, dtype=np.int64)
    apps_total = np.zeros(a.n_players, dtype=np.int64)
    statuses = {FINISHED: "finished", LIVE: "live", OTHER: "scheduled"}
    starters: dict[int, list[int]] = defaultdict(list)
    for mi, pi in zip(a.starter_match.tolist(), a.starter_player.tolist(), strict=True):
        starters[mi].append(pi)
    events: dict[int, list[tuple[str, int, int, int | None, int | None]]] = defaultdict(list)
    kinds = {v: k for k, v in KIND_CODES.items()}
    rows = zip(
        a.ev_match.tolist(),
        a.ev_kind.tolist(),
        a.ev_period.tolist(),
        a.ev_clock.tolist(),
        a.ev_off.tolist(),
        a.ev_on.tolist(),
        strict=True,
    )
    for mi, k, p, c, off, on in rows:
        events[mi].append((kinds[k], p, c, off if off >= 0 else None, on if on >= 0 else None))
    for mi in range(int(a.status.size)):
        played, appeared = minutes_played(
            [str(x) for x in starters.get(mi, ())],
            [(k, p, c, None if o is None else str(o), None if i is None else str(i)) for k, p, c, o, i in events[mi]],
            status=statuses[int(a.status[mi])],
            current_period=int(a.current_period[mi]),
            period_count=int(a.period_count[mi]),
            period_length_min=int(a.period_length_min[mi]),
            extra_time_length_min=15 if a.extra_time_length_min is None else int(a.extra_time_length_min[mi]),
            live_elapsed_ms=None if a.live_elapsed is None or a.live_elapsed[mi] < 0 else int(a.live_elapsed[mi]),
        )
        for pid, ms in played.items():
            ms_total[int(pid)] += ms
        for pid in appeared:
            apps_total[int(pid)] += 1
    return ms_total, apps_total
