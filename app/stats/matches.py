"""Match statistics from the event log: results, the per-player season table, top performers.

Facts (team server model):
- Score: a ``goal`` counts for its ``team``; an ``own_goal`` counts for the other team.
- ``substitution``: ``player_id`` goes off, ``related_player_id`` comes on. A ``red_card``
  sends ``player_id`` off for the rest of the match.
- Minutes: starters (lineup ``starting``) are on from the start of period 1. A period runs
  from its ``period_start`` event (``clock_ms`` from the period's kick-off; 0 when absent) to
  its ``period_end`` event; without one, a period that is over lasts the regulation length
  (or up to its last event, if later) and the period being played lasts up to its last event.
- Assists: a goal's ``related_player_id`` is the assist provider; a separate ``assist`` event
  counts too, unless it repeats a goal's assist (same match and period, within 60 s).
- Appearances: started, or came on, in a match that has begun. Cards = yellow + red.
Soft-deleted matches and events never count.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select

from app.models import LineupEntry, Match, MatchEvent, Player, Team
from app.stats._sql import Source, connect, epoch, fetch_all, table_of, within
from app.stats.periods import Period

MATCH = table_of(Match)
EVENT = table_of(MatchEvent)
LINEUP = table_of(LineupEntry)
PLAYER = table_of(Player)
TEAM = table_of(Team)

COUNTED = ("goal", "save", "tackle", "yellow_card", "red_card")
TIMING = ("substitution", "red_card", "period_start", "period_end")
ASSIST_WINDOW_MS = 60_000


@dataclass(frozen=True)
class MatchResult:
    match_id: str
    kickoff: float  # UNIX seconds
    home_team: str
    away_team: str
    our_side: str
    status: str
    home_goals: int
    away_goals: int

    @property
    def outcome(self) -> str:
        """W, D or L from our side's point of view; empty until the match has begun."""
        if self.status == "scheduled":
            return ""
        ours, theirs = (
            (self.home_goals, self.away_goals) if self.our_side == "home" else (self.away_goals, self.home_goals)
        )
        return "W" if ours > theirs else "L" if ours < theirs else "D"


@dataclass(frozen=True)
class PlayerLine:
    player_id: str
    name: str
    team: str
    appearances: int
    minutes: int
    goals: int
    assists: int
    saves: int
    tackles: int
    yellow_cards: int
    red_cards: int

    @property
    def cards(self) -> int:
        return self.yellow_cards + self.red_cards


@dataclass(frozen=True)
class Performer:
    category: str
    player_id: str
    name: str
    value: int


class TimingEvent(NamedTuple):
    """A substitution, red card or period start/end of one match (a plain tuple, for speed)."""

    kind: str
    period: int
    clock_ms: int
    player_id: str | None = None
    related_player_id: str | None = None


def _matches_in(period: Period) -> Select[tuple[str]]:
    return select(MATCH.c.id).where(MATCH.c.deleted.is_(False), within(MATCH.c.kickoff_at, period))


def _of_matches_in(column: Any, period: Period) -> ColumnElement[bool]:
    """``column`` (a match id) names a match kicking off in ``period`` that is not deleted.

    A bounded range lists its (few) matches; the ``all`` range excludes the few that are
    deleted or still to come, so the event scans need no probe per match.
    """
    if period.start is not None:
        return column.in_(_matches_in(period))  # type: ignore[no-any-return]
    others = select(MATCH.c.id).where(or_(MATCH.c.deleted.is_(True), MATCH.c.kickoff_at >= period.end))
    return column.not_in(others)  # type: ignore[no-any-return]


# Statements are built once per period (and reused: SQLAlchemy statements are immutable, and
# building one costs more than running these small queries' Python side).
@lru_cache(maxsize=16)
def _results_queries(period: Period) -> tuple[Select[Any], Select[Any]]:
    home_goal = or_(
        and_(EVENT.c.kind == "goal", EVENT.c.team == "home"), and_(EVENT.c.kind == "own_goal", EVENT.c.team == "away")
    )
    matches = (
        select(
            MATCH.c.id,
            epoch(MATCH.c.kickoff_at),
            MATCH.c.home_team,
            MATCH.c.away_team,
            MATCH.c.our_side,
            MATCH.c.status,
        )
        .where(MATCH.c.deleted.is_(False), within(MATCH.c.kickoff_at, period))
        .order_by(MATCH.c.kickoff_at.desc())
    )
    goals = (
        select(EVENT.c.match_id, func.count().filter(home_goal), func.count().filter(~home_goal))
        .where(
            EVENT.c.kind.in_(("goal", "own_goal")),
            EVENT.c.deleted.is_(False),
            _of_matches_in(EVENT.c.match_id, period),
        )
        .group_by(EVENT.c.match_id)
    )
    return matches, goals


