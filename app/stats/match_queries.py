"""SQL of the match statistics: the statements per period, and matches, starters and timing events as arrays.

Assists: a goal's ``related_player_id`` is the assist provider; a separate ``assist`` event
counts too, unless it repeats a goal's assist (same match and period, within 60 s).
Soft-deleted matches and events never count; neither do deleted players' steps.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np
from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select

from app.match.clock import Mark, period_elapsed
from app.match.minutes import TIMING_KINDS
from app.models import LineupEntry, Match, MatchEvent, Player, Team
from app.models.match import ClockMark
from app.stats._sql import epoch, fetch_all, table_of, within
from app.stats.minutes import KIND_CODES, Ints, MatchArrays, status_code
from app.stats.periods import Period

MATCH = table_of(Match)
EVENT = table_of(MatchEvent)
LINEUP = table_of(LineupEntry)
PLAYER = table_of(Player)
TEAM = table_of(Team)
CLOCK_MARK = table_of(ClockMark)

COUNTED = ("goal", "save", "tackle", "yellow_card", "red_card")
TIMING = TIMING_KINDS
ASSIST_WINDOW_MS = 60_000
SEP = "\x1f"


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
def results_queries(period: Period) -> tuple[Select[Any], Select[Any]]:
    """The matches kicking off in ``period`` (newest first), and home/away goals per match."""
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


def _ints(values: Any) -> Ints:
    return np.asarray(values, dtype=np.int64).reshape(-1)


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
    """The player table's statements for one period (``table_queries``)."""

    players: Select[Any]
    matches: Select[Any]
    lineups: Select[Any]
    timing: Select[Any]
    counts: Select[Any]
    goal_assists: Select[Any]
    own_assists: Select[Any]


@lru_cache(maxsize=16)
def table_queries(period: Period) -> TableQueries:
    """Players, matches, starters, timing events, counted events and assists of ``period``."""
    in_range = _of_matches_in(EVENT.c.match_id, period)
    alive_ev = EVENT.c.deleted.is_(False)
    kind_code = case(*((EVENT.c.kind == k, v) for k, v in KIND_CODES.items()), else_=-1)
    # Timing events in their log order (seq), as MatchArrays promises: changes at the same
    # instant apply in that order. SQLite aggregates an ORDER BY subquery in its order (the
    # subquery is not flattened into an aggregate); a test compares with the reference.
    timing = (
        select(
            EVENT.c.match_id,
            kind_code.label("kind_code"),
            EVENT.c.period,
            EVENT.c.clock_ms,
            func.coalesce(EVENT.c.player_id, "").label("player_id"),
            func.coalesce(EVENT.c.related_player_id, "").label("related_player_id"),
        )
        .where(EVENT.c.kind.in_(TIMING), in_range, alive_ev)
        .order_by(EVENT.c.seq)
        .subquery("timing")
    )
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
            MATCH.c.id,
            MATCH.c.status,
            MATCH.c.current_period,
            MATCH.c.period_count,
            MATCH.c.period_length_min,
            MATCH.c.extra_time_length_min,
        ).where(MATCH.c.deleted.is_(False), within(MATCH.c.kickoff_at, period)),
        lineups=select(
            func.count(),
            func.group_concat(LINEUP.c.match_id, SEP),
            func.group_concat(LINEUP.c.player_id, SEP),
        ).where(LINEUP.c.starting.is_(True), _of_matches_in(LINEUP.c.match_id, period)),
        timing=select(
            func.count(),
            func.group_concat(timing.c.match_id, SEP),
            func.group_concat(timing.c.kind_code),
            func.group_concat(timing.c.period),
            func.group_concat(timing.c.clock_ms),
            func.group_concat(timing.c.player_id, SEP),
            func.group_concat(timing.c.related_player_id, SEP),
        ),
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


def live_clocks(conn: Any, matches: list[tuple[Any, ...]], now: datetime | None) -> Ints:
    """Per match row (id, status, current_period, ...): the clock of its period being played
    at ``now``, from its clock marks; -1 when not live, ended, unmarked or ``now`` is None."""
    out = np.full(len(matches), -1, dtype=np.int64)
    live = {str(r[0]): (i, int(r[2])) for i, r in enumerate(matches) if r[1] == "live"}
    if now is None or not live:
        return out
    rows = fetch_all(
        conn,
        select(CLOCK_MARK.c.match_id, CLOCK_MARK.c.action, CLOCK_MARK.c.period, CLOCK_MARK.c.at).where(
            CLOCK_MARK.c.match_id.in_(list(live))
        ),
    )
    marks: dict[str, list[Mark]] = {}
    for mid, action, per, at in rows:
        when = at if isinstance(at, datetime) else datetime.fromisoformat(str(at))
        marks.setdefault(str(mid), []).append(Mark(str(action), int(per), when.replace(tzinfo=UTC)))
    for mid, items in marks.items():
        i, current = live[mid]
        elapsed, _running, ended = period_elapsed(sorted(items, key=lambda m: m.at), current, now)
        if not ended and any(m.period == current for m in items):
            out[i] = elapsed
    return out


def match_arrays(conn: Any, period: Period, player_code: Codes, now: datetime | None = None) -> MatchArrays:
    """Matches, starters and timing events of ``period`` as arrays, in three short reads.

    The thousands of starters and timing events come back as one row of ``group_concat``
    texts (parsed by numpy), not a Python tuple per row. Players not in ``player_code``
    (deleted ones) get -1: their steps are left out, which changes no one else's minutes.
    """
    q = table_queries(period)
    matches = fetch_all(conn, q.matches)
    match_code = Codes((str(r[0]), i) for i, r in enumerate(matches))
    if matches:
        _ids, statuses, current, count, length, extra = zip(*matches, strict=True)
    else:
        statuses, current, count, length, extra = (), (), (), (), ()
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
        return _match_arrays_by_rows(conn, period, player_code, matches, match_code, now)
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
        extra_time_length_min=_ints(extra),
        live_elapsed=live_clocks(conn, matches, now),
    )


def _match_arrays_by_rows(
    conn: Any,
    period: Period,
    player_code: Codes,
    matches: list[tuple[Any, ...]],
    match_code: Codes,
    now: datetime | None,
) -> MatchArrays:
    """``match_arrays`` reading a row per starter and per event (the general, slower way)."""
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
            EVENT.c.match_id,
            EVENT.c.kind,
            EVENT.c.period,
            EVENT.c.clock_ms,
            EVENT.c.player_id,
            EVENT.c.related_player_id,
        )
        .where(EVENT.c.kind.in_(TIMING), in_range, EVENT.c.deleted.is_(False))
        .order_by(EVENT.c.seq),  # log order, as MatchArrays promises
    )
    starters = [(match_code.get(str(mi), -1), player_code.get(str(pi), -1)) for mi, pi in lineups]
    starters = [(mi, pi) for mi, pi in starters if mi >= 0 and pi >= 0]
    events = [
        (
            match_code[str(mi)],
            KIND_CODES[str(k)],
            int(p),
            int(c),
            -1 if o is None else player_code.get(str(o), -1),
            -1 if r is None else player_code.get(str(r), -1),
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
        extra_time_length_min=_ints([r[5] for r in matches]),
        live_elapsed=live_clocks(conn, matches, now),
    )
