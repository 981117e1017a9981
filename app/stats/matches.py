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
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Select, and_, func, or_, select

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


def match_results(source: Source, period: Period) -> list[MatchResult]:
    """Matches kicking off in ``period``, newest first, with the score from their events."""
    home_goal = or_(
        and_(EVENT.c.kind == "goal", EVENT.c.team == "home"), and_(EVENT.c.kind == "own_goal", EVENT.c.team == "away")
    )
    with connect(source) as conn:
        matches = fetch_all(
            conn,
            select(
                MATCH.c.id,
                epoch(MATCH.c.kickoff_at),
                MATCH.c.home_team,
                MATCH.c.away_team,
                MATCH.c.our_side,
                MATCH.c.status,
            )
            .where(MATCH.c.deleted.is_(False), within(MATCH.c.kickoff_at, period))
            .order_by(MATCH.c.kickoff_at.desc()),
        )
        goals = conn.execute(
            select(EVENT.c.match_id, func.count().filter(home_goal), func.count().filter(~home_goal))
            .where(
                EVENT.c.kind.in_(("goal", "own_goal")),
                EVENT.c.deleted.is_(False),
                _of_matches_in(EVENT.c.match_id, period),
            )
            .group_by(EVENT.c.match_id)
        ).all()
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


def player_table(source: Source, period: Period) -> list[PlayerLine]:
    """Per player, over matches kicking off in ``period``: appearances, minutes and counts.

    Players without an appearance or any counted event are left out. Sorted by goals,
    assists, minutes, name.
    """
    in_range = _of_matches_in(EVENT.c.match_id, period)
    alive_ev = EVENT.c.deleted.is_(False)
    with connect(source) as conn:
        counts = conn.execute(
            select(EVENT.c.player_id, EVENT.c.kind, func.count())
            .where(EVENT.c.kind.in_(COUNTED), in_range, alive_ev, EVENT.c.player_id.is_not(None))
            .group_by(EVENT.c.player_id, EVENT.c.kind)
        ).all()
        goal_assists = conn.execute(
            select(EVENT.c.related_player_id, func.count())
            .where(EVENT.c.kind == "goal", in_range, alive_ev, EVENT.c.related_player_id.is_not(None))
            .group_by(EVENT.c.related_player_id)
        ).all()
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
        own_assists = conn.execute(
            select(EVENT.c.player_id, func.count())
            .where(EVENT.c.kind == "assist", in_range, alive_ev, EVENT.c.player_id.is_not(None), ~repeat)
            .group_by(EVENT.c.player_id)
        ).all()
        matches = fetch_all(
            conn,
            select(MATCH.c.id, MATCH.c.status, MATCH.c.current_period, MATCH.c.period_count, MATCH.c.period_length_min)
            .where(MATCH.c.deleted.is_(False), within(MATCH.c.kickoff_at, period)),
        )
        lineups = fetch_all(
            conn,
            select(LINEUP.c.match_id, func.group_concat(LINEUP.c.player_id, "\x1f"))
            .where(LINEUP.c.starting.is_(True), _of_matches_in(LINEUP.c.match_id, period))
            .group_by(LINEUP.c.match_id),
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
            ).where(EVENT.c.kind.in_(TIMING), in_range, alive_ev),
        )
        players = conn.execute(
            select(PLAYER.c.id, PLAYER.c.name, func.coalesce(TEAM.c.name, ""))
            .select_from(PLAYER.outerjoin(TEAM, TEAM.c.id == PLAYER.c.team_id))
            .where(PLAYER.c.deleted.is_(False))
        ).all()

    starters = {str(m): str(ids).split("\x1f") for m, ids in lineups if ids}
    events_of: dict[str, list[tuple[str, int, int, str | None, str | None]]] = defaultdict(list)
    for row in timing:
        events_of[row[0]].append(row[1:])
    minutes_ms: dict[str, int] = defaultdict(int)
    appearances: dict[str, int] = defaultdict(int)
    for match_id, status, current, count, length in matches:
        played, appeared = minutes_played(
            starters.get(match_id, ()),
            events_of.get(match_id, ()),
            status=str(status),
            current_period=int(current),
            period_count=int(count),
            period_length_min=int(length),
        )
        for pid, ms in played.items():
            minutes_ms[pid] += ms
        for pid in appeared:
            appearances[pid] += 1

    tally: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for pid, kind, n in counts:
        tally[pid][kind] += int(n)
    for pid, n in goal_assists:
        tally[pid]["assist"] += int(n)
    for pid, n in own_assists:
        tally[pid]["assist"] += int(n)

    lines = []
    for pid, name, team in players:
        t = tally.get(pid, {})
        line = PlayerLine(
            player_id=str(pid),
            name=str(name),
            team=str(team),
            appearances=appearances.get(pid, 0),
            minutes=round(minutes_ms.get(pid, 0) / 60_000),
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