def match_results(source: Source, period: Period) -> list[MatchResult]:
    """Matches kicking off in ``period``, newest first, with the score from their events."""
    matches_query, goals_query = _results_queries(period)
    with connect(source) as conn:
        matches = fetch_all(conn, matches_query)
        goals = fetch_all(conn, goals_query)
    score = {str(m): (int(h), int(a)) for m, h, a in goals}
    return [
        MatchResult(str(i), float(k), str(h), str(a), str(side), str(status), *score.get(str(i), (0, 0)))
        for i, k, h, a, side, status in matches
    ]


def minutes_played(
    starters: Iterable[str],
    events: Iterable[tuple[str, int, int, str | None, str | None]],
    *,
    status: str = "finished",
    current_period: int = 0,
    period_count: int = 2,
    period_length_min: int = 45,
) -> tuple[dict[str, int], set[str]]:
    """Milliseconds on the pitch per player in one match, and who appeared.

    ``events`` are the match's timing events as ``TimingEvent`` (or equal tuples):
    substitution, red_card, period_start, period_end; any order.
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
    length_ms = period_length_min * 60_000
    # each period's window, laid end to end on one match clock (offset = earlier periods' time)
    windows: dict[int, tuple[int, int, int]] = {}  # period -> (start, end, offset)
    offset = 0
    for p in range(1, last + 1):
        start = starts.get(p, 0)
        if p in ends:
            end = ends[p]
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


Ints = npt.NDArray[np.int64]
KIND_CODES = {"substitution": 0, "red_card": 1, "period_start": 2, "period_end": 3}
SUB, RED, PERIOD_START, PERIOD_END = 0, 1, 2, 3
FINISHED, LIVE, OTHER = 0, 1, 2
MAX_PERIODS = 64  # periods per match laid out in the minutes grid (more: computed one match at a time)
SEP = "\x1f"


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


def _ints(values: Any) -> Ints:
    return np.asarray(values, dtype=np.int64).reshape(-1)


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
    length_ms = a.period_length_min[grid_match] * 60_000
    end = np.where(
        ends != low,
        ends,
        np.where(
            open_live,
            np.where(has_latest, latest, start),
            np.maximum(start + length_ms, np.where(has_latest, latest, 0)),
        ),
    )
    end = np.maximum(start, end)
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
        a.ev_match.tolist(), a.ev_kind.tolist(), a.ev_period.tolist(), a.ev_clock.tolist(),
        a.ev_off.tolist(), a.ev_on.tolist(), strict=True,
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
        )
        for pid, ms in played.items():
            ms_total[int(pid)] += ms
        for pid in appeared:
            apps_total[int(pid)] += 1
    return ms_total, apps_total


def _split_ints(text: Any, n: int) -> Ints | None:
    """``n`` integers from a comma-separated ``group_concat``; None when it does not parse so."""
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    values = np.fromstring(str(text or ""), dtype=np.int64, sep=",")
    return values if values.size == n else None


class Codes(dict[str, int]):
    """Ids to numbers 0..n-1; an unknown id is -1 (``codes[x]``, which ``map`` calls in C)."""

    def __missing__(self, key: str) -> int:
        return -1


def _codes(text: Any, n: int, code: Codes) -> Ints | None:
    """Codes of ``n`` ids from a ``SEP``-separated ``group_concat`` (-1 for ids not in ``code``)."""
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    parts = str(text or "").split(SEP)
    if len(parts) != n:
        return None
    return np.fromiter(map(code.__getitem__, parts), dtype=np.int64, count=n)


class TableQueries(NamedTuple):
    players: Select[Any]
    matches: Select[Any]
    lineups: Select[Any]
    timing: Select[Any]
    counts: Select[Any]
    goal_assists: Select[Any]
    own_assists: Select[Any]


@lru_cache(maxsize=16)
def _table_queries(period: Period) -> TableQueries:
    in_range = _of_matches_in(EVENT.c.match_id, period)
    alive_ev = EVENT.c.deleted.is_(False)
    kind_code = case(*((EVENT.c.kind == k, v) for k, v in KIND_CODES.items()), else_=-1)
    goal = EVENT.alias("g")
    repeat = (
        select(goal.c.match_id)
        .where(
            goal.c.kind == "goal",
            goal.c.match_id == EVENT.c.match_id,
            goal.c.deleted.is_(False),
            goal.c.related_player_id == EVENT.c.player_id,
            goal.c.period == EVENT.c.period,
            func.abs(goal.c.clock_ms - EVENT.c.clock_ms) <= ASSIST_WINDOW_MS,
        )
        .exists()
    )
    return TableQueries(
        players=select(PLAYER.c.id, PLAYER.c.name, func.coalesce(TEAM.c.name, ""))
        .select_from(PLAYER.outerjoin(TEAM, TEAM.c.id == PLAYER.c.team_id))
        .where(PLAYER.c.deleted.is_(False)),
        matches=select(
            MATCH.c.id, MATCH.c.status, MATCH.c.current_period, MATCH.c.period_count, MATCH.c.period_length_min
        ).where(MATCH.c.deleted.is_(False), within(MATCH.c.kickoff_at, period)),
        lineups=select(
            func.count(),
            func.group_concat(LINEUP.c.match_id, SEP),
            func.group_concat(LINEUP.c.player_id, SEP),
        ).where(LINEUP.c.starting.is_(True), _of_matches_in(LINEUP.c.match_id, period)),
        timing=select(
            func.count(),
            func.group_concat(EVENT.c.match_id, SEP),
            func.group_concat(kind_code),
            func.group_concat(EVENT.c.period),
            func.group_concat(EVENT.c.clock_ms),
            func.group_concat(func.coalesce(EVENT.c.player_id, ""), SEP),
            func.group_concat(func.coalesce(EVENT.c.related_player_id, ""), SEP),
        ).where(EVENT.c.kind.in_(TIMING), in_range, alive_ev),
        counts=select(EVENT.c.player_id, EVENT.c.kind, func.count())
        .where(EVENT.c.kind.in_(COUNTED), in_range, alive_ev, EVENT.c.player_id.is_not(None))
        .group_by(EVENT.c.player_id, EVENT.c.kind),
        goal_assists=select(EVENT.c.related_player_id, func.count())
        .where(EVENT.c.kind == "goal", in_range, alive_ev, EVENT.c.related_player_id.is_not(None))
        .group_by(EVENT.c.related_player_id),
        own_assists=select(EVENT.c.player_id, func.count())
        .where(EVENT.c.kind == "assist", in_range, alive_ev, EVENT.c.player_id.is_not(None), ~repeat)
        .group_by(EVENT.c.player_id),
    )


def _match_arrays(conn: Any, period: Period, player_code: Codes) -> MatchArrays:
    """Matches, starters and timing events of ``period`` as arrays, in three short reads.

    The thousands of starters and timing events come back as one row of ``group_concat``
    texts (parsed by numpy), not a Python tuple per row. Players not in ``player_code``
    (deleted ones) get -1: their steps are left out, which changes no one else's minutes.
    """
    q = _table_queries(period)
    matches = fetch_all(conn, q.matches)
    match_code = Codes((str(r[0]), i) for i, r in enumerate(matches))
    if matches:
        _ids, statuses, current, count, length = zip(*matches, strict=True)
    else:
        statuses, current, count, length = (), (), (), ()
    n_starters, st_matches, st_players = fetch_all(conn, q.lineups)[0]
    timing = fetch_all(conn, q.timing)
    n_events, ev_matches, kinds, periods, clocks, offs, ons = timing[0]
    n_starters, n_events = int(n_starters), int(n_events)
    parsed = (
        _codes(st_matches, n_starters, match_code),
        _codes(st_players, n_starters, player_code),
        _codes(ev_matches, n_events, match_code),
        _split_ints(kinds, n_events),
        _split_ints(periods, n_events),
        _split_ints(clocks, n_events),
        _codes(offs, n_events, player_code),
        _codes(ons, n_events, player_code),
    )
    if any(p is None for p in parsed):  # an id holding the separator (or odd numbers): read rows
        return _match_arrays_by_rows(conn, period, player_code, matches, match_code)
    st_m, st_p, ev_m, ev_k, ev_p, ev_c, ev_off, ev_on = (p for p in parsed if p is not None)
    keep = (st_m >= 0) & (st_p >= 0)
    events_ok = ev_m >= 0
    return MatchArrays(
        n_players=len(player_code),
        status=_ints([status_code(str(x)) for x in statuses]),
        current_period=_ints(current),
        period_count=_ints(count),
        period_length_min=_ints(length),
        starter_match=st_m[keep],
        starter_player=st_p[keep],
        ev_match=ev_m[events_ok],
        ev_kind=ev_k[events_ok],
        ev_period=ev_p[events_ok],
        ev_clock=ev_c[events_ok],
        ev_off=ev_off[events_ok],
        ev_on=ev_on[events_ok],
    )


def _match_arrays_by_rows(
    conn: Any,
    period: Period,
    player_code: Codes,
    matches: list[tuple[Any, ...]],
    match_code: Codes,
) -> MatchArrays:
    """``_match_arrays`` reading a row per starter and per event (the general, slower way)."""
    in_range = _of_matches_in(EVENT.c.match_id, period)
    lineups = fetch_all(
        conn,
        select(LINEUP.c.match_id, LINEUP.c.player_id).where(
            LINEUP.c.starting.is_(True), _of_matches_in(LINEUP.c.match_id, period)
        ),
    )
    timing = fetch_all(
        conn,
        select(
            EVENT.c.match_id, EVENT.c.kind, EVENT.c.period, EVENT.c.clock_ms, EVENT.c.player_id,
            EVENT.c.related_player_id,
        ).where(EVENT.c.kind.in_(TIMING), in_range, EVENT.c.deleted.is_(False)),
    )
    starters = [(match_code.get(str(mi), -1), player_code.get(str(pi), -1)) for mi, pi in lineups]
    starters = [(mi, pi) for mi, pi in starters if mi >= 0 and pi >= 0]
    events = [
        (
            match_code[str(mi)], KIND_CODES[str(k)], int(p), int(c),
            -1 if o is None else player_code.get(str(o), -1), -1 if r is None else player_code.get(str(r), -1),
        )
        for mi, k, p, c, o, r in timing
        if str(mi) in match_code
    ]
    cols = list(zip(*events, strict=True)) if events else [()] * 6
    return MatchArrays(
        n_players=len(player_code),
        status=_ints([status_code(str(r[1])) for r in matches]),
        current_period=_ints([r[2] for r in matches]),
        period_count=_ints([r[3] for r in matches]),
        period_length_min=_ints([r[4] for r in matches]),
        starter_match=_ints([s[0] for s in starters]),
        starter_player=_ints([s[1] for s in starters]),
        ev_match=_ints(cols[0]),
        ev_kind=_ints(cols[1]),
        ev_period=_ints(cols[2]),
        ev_clock=_ints(cols[3]),
        ev_off=_ints(cols[4]),
        ev_on=_ints(cols[5]),
    )


def player_table(source: Source, period: Period) -> list[PlayerLine]:
    """Per player, over matches kicking off in ``period``: appearances, minutes and counts.

    Players without an appearance or any counted event are left out. Sorted by goals,
    assists, minutes, name. Minutes and appearances: ``minutes_arrays`` (the rules of
    ``minutes_played``, vectorised over every match).
    """
    q = _table_queries(period)
    with connect(source) as conn:
        players = fetch_all(conn, q.players)
        player_code = Codes((str(r[0]), i) for i, r in enumerate(players))
        arrays = _match_arrays(conn, period, player_code)
        counts = fetch_all(conn, q.counts)
        goal_assists = fetch_all(conn, q.goal_assists)
        own_assists = fetch_all(conn, q.own_assists)
    minutes_ms, appearances = minutes_arrays(arrays)
    minutes_list, appearances_list = minutes_ms.tolist(), appearances.tolist()

    tally: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for pid, kind, n in counts:
        tally[pid][kind] += int(n)
    for pid, n in goal_assists:
        tally[pid]["assist"] += int(n)
    for pid, n in own_assists:
        tally[pid]["assist"] += int(n)

    lines = []
    for i, (pid, name, team) in enumerate(players):
        t = tally.get(pid, {})
        line = PlayerLine(
            player_id=str(pid),
            name=str(name),
            team=str(team),
            appearances=int(appearances_list[i]),
            minutes=round(minutes_list[i] / 60_000),
            goals=t.get("goal", 0),
            assists=t.get("assist", 0),
            saves=t.get("save", 0),
            tackles=t.get("tackle", 0),
            yellow_cards=t.get("yellow_card", 0),
            red_cards=t.get("red_card", 0),
        )
        if line.appearances or any(t.values()):
            lines.append(line)
    lines.sort(key=lambda x: (-x.goals, -x.assists, -x.minutes, x.name))
    return lines


CATEGORIES = (
    ("Goals", "goals"),
    ("Assists", "assists"),
    ("Saves", "saves"),
    ("Tackles", "tackles"),
    ("Minutes", "minutes"),
)


def top_performers(lines: Sequence[PlayerLine], n: int = 3) -> list[Performer]:
    """The best ``n`` players per category (goals, assists, saves, tackles, minutes); zeros left out."""
    out: list[Performer] = []
    for title, attr in CATEGORIES:
        ranked = sorted(lines, key=lambda x, a=attr: (-int(getattr(x, a)), x.name))  # type: ignore[misc]
        out.extend(
            Performer(title, line.player_id, line.name, int(getattr(line, attr)))
            for line in ranked[:n]
            if getattr(line, attr) > 0
        )
    return out
